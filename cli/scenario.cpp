// Reads scenario files with toml++, checking every key and value, and turns the
// [[task]] tables into TaskDefs (a program in the language, or a named workload).
#include "scenario.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include "tasks/program.hpp"
#include "tasks/workloads.hpp"
#include "text.hpp"

namespace timeslice {
namespace {

/// Reader checks one file's tables and reports errors at their place in it.
class Reader {
  public:
    Reader(std::string_view text, std::string path) : text_(text), path_(std::move(path)) {}

    Scenario read() {
        toml::table root;
        try {
            root = toml::parse(text_, path_);
        } catch (const toml::parse_error& e) {
            throw error_at(e.source().begin, std::string(e.description()));
        }
        Scenario s;
        s.source = path_;
        check_keys(root, {"title", "machine", "scheduler", "limits", "task"}, "the top level");
        if (const auto* title = root.get("title")) s.title = string_of(*title, "title");
        read_machine(root, s);
        read_scheduler(root, s);
        read_limits(root, s);
        read_tasks(root, s);
        return s;
    }

  private:
    void read_machine(const toml::table& root, Scenario& s) {
        const toml::table* machine = table_at(root, "machine");
        if (!machine) return;
        check_keys(*machine, {"cores", "switch_cost"}, "[machine]");
        if (const auto* v = machine->get("cores")) {
            s.cores = static_cast<std::uint32_t>(integer(*v, "cores", 1));
            if (s.cores != 1)
                throw error_at(v->source().begin, "cores must be 1: this version emulates one CPU");
        }
        if (const auto* v = machine->get("switch_cost"))
            s.switch_cost = integer(*v, "switch_cost", 0);
    }

    void read_scheduler(const toml::table& root, Scenario& s) {
        const toml::table* scheduler = table_at(root, "scheduler");
        if (!scheduler) return;
        if (const auto* v = scheduler->get("policy")) {
            s.policy = string_of(*v, "policy");
            if (!find_policy(s.policy)) throw error_at(v->source().begin, unknown_policy(s.policy));
        }
        for (auto&& [key, value] : *scheduler) {
            if (key == "policy") continue;
            if (key == "seed") {
                s.seed = integer(value, "seed", 0);
            } else if (const PolicyParam* param = find_param(key.str())) {
                s.params[std::string(key.str())] =
                    ranged(value, key.str(), param->min_value, param->max_value);
            } else {
                std::vector<std::string_view> expected = {"policy", "seed"};
                for (const PolicyParam* p : tuning_params()) expected.push_back(p->name);
                throw error_at(
                    key.source().begin,
                    fmt::format("unknown key '{}' in [scheduler] (expected {}){}", key.str(),
                                fmt::join(expected, ", "), did_you_mean(key.str(), expected)));
            }
        }
    }

    void read_limits(const toml::table& root, Scenario& s) {
        const toml::table* limits = table_at(root, "limits");
        if (!limits) return;
        check_keys(*limits, {"max_ticks"}, "[limits]");
        if (const auto* v = limits->get("max_ticks")) s.max_ticks = integer(*v, "max_ticks", 1);
    }

    void read_tasks(const toml::table& root, Scenario& s) {
        const toml::node* node = root.get("task");
        if (!node) throw error_at({1, 1}, "no tasks: add at least one [[task]] table");
        const toml::array* tasks = node->as_array();
        if (!tasks || !tasks->is_array_of_tables()) {
            throw error_at(node->source().begin,
                           "'task' must be an array of tables: write [[task]]");
        }
        for (const toml::node& t : *tasks)
            s.tasks.push_back(read_task(*t.as_table(), s.tasks.size()));
    }

