// The cfs policy: Linux's Completely Fair Scheduler in miniature. Each task's
// `nice` maps to Linux's weight (nice 0 = 1024, each step about 1.25×); its
// virtual runtime grows by ticks × 1024 / weight as it runs; the ready task with
// the smallest virtual runtime runs next (ties: scenario order), for a slice of
// `latency` × its weight × the number of CPUs / the weight of the tasks ready or
// running, but at most `latency` and at least `min_granularity`. A new or woken task starts no lower than min_vruntime, which follows the
// smallest virtual runtime in play (within a slice), so sleeping earns no credit; it preempts the
// running task if it is behind by more than `min_granularity`. Integer arithmetic only, in
// 1/1024ths of a tick.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "../check.hpp"
#include "../policy.hpp"
#include "min_heap.hpp"
#include "per_task.hpp"

namespace timeslice {

class Cfs final : public Policy {
  public:
    /// Cfs() makes the policy with a target `latency` and a shortest slice of
    /// `min_granularity` ticks, both at least 1.
    Cfs(Tick latency, Tick min_granularity) : latency_(latency), min_granularity_(min_granularity) {
        TS_CHECK(latency >= 1 && min_granularity >= 1,
                 "cfs needs a latency and a min_granularity of at least 1");
    }

    /// weight() returns Linux's load weight for `nice` (-20..19).
    static std::uint64_t weight(std::int32_t nice);

    std::string_view name() const override { return "cfs"; }
    void start(std::uint32_t cores) override { running_weight_.assign(cores, 0); }
    void enqueue(const TaskInfo& task, ReadyReason why) override;
    OptionalTask pick(CpuId cpu) override;
    void leave(CpuId cpu, const TaskInfo& task) override;
    OptionalTask peek() const override;
    Tick time_slice(const TaskInfo& task) const override;
    bool preempts(const TaskInfo& ready, const TaskInfo& running) const override;
    /// victim() displaces the running task furthest ahead in virtual runtime.
    std::optional<CpuId> victim(const TaskInfo& ready,
                                std::span<const TaskInfo* const> running) const override;

  private:
    /// State is what the policy remembers of a task between its turns.
    struct State {
        std::uint64_t vruntime = 0;   ///< In 1/1024 ticks of nice-0 time.
        Tick cpu_seen = 0;            ///< The task's cpu when last charged.
        std::uint64_t weight = 1024;  ///< From its nice.
    };
    std::uint64_t vruntime_now(const TaskInfo& task) const;

    Tick latency_;
    Tick min_granularity_;
    PerTask<State> states_;
    MinHeap<TaskRank> ready_;         ///< By vruntime, then task, smallest first.
    std::uint64_t ready_weight_ = 0;  ///< The weight of the ready set.
    /// By CPU: the weight of the task it runs (0: none).
    std::vector<std::uint64_t> running_weight_ = std::vector<std::uint64_t>(1, 0);
    std::uint64_t min_vruntime_ = 0;  ///< Never decreases.
};

}  // namespace timeslice
