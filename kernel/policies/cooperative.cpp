// Cooperative scheduling: first come, first served, never preempt.
#include "cooperative.hpp"

#include "../check.hpp"

namespace timeslice {

void Cooperative::enqueue(const TaskInfo& task, ReadyReason why) {
    TS_CHECK(why != ReadyReason::SliceEnded && why != ReadyReason::Preempted,
             "a cooperative task was preempted");
    ready_.push(task.id);
}

std::optional<TaskId> Cooperative::pick(CpuId) {
    if (ready_.empty()) return std::nullopt;
    return ready_.pop();
}

std::optional<TaskId> Cooperative::peek() const {
    if (ready_.empty()) return std::nullopt;
    return ready_.front();
}

Tick Cooperative::time_slice(const TaskInfo&) const { return kForever; }

}  // namespace timeslice
