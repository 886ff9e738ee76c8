// The commands behind `timeslice`: run, compare, sweep, policies, workloads and
// the demo. Each takes the parsed options and returns its whole output, which
// run_app() prints only once the command is complete, so bad input never leaves
// half a report behind.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "app.hpp"
#include "kernel/policies/catalog.hpp"
#include "sweep.hpp"

namespace timeslice {

/// Options are the command-line settings of run, compare, sweep and the demo
/// (sweep reads its parameters into SweepOptions instead).
struct Options {
    std::string scenario;
    std::string policy;
    std::string policies = "cooperative,round-robin";
    PolicyParams params;  ///< Policy parameters given as options (--quantum, --aging...).
    std::optional<std::uint64_t> seed;
    std::optional<Tick> switch_cost;
    std::optional<Tick> wakeup_latency;
    std::optional<Tick> max_ticks;
    std::string cores;     ///< As typed: one number for run, a list for compare; "" for none.
    bool speedup = false;  ///< Also run on one CPU, for the speedup.
    bool json = false;
    std::optional<int> width;
    std::string color = "auto";
};

/// SweepOptions are the settings only `sweep` has.
struct SweepOptions {
    SweepValues values;  ///< Parameter name → VALUES as typed, e.g. {"quantum": "1..200"}.
    std::string csv;     ///< Write the figures here too, unless empty.
    std::string svg;     ///< Write the chart here, unless empty.
};

/// Outcome is a command's full output and exit code, printed only when complete.
struct Outcome {
    std::string out;
    std::string err;
    ExitCode code = ExitCode::Ok;
};

// Every command throws ScenarioError on bad input, before anything is printed.

/// command_run() runs one scenario under one policy: timeline, task table and
/// summary, or one JSON document.
Outcome command_run(const Options& options, const Terminal& terminal);

/// Explanation says whether compare adds the demo's note on what to look at.
enum class Explanation { None, Demo };

/// command_compare() runs one scenario under several policies: stacked timelines
/// and a comparison table, or JSON. With Explanation::Demo and two policies (the
/// demo) it adds what to look at.
Outcome command_compare(const Options& options, const Terminal& terminal, Explanation explanation);

/// command_sweep() runs one scenario over the values of one parameter: a table,
/// and the CSV and SVG files asked for. A sweep that takes over a second draws a
/// progress bar on `err` meanwhile, if terminal.err_is_tty.
Outcome command_sweep(const Options& options, const SweepOptions& sweep_options,
                      const Terminal& terminal, std::ostream& err);

/// command_policies() lists every policy with its parameters.
Outcome command_policies();

/// command_workloads() lists the built-in C++ workloads with their parameters.
Outcome command_workloads();

/// command_examples() lists the lessons in `directory` (examples/), each with its
/// title, fitted to `width` columns. Throws ScenarioError when there are none.
Outcome command_examples(const std::string& directory, std::size_t width);

}  // namespace timeslice
