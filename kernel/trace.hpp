// The trace: the kernel's complete, ordered record of a run. The kernel appends
// events and never prints; every timeline, table and JSON document is rendered from
// a Trace. See docs/kernel.md for the state diagram the events describe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "event_log.hpp"
#include "ids.hpp"

namespace timeslice {

/// TaskState is where a task is in its life, and so where the kernel keeps it.
enum class TaskState : std::uint8_t {
    New,      ///< Spawned, not yet arrived: waits in the kernel's event queue.
    Ready,    ///< Wants the CPU: lives in the policy's ready queue.
    Running,  ///< Executes instructions: it is its CPU's current task.
    Blocked,  ///< Waits for I/O: its wake-up waits in the kernel's event queue.
    Done,     ///< Returned from its code: only the trace remembers it.
    Failed,   ///< Its code threw: only the trace remembers it, with the message.
};

/// StopReason says why a run ended before every task did.
enum class StopReason : std::uint8_t {
    None,        ///< Every task ended.
    MaxTicks,    ///< The clock reached the tick limit.
    MaxEvents,   ///< The trace reached its size limit.
    NoProgress,  ///< Tasks kept switching without executing a single instruction.
};

/// TaskRecord is what the trace keeps of a task's identity.
struct TaskRecord {
    std::string name;
    Tick arrival;
};

/// Trace is a run's parameters, its tasks and its events in time order.
struct Trace {
    std::string policy;  ///< The policy's name.
    /// The policy's parameters (e.g. quantum), in the order the policy lists them.
    std::vector<std::pair<std::string, std::int64_t>> policy_params;
    std::uint32_t cores = 1;
    Tick switch_cost = 0;
    std::vector<TaskRecord> tasks;      ///< Indexed by TaskId.
    EventLog events;                    ///< Ordered by tick, then by the order they happened.
    std::vector<std::string> messages;  ///< Failure messages, referenced by Fail events.
    StopReason stop = StopReason::None;
    Tick end = 0;  ///< The tick at which the run ended or was stopped.
};

/// name() returns the lowercase word used for `kind` in JSON and on screen.
std::string_view name(EventKind kind);
std::string_view name(TaskState state);
std::string_view name(StopReason reason);

}  // namespace timeslice