    TaskDef read_task(const toml::table& t, std::size_t position) {
        check_keys(
            t, {"name", "arrival", "priority", "tickets", "nice", "program", "workload", "args"},
            "[[task]]");
        TaskSpec base;
        base.name = fmt::format("Task {}", position + 1);
        if (const auto* v = t.get("name")) {
            base.name = string_of(*v, "name");
            if (base.name.empty()) throw error_at(v->source().begin, "'name' must not be empty");
        }
        if (const auto* v = t.get("arrival")) base.arrival = integer(*v, "arrival", 0);
        if (const auto* v = t.get("priority")) {
            base.priority =
                static_cast<std::int32_t>(ranged(*v, "priority", -1'000'000, 1'000'000));
        }
        if (const auto* v = t.get("tickets")) {
            base.tickets = static_cast<std::uint32_t>(ranged(*v, "tickets", 1, 10'000));
        }
        if (const auto* v = t.get("nice"))
            base.nice = static_cast<std::int32_t>(ranged(*v, "nice", -20, 19));
        const toml::node* program = t.get("program");
        const toml::node* workload = t.get("workload");
        if ((program == nullptr) == (workload == nullptr)) {
            throw error_at(
                t.source().begin,
                fmt::format("task '{}' needs exactly one of 'program' or 'workload'", base.name));
        }
        if (t.get("args") && !workload) {
            throw error_at(t.get("args")->source().begin, "'args' goes with 'workload'");
        }
        std::function<TaskSpec()> make =
            program ? program_task(*program, base) : workload_def(t, *workload, base);
        const toml::node& code = program ? *program : *workload;
        return {base.name, std::move(make), location(code.source().begin)};
    }

    std::function<TaskSpec()> program_task(const toml::node& node, const TaskSpec& base) {
        const std::string text = string_of(node, "program");
        Program program;
        try {
            program = parse_program(text);
        } catch (const ProgramError& e) {
            const std::string guess =
                e.unknown().empty() ? "" : did_you_mean(e.unknown(), kStatements);
            throw error_at(position_in_string(node, e.offset()), e.what() + guess);
        }
        const std::optional<Tick> demand = cpu_demand(program);
        return [base, program = std::move(program), demand] {
            TaskSpec spec = base;
            spec.demand = demand;
            spec.body = [program] { run_program(program); };
            return spec;
        };
    }

    std::function<TaskSpec()> workload_def(const toml::table& t, const toml::node& node,
                                           const TaskSpec& base) {
        const std::string name = string_of(node, "workload");
        const Workload* workload = find_workload(name);
        if (!workload) {
            std::vector<std::string_view> names;
            for (const Workload& w : workloads()) names.push_back(w.name);
            throw error_at(node.source().begin,
                           fmt::format("unknown workload '{}' (valid: {}){}", name,
                                       workload_names(), did_you_mean(name, names)));
        }
        WorkloadArgs args;
        if (const toml::node* a = t.get("args")) {
            const toml::table* table = a->as_table();
            if (!table)
                throw error_at(a->source().begin, "'args' must be a table, e.g. { ticks = 100 }");
            for (auto&& [key, value] : *table) {
                args[std::string(key.str())] = ranged(value, key.str(), 0, kMaxCount);
            }
        }
        try {
            (void)workload_task(*workload, args);
        } catch (const std::invalid_argument& e) {
            throw error_at(t.get("args")->source().begin, e.what());
        }
        return [base, workload, args] {
            TaskSpec spec = base;
            TaskSpec made = workload_task(*workload, args);
            spec.demand = made.demand;
            spec.body = std::move(made.body);
            return spec;
        };
    }

    // Locates byte `offset` of a string value's text in the file, by walking the
    // raw text from the opening quote: escapes ("\t", "\u00e9") are longer in the
    // file than in the value, and a multi-line string starts on the next line.
    toml::source_position position_in_string(const toml::node& node, std::size_t offset) {
        const toml::source_position begin = node.source().begin;
        std::size_t at = line_start(begin.line);
        for (std::size_t column = 1; column < begin.column && at < text_.size(); ++column) {
            at = next_character(text_, at);
        }
        const char quote = text_[at];
        const bool multi_line = text_.substr(at, 3) == std::string(3, quote);
        at += multi_line ? 3 : 1;
        if (multi_line && text_.substr(at, 1) == "\n") ++at;
        if (multi_line && text_.substr(at, 2) == "\r\n") at += 2;
        for (std::size_t value = 0; value < offset && at < text_.size();) {
            const std::size_t raw = quote == '"' && text_[at] == '\\' ? escape_length(at) : 1;
            value += raw == 1 ? 1 : escaped_value_length(at);
            at += raw;
        }
        return position_of(at);
    }

    // The length in the file of the escape starting at `at` ("\n" is 2).
    std::size_t escape_length(std::size_t at) const {
        const char kind = at + 1 < text_.size() ? text_[at + 1] : ' ';
        return kind == 'u' ? 6 : kind == 'U' ? 10 : 2;
    }

    // The bytes the escape at `at` stands for in the value.
    std::size_t escaped_value_length(std::size_t at) const {
        const char kind = text_[at + 1];
        if (kind != 'u' && kind != 'U') return 1;
        const unsigned long code =
            std::stoul(std::string(text_.substr(at + 2, kind == 'u' ? 4 : 8)), nullptr, 16);
        return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    }

    std::size_t line_start(std::size_t number) const {
        std::size_t start = 0;
        for (std::size_t n = 1; n < number; ++n) start = text_.find('\n', start) + 1;
        return start;
    }

    // Returns the line and column of byte `at`, the column counted in characters,
    // as toml++ counts them.
    toml::source_position position_of(std::size_t at) const {
        const std::string_view before = text_.substr(0, at);
        const auto line = 1 + std::count(before.begin(), before.end(), '\n');
        const std::string_view in_line = before.substr(before.rfind('\n') + 1);
        const auto column = 1 + characters(in_line);
        return {static_cast<toml::source_index>(line), static_cast<toml::source_index>(column)};
    }

    const toml::table* table_at(const toml::table& root, std::string_view key) {
        const toml::node* node = root.get(key);
        if (!node) return nullptr;
        if (!node->is_table())
            throw error_at(node->source().begin,
                           fmt::format("'{}' must be a table: write [{}]", key, key));
        return node->as_table();
    }

    void check_keys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                    std::string_view where) {
        for (auto&& [key, value] : table) {
            if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
            throw error_at(key.source().begin,
                           fmt::format("unknown key '{}' in {} (expected {}){}", key.str(), where,
                                       fmt::join(allowed, ", "),
                                       did_you_mean(key.str(), {allowed.begin(), allowed.end()})));
        }
    }

    std::string string_of(const toml::node& node, std::string_view key) {
        if (const auto* s = node.as_string()) return s->get();
        throw error_at(node.source().begin, fmt::format("'{}' must be a string in quotes", key));
    }

    std::int64_t signed_integer(const toml::node& node, std::string_view key) {
        if (const auto* i = node.as_integer()) return i->get();
        throw error_at(node.source().begin, fmt::format("'{}' must be a whole number", key));
    }

    std::int64_t ranged(const toml::node& node, std::string_view key, std::int64_t min,
                        std::int64_t max) {
        const std::int64_t value = signed_integer(node, key);
        if (value < min || value > max) {
            throw error_at(node.source().begin, fmt::format("'{}' must be at {} {}, not {}", key,
                                                            value < min ? "least" : "most",
                                                            value < min ? min : max, value));
        }
        return value;
    }

    Tick integer(const toml::node& node, std::string_view key, Tick min) {
        const std::int64_t value = signed_integer(node, key);
        if (value < 0 || static_cast<Tick>(value) < min) {
            throw error_at(node.source().begin,
                           fmt::format("'{}' must be at least {}, not {}", key, min, value));
        }
        return static_cast<Tick>(value);
    }

    /// location() returns "PATH:LINE:COLUMN: ", the prefix of an error at `where`.
    std::string location(const toml::source_position& where) const {
        return fmt::format("{}:{}:{}: ", path_, where.line, where.column);
    }

    ScenarioError error_at(const toml::source_position& where, std::string_view what) const {
        return ScenarioError(location(where) + std::string(what));
    }

    std::string_view text_;
    std::string path_;
};

}  // namespace

Scenario parse_scenario(std::string_view text, const std::string& path) {
    return Reader(text, path).read();
}

std::string unknown_policy(std::string_view name) {
    std::vector<std::string_view> names;
    for (const PolicyEntry& entry : policy_catalog()) names.push_back(entry.name);
    return fmt::format("unknown policy '{}' (valid: {}){}", name, policy_names(),
                       did_you_mean(name, names));
}

const PolicyEntry& require_policy(std::string_view name) {
    const PolicyEntry* entry = find_policy(name);
    if (entry == nullptr) throw ScenarioError(unknown_policy(name));
    return *entry;
}

Scenario load_scenario(const std::string& path) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
        throw ScenarioError(fmt::format("{}: cannot open the file: it is a directory", path));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ScenarioError(fmt::format("{}: cannot open the file", path));
    std::ostringstream text;
    text << in.rdbuf();
    return parse_scenario(text.str(), path);
}

Scenario demo_scenario() {
    Scenario s;
    s.source = "built-in demo";
    s.title = "Task 1, 2 and 3 on one CPU";
    s.policy = "round-robin";
    s.params["quantum"] = 100;
    for (TaskSpec& spec : demo_tasks()) {
        auto shared = std::make_shared<TaskSpec>(std::move(spec));
        s.tasks.push_back({shared->name, [shared] { return *shared; }, ""});
    }
    return s;
}

}  // namespace timeslice
