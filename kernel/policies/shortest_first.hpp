// The shortest-job policies. sjf (non-preemptive) runs the ready task with the
// least total CPU demand; stcf (preemptive) the one with the least demand left,
// and a task that becomes ready with less left than the running one preempts it.
// Ties go to the earlier arrival, then to scenario order. Both need every task's
// demand (a program without `repeat forever`, or a C++ workload).
#pragma once

#include <tuple>

#include "../policy.hpp"
#include "min_heap.hpp"

namespace timeslice {

/// ShortestFirst is sjf or stcf, as its Mode says.
class ShortestFirst final : public Policy {
  public:
    enum class Mode { Sjf, Stcf };
    explicit ShortestFirst(Mode mode) : mode_(mode) {}

    std::string_view name() const override { return mode_ == Mode::Sjf ? "sjf" : "stcf"; }
    void enqueue(const TaskInfo& task, ReadyReason why) override;
    std::optional<TaskId> pick(CpuId cpu) override;
    std::optional<TaskId> peek() const override;
    Tick time_slice(const TaskInfo&) const override { return kForever; }
    bool preempts(const TaskInfo& ready, const TaskInfo& running) const override;

  private:
    /// Key orders the ready set: the length that counts, then arrival, then id.
    using Key = std::tuple<Tick, Tick, TaskId>;
    Key key(const TaskInfo& task) const;

    Mode mode_;
    MinHeap<Key> ready_;
};

}  // namespace timeslice
