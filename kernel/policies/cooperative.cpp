// Cooperative scheduling: first come, first served, never preempt.
#include "cooperative.hpp"

#include "../check.hpp"

namespace timeslice {

void Cooperative::enqueue(const TaskInfo& task, ReadyReason why) {
    TS_CHECK(why != ReadyReason::SliceEnded && why != ReadyReason::Preempted,
             "a cooperative task was preempted");
    ready_.push_back(task.id);
}

std::optional<TaskId> Cooperative::pick(CpuId) {
    if (ready_.empty()) return std::nullopt;
    const TaskId next = ready_.front();
    ready_.pop_front();
    return next;
}

Tick Cooperative::time_slice(const TaskInfo&) const { return kForever; }

}  // namespace timeslice
