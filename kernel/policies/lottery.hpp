// The lottery policy (Waldspurger): at each dispatch a ticket is drawn among the
// ready tasks' tickets and its holder runs for one time slice. The random numbers
// come from SplitMix64, written out in lottery.cpp, seeded by `seed`: the same
// seed gives the same schedule on every platform. Picking walks the ready tasks in
// scenario order, so it is linear in their number.
#pragma once

#include <cstdint>
#include <set>

#include "../check.hpp"
#include "../policy.hpp"
#include "per_task.hpp"

namespace timeslice {

class Lottery final : public Policy {
  public:
    /// Lottery() makes the policy with a time slice of `quantum` (≥ 1) and its
    /// random draws seeded by `seed`. Every task it is given must hold at least
    /// one ticket.
    Lottery(Tick quantum, std::uint64_t seed) : quantum_(quantum), rng_state_(seed) {
        TS_CHECK(quantum >= 1, "lottery needs a quantum of at least 1");
    }

    std::string_view name() const override { return "lottery"; }
    void enqueue(const TaskInfo& task, ReadyReason why) override;
    OptionalTask pick(CpuId cpu) override;
    Tick time_slice(const TaskInfo&) const override { return quantum_; }

  private:
    std::uint64_t next_random();

    Tick quantum_;
    std::uint64_t rng_state_;
    PerTask<std::uint32_t> tickets_;
    std::set<TaskId> ready_;  ///< In scenario order.
    std::uint64_t ready_tickets_ = 0;
};

}  // namespace timeslice
