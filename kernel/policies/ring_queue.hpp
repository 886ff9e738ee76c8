// RingQueue: the FIFO ready queue of the simple policies. A power-of-two ring
// buffer: push and pop are an index increment, and it never frees memory while
// a run lasts (std::deque allocates and frees a block every few hundred tasks).
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "../hot_path.hpp"

namespace timeslice {

template <class T>
class RingQueue {
  public:
    RingQueue() : slots_(16), mask_(15) {}
    // Neither copied nor moved: a ready queue stays inside its policy, and a
    // moved-from one would keep a mask for slots it no longer has.
    RingQueue(const RingQueue&) = delete;
    RingQueue& operator=(const RingQueue&) = delete;

    /// empty() returns whether the queue holds nothing.
    bool empty() const { return head_ == tail_; }
    /// size() returns how many items the queue holds.
    std::size_t size() const { return tail_ - head_; }

    /// push() appends `item` at the back.
    void push(T item) {
        if (size() > mask_) [[unlikely]]
            grow();
        slots_[tail_++ & mask_] = std::move(item);
    }

    /// front() returns the front item; the queue must not be empty.
    const T& front() const { return slots_[head_ & mask_]; }

    /// pop() removes and returns the front item; the queue must not be empty.
    T pop() { return std::move(slots_[head_++ & mask_]); }

  private:
    TS_OFF_HOT_PATH void grow() {
        std::vector<T> bigger(slots_.size() * 2);
        for (std::size_t i = 0; i < size(); ++i) {
            bigger[i] = std::move(slots_[(head_ + i) & mask_]);
        }
        tail_ = size();
        head_ = 0;
        slots_ = std::move(bigger);
        mask_ = slots_.size() - 1;
    }

    std::vector<T> slots_;
    std::size_t mask_;      ///< slots_.size() - 1, kept so that an index is one AND.
    std::size_t head_ = 0;  ///< Counts pops; the front is at head_ mod capacity.
    std::size_t tail_ = 0;  ///< Counts pushes; the back is before tail_ mod capacity.
};

}  // namespace timeslice
