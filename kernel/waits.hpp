// The wait-for graph at the end of a trace: which task holds which lock since
// when, and what each task that has not ended waits for. A task waits for another
// when it waits for a lock that task holds, or joins it; a cycle of such waits is
// a deadlock. Built from the trace alone, like the history.
#pragma once

#include <optional>
#include <vector>

#include "trace.hpp"

namespace timeslice {

/// Holding is a lock a task holds, and since when.
struct Holding {
    LockId lock{};
    Tick since = 0;
};

/// TaskWait is where a task stands when the trace ends.
struct TaskWait {
    std::vector<Holding> holds;     ///< The locks it holds, in the order it took them.
    std::optional<SyncRef> waits;   ///< What it is blocked on or spins for, if anything.
    Tick since = 0;                 ///< When it started to wait for it.
    bool spins = false;             ///< It spins rather than blocks.
    /// The task it waits for: the holder of the lock it wants, or the task it joins.
    std::optional<TaskId> waits_for;
};

/// WaitGraph is every task's TaskWait, by TaskId, and the cycles among them.
struct WaitGraph {
    std::vector<TaskWait> tasks;
    /// Each cycle of waits once, as its tasks in the order each waits for the
    /// next, starting with the task of the lowest id; in the order of that id.
    std::vector<std::vector<TaskId>> cycles;
};

/// wait_graph() builds the wait-for graph of `trace` as it ends.
WaitGraph wait_graph(const Trace& trace);

}  // namespace timeslice
