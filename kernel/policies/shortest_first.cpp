// Shortest job first and shortest time-to-completion first, on a heap.
#include "shortest_first.hpp"

#include "../check.hpp"

namespace timeslice {

LengthKey ShortestFirst::key(const TaskInfo& task) const {
    TS_CHECK(task.demand.has_value(), "a shortest-first policy met a task of unknown demand");
    const Tick length =
        mode_ == Mode::Sjf ? *task.demand : *task.demand - std::min(task.cpu, *task.demand);
    return {length, task.arrival, task.id};
}

// Strictly less work left preempts; a tie leaves the running task alone.
bool ShortestFirst::preempts(const TaskInfo& ready, const TaskInfo& running) const {
    return mode_ == Mode::Stcf && std::get<0>(key(ready)) < std::get<0>(key(running));
}

std::optional<CpuId> ShortestFirst::victim(const TaskInfo& ready,
                                           std::span<const TaskInfo* const> running) const {
    return worst_victim(ready, running, [this](const TaskInfo& t) { return std::get<0>(key(t)); });
}

}  // namespace timeslice
