// Condition: a condition variable with Mesa semantics (pthreads, Java, Python). A
// task that waits gives up the lock it holds and blocks; notify() releases the first
// waiter, notify_all() every one, and a released waiter wakes up and takes its lock
// again (blocking for it like any other) before its wait returns. A notify with no
// waiter is lost.
#pragma once

#include "wait_queue.hpp"

namespace timeslice {

struct Condition {
    WaitQueue waiters;  ///< Blocked in wait(), in the order they came.
};

}  // namespace timeslice
