// The multi-level feedback queue: one FIFO per level, and per-task accounting of
// the CPU used on the current level.
#include "mlfq.hpp"

#include <algorithm>

#include "../check.hpp"

namespace timeslice {

Mlfq::Mlfq(std::uint32_t levels, Tick quantum, Tick allotment, Tick boost)
    : quantum_(quantum),
      allotment_(allotment),
      boost_(boost),
      next_boost_(boost == 0 ? kForever : boost),
      queues_(levels) {
    TS_CHECK(levels >= 1 && quantum >= 1 && allotment >= 1,
             "mlfq needs at least 1 level, and a quantum and an allotment of at least 1");
}

// Rule 5: the first time the policy acts at or after a boost tick, every task,
// queued or not, returns to the top level, queued ones in their present order.
void Mlfq::boost_if_due(Tick now) {
    if (now < next_boost_) return;
    next_boost_ = (now / boost_ + 1) * boost_;
    for (State& s : states_) s = {0, 0, s.cpu_seen};
    for (std::size_t level = 1; level < queues_.size(); ++level) {
        while (!queues_[level].empty()) queues_[0].push(queues_[level].pop());
    }
}

// Steps: boost if due; a new task starts at the top (rule 3); charge the CPU used
// since the last turn, and move down when the allotment is used up (rule 4).
void Mlfq::enqueue(const TaskInfo& task, ReadyReason why) {
    boost_if_due(task.ready_since);
    State& s = states_[task.id];
    if (why == ReadyReason::Arrived) s = {0, 0, task.cpu};
    s.used += task.cpu - s.cpu_seen;
    s.cpu_seen = task.cpu;
    const auto bottom = static_cast<std::uint32_t>(queues_.size() - 1);
    if (s.used >= (allotment_ << s.level) && s.level < bottom) {
        ++s.level;
        s.used = 0;
    }
    queues_[s.level].push(task.id);
}

OptionalTask Mlfq::pick(CpuId) {
    for (RingQueue<TaskId>& queue : queues_) {
        if (!queue.empty()) return queue.pop();
    }
    return std::nullopt;
}

OptionalTask Mlfq::peek() const {
    for (const RingQueue<TaskId>& queue : queues_) {
        if (!queue.empty()) return queue.front();
    }
    return std::nullopt;
}

// Rule 2, ending the slice where the allotment ends so rule 4 applies on time.
Tick Mlfq::time_slice(const TaskInfo& task) const {
    const State& s = states_.at(task.id);
    const Tick allotment = allotment_ << s.level;
    const Tick left = allotment > s.used ? allotment - s.used : allotment;
    return std::min(quantum_ << s.level, left);
}

bool Mlfq::preempts(const TaskInfo& ready, const TaskInfo& running) const {
    return states_.at(ready.id).level < states_.at(running.id).level;  // Rule 1.
}

std::optional<CpuId> Mlfq::victim(const TaskInfo& ready,
                                  std::span<const TaskInfo* const> running) const {
    return worst_victim(ready, running,
                        [this](const TaskInfo& t) { return states_.at(t.id).level; });
}

}  // namespace timeslice
