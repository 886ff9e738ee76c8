// History rebuilds, from a trace alone, what every task and CPU was doing at each
// tick: the spans of each task's states and the segments each task ran. Timelines,
// metrics and the JSON schedule are all computed from a History.
#pragma once

#include <vector>

#include "trace.hpp"

namespace timeslice {

/// Waiting says why a task is in its state where the state alone does not: what a
/// blocked task waits for, and whether a running task spins.
enum class Waiting : std::uint8_t {
    Nothing,  ///< Running its code, ready, new, done or failed.
    Io,       ///< Blocked on I/O.
    Sync,     ///< Blocked on a lock, a semaphore, a condition or a task (Span::on).
    Spin,     ///< Running, spinning on a lock another task holds (Span::on).
};

/// Span is a stretch [start, end) that a task spent in one state, for one reason.
struct Span {
    Tick start;
    Tick end;
    TaskState state;
    Waiting waiting = Waiting::Nothing;
    std::uint32_t on = 0;  ///< Sync and Spin: the object waited for, a packed SyncRef.

    /// object() returns what a Sync or Spin span waits for.
    SyncRef object() const { return SyncRef::unpack(on); }
};

/// Segment is a stretch [start, end) that a task ran on a CPU, and how it ended:
/// Yield, Preempt, Block, Wait, Exit, Fail, or Stop when the run was stopped. (The
/// small fields come first, so that a run's millions of segments take 24 bytes each.)
struct Segment {
    TaskId task;
    CpuId cpu;
    EventKind end_reason;
    Tick start;
    Tick end;
};

/// SwitchSpan is a stretch [start, end) a CPU spent switching to `task`; there is
/// one per switch that cost ticks.
struct SwitchSpan {
    CpuId cpu;
    TaskId task;
    Tick start;
    Tick end;
};

/// History is a trace replayed into spans and segments.
struct History {
    std::vector<std::vector<Span>> spans;  ///< Per task, in time order, covering [0, end).
    std::vector<Segment> segments;         ///< In time order.
    std::vector<SwitchSpan> switches;      ///< In time order.
    std::vector<TaskState> final_states;   ///< Per task: its state when the trace ends.
    /// Context switches: dispatches of a task other than the one its CPU ran last.
    std::uint64_t context_switches = 0;
    Tick end = 0;  ///< The trace's end.
};

/// replay() rebuilds the History of `trace`.
History replay(const Trace& trace);

/// time_in() returns how many ticks of [from, to) `spans` spent in `state`.
Tick time_in(const std::vector<Span>& spans, TaskState state, Tick from, Tick to);

/// time_waiting() returns how many ticks `spans` spent in `state` for the reason
/// `waiting`.
Tick time_waiting(const std::vector<Span>& spans, TaskState state, Waiting waiting);

}  // namespace timeslice
