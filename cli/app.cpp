// The commands: run, compare, policies, workloads, and the demo (no command).
// Every command builds its whole output first and prints it at the end, so bad
// input never leaves half a report behind.
#include "app.hpp"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>

#include "json_report.hpp"
#include "report.hpp"
#include "scenario.hpp"
#include "simulate.hpp"
#include "tasks/workloads.hpp"
#include "text.hpp"
#include "timeline.hpp"

namespace timeslice {
namespace {

/// Options are the command-line settings shared by run, compare and the demo.
struct Options {
    std::string scenario;
    std::string policy;
    std::string policies = "cooperative,round-robin";
    PolicyParams params;  ///< Policy parameters given as options (--quantum, --aging...).
    std::optional<std::uint64_t> seed;
    std::optional<Tick> switch_cost;
    std::optional<Tick> max_ticks;
    bool json = false;
    std::optional<int> width;
    std::string color = "auto";
};

/// Outcome is a command's full output and exit code, printed only when complete.
struct Outcome {
    std::string out;
    std::string err;
    int code = kExitOk;
};

Style style_for(const Options& options, const Terminal& terminal) {
    Style style;
    style.width = options.width.value_or(terminal.is_tty ? terminal.width : 80);
    style.color = options.color == "always" ||
                  (options.color == "auto" && terminal.is_tty && !terminal.no_color);
    return style;
}

Scenario scenario_for(const Options& options) {
    Scenario s = options.scenario.empty() ? demo_scenario() : load_scenario(options.scenario);
    if (options.switch_cost) s.switch_cost = *options.switch_cost;
    if (options.max_ticks) s.max_ticks = *options.max_ticks;
    for (const auto& [name, value] : options.params) s.params[name] = value;
    if (options.seed) s.seed = *options.seed;
    return s;
}

/// option_name() spells a parameter as an option: min_granularity → min-granularity.
std::string option_name(std::string_view param) {
    std::string name(param);
    std::replace(name.begin(), name.end(), '_', '-');
    return name;
}

// A parameter given on the command line must be taken by one of the policies.
void check_params_apply(const Options& options, const std::vector<std::string>& policies) {
    for (const auto& [name, value] : options.params) {
        bool taken = false;
        for (const std::string& policy : policies)
            taken = taken || takes_param(*find_policy(policy), name);
        if (taken) continue;
        throw ScenarioError(
            policies.size() == 1
                ? fmt::format("--{}: policy '{}' has no parameter '{}'", option_name(name),
                              policies.front(), name)
                : fmt::format("--{}: none of the policies takes it", option_name(name)));
    }
}

std::vector<std::string> split_policies(const std::string& list) {
    std::vector<std::string> names;
    if (list == "all") {
        for (const PolicyEntry& entry : policy_catalog()) names.emplace_back(entry.name);
        return names;
    }
    std::stringstream in(list);
    for (std::string name; std::getline(in, name, ',');) {
        if (!find_policy(name)) {
            throw ScenarioError(
                fmt::format("unknown policy '{}' (valid: {})", name, policy_names()));
        }
        names.push_back(name);
    }
    if (names.empty()) throw ScenarioError("--policies: name at least one policy");
    return names;
}

std::string heading(const Scenario& s) {
    if (s.title.empty()) return s.source + "\n\n";
    return fmt::format("{} ({})\n\n", s.title, s.source);
}

// A failed task outranks a stopped run: the run command says so too.
int worse(int a, int b) {
    for (int code : {kExitTaskFailed, kExitStopped}) {
        if (a == code || b == code) return code;
    }
    return kExitOk;
}

int exit_code_of(const RunResult& run) {
    for (const TaskMetrics& t : run.metrics.tasks) {
        if (t.final_state == TaskState::Failed) return kExitTaskFailed;
    }
    return run.trace.stop == StopReason::None ? kExitOk : kExitStopped;
}

Outcome command_run(const Options& options, const Terminal& terminal) {
    Scenario scenario = scenario_for(options);
    if (!options.policy.empty()) scenario.policy = split_policies(options.policy).front();
    check_params_apply(options, {scenario.policy});
    const RunResult run = simulate(scenario);
    Outcome outcome;
    outcome.code = exit_code_of(run);
    if (options.json) {
        outcome.out = run_document(scenario, run).dump(2) + "\n";
        outcome.err = render_notes(run, 1000);  // Messages on stderr: one line each.
        return outcome;
    }
    const Style style = style_for(options, terminal);
    const std::size_t width = static_cast<std::size_t>(style.width);
    const LabeledRun labeled[] = {{run_title(run.trace), &run}};
    outcome.out = heading(scenario) + render_timelines(labeled, style) + "\n" +
                  render_task_table(run) + "\n" + render_summary(run);
    if (const std::string notes = render_notes(run, width); !notes.empty())
        outcome.out += "\n" + notes;
    return outcome;
}

Outcome command_compare(const Options& options, const Terminal& terminal, bool explain) {
    const Scenario base = scenario_for(options);
    const Style style = style_for(options, terminal);
    const std::vector<std::string> policies = split_policies(options.policies);
    check_params_apply(options, policies);
    std::vector<std::unique_ptr<RunResult>> runs;
    for (const std::string& policy : policies) {
        Scenario s = base;
        s.policy = policy;
        runs.push_back(std::make_unique<RunResult>(simulate(s)));
    }
    std::vector<const RunResult*> view;
    std::vector<LabeledRun> labeled;
    Outcome outcome;
    for (const auto& run : runs) {
        view.push_back(run.get());
        labeled.push_back({run_title(run->trace), run.get()});
        outcome.err += render_notes(*run, static_cast<std::size_t>(style.width),
                                    fmt::format("{}: ", run->trace.policy));
        outcome.code = worse(outcome.code, exit_code_of(*run));
    }
    if (options.json) {
        outcome.out = compare_document(base, view).dump(2) + "\n";
        return outcome;
    }
    const std::string notes = std::exchange(outcome.err, "");
    outcome.out = heading(base) + render_timelines(labeled, style) + "\n" +
                  render_comparison(view, static_cast<std::size_t>(style.width), style.color);
    if (!notes.empty()) outcome.out += "\n" + notes;
    if (explain && runs.size() == 2) outcome.out += "\n" + explain_demo(*runs[0], *runs[1]);
    return outcome;
}

Outcome command_policies() {
    Outcome outcome;
    for (const PolicyEntry& entry : policy_catalog()) {
        outcome.out += fmt::format("{:<13}{}\n", entry.name, entry.description);
        for (const PolicyParam& p : entry.params) {
            outcome.out +=
                wrap_words(fmt::format("--{} N (default {}, at least {}): {}", option_name(p.name),
                                       p.default_value, p.min_value, p.description),
                           80, 15, 2);
        }
    }
    return outcome;
}

Outcome command_workloads() {
    Outcome outcome;
    for (const Workload& w : workloads()) {
        outcome.out += fmt::format("{:<13}{}\n", w.name, w.description);
        for (const WorkloadParam& p : w.params) {
            outcome.out += wrap_words(
                fmt::format("{} (default {}): {}", p.name, p.default_value, p.description), 80, 15,
                2);
        }
    }
    return outcome;
}

void add_display_options(CLI::App& app, Options& o) {
    app.add_option("--width", o.width,
                   "Width of the output in columns (default: the terminal's, else 80)")
        ->check(CLI::Range(40, 1000));
    app.add_option("--color", o.color,
                   "Colour: auto (only on a terminal, honours NO_COLOR), always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
}

void add_run_options(CLI::App& app, Options& o) {
    app.add_option("scenario", o.scenario, "Scenario file (.toml); without one, Task 1, 2 and 3");
    std::vector<std::string_view> added;
    for (const PolicyEntry& entry : policy_catalog()) {
        for (const PolicyParam& p : entry.params) {
            if (p.name == "seed" || std::find(added.begin(), added.end(), p.name) != added.end()) {
                continue;
            }
            added.push_back(p.name);
            const std::string name(p.name);
            app.add_option_function<std::int64_t>(
                   "--" + option_name(p.name), [&o, name](std::int64_t v) { o.params[name] = v; },
                   std::string(p.description))
                ->check(CLI::Range(p.min_value, p.max_value));
        }
    }
    app.add_option("--seed", o.seed, "Seed of randomized policies (default: the scenario's, or 1)");
    app.add_option("--switch-cost", o.switch_cost, "Ticks per context switch (default 0)")
        ->check(CLI::Range(Tick{0}, Tick{1'000'000'000'000}));
    app.add_option("--max-ticks", o.max_ticks, "Stop the run at this tick (default 10^9)")
        ->check(CLI::Range(Tick{1}, kForever));
    app.add_flag("--json", o.json, "Print one JSON document instead of the timeline");
    add_display_options(app, o);
}

}  // namespace

int run_app(const std::vector<std::string>& args, const Terminal& terminal, std::ostream& out,
            std::ostream& err) {
    CLI::App app(
        "timeslice: a multitasking emulator for teaching. Without a command it runs\n"
        "Task 1, 2 and 3 under cooperative and round-robin scheduling.",
        "timeslice");
    Options o;
    add_display_options(app, o);
    CLI::App* run = app.add_subcommand("run", "Run a scenario under one policy");
    add_run_options(*run, o);
    run->add_option("--policy", o.policy, "Scheduling policy (see `timeslice policies`)");
    CLI::App* compare = app.add_subcommand("compare", "Run a scenario under several policies");
    add_run_options(*compare, o);
    compare->add_option("--policies", o.policies, "Comma-separated policies, or all");
    CLI::App* policies = app.add_subcommand("policies", "List the scheduling policies");
    CLI::App* list_workloads = app.add_subcommand("workloads", "List the built-in C++ workloads");
    app.require_subcommand(0, 1);

    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp& e) {
        out << app.help();
        return kExitOk;
    } catch (const CLI::ParseError& e) {
        err << "timeslice: error: " << e.what() << "\nRun 'timeslice --help' for usage.\n";
        return kExitBadInput;
    }
    Outcome outcome;
    try {
        if (*run)
            outcome = command_run(o, terminal);
        else if (*compare)
            outcome = command_compare(o, terminal, false);
        else if (*policies)
            outcome = command_policies();
        else if (*list_workloads)
            outcome = command_workloads();
        else
            outcome = command_compare(o, terminal, true);
    } catch (const ScenarioError& e) {
        err << "timeslice: error: " << e.what() << "\n";
        return kExitBadInput;
    }
    out << outcome.out;
    err << outcome.err;
    return outcome.code;
}

Terminal detect_terminal() {
    Terminal terminal;
    terminal.is_tty = ::isatty(STDOUT_FILENO) != 0;
    winsize size{};
    if (terminal.is_tty && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
        terminal.width = size.ws_col;
    }
    const char* no_color = std::getenv("NO_COLOR");
    terminal.no_color = no_color != nullptr && *no_color != '\0';
    return terminal;
}

}  // namespace timeslice
