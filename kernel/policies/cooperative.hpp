// The cooperative policy: a FIFO ready queue and no timer. A task keeps the CPU
// until it yields, blocks or ends, so one task that never yields starves the rest
// (Windows 3.x, classic Mac OS, Go before 1.14, asyncio).
#pragma once

#include "fifo_policy.hpp"

namespace timeslice {

class Cooperative final : public FifoPolicy {
  public:
    /// Cooperative() makes the policy with a time slice of forever: no timer ever
    /// interrupts a task.
    Cooperative() : FifoPolicy(kForever) {}
    std::string_view name() const override { return "cooperative"; }
};

}  // namespace timeslice
