// The cooperative policy: a FIFO ready queue and no timer. A task keeps the CPU
// until it yields, blocks or ends, so one task that never yields starves the rest
// (Windows 3.x, classic Mac OS, Go before 1.14, asyncio).
#pragma once

#include "../policy.hpp"
#include "ring_queue.hpp"

namespace timeslice {

class Cooperative final : public Policy {
  public:
    std::string_view name() const override { return "cooperative"; }
    void enqueue(const TaskInfo& task, ReadyReason why) override;
    std::optional<TaskId> pick(CpuId cpu) override;
    std::optional<TaskId> peek() const override;
    Tick time_slice(const TaskInfo& task) const override;

  private:
    RingQueue<TaskId> ready_;
};

}  // namespace timeslice
