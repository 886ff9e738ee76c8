// The round-robin policy: a FIFO ready queue and a timer. Each dispatch grants a
// time slice of `quantum` instructions; a task that uses it up goes to the back of
// the queue. When no other task is ready it simply keeps the CPU for a new slice.
#pragma once

#include "../check.hpp"
#include "fifo_policy.hpp"

namespace timeslice {

class RoundRobin final : public FifoPolicy {
  public:
    /// RoundRobin() makes the policy with a time slice of `quantum` (≥ 1)
    /// instructions, for every task and every dispatch.
    explicit RoundRobin(Tick quantum) : FifoPolicy(quantum) {
        TS_CHECK(quantum >= 1, "round-robin needs a quantum of at least 1");
    }

    std::string_view name() const override { return "round-robin"; }
};

}  // namespace timeslice
