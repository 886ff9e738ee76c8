// Reads scenario files with toml++, checking every key and value, and turns the
// [[task]] tables into TaskDefs (a program in the language, or a named workload).
// The [sync] table is read in sync_reader.cpp, and the checking of values in
// toml_reader.cpp.
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
#include "toml_reader.hpp"

namespace timeslice {
namespace {

/// ScenarioReader checks one file's tables and reports errors at their place in it.
class ScenarioReader : private TomlReader {
  public:
    using TomlReader::TomlReader;

    Scenario read() {
        const toml::table root = parse();
        Scenario s;
        s.source = path();
        check_keys(root, {"title", "machine", "scheduler", "limits", "sync", "task"},
                   "the top level");
        if (const auto* title = root.get("title")) s.title = string_of(*title, "title");
        read_machine(root, s);
        read_scheduler(root, s);
        read_limits(root, s);
        s.sync = read_sync(*this, root);
        read_tasks(root, s);
        return s;
    }

  private:
    void read_machine(const toml::table& root, Scenario& s) {
        const toml::table* machine = table_at(root, "machine");
        if (!machine) return;
        check_keys(*machine, {"cores", "switch_cost", "wakeup_latency"}, "[machine]");
        if (const auto* v = machine->get("cores"))
            s.cores = static_cast<std::uint32_t>(ranged(*v, "cores", 1, kMaxScenarioCores));
        if (const auto* v = machine->get("switch_cost"))
            s.switch_cost = integer(*v, "switch_cost", 0);
        if (const auto* v = machine->get("wakeup_latency"))
            s.wakeup_latency = static_cast<Tick>(ranged(*v, "wakeup_latency", 1, kMaxLatency));
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

    // Two passes: every task's name first, since a program may spawn or join any
    // task, then each task.
    void read_tasks(const toml::table& root, Scenario& s) {
        const toml::node* node = root.get("task");
        if (!node) throw error_at({1, 1}, "no tasks: add at least one [[task]] table");
        const toml::array* tasks = node->as_array();
        if (!tasks || !tasks->is_array_of_tables()) {
            throw error_at(node->source().begin,
                           "'task' must be an array of tables: write [[task]]");
        }
        Names names = declared_names(s.sync);
        for (const toml::node& t : *tasks) names.tasks.push_back(task_name(*t.as_table(), names));
        std::vector<bool> spawned;
        for (const toml::node& t : *tasks) {
            spawned.push_back(starts_spawned(*t.as_table()));
            s.tasks.push_back(read_task(*t.as_table(), names.tasks[s.tasks.size()], names));
        }
        check_spawns(spawned, names, s);
    }

    static Names declared_names(const SyncSpec& sync) {
        Names names;
        for (const LockSpec& lock : sync.locks) names.locks.push_back(lock.name);
        for (const SemaphoreSpec& semaphore : sync.semaphores)
            names.semaphores.push_back(semaphore.name);
        names.conditions = sync.conditions;
        return names;
    }

    // A task's name: its own, or "Task N"; no two tasks may share one, since
    // programs name tasks to spawn and join them.
    std::string task_name(const toml::table& t, const Names& names) {
        std::string name = fmt::format("Task {}", names.tasks.size() + 1);
        toml::source_position where = t.source().begin;
        if (const auto* v = t.get("name")) {
            name = string_of(*v, "name");
            where = v->source().begin;
            if (name.empty()) throw error_at(where, "'name' must not be empty");
        }
        for (std::size_t i = 0; i < names.tasks.size(); ++i) {
            if (names.tasks[i] != name) continue;
            throw error_at(where, fmt::format("two tasks are named '{}': this one and task {} at "
                                              "line {}; programs name tasks to spawn and join "
                                              "them",
                                              name, i + 1, task_lines_[i]));
        }
        task_lines_.push_back(where.line);
        return name;
    }

    bool starts_spawned(const toml::table& t) {
        const toml::node* start = t.get("start");
        if (start == nullptr) return false;
        const std::string value = string_of(*start, "start");
        if (value != "arrival" && value != "spawned") {
            throw error_at(start->source().begin,
                           fmt::format("'start' must be \"arrival\" or \"spawned\", not '{}'{}",
                                       value, did_you_mean(value, {{"arrival", "spawned"}})));
        }
        if (value == "spawned" && t.get("arrival")) {
            throw error_at(t.get("arrival")->source().begin,
                           "a task with start = \"spawned\" arrives when it is spawned: it has "
                           "no 'arrival'");
        }
        return value == "spawned";
    }

    TaskDef read_task(const toml::table& t, const std::string& name, const Names& names) {
        check_keys(t,
                   {"name", "arrival", "start", "priority", "tickets", "nice", "program",
                    "workload", "args"},
                   "[[task]]");
        TaskSpec base;
        base.name = name;
        base.spawned = starts_spawned(t);
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
            program ? program_task(*program, base, names) : workload_def(t, *workload, base);
        const toml::node& code = program ? *program : *workload;
        return {base.name, std::move(make), location(code.source().begin)};
    }

    std::function<TaskSpec()> program_task(const toml::node& node, const TaskSpec& base,
                                           const Names& names) {
        const std::string text = string_of(node, "program");
        Program program;
        try {
            program = parse_program(text, names);
        } catch (const ProgramError& e) {
            const std::vector<std::string_view> candidates(e.candidates().begin(),
                                                           e.candidates().end());
            const std::string guess =
                e.unknown().empty() ? "" : did_you_mean(e.unknown(), candidates);
            throw error_at(position_in_string(node, e.offset()), e.what() + guess);
        }
        for (const Op* spawn : spawns(program))
            spawn_sites_.push_back({spawn->object, position_in_string(node, spawn->offset)});
        const std::optional<Tick> demand = cpu_demand(program);
        return [base, program = std::move(program), demand] {
            TaskSpec spec = base;
            spec.demand = demand;
            spec.body = [program] { run_program(program); };
            return spec;
        };
    }

    // Only a task that starts spawned can be spawned; one that nothing spawns would
    // never run, which is worth a warning.
    void check_spawns(const std::vector<bool>& spawned, const Names& names, Scenario& s) {
        std::vector<bool> spawned_somewhere(spawned.size(), false);
        for (const auto& [task, where] : spawn_sites_) {
            if (!spawned[task]) {
                throw error_at(where, fmt::format("task '{}' starts by itself: give it start = "
                                                  "\"spawned\" to spawn it",
                                                  names.tasks[task]));
            }
            spawned_somewhere[task] = true;
        }
        for (std::size_t i = 0; i < spawned.size(); ++i) {
            if (spawned[i] && !spawned_somewhere[i]) {
                s.warnings.push_back(fmt::format(
                    "{}:{}: warning: task '{}' starts spawned, but no program spawns it: it "
                    "will never run",
                    path(), task_lines_[i], names.tasks[i]));
            }
        }
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

    /// kMaxLatency is the longest wake-up latency a scenario may ask for.
    static constexpr std::int64_t kMaxLatency = 1'000'000'000'000;

    std::vector<std::size_t> task_lines_;  ///< Where each task's name is, by task.
    /// Each spawn statement: the task it spawns, and where.
    std::vector<std::pair<std::uint32_t, toml::source_position>> spawn_sites_;
};

}  // namespace

Scenario parse_scenario(std::string_view text, const std::string& path) {
    return ScenarioReader(text, path).read();
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
