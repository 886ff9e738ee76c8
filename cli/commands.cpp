// The commands: run, compare, sweep, policies, workloads, and the demo (compare
// with an explanation). Each builds its whole output and returns it.
#include "commands.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <ostream>
#include <sstream>
#include <utility>

#include "json_report.hpp"
#include "report.hpp"
#include "scenario.hpp"
#include "simulate.hpp"
#include "tasks/workloads.hpp"
#include "text.hpp"
#include "timeline.hpp"

namespace timeslice {
namespace {

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
    if (options.wakeup_latency) s.wakeup_latency = *options.wakeup_latency;
    if (options.max_ticks) s.max_ticks = *options.max_ticks;
    for (const auto& [name, value] : options.params) s.params[name] = value;
    if (options.seed) s.seed = *options.seed;
    return s;
}

// A parameter given on the command line, --seed included, must be taken by one
// of the policies.
void check_params_apply(const Options& options, const std::vector<std::string>& policies) {
    std::vector<std::string> given;
    for (const auto& [name, value] : options.params) given.push_back(name);
    if (options.seed) given.emplace_back("seed");
    for (const std::string& name : given) {
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
        names.emplace_back(require_policy(name).name);
    }
    if (names.empty()) throw ScenarioError("--policies: name at least one policy");
    return names;
}

std::string heading(const Scenario& s, std::size_t width) {
    if (s.title.empty()) return s.source + "\n\n";
    return wrap_words(fmt::format("{} ({})", s.title, s.source), width) + "\n";
}

// A failed task outranks a stopped run: the run command says so too.
ExitCode worse(ExitCode a, ExitCode b) {
    for (ExitCode code : {ExitCode::TaskFailed, ExitCode::Stopped}) {
        if (a == code || b == code) return code;
    }
    return ExitCode::Ok;
}

ExitCode exit_code_of(const RunResult& run) {
    for (const TaskMetrics& t : run.metrics.tasks) {
        if (t.final_state == TaskState::Failed) return ExitCode::TaskFailed;
    }
    return run.trace.stop == StopReason::None ? ExitCode::Ok : ExitCode::Stopped;
}

/// core_counts() reads --cores: one number for run, a list (or range) for compare;
/// without it, the scenario's.
std::vector<std::uint32_t> core_counts(const Options& options, const Scenario& scenario,
                                       bool several) {
    if (options.cores.empty()) return {scenario.cores};
    const std::vector<std::int64_t> values =
        parse_values(options.cores, "cores", 1, kMaxScenarioCores);
    if (!several && values.size() > 1) {
        throw ScenarioError("--cores: run takes one number of CPUs; compare takes several");
    }
    return {values.begin(), values.end()};
}

/// simulate_for() runs `scenario`, and with --speedup the same on one CPU too.
RunResult simulate_for(const Scenario& scenario, const Options& options) {
    RunResult run = simulate(scenario);
    if (options.speedup) {
        Scenario one = scenario;
        one.cores = 1;
        run.one_cpu_makespan = one.cores == scenario.cores ? run.metrics.makespan
                                                            : simulate(one).metrics.makespan;
    }
    return run;
}

/// warnings() returns the scenario's warnings, a line each.
std::string warnings(const Scenario& scenario) {
    std::string out;
    for (const std::string& warning : scenario.warnings) out += warning + "\n";
    return out;
}

}  // namespace

Outcome command_run(const Options& options, const Terminal& terminal) {
    Scenario scenario = scenario_for(options);
    if (!options.policy.empty()) scenario.policy = split_policies(options.policy).front();
    check_params_apply(options, {scenario.policy});
    scenario.cores = core_counts(options, scenario, false).front();
    const RunResult run = simulate_for(scenario, options);
    Outcome outcome;
    outcome.err = warnings(scenario);
    outcome.code = exit_code_of(run);
    if (options.json) {
        outcome.out = run_document(scenario, run).dump(2) + "\n";
        outcome.err += render_notes(run, 1000);  // Messages on stderr: one line each.
        return outcome;
    }
    const Style style = style_for(options, terminal);
    const std::size_t width = static_cast<std::size_t>(style.width);
    const LabeledRun labeled[] = {{run_title(run.trace), &run}};
    outcome.out = heading(scenario, width) + render_timelines(labeled, style) + "\n" +
                  render_task_table(run, width) + "\n" + render_summary(run, width);
    if (const std::string notes = render_notes(run, width); !notes.empty())
        outcome.out += "\n" + notes;
    return outcome;
}

