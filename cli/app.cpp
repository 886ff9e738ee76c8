// The `timeslice` command line: options and subcommands (CLI11), and the real
// terminal. The commands themselves are in commands.cpp; run_app() prints what
// one returns only when it is complete.
#include "app.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <cstdlib>
#include <functional>
#include <ostream>
#include <sstream>

#include "commands.hpp"
#include "scenario.hpp"
#include "sweep.hpp"
#include "text.hpp"

namespace timeslice {
namespace {

/// kHelpWidth is the width `--help` fits: an 80-column terminal.
constexpr std::size_t kHelpWidth = 80;

/// examples_directory() returns where the lessons are: the source tree's examples/
/// when the program runs where it was built, else ./examples.
std::string examples_directory() {
    std::error_code error;
    if (std::filesystem::is_directory(TIMESLICE_EXAMPLES_DIR, error)) return TIMESLICE_EXAMPLES_DIR;
    return "examples";
}

/// HelpFormatter is CLI11's help layout with each description wrapped to fit
/// kHelpWidth beside the column of names, which CLI11 2.1 does not do.
class HelpFormatter : public CLI::Formatter {
  public:
    std::string make_option_desc(const CLI::Option* option) const override {
        return fit(CLI::Formatter::make_option_desc(option));
    }
    std::string make_subcommand(const CLI::App* sub) const override {
        std::ostringstream out;
        CLI::detail::format_help(out, sub->get_display_name(true), fit(sub->get_description()),
                                 get_column_width());
        return out.str();
    }

  private:
    /// fit() wraps `text` to the room right of the names, without the last newline
    /// (CLI11 indents the lines after each newline to the description column).
    std::string fit(const std::string& text) const {
        std::string wrapped = wrap_words(text, kHelpWidth - get_column_width());
        if (!wrapped.empty()) wrapped.pop_back();
        return wrapped;
    }
};

void add_display_options(CLI::App& app, Options& o) {
    app.add_option("--width", o.width,
                   "Width of the output in columns (default: the terminal's, else 80)")
        ->check(CLI::Range(40, 1000));
    app.add_option("--color", o.color,
                   "Colour: auto (only on a terminal, honours NO_COLOR), always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
}

/// param_help() returns a parameter's help line, naming the policies that take it.
std::string param_help(const PolicyParam& param) {
    std::string takers;
    for (const PolicyEntry& entry : policy_catalog()) {
        if (!takes_param(entry, param.name)) continue;
        if (!takers.empty()) takers += ", ";
        takers += entry.name;
    }
    return fmt::format("{} ({})", param.description, takers);
}

void add_run_options(CLI::App& app, Options& o) {
    app.add_option("scenario", o.scenario, "Scenario file (.toml); without one, Task 1, 2 and 3");
    for (const PolicyParam* p : tuning_params()) {
        const std::string name(p->name);
        app.add_option_function<std::int64_t>(
               "--" + option_name(p->name), [&o, name](std::int64_t v) { o.params[name] = v; },
               param_help(*p))
            ->check(CLI::Range(p->min_value, p->max_value));
    }
    app.add_option("--seed", o.seed, "Seed of randomized policies (default: the scenario's, or 1)")
        ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{INT64_MAX}));
    app.add_option("--switch-cost", o.switch_cost, "Ticks per context switch (default 0)")
        ->check(CLI::Range(Tick{0}, Tick{1'000'000'000'000}));
    app.add_option("--wakeup-latency", o.wakeup_latency,
                   "Ticks before a task woken by another (a lock handed over, a notify, a join) "
                   "can run (default 1)")
        ->check(CLI::Range(Tick{1}, Tick{1'000'000'000'000}));
    app.add_option("--max-ticks", o.max_ticks, "Stop the run at this tick (default 10^9)")
        ->check(CLI::Range(Tick{1}, Tick{INT64_MAX}));
    app.add_flag("--speedup", o.speedup,
                 "Also run on one CPU, and show the speedup (its makespan / this one's)");
    app.add_flag("--json", o.json, "Print one JSON document instead of the timeline");
    add_display_options(app, o);
}

// The same options as run, but a parameter takes VALUES: one value fixes it,
// several sweep it.
void add_sweep_options(CLI::App& app, Options& o, SweepOptions& s) {
    app.add_option("scenario", o.scenario, "Scenario file (.toml); without one, Task 1, 2 and 3");
    app.add_option("--policy", o.policy, "Scheduling policy (default: the scenario's)");
    for (const PolicyParam* p : tuning_params()) {
        const std::string name(p->name);
        app.add_option_function<std::string>(
               "--" + option_name(p->name),
               [&s, name](const std::string& v) { s.values[name] = v; }, param_help(*p))
            ->type_name("VALUES");
    }
    app.add_option_function<std::string>(
           "--switch-cost", [&s](const std::string& v) { s.values["switch_cost"] = v; },
           "Ticks per context switch (default: the scenario's); several draw a line each")
        ->type_name("VALUES");
    app.add_option_function<std::string>(
           "--cores", [&s](const std::string& v) { s.values["cores"] = v; },
           "CPUs, 1 to 64 (default: the scenario's)")
        ->type_name("VALUES");
    app.add_option("--seed", o.seed, "Seed of randomized policies (default: the scenario's, or 1)")
        ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{INT64_MAX}));
    app.add_option("--max-ticks", o.max_ticks, "Stop each run at this tick (default 10^9)")
        ->check(CLI::Range(Tick{1}, Tick{INT64_MAX}));
    app.add_option("--csv", s.csv, "Also write the table to this CSV file")->type_name("FILE");
    app.add_option("--svg", s.svg, "Also write a chart to this SVG file")->type_name("FILE");
    add_display_options(app, o);
    app.footer(wrap_words(kSweepValuesHelp, kHelpWidth) +
               "Example:\n  timeslice sweep examples/switch-cost.toml --quantum 1..50 \\\n"
               "      --switch-cost 0,1 --svg sweep.svg\n");
}

