// Runs a scenario through the kernel and keeps everything the reports need.
#pragma once

#include "kernel/history.hpp"
#include "kernel/metrics.hpp"
#include "kernel/trace.hpp"
#include "scenario.hpp"

namespace timeslice {

/// RunResult is one finished run: its trace, replayed history and metrics.
struct RunResult {
    Trace trace;
    History history;
    RunMetrics metrics;
    /// The makespan of the same run on one CPU, when the speedup was asked for.
    std::optional<Tick> one_cpu_makespan;
};

/// speedup() returns the makespan on one CPU over the makespan of `run`, when
/// both are known and not 0.
std::optional<double> speedup(const RunResult& run);

/// simulate() runs `scenario` under its policy, giving the policy the parameters
/// it takes (others are ignored: a scenario may serve several policies).
/// Throws ScenarioError when the policy is unknown, a parameter is out of range,
/// or the policy needs CPU demands (sjf, stcf) and a task has none.
RunResult simulate(const Scenario& scenario);

/// quantum_of() returns the run's time slice, or nothing for a policy without one.
std::optional<std::int64_t> quantum_of(const Trace& trace);

}  // namespace timeslice