// With several numbers of CPUs, each runs under every policy, fewest CPUs first.
Outcome command_compare(const Options& options, const Terminal& terminal, Explanation explanation) {
    const Scenario base = scenario_for(options);
    const Style style = style_for(options, terminal);
    const std::vector<std::string> policies = split_policies(options.policies);
    check_params_apply(options, policies);
    const std::vector<std::uint32_t> cores = core_counts(options, base, true);
    std::vector<std::unique_ptr<RunResult>> runs;
    for (const std::uint32_t n : cores) {
        for (const std::string& policy : policies) {
            Scenario s = base;
            s.policy = policy;
            s.cores = n;
            runs.push_back(std::make_unique<RunResult>(simulate_for(s, options)));
        }
    }
    std::vector<const RunResult*> view;
    std::vector<LabeledRun> labeled;
    Outcome outcome;
    for (const auto& run : runs) {
        view.push_back(run.get());
        labeled.push_back({run_title(run->trace), run.get()});
        outcome.err += render_notes(*run, static_cast<std::size_t>(style.width),
                                    run_label(run->trace, cores.size() > 1) + ": ");
        outcome.code = worse(outcome.code, exit_code_of(*run));
    }
    if (options.json) {
        outcome.out = compare_document(base, view).dump(2) + "\n";
        outcome.err = warnings(base) + outcome.err;
        return outcome;
    }
    const std::string notes = std::exchange(outcome.err, warnings(base));
    const std::size_t width = static_cast<std::size_t>(style.width);
    outcome.out = heading(base, width) + render_timelines(labeled, style) + "\n" +
                  render_comparison(view, width, style.color);
    if (!notes.empty()) outcome.out += "\n" + notes;
    if (explanation == Explanation::Demo && runs.size() == 2)
        outcome.out += "\n" + explain_demo(*runs[0], *runs[1], width);
    return outcome;
}

// The progress bar is the one thing printed before the command ends, on stderr
// only; it is gone by the time the report appears.
Outcome command_sweep(const Options& options, const SweepOptions& sweep_options,
                      const Terminal& terminal, std::ostream& err) {
    Scenario scenario = scenario_for(options);
    if (!options.policy.empty()) scenario.policy = split_policies(options.policy).front();
    check_params_apply(options, {scenario.policy});
    const SweepPlan plan = plan_sweep(std::move(scenario), sweep_options.values);
    const std::size_t width = static_cast<std::size_t>(style_for(options, terminal).width);
    Outcome outcome;
    std::string notes;
    ProgressBar progress(err, terminal.err_is_tty);
    const SweepResult sweep = run_sweep(
        plan, [&](const SweepRow& row, const RunResult& run, std::size_t done, std::size_t total) {
            progress.update(done, total);
            outcome.code = worse(outcome.code, exit_code_of(run));
            notes += render_notes(run, width, point_label(plan, row) + ": ");
        });
    progress.clear();
    write_sweep_files(sweep, sweep_options.csv, sweep_options.svg);
    outcome.out = heading(plan.scenario, width) + render_sweep_table(sweep, width);
    if (!notes.empty()) outcome.out += "\n" + notes;
    return outcome;
}

/// range_of() says which values a parameter takes: "at least 1", or "0 to 1"
/// when its maximum is one a person would type.
static std::string range_of(const PolicyParam& p) {
    if (p.max_value <= 1'000'000) return fmt::format("{} to {}", p.min_value, p.max_value);
    return fmt::format("at least {}", p.min_value);
}

Outcome command_policies() {
    Outcome outcome;
    for (const PolicyEntry& entry : policy_catalog()) {
        outcome.out += fmt::format("{:<13}{}\n", entry.name, entry.description);
        for (const PolicyParam& p : entry.params) {
            outcome.out +=
                wrap_words(fmt::format("--{} N (default {}, {}): {}", option_name(p.name),
                                       p.default_value, range_of(p), p.description),
                           80, 15, 2);
        }
    }
    return outcome;
}

// The lessons in file-name order, each with its title, the name column as wide
// as the longest name.
Outcome command_examples(const std::string& directory, std::size_t width) {
    std::vector<std::filesystem::path> files;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
        if (entry.path().extension() == ".toml") files.push_back(entry.path());
    }
    if (files.empty())
        throw ScenarioError(fmt::format("{}: no lessons (*.toml) found there", directory));
    std::sort(files.begin(), files.end());
    std::size_t name_width = 0;
    for (const auto& file : files) name_width = std::max(name_width, file.filename().string().size());
    Outcome outcome;
    for (const auto& file : files) {
        const Scenario scenario = load_scenario(file.string());
        outcome.out += wrap_words(fmt::format("{:<{}}  {}", file.filename().string(), name_width,
                                              scenario.title),
                                  width, 0, name_width + 2);
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

}  // namespace timeslice
