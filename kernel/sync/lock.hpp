// Lock: a mutex. A task takes it with lock() (it blocks while another holds it) or
// spin_lock() (it keeps the CPU and spins), and gives it back with unlock(). A
// release hands the lock straight to the first blocked waiter (FIFO), or with
// priority inheritance to the most important one; spinners only ever find it free.
// The kernel records the events and wakes the tasks; this is the lock's state.
#pragma once

#include <cstdint>

#include "../policy.hpp"
#include "wait_queue.hpp"

namespace timeslice {

struct Lock {
    OptionalTask owner;         ///< The task holding it, or nobody.
    Tick since = 0;             ///< The tick the owner took it.
    bool inherit = false;       ///< Priority inheritance: the owner runs at its best waiter's priority.
    WaitQueue waiters;          ///< Blocked in lock(), waiting for a hand-off.
    std::uint32_t spinners = 0; ///< Tasks spinning on it in spin_lock(), running or preempted.

    /// held() returns whether a task holds the lock.
    bool held() const { return owner.has_value(); }
    /// take() makes `task` the owner from `now`.
    void take(TaskId task, Tick now) {
        owner = task;
        since = now;
    }
};

}  // namespace timeslice
