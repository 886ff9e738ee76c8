// The stride policy (Waldspurger): each task's stride is L / tickets, with L =
// 10,000 (so at most 10,000 tickets a task); the ready task with the lowest pass
// runs, and its pass grows by its stride for every tick it runs (stride × quantum
// for a whole time slice, in proportion for part of one). Ties go to scenario order. A task that
// arrives or wakes starts no lower than the lowest pass in play, so sleeping earns
// no credit: the ready tasks' passes, and the pass each CPU's last pick had.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "../check.hpp"
#include "../policy.hpp"
#include "min_heap.hpp"
#include "per_task.hpp"

namespace timeslice {

class Stride final : public Policy {
  public:
    /// kStrideOne is L, the stride of a task with one ticket.
    static constexpr std::uint64_t kStrideOne = 10'000;

    /// Stride() makes the policy with a time slice of `quantum` (≥ 1). Every task
    /// it is given must hold 1 to kStrideOne tickets, so that its stride is at
    /// least 1.
    explicit Stride(Tick quantum) : quantum_(quantum) {
        TS_CHECK(quantum >= 1, "stride needs a quantum of at least 1");
    }

    std::string_view name() const override { return "stride"; }
    void start(std::uint32_t cores) override { picked_pass_.assign(cores, kNone); }
    void enqueue(const TaskInfo& task, ReadyReason why) override;
    OptionalTask pick(CpuId cpu) override;
    OptionalTask peek() const override;
    Tick time_slice(const TaskInfo&) const override { return quantum_; }

  private:
    /// State is what the policy remembers of a task between its turns.
    struct State {
        std::uint64_t pass = 0;  ///< Stride × ticks used.
        Tick cpu_seen = 0;       ///< The task's cpu when last enqueued.
    };

    /// kNone marks a CPU that has picked no task yet.
    static constexpr std::uint64_t kNone = UINT64_MAX;
    std::uint64_t lowest_in_play() const;

    Tick quantum_;
    PerTask<State> states_;
    MinHeap<TaskRank> ready_;  ///< By pass, then task, lowest first.
    /// By CPU: the pass of the task the CPU picked last, at its pick.
    std::vector<std::uint64_t> picked_pass_ = std::vector<std::uint64_t>(1, kNone);
};

}  // namespace timeslice