/// Commands are the subcommands of the command line, and what their options set.
struct Commands {
    Options options;
    SweepOptions sweep_options;
    CLI::App* run = nullptr;
    CLI::App* compare = nullptr;
    CLI::App* sweep = nullptr;
    CLI::App* policies = nullptr;
    CLI::App* workloads = nullptr;
    CLI::App* examples = nullptr;
};

/// add_commands() declares every subcommand and option of `app` into `c`.
void add_commands(CLI::App& app, Commands& c) {
    app.formatter(std::make_shared<HelpFormatter>());  // Before the subcommands: they copy it.
    Options& o = c.options;
    add_display_options(app, o);
    c.run = app.add_subcommand("run", "Run a scenario under one policy");
    add_run_options(*c.run, o);
    c.run->add_option("--policy", o.policy, "Scheduling policy (see `timeslice policies`)");
    c.run->add_option("--cores", o.cores, "CPUs, 1 to 64 (default: the scenario's, else 1)")
        ->type_name("N");
    c.compare = app.add_subcommand("compare", "Run a scenario under several policies");
    add_run_options(*c.compare, o);
    c.compare->add_option("--policies", o.policies, "Comma-separated policies, or all");
    c.compare->add_option("--cores", o.cores,
                          "CPUs: one number or several, e.g. 1,2,4 (each runs every policy)")
        ->type_name("LIST");
    c.sweep = app.add_subcommand(
        "sweep", "Run a scenario over a range of one parameter: a table, CSV and chart");
    add_sweep_options(*c.sweep, o, c.sweep_options);
    c.policies = app.add_subcommand("policies", "List the scheduling policies");
    c.workloads = app.add_subcommand("workloads", "List the built-in C++ workloads");
    c.examples = app.add_subcommand("examples", "List the lessons in examples/ and what each shows");
    app.require_subcommand(0, 1);
}

/// run_command() runs the subcommand the command line chose; none is the demo.
Outcome run_command(const Commands& c, const Terminal& terminal, std::ostream& err) {
    const Options& o = c.options;
    if (*c.run) return command_run(o, terminal);
    if (*c.compare) return command_compare(o, terminal, Explanation::None);
    if (*c.sweep) return command_sweep(o, c.sweep_options, terminal, err);
    if (*c.policies) return command_policies();
    if (*c.workloads) return command_workloads();
    if (*c.examples) return command_examples(examples_directory(), kHelpWidth);
    return command_compare(o, terminal, Explanation::Demo);
}

}  // namespace

ExitCode run_app(const std::vector<std::string>& args, const Terminal& terminal, std::ostream& out,
                 std::ostream& err) {
    CLI::App app(
        "timeslice: a multitasking emulator for teaching. Without a command it runs\n"
        "Task 1, 2 and 3 under cooperative and round-robin scheduling.",
        "timeslice");
    Commands commands;
    add_commands(app, commands);
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp& e) {
        out << app.help();
        return ExitCode::Ok;
    } catch (const CLI::ParseError& e) {
        err << "timeslice: error: " << e.what() << "\nRun 'timeslice --help' for usage.\n";
        return ExitCode::BadInput;
    }
    Outcome outcome;
    try {
        outcome = run_command(commands, terminal, err);
    } catch (const ScenarioError& e) {
        err << "timeslice: error: " << e.what() << "\n";
        return ExitCode::BadInput;
    }
    out << outcome.out;
    err << outcome.err;
    return outcome.code;
}

Terminal detect_terminal() {
    Terminal terminal;
    terminal.is_tty = ::isatty(STDOUT_FILENO) != 0;
    terminal.err_is_tty = ::isatty(STDERR_FILENO) != 0;
    winsize size{};
    if (terminal.is_tty && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
        terminal.width = size.ws_col;
    }
    const char* no_color = std::getenv("NO_COLOR");
    terminal.no_color = no_color != nullptr && *no_color != '\0';
    return terminal;
}

}  // namespace timeslice
