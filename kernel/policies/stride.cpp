// Stride scheduling on an ordered set of (pass, task).
#include "stride.hpp"

namespace timeslice {

Stride::State& Stride::state(TaskId id) {
    if (index(id) >= states_.size()) states_.resize(index(id) + 1);
    return states_[index(id)];
}

// Steps: charge the CPU used since the last turn; a new or woken task joins at
// the lowest pass of the ready tasks; queue it by pass.
void Stride::enqueue(const TaskInfo& task, ReadyReason why) {
    State& s = state(task.id);
    const std::uint64_t stride = kStrideOne / task.tickets;
    s.pass += stride * (task.cpu - s.cpu_seen) / quantum_;
    s.cpu_seen = task.cpu;
    if ((why == ReadyReason::Arrived || why == ReadyReason::Woke) && !ready_.empty()) {
        s.pass = std::max(s.pass, ready_.begin()->first);
    }
    ready_.insert({s.pass, task.id});
}

std::optional<TaskId> Stride::pick(CpuId) {
    if (ready_.empty()) return std::nullopt;
    const TaskId next = ready_.begin()->second;
    ready_.erase(ready_.begin());
    return next;
}

std::optional<TaskId> Stride::peek() const {
    if (ready_.empty()) return std::nullopt;
    return ready_.begin()->second;
}

}  // namespace timeslice
