// Round-robin scheduling: FIFO order, a fixed time slice per dispatch.
#include "round_robin.hpp"

#include "../check.hpp"

namespace timeslice {

RoundRobin::RoundRobin(Tick quantum) : quantum_(quantum) {
    TS_CHECK(quantum >= 1, "round-robin needs a quantum of at least 1");
}

void RoundRobin::enqueue(const TaskInfo& task, ReadyReason) { ready_.push(task.id); }

std::optional<TaskId> RoundRobin::pick(CpuId) {
    if (ready_.empty()) return std::nullopt;
    return ready_.pop();
}

std::optional<TaskId> RoundRobin::peek() const {
    if (ready_.empty()) return std::nullopt;
    return ready_.front();
}

Tick RoundRobin::time_slice(const TaskInfo&) const { return quantum_; }

}  // namespace timeslice
