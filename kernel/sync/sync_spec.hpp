// SyncSpec: the synchronization objects a run declares before it starts, by name,
// in the order the scenario lists them: their ids are their places in these lists.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace timeslice {

/// LockSpec declares a mutex.
struct LockSpec {
    std::string name;
    bool inherit = false;  ///< Priority inheritance (for the priority policy).
};

/// SemaphoreSpec declares a counting semaphore.
struct SemaphoreSpec {
    std::string name;
    std::int64_t initial = 0;         ///< Units it starts with; at least 0.
    std::optional<std::int64_t> max;  ///< Posting past this fails the task.
};

/// SyncSpec lists every lock, semaphore and condition variable of a run.
struct SyncSpec {
    std::vector<LockSpec> locks;
    std::vector<SemaphoreSpec> semaphores;
    std::vector<std::string> conditions;
};

}  // namespace timeslice
