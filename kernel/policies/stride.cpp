// Stride scheduling on a heap of (pass, task).
#include "stride.hpp"

namespace timeslice {

// Steps: charge the CPU used since the last turn (passes count stride × ticks,
// so no turn is too short to be charged); a new or woken task joins no lower
// than the lowest pass in play; queue it by pass.
void Stride::enqueue(const TaskInfo& task, ReadyReason why) {
    TS_CHECK(task.tickets >= 1 && task.tickets <= kStrideOne,
             "stride needs every task to hold 1 to 10000 tickets");
    State& s = states_[task.id];
    s.pass += kStrideOne / task.tickets * (task.cpu - s.cpu_seen);
    s.cpu_seen = task.cpu;
    if (why == ReadyReason::Arrived || why == ReadyReason::Woke) {
        s.pass = std::max(s.pass, lowest_in_play());
    }
    ready_.push({0, s.pass, task.id});
}

// With no pass in play yet, 0: every pass starts there.
std::uint64_t Stride::lowest_in_play() const {
    std::uint64_t lowest = ready_.empty() ? kNone : ready_.top().minor();
    for (std::uint64_t pass : picked_pass_) lowest = std::min(lowest, pass);
    return lowest == kNone ? 0 : lowest;
}

OptionalTask Stride::pick(CpuId cpu) {
    if (ready_.empty()) return std::nullopt;
    const TaskRank next = ready_.pop();
    picked_pass_[index(cpu)] = next.minor();
    return next.task();
}

OptionalTask Stride::peek() const {
    if (ready_.empty()) return std::nullopt;
    return ready_.top().task();
}

}  // namespace timeslice
