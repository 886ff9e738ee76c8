// TaskSpec: what a workload hands the kernel to spawn a task. It is the only part
// of the kernel, besides the task API (api.hpp), that workloads in tasks/ see.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "ids.hpp"

namespace timeslice {

/// TaskSpec describes a task to spawn: who it is and the code it runs.
struct TaskSpec {
    std::string name;             ///< Shown in timelines and tables.
    Tick arrival = 0;             ///< The tick it becomes ready for the first time...
    bool spawned = false;         ///< ...unless it waits for another task to spawn it.
    std::int32_t priority = 0;    ///< For priority: higher runs first.
    std::optional<Tick> demand;   ///< Total CPU ticks it needs, when known in advance.
    std::function<void()> body;   ///< Runs on the task's fiber; may use the task API.
    std::uint32_t tickets = 100;  ///< For lottery and stride: its share of the CPU.
    std::int32_t nice = 0;        ///< For cfs: -20 (most CPU) to 19 (least).
};

}  // namespace timeslice
