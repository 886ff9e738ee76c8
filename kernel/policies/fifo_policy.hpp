// FifoPolicy: the ready queue that cooperative, round-robin and fifo share. Tasks run
// in the order they became ready; ties at the same tick keep the kernel's order
// (docs/kernel.md). Subclasses choose only the name and the time slice. Its hooks
// are final, so the kernel can call them without a virtual call (Kernel::fifo_).
#pragma once

#include "../policy.hpp"
#include "ring_queue.hpp"

namespace timeslice {

class FifoPolicy : public Policy {
  public:
    /// FifoPolicy() makes the queue; every dispatch grants `slice` instructions
    /// (kForever: no timer).
    explicit FifoPolicy(Tick slice) : slice_(slice) {}

    /// time_slice() is the same for every task and every dispatch.
    Tick time_slice(const TaskInfo&) const final { return slice_; }

    /// enqueue() puts `task` at the back of the queue, whatever the reason.
    void enqueue(const TaskInfo& task, ReadyReason) final { ready_.push(task.id); }

    /// pick() takes the task at the front of the queue.
    OptionalTask pick(CpuId) final {
        if (ready_.empty()) return std::nullopt;
        return ready_.pop();
    }

    /// peek() returns the task at the front of the queue.
    OptionalTask peek() const final {
        if (ready_.empty()) return std::nullopt;
        return ready_.front();
    }

  private:
    RingQueue<TaskId> ready_;
    Tick slice_;
};

}  // namespace timeslice
