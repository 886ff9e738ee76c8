// The round-robin policy: a FIFO ready queue and a timer. Each dispatch grants a
// time slice of `quantum` instructions; a task that uses it up goes to the back of
// the queue. When no other task is ready it simply keeps the CPU for a new slice.
#pragma once

#include "../policy.hpp"
#include "ring_queue.hpp"

namespace timeslice {

class RoundRobin final : public Policy {
  public:
    /// RoundRobin() makes the policy with a time slice of `quantum` (≥ 1) instructions.
    explicit RoundRobin(Tick quantum);

    std::string_view name() const override { return "round-robin"; }
    void enqueue(const TaskInfo& task, ReadyReason why) override;
    std::optional<TaskId> pick(CpuId cpu) override;
    std::optional<TaskId> peek() const override;
    Tick time_slice(const TaskInfo& task) const override;

  private:
    Tick quantum_;
    RingQueue<TaskId> ready_;
};

}  // namespace timeslice
