// The lottery policy (Waldspurger): at each dispatch a ticket is drawn among the
// ready tasks' tickets and its holder runs for one time slice. The random numbers
// come from SplitMix64, written out in lottery.cpp, seeded by `seed`: the same
// seed gives the same schedule on every platform. The winning ticket's holder is
// found in a TicketTree, in O(log n) steps with n ready tasks.
#pragma once

#include <cstdint>

#include "../check.hpp"
#include "../policy.hpp"
#include "ticket_tree.hpp"

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
    TicketTree ready_;  ///< The ready tasks' tickets, numbered in scenario order.
};

}  // namespace timeslice
