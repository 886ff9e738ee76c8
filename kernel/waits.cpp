// Replays the synchronization events of a trace: acquisitions, hand-offs and
// releases of locks make the holdings; waits, spins and the events that end them
// make what each task waits for. Then follows each task's waits-for edge to find
// the cycles.
#include "waits.hpp"

#include <algorithm>

namespace timeslice {
namespace {

void take(TaskWait& task, SyncRef ref, Tick tick) {
    if (ref.kind == SyncKind::Lock) task.holds.push_back({LockId{ref.index}, tick});
}

void give_back(TaskWait& task, SyncRef ref) {
    if (ref.kind != SyncKind::Lock) return;
    std::erase_if(task.holds, [&](const Holding& h) { return index(h.lock) == ref.index; });
}

/// holder() returns the task holding `lock`, if one does.
std::optional<TaskId> holder(const std::vector<TaskWait>& tasks, std::uint32_t lock) {
    for (std::uint32_t i = 0; i < tasks.size(); ++i) {
        for (const Holding& h : tasks[i].holds) {
            if (index(h.lock) == lock) return TaskId{i};
        }
    }
    return std::nullopt;
}

// A task handed what it waited for waits no more; a task that runs again (a
// spinner dispatched) or ends waits for nothing.
void replay(const Trace& trace, std::vector<TaskWait>& tasks) {
    for (const Event& e : trace.events) {
        if (!edge_of(e.kind).of_task) continue;
        TaskWait& task = tasks[index(e.task)];
        const SyncRef ref = SyncRef::unpack(e.detail);
        switch (e.kind) {
            case EventKind::Acquire:
                take(task, ref, e.tick);
                task.waits.reset();
                break;
            case EventKind::Handoff:
                take(task, ref, e.tick);
                task.waits.reset();
                break;
            case EventKind::Release:
                give_back(task, ref);
                break;
            case EventKind::Wait:
            case EventKind::Spin:
                if (!task.waits || *task.waits != ref) task.since = e.tick;
                task.waits = ref;
                task.spins = e.kind == EventKind::Spin;
                break;
            case EventKind::Exit:
            case EventKind::Fail:
                task.waits.reset();
                break;
            default:
                break;
        }
    }
}

}  // namespace

WaitGraph wait_graph(const Trace& trace) {
    WaitGraph graph;
    graph.tasks.resize(trace.tasks.size());
    replay(trace, graph.tasks);
    for (TaskWait& task : graph.tasks) {
        if (!task.waits) continue;
        if (task.waits->kind == SyncKind::Lock) task.waits_for = holder(graph.tasks, task.waits->index);
        if (task.waits->kind == SyncKind::Task) task.waits_for = TaskId{task.waits->index};
    }
    // Each task has at most one edge, so a walk from each task finds every cycle;
    // a cycle is kept once, from its lowest task.
    for (std::uint32_t start = 0; start < graph.tasks.size(); ++start) {
        std::vector<TaskId> path{TaskId{start}};
        for (std::optional<TaskId> next = graph.tasks[start].waits_for; next;
             next = graph.tasks[index(*next)].waits_for) {
            if (*next == TaskId{start}) {
                const bool lowest = std::all_of(path.begin(), path.end(),
                                                [&](TaskId t) { return index(t) >= start; });
                if (lowest) graph.cycles.push_back(path);
                break;
            }
            if (std::find(path.begin(), path.end(), *next) != path.end()) break;
            path.push_back(*next);
        }
    }
    return graph;
}

}  // namespace timeslice
