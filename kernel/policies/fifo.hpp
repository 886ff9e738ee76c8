// The fifo policy: first come, first served. Each task runs until it ends or
// blocks (a yield puts it at the back of the queue); no timer preempts it. The
// classic FCFS of the textbooks, with its convoy effect.
#pragma once

#include "fifo_policy.hpp"

namespace timeslice {

class Fifo final : public FifoPolicy {
  public:
    /// Fifo() makes the policy with a time slice of forever: a task runs to
    /// completion or until it blocks.
    Fifo() : FifoPolicy(kForever) {}
    std::string_view name() const override { return "fifo"; }
};

}  // namespace timeslice
