// Priority scheduling with optional preemption and aging, on a heap.
// Aging as p + (now − s)/A orders tasks the same way at every `now` as
// p·A − s does, so the heap never needs re-sorting as time passes.
#include "priority.hpp"

namespace timeslice {

PriorityKey Priority::key(const TaskInfo& task) const {
    if (aging_ == 0) return {~sortable(task.priority), task.ready_since, task.id};
    const auto ready_since = static_cast<std::int64_t>(task.ready_since);
    const std::int64_t aged =
        ready_since - std::int64_t{task.priority} * static_cast<std::int64_t>(aging_);
    return {0, sortable(aged), task.id};
}

// `ready` has just become ready, so it has not aged yet; the running task does
// not age while it runs: the base priorities decide.
bool Priority::preempts(const TaskInfo& ready, const TaskInfo& running) const {
    return preemptive_ && ready.priority > running.priority;
}

std::optional<CpuId> Priority::victim(const TaskInfo& ready,
                                      std::span<const TaskInfo* const> running) const {
    return worst_victim(ready, running,
                        [](const TaskInfo& t) { return -std::int64_t{t.priority}; });
}

}  // namespace timeslice
