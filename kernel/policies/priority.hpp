// The priority policy: the ready task with the highest `priority` runs (larger
// numbers are more important); equals run in the order they became ready, then
// in scenario order. With `preemptive` = 1 a task that becomes ready with a higher
// priority than the running one takes the CPU at once. With `aging` = A > 0, a
// waiting task gains one priority level for every A ticks it has waited, so no
// task starves: a task of priority p ready since tick s ranks as p + (now - s) / A.
#pragma once

#include <tuple>

#include "../policy.hpp"
#include "min_heap.hpp"

namespace timeslice {

class Priority final : public Policy {
  public:
    Priority(bool preemptive, Tick aging) : preemptive_(preemptive), aging_(aging) {}

    std::string_view name() const override { return "priority"; }
    void enqueue(const TaskInfo& task, ReadyReason why) override;
    std::optional<TaskId> pick(CpuId cpu) override;
    std::optional<TaskId> peek() const override;
    Tick time_slice(const TaskInfo&) const override { return kForever; }
    bool preempts(const TaskInfo& ready, const TaskInfo& running) const override;

  private:
    /// Key sorts best first: (p·A − ready_since) descending, i.e. the negation
    /// ascending; without aging, priority descending then ready_since ascending.
    using Key = std::tuple<std::int64_t, Tick, TaskId>;
    Key key(const TaskInfo& task) const;

    bool preemptive_;
    Tick aging_;
    MinHeap<Key> ready_;
};

}  // namespace timeslice
