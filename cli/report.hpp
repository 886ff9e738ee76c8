// Text reports: the per-task metrics table, the run summary, the comparison
// table, and the words that explain a run (titles, stops, failures, the demo).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "simulate.hpp"

namespace timeslice {

/// run_title() returns e.g. "round-robin, quantum 100" (plus the switch cost, the
/// CPUs and the wake-up latency, when not the defaults).
std::string run_title(const Trace& trace);

/// run_label() names a run among others: its policy, and its number of CPUs too
/// when `with_cores`.
std::string run_label(const Trace& trace, bool with_cores);

/// render_task_table() returns one row of metrics per task, under a header, its
/// columns split into several tables when one would be wider than `width`.
std::string render_task_table(const RunResult& run, std::size_t width);

/// render_summary() returns the run-wide figures: makespan, utilization, switches,
/// fairness and the averages, in lines of at most `width` columns.
std::string render_summary(const RunResult& run, std::size_t width);

/// render_comparison() returns a table with a column per run and a row per metric,
/// split into several tables one above the other when the columns pass `width`.
/// The best value of each row is marked "*" (and bold when `color`).
std::string render_comparison(std::span<const RunResult* const> runs, std::size_t width,
                              bool color = false);

/// render_notes() returns a line per failed task and one if the run was stopped,
/// each starting with `prefix` and wrapped to `width` columns.
std::string render_notes(const RunResult& run, std::size_t width, std::string_view prefix = "");

/// explain_demo() returns what to look at in the demo, with its numbers, in lines
/// of at most `width` columns.
std::string explain_demo(const RunResult& cooperative, const RunResult& round_robin,
                         std::size_t width);

}  // namespace timeslice
