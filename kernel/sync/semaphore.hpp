// Semaphore: a counter of units. sem_wait() takes a unit, blocking while there is
// none; sem_post() gives one back, straight to the first blocked waiter if there is
// one (FIFO), else to the counter, which may have a declared maximum.
#pragma once

#include <cstdint>
#include <optional>

#include "wait_queue.hpp"

namespace timeslice {

struct Semaphore {
    std::int64_t count = 0;           ///< Units available; never negative.
    std::optional<std::int64_t> max;  ///< Posting past this is a task's error.
    WaitQueue waiters;                ///< Blocked in sem_wait(), in the order they came.
};

}  // namespace timeslice
