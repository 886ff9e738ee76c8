// The trace: the kernel's complete, ordered record of a run. The kernel appends
// events and never prints; every timeline, table and JSON document is rendered from
// a Trace. See docs/kernel.md for the state diagram the events describe.
#pragma once

#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "event_log.hpp"
#include "ids.hpp"
#include "sync/sync_spec.hpp"

namespace timeslice {

/// TaskState is where a task is in its life, and so where the kernel keeps it.
enum class TaskState : std::uint8_t {
    New,      ///< Spawned, not yet arrived: waits in the kernel's event queue.
    Ready,    ///< Wants the CPU: lives in the policy's ready queue.
    Running,  ///< Executes instructions (or spins on a lock): it is its CPU's current task.
    Blocked,  ///< Waits for I/O (its wake-up is in the kernel's event queue), or in the
              ///< wait queue of a lock, semaphore, condition or task until a hand-off.
    Done,     ///< Returned from its code: only the trace remembers it.
    Failed,   ///< Its code threw: only the trace remembers it, with the message.
};

/// StopReason says why a run ended before every task did.
enum class StopReason : std::uint8_t {
    None,        ///< Every task ended.
    MaxTicks,    ///< The clock reached the tick limit.
    MaxEvents,   ///< The trace reached its size limit.
    NoProgress,  ///< Tasks kept switching without executing a single instruction.
    Deadlock,    ///< Every unfinished task waits for another, and nothing can wake one.
};

/// Edge is the state change an event kind makes: a task in `from` goes to `to`.
/// Kinds that concern no task's state (Switch, Stop, Inherit) have `of_task` false.
struct Edge {
    bool of_task;
    TaskState from;
    TaskState to;
};

/// kEdges holds each EventKind's Edge, in the order of the enumeration: the state
/// machine, written once. The kernel checks every event against it; the history
/// replays a trace with it.
inline constexpr Edge kEdges[] = {
    {true, TaskState::New, TaskState::Ready},          // Arrive
    {true, TaskState::Ready, TaskState::Running},      // Dispatch
    {false, TaskState::New, TaskState::New},           // Switch
    {true, TaskState::Running, TaskState::Ready},      // Yield
    {true, TaskState::Running, TaskState::Ready},      // Preempt
    {true, TaskState::Running, TaskState::Running},    // Renew: the policy asked, same task.
    {true, TaskState::Running, TaskState::Blocked},    // Block
    {true, TaskState::Blocked, TaskState::Ready},      // Wake
    {true, TaskState::Running, TaskState::Done},       // Exit
    {true, TaskState::Running, TaskState::Failed},     // Fail
    {false, TaskState::New, TaskState::New},           // Stop
    {true, TaskState::Running, TaskState::Running},    // Acquire
    {true, TaskState::Running, TaskState::Running},    // Release
    {true, TaskState::Running, TaskState::Blocked},    // Wait
    {true, TaskState::Running, TaskState::Running},    // Spin
    {true, TaskState::Blocked, TaskState::Blocked},    // Handoff
    {true, TaskState::Running, TaskState::Running},    // Notify
    {true, TaskState::Running, TaskState::Running},    // NotifyAll
    {true, TaskState::Running, TaskState::Running},    // Spawn
    {false, TaskState::New, TaskState::New},           // Inherit: any state.
};
static_assert(std::size(kEdges) == static_cast<std::size_t>(EventKind::Inherit) + 1);

/// edge_of() returns the Edge of `kind`.
constexpr const Edge& edge_of(EventKind kind) { return kEdges[static_cast<std::size_t>(kind)]; }

/// TaskRecord is what the trace keeps of a task's identity.
struct TaskRecord {
    std::string name;
    Tick arrival = 0;      ///< When it arrives, unless it is spawned.
    bool spawned = false;  ///< It arrives when another task spawns it.
    std::int32_t priority = 0;
};

/// Trace is a run's parameters, its tasks and its events in time order.
struct Trace {
    std::string policy;  ///< The policy's name.
    /// The policy's parameters (e.g. quantum), in the order the policy lists them.
    std::vector<std::pair<std::string, std::int64_t>> policy_params;
    std::uint32_t cores = 1;
    Tick switch_cost = 0;
    Tick wakeup_latency = 1;  ///< Ticks before a task woken by another task can run.
    SyncSpec sync;            ///< The locks, semaphores and conditions, by id.
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
std::string_view name(SyncKind kind);

/// object_name() returns the name of a synchronization object (or joined task).
const std::string& object_name(const Trace& trace, SyncRef ref);

/// describe() names a synchronization object for people: lock 'A', semaphore
/// 'slots', condition 'ready', task 'Worker'.
std::string describe(const Trace& trace, SyncRef ref);

/// zigzag() packs a priority into an event's detail (0, -1, 1, -2... as 0, 1, 2,
/// 3...), so that a small one takes one byte; unzigzag() reads it back.
constexpr std::uint64_t zigzag(std::int64_t x) {
    return (static_cast<std::uint64_t>(x) << 1) ^ static_cast<std::uint64_t>(x >> 63);
}
constexpr std::int64_t unzigzag(std::uint64_t x) {
    return static_cast<std::int64_t>(x >> 1) ^ -static_cast<std::int64_t>(x & 1);
}

}  // namespace timeslice
