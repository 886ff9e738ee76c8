// The trace: the kernel's complete, ordered record of a run. The kernel appends
// events and never prints; every timeline, table and JSON document is rendered from
// a Trace. See docs/kernel.md for the state diagram the events describe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

/// EventKind says what happened; each kind but Switch and Stop is one state change.
enum class EventKind : std::uint8_t {
    Arrive,    ///< new → ready.
    Dispatch,  ///< ready → running. detail: the time slice granted (0 for none).
    Switch,    ///< The CPU spends `detail` ticks switching to `task` (only when they are > 0).
    Yield,     ///< running → ready, voluntarily.
    Preempt,   ///< running → ready, involuntarily (time slice used up, or a better task).
    Block,     ///< running → blocked. detail: the I/O time in ticks.
    Wake,      ///< blocked → ready.
    Exit,      ///< running → done.
    Fail,      ///< running → failed. detail: index of the message in Trace::messages.
    Stop,      ///< The run was stopped early. detail: a StopReason.
};

/// StopReason says why a run ended before every task did.
enum class StopReason : std::uint8_t {
    None,        ///< Every task ended.
    MaxTicks,    ///< The clock reached the tick limit.
    MaxEvents,   ///< The trace reached its size limit.
    NoProgress,  ///< Tasks kept switching without executing a single instruction.
};

/// Event is one entry of the trace: at `tick`, on `cpu`, `task` did `kind`.
/// 24 bytes: a run records millions of them.
struct Event {
    Tick tick;
    std::uint64_t detail;
    TaskId task;
    CpuId cpu;
    EventKind kind;
};
static_assert(sizeof(Event) == 24);

/// map_pages() returns `bytes` of zeroed memory straight from the OS, asking
/// for huge pages; unmap_pages() returns it. Throw std::bad_alloc on failure.
void* map_pages(std::size_t bytes);
void unmap_pages(void* p, std::size_t bytes) noexcept;
/// prefault_pages() asks the OS to back [p, p + bytes) with memory now, in one
/// call, instead of one page fault per page later. A hint: it may do nothing.
void prefault_pages(void* p, std::size_t bytes) noexcept;

/// PageAllocator gives the trace whole pages from the OS. The kernel reserves
/// room for a whole run at once, so appending never copies, and huge pages make
/// the first touch of that room cheap (one fault per 87,000 events, not per 170).
template <class T>
struct PageAllocator {
    using value_type = T;
    PageAllocator() = default;
    template <class U>
    PageAllocator(const PageAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return static_cast<T*>(map_pages(n * sizeof(T))); }
    void deallocate(T* p, std::size_t n) noexcept { unmap_pages(p, n * sizeof(T)); }
    template <class U>
    bool operator==(const PageAllocator<U>&) const noexcept {
        return true;
    }
};

/// Events is how a trace stores its events.
using Events = std::vector<Event, PageAllocator<Event>>;

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
    std::vector<Event> events;          ///< Ordered by tick, then by the order they happened.
    std::vector<std::string> messages;  ///< Failure messages, referenced by Fail events.
    StopReason stop = StopReason::None;
    Tick end = 0;  ///< The tick at which the run ended or was stopped.
};

/// name() returns the lowercase word used for `kind` in JSON and on screen.
std::string_view name(EventKind kind);
std::string_view name(TaskState state);
std::string_view name(StopReason reason);

}  // namespace timeslice
