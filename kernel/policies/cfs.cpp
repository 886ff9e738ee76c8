// CFS on a heap of (vruntime, task): Linux keeps a red-black tree, but only ever
// needs its leftmost task, which a heap gives without a node per insertion.
#include "cfs.hpp"

#include <algorithm>
#include <array>

namespace timeslice {
namespace {

/// Linux's sched_prio_to_weight (kernel/sched/core.c), for nice -20 to 19.
constexpr std::array<std::uint64_t, 40> kWeights = {
    88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916, 9548, 7620, 6100, 4904,
    3906,  3121,  2501,  1991,  1586,  1277,  1024,  820,   655,   526,   423,  335,  272,  215,
    172,   137,   110,   87,    70,    56,    45,    36,    29,    23,    18,   15,
};

/// kScale: virtual runtime counts 1/1024ths of a tick, so a nice-0 tick is
/// 1024 × 1024 / 1024 = 1024 units and no weight loses a tick to rounding.
constexpr std::uint64_t kScale = 1024;

std::uint64_t virtual_ticks(Tick ticks, std::uint64_t weight) {
    return ticks * 1024 * kScale / weight;
}

}  // namespace

std::uint64_t Cfs::weight(std::int32_t nice) {
    return kWeights[static_cast<std::size_t>(std::clamp(nice, -20, 19) + 20)];
}

std::uint64_t Cfs::vruntime_now(const TaskInfo& task) const {
    const State& s = states_.at(task.id);
    return s.vruntime + virtual_ticks(task.cpu - s.cpu_seen, s.weight);
}

// Steps: charge the CPU used since the last turn; a new or woken task starts no
// lower than min_vruntime; queue it; advance min_vruntime to the smallest queued.
// min_vruntime also advances at each pick, so it lags the running task by at
// most one slice, as Linux's does between its updates.
void Cfs::enqueue(const TaskInfo& task, ReadyReason why) {
    State& s = states_[task.id];
    s.weight = weight(task.nice);
    s.vruntime = vruntime_now(task);
    s.cpu_seen = task.cpu;
    if (why == ReadyReason::Arrived || why == ReadyReason::Woke) {
        s.vruntime = std::max(s.vruntime, min_vruntime_);
    }
    ready_.push({0, s.vruntime, task.id});
    ready_weight_ += s.weight;
    min_vruntime_ = std::max(min_vruntime_, ready_.top().minor());
}

OptionalTask Cfs::pick(CpuId cpu) {
    if (ready_.empty()) return std::nullopt;
    const TaskRank next = ready_.pop();
    min_vruntime_ = std::max(min_vruntime_, next.minor());
    const std::uint64_t weight = states_[next.task()].weight;
    ready_weight_ -= weight;
    running_weight_[index(cpu)] = weight;
    return next.task();
}

void Cfs::leave(CpuId cpu, const TaskInfo&) { running_weight_[index(cpu)] = 0; }

OptionalTask Cfs::peek() const {
    if (ready_.empty()) return std::nullopt;
    return ready_.top().task();
}

// Called at dispatch, after pick() took `task` out of the ready set: its share of
// the latency is its weight over the weight of all tasks ready or running, each CPU
// bringing a latency's worth; no slice is longer than the latency. On one CPU that
// is latency × w / (the ready weight + w).
Tick Cfs::time_slice(const TaskInfo& task) const {
    const std::uint64_t w = weight(task.nice);
    std::uint64_t total = ready_weight_;
    for (std::uint64_t running : running_weight_) total += running;
    total = std::max(total, w);
    const Tick share = latency_ * w * running_weight_.size() / total;
    return std::max(min_granularity_, std::min(latency_, share));
}

bool Cfs::preempts(const TaskInfo& ready, const TaskInfo& running) const {
    const std::uint64_t gap = virtual_ticks(min_granularity_, 1024);
    return vruntime_now(ready) + gap < vruntime_now(running);
}

std::optional<CpuId> Cfs::victim(const TaskInfo& ready,
                                 std::span<const TaskInfo* const> running) const {
    return worst_victim(ready, running, [this](const TaskInfo& t) { return vruntime_now(t); });
}

}  // namespace timeslice
