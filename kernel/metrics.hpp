// Metrics: the numbers that prove starvation, fairness and parallelism, computed
// from a trace. Definitions (docs/metrics.md has the long form):
//   response = first_run − arrival      turnaround = finish − arrival
//   wait = ticks ready but not running  longest_wait = longest unbroken ready stretch
//   blocked = blocked_io + blocked_sync spin = ticks running while spinning on a lock
//   fairness = Jain's index over the CPU shares in the contention window
//   max_running = most tasks running at once (parallelism)
//   max_in_progress = most tasks arrived and not ended at once (concurrency).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "history.hpp"
#include "trace.hpp"

namespace timeslice {

/// TaskMetrics are one task's figures. Optional ones are empty when the run
/// stopped before the task reached that point.
struct TaskMetrics {
    std::string name;
    /// When it arrived, or was to arrive; empty for a spawned task nobody spawned.
    std::optional<Tick> arrival;
    bool arrived = false;  ///< Whether it arrived before the run ended.
    std::optional<Tick> first_run;
    std::optional<Tick> finish;
    Tick cpu = 0;
    Tick wait = 0;
    Tick blocked = 0;       ///< Blocked for any reason: blocked_io + blocked_sync.
    Tick blocked_io = 0;    ///< Blocked on I/O.
    Tick blocked_sync = 0;  ///< Blocked on a lock, semaphore, condition or join.
    Tick spin = 0;          ///< Of cpu, the ticks spent spinning on a lock.
    std::optional<Tick> response;
    std::optional<Tick> turnaround;
    std::uint64_t preemptions = 0;
    std::uint64_t yields = 0;
    Tick longest_wait = 0;
    TaskState final_state = TaskState::New;
    std::optional<std::string> error;  ///< Why it failed, when its code threw.
};

/// Averages are means over the tasks that have the figure (wait: that arrived).
struct Averages {
    double response = 0;
    double turnaround = 0;
    double wait = 0;
    std::size_t responded = 0;  ///< Tasks that ran at all: those averaged for response.
    std::size_t finished = 0;   ///< Tasks that ended: those averaged for turnaround.
};

/// CpuMetrics are one CPU's figures.
struct CpuMetrics {
    Tick busy = 0;           ///< Ticks it ran tasks (spinning included, switching not).
    double utilization = 0;  ///< busy / makespan.
};

/// RunMetrics are a run's figures.
struct RunMetrics {
    Tick makespan = 0;       ///< Tick the last task ended (or the run stopped).
    double utilization = 0;  ///< Busy CPU ticks / (makespan × cores).
    std::vector<CpuMetrics> cpus;  ///< By CPU id.
    std::size_t max_running = 0;      ///< Most tasks running at the same tick.
    std::size_t max_in_progress = 0;  ///< Most tasks arrived and not ended at the same tick.
    std::uint64_t context_switches = 0;
    Averages averages;
    double fairness = 1;     ///< Jain's index, 1/n (one task has it all) to 1 (equal).
    Tick fairness_from = 0;  ///< The window fairness is measured over: [from, to).
    Tick fairness_to = 0;
    std::vector<TaskMetrics> tasks;  ///< In scenario order.
};

/// measure() computes the metrics of `trace`, whose replay is `history`.
RunMetrics measure(const Trace& trace, const History& history);

/// jain_index() returns (Σx)² / (n·Σx²), or 1 when every x is 0.
double jain_index(const std::vector<double>& x);

}  // namespace timeslice
