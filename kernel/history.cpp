// Replays a trace event by event with the state machine (kEdges), keeping each
// task's state, why, since when, and on which CPU it runs.
#include "history.hpp"

#include <algorithm>
#include <optional>

namespace timeslice {
namespace {

/// Now is where a task is during replay.
struct Now {
    TaskState state = TaskState::New;
    Waiting waiting = Waiting::Nothing;
    std::uint32_t on = 0;
    Tick since = 0;          ///< The start of its current span.
    Tick running_since = 0;  ///< Running: the start of its segment (spins included).
    CpuId cpu{};             ///< Running: the CPU it was dispatched on.

    bool same_span(const Now& o) const {
        return state == o.state && waiting == o.waiting && on == o.on;
    }
};

void close_span(std::vector<Span>& spans, const Now& now, Tick at) {
    if (at > now.since) spans.push_back({now.since, at, now.state, now.waiting, now.on});
}

/// after() returns where `e` leaves a task that was at `before`: the state its
/// edge leads to, and why. A blocked task handed what it waits for waits on for its
/// wake-up, for the same reason; a spinner that takes its lock runs its code again.
Now after(const Now& before, const Event& e) {
    Now next = before;
    next.state = edge_of(e.kind).to;
    switch (e.kind) {
        case EventKind::Block:
            next.waiting = Waiting::Io;
            next.on = 0;
            break;
        case EventKind::Wait:
        case EventKind::Spin:
            next.waiting = e.kind == EventKind::Wait ? Waiting::Sync : Waiting::Spin;
            next.on = static_cast<std::uint32_t>(e.detail);
            break;
        case EventKind::Handoff:
        case EventKind::Release:
        case EventKind::Notify:
        case EventKind::NotifyAll:
        case EventKind::Spawn:
            break;
        default:
            next.waiting = Waiting::Nothing;
            next.on = 0;
    }
    if (e.kind == EventKind::Dispatch) {
        next.cpu = e.cpu;
        next.running_since = e.tick;
    }
    return next;
}

/// close_all() ends, at `end`, the span of every task and the segment of those
/// still running, and records each task's state then.
void close_all(History& history, const std::vector<Now>& now, Tick end) {
    for (std::uint32_t i = 0; i < now.size(); ++i) {
        if (now[i].state == TaskState::Running) {
            history.segments.push_back({.task = TaskId{i},
                                        .cpu = now[i].cpu,
                                        .end_reason = EventKind::Stop,
                                        .start = now[i].running_since,
                                        .end = end});
        }
        close_span(history.spans[i], now[i], end);
        history.final_states.push_back(now[i].state);
    }
}

/// count_switch() counts a context switch when `e` (a Switch, or a Dispatch) puts a
/// task on its CPU other than the one the CPU ran last.
void count_switch(History& history, std::vector<std::optional<TaskId>>& last_on_cpu,
                  const Event& e) {
    std::optional<TaskId>& last = last_on_cpu[index(e.cpu)];
    if (last && *last != e.task) ++history.context_switches;
    last = e.task;
}

}  // namespace

History replay(const Trace& trace) {
    History history;
    history.end = trace.end;
    history.spans.resize(trace.tasks.size());
    std::vector<Now> now(trace.tasks.size());
    std::vector<std::optional<TaskId>> last_on_cpu(trace.cores);
    for (const Event& e : trace.events) {
        if (e.kind == EventKind::Switch || e.kind == EventKind::Dispatch) {
            count_switch(history, last_on_cpu, e);
        }
        if (e.kind == EventKind::Switch) {
            history.switches.push_back({e.cpu, e.task, e.tick, e.tick + e.detail});
            continue;
        }
        if (!edge_of(e.kind).of_task || e.kind == EventKind::Renew) continue;
        Now& task = now[index(e.task)];
        Now next = after(task, e);
        if (next.same_span(task)) continue;
        if (task.state == TaskState::Running && next.state != TaskState::Running) {
            history.segments.push_back({.task = e.task,
                                        .cpu = task.cpu,
                                        .end_reason = e.kind,
                                        .start = task.running_since,
                                        .end = e.tick});
        }
        close_span(history.spans[index(e.task)], task, e.tick);
        next.since = e.tick;
        task = next;
    }
    close_all(history, now, trace.end);
    // Segments were appended as they ended; on one CPU that is already the order
    // they started in, and checking is much cheaper than sorting millions of them.
    const auto by_start = [](const Segment& a, const Segment& b) {
        return a.start != b.start ? a.start < b.start : a.cpu < b.cpu;
    };
    if (!std::is_sorted(history.segments.begin(), history.segments.end(), by_start)) {
        std::stable_sort(history.segments.begin(), history.segments.end(), by_start);
    }
    return history;
}

Tick time_in(const std::vector<Span>& spans, TaskState state, Tick from, Tick to) {
    Tick total = 0;
    for (const Span& span : spans) {
        if (span.state != state) continue;
        const Tick start = std::max(span.start, from);
        const Tick end = std::min(span.end, to);
        if (end > start) total += end - start;
    }
    return total;
}

Tick time_waiting(const std::vector<Span>& spans, TaskState state, Waiting waiting) {
    Tick total = 0;
    for (const Span& span : spans) {
        if (span.state == state && span.waiting == waiting) total += span.end - span.start;
    }
    return total;
}

}  // namespace timeslice
