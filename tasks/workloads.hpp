// Workloads written in C++: the demo's Task 1, 2 and 3 and the talk's count loop.
// Each is ordinary straight-line code using the task API; scenario files name them
// with `workload = "NAME"` and pass parameters in `args`.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/task_spec.hpp"

namespace timeslice {

/// WorkloadArgs are a workload's named integer parameters.
using WorkloadArgs = std::map<std::string, std::int64_t, std::less<>>;

/// WorkloadParam describes one parameter of a workload.
struct WorkloadParam {
    std::string_view name;
    std::int64_t default_value;
    std::string_view description;
};

/// Workload describes one C++ workload: its parameters, its code and its demand.
struct Workload {
    std::string_view name;
    std::string_view description;
    std::span<const WorkloadParam> params;
    /// make() returns the task body for `args` (complete: every parameter present).
    std::function<void()> (*make)(const WorkloadArgs& args);
    /// demand() returns the CPU ticks the body executes for `args`, or nothing when
    /// that is more than kMaxCount (too long to count).
    std::optional<Tick> (*demand)(const WorkloadArgs& args);
};

/// workloads() returns every workload, in the order the README lists them.
std::span<const Workload> workloads();

/// find_workload() returns the workload called `name`, or nullptr.
const Workload* find_workload(std::string_view name);

/// workload_names() returns the names of all workloads, joined by ", ".
std::string workload_names();

/// workload_task() returns a TaskSpec running `workload` with `given` arguments
/// completed by defaults. Throws std::invalid_argument for an unknown one, or one
/// that is negative or more than kMaxCount.
TaskSpec workload_task(const Workload& workload, const WorkloadArgs& given);

/// demo_tasks() returns the classic lesson: Task 1 (a CPU hog that never yields),
/// Task 2 (interactive: short bursts, then yields) and Task 3 (I/O-bound).
std::vector<TaskSpec> demo_tasks();

}  // namespace timeslice
