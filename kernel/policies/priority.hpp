// The priority policy: the ready task with the highest `priority` runs (larger
// numbers are more important); equals run in the order they became ready, then
// in scenario order. With `preemptive` = 1 a task that becomes ready with a higher
// priority than the running one takes the CPU at once. With `aging` = A > 0, a
// waiting task gains one priority level for every A ticks it has waited, so no
// task starves: a task of priority p ready since tick s ranks as p + (now - s) / A.
#pragma once

#include "keyed_policy.hpp"

namespace timeslice {

/// PriorityKey sorts best first: with aging, by ready_since − p·A; without, by
/// priority, highest first, then ready_since.
using PriorityKey = TaskRank;

class Priority final : public KeyedPolicy<PriorityKey> {
  public:
    /// Priority() makes the policy; `preemptive` lets a more important task that
    /// becomes ready take the CPU at once, and `aging` (0: none) is the ticks of
    /// waiting that raise a task one priority level.
    Priority(bool preemptive, Tick aging) : preemptive_(preemptive), aging_(aging) {}

    std::string_view name() const override { return "priority"; }
    bool preempts(const TaskInfo& ready, const TaskInfo& running) const override;
    /// victim() displaces the running task of the lowest priority.
    std::optional<CpuId> victim(const TaskInfo& ready,
                                std::span<const TaskInfo* const> running) const override;
    /// requeue() re-ranks a ready task whose priority was raised or restored.
    void requeue(const TaskInfo& task) override { rekey(task); }

  private:
    PriorityKey key(const TaskInfo& task) const override;

    bool preemptive_;
    Tick aging_;
};

}  // namespace timeslice
