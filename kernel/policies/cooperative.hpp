// The cooperative policy: a FIFO ready queue and no timer. A task keeps the CPU
// until it yields, blocks or ends, so one task that never yields starves the rest
// (Windows 3.x, classic Mac OS, Go before 1.14, asyncio).
#pragma once

#include "fifo_policy.hpp"

namespace timeslice {

class Cooperative final : public FifoPolicy {
  public:
    std::string_view name() const override { return "cooperative"; }
    /// time_slice() is forever: no timer ever interrupts a task.
    Tick time_slice(const TaskInfo&) const override { return kForever; }
};

}  // namespace timeslice
