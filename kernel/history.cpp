// Replays a trace event by event, keeping each task's state and since when.
#include "history.hpp"

#include <algorithm>
#include <optional>

#include "check.hpp"

namespace timeslice {
namespace {

/// Where a task is during replay.
struct Now {
    TaskState state = TaskState::New;
    Tick since = 0;
};

TaskState state_after(EventKind kind) {
    switch (kind) {
        case EventKind::Arrive:
        case EventKind::Yield:
        case EventKind::Preempt:
        case EventKind::Wake:
            return TaskState::Ready;
        case EventKind::Dispatch:
            return TaskState::Running;
        case EventKind::Block:
            return TaskState::Blocked;
        case EventKind::Exit:
            return TaskState::Done;
        case EventKind::Fail:
            return TaskState::Failed;
        case EventKind::Switch:
        case EventKind::Renew:
        case EventKind::Stop:
            break;
    }
    TS_CHECK(false, "this event kind is not a state change");
}

void close_span(std::vector<Span>& spans, const Now& now, Tick at) {
    if (at > now.since) spans.push_back({now.since, at, now.state});
}

/// close_all() ends, at `end`, the span of every task and the segment of the one
/// still running, and records each task's state then.
void close_all(History& history, const std::vector<Now>& now, Tick end) {
    for (std::uint32_t i = 0; i < now.size(); ++i) {
        if (now[i].state == TaskState::Running) {
            history.segments.push_back({.task = TaskId{i},
                                        .cpu = CpuId{0},
                                        .end_reason = EventKind::Stop,
                                        .start = now[i].since,
                                        .end = end});
        }
        close_span(history.spans[i], now[i], end);
        history.final_states.push_back(now[i].state);
    }
}

}  // namespace

History replay(const Trace& trace) {
    History history;
    history.end = trace.end;
    history.spans.resize(trace.tasks.size());
    std::vector<Now> now(trace.tasks.size());
    std::vector<std::optional<TaskId>> last_on_cpu(trace.cores);
    for (const Event& e : trace.events) {
        if (e.kind == EventKind::Stop) continue;
        // A switch is a Switch event (it cost ticks), or else a dispatch of a task
        // other than the one the CPU ran last.
        std::optional<TaskId>& last = last_on_cpu[index(e.cpu)];
        if (e.kind == EventKind::Switch || e.kind == EventKind::Dispatch) {
            if (last && *last != e.task) ++history.context_switches;
            last = e.task;
        }
        if (e.kind == EventKind::Switch) {
            history.switches.push_back({e.cpu, e.task, e.tick, e.tick + e.detail});
            continue;
        }
        if (e.kind == EventKind::Renew) continue;  // The task's segment goes on.
        Now& task = now[index(e.task)];
        if (task.state == TaskState::Running) {
            history.segments.push_back({.task = e.task,
                                        .cpu = e.cpu,
                                        .end_reason = e.kind,
                                        .start = task.since,
                                        .end = e.tick});
        }
        close_span(history.spans[index(e.task)], task, e.tick);
        task = {state_after(e.kind), e.tick};
    }
    close_all(history, now, trace.end);
    // Segments were appended as they ended; on one CPU that is already the order
    // they started in, and checking is much cheaper than sorting millions of them.
    const auto by_start = [](const Segment& a, const Segment& b) { return a.start < b.start; };
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

}  // namespace timeslice
