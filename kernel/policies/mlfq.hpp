// The mlfq policy: the multi-level feedback queue, with OSTEP's five rules.
//   1. A task on a higher level runs before one on a lower level (and preempts it).
//   2. Tasks on the same level take turns, round-robin, with that level's quantum.
//   3. A new task enters the top level.
//   4. A task that uses up its allotment on a level, however often it gave up the
//      CPU on the way, moves down one level.
//   5. Every `boost` ticks, every task moves back to the top level.
// Level i (0 is the top) has a quantum of quantum·2^i and an allotment of
// allotment·2^i ticks. Equals run in the order they became ready (FIFO per level).
#pragma once

#include <cstdint>
#include <vector>

#include "../policy.hpp"
#include "per_task.hpp"
#include "ring_queue.hpp"

namespace timeslice {

class Mlfq final : public Policy {
  public:
    /// Mlfq() makes `levels` (≥ 1) queues; the top one grants `quantum` (≥ 1) ticks
    /// per slice and `allotment` (≥ 1) ticks before a task moves down, and each
    /// level down doubles both. Every `boost` ticks (0: never) all tasks move up.
    Mlfq(std::uint32_t levels, Tick quantum, Tick allotment, Tick boost);

    std::string_view name() const override { return "mlfq"; }
    void enqueue(const TaskInfo& task, ReadyReason why) override;
    OptionalTask pick(CpuId cpu) override;
    OptionalTask peek() const override;
    Tick time_slice(const TaskInfo& task) const override;
    bool preempts(const TaskInfo& ready, const TaskInfo& running) const override;
    /// victim() displaces the running task on the lowest level.
    std::optional<CpuId> victim(const TaskInfo& ready,
                                std::span<const TaskInfo* const> running) const override;

  private:
    /// State is what the policy remembers of a task between its turns.
    struct State {
        std::uint32_t level = 0;
        Tick used = 0;      ///< Ticks used on this level so far (rule 4).
        Tick cpu_seen = 0;  ///< The task's cpu when last charged.
    };
    void boost_if_due(Tick now);

    Tick quantum_;
    Tick allotment_;
    Tick boost_;
    Tick next_boost_;
    std::vector<RingQueue<TaskId>> queues_;  ///< One FIFO per level, top first.
    PerTask<State> states_;
};

}  // namespace timeslice
