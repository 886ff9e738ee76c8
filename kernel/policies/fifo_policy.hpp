// FifoPolicy: the ready queue that cooperative and round-robin share. Tasks run
// in the order they became ready; ties at the same tick keep the kernel's order
// (docs/kernel.md). Subclasses choose only the name and the time slice.
#pragma once

#include "../policy.hpp"
#include "ring_queue.hpp"

namespace timeslice {

class FifoPolicy : public Policy {
  public:
    /// enqueue() puts `task` at the back of the queue, whatever the reason.
    void enqueue(const TaskInfo& task, ReadyReason) override { ready_.push(task.id); }

    /// pick() takes the task at the front of the queue.
    OptionalTask pick(CpuId) override {
        if (ready_.empty()) return std::nullopt;
        return ready_.pop();
    }

    /// peek() returns the task at the front of the queue.
    OptionalTask peek() const override {
        if (ready_.empty()) return std::nullopt;
        return ready_.front();
    }

  private:
    RingQueue<TaskId> ready_;
};

}  // namespace timeslice
