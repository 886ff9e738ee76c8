// The shortest-job policies. sjf (non-preemptive) runs the ready task with the
// least total CPU demand; stcf (preemptive) the one with the least demand left,
// and a task that becomes ready with less left than the running one preempts it.
// Ties go to the earlier arrival, then to scenario order. Both need every task's
// demand (a program without `repeat forever`, or a C++ workload).
#pragma once

#include "keyed_policy.hpp"

namespace timeslice {

/// LengthKey orders the ready set: the length that counts, then arrival, then id.
using LengthKey = std::tuple<Tick, Tick, TaskId>;

/// ShortestFirst is sjf or stcf, as its Mode says.
class ShortestFirst final : public KeyedPolicy<LengthKey> {
  public:
    enum class Mode { Sjf, Stcf };
    explicit ShortestFirst(Mode mode) : mode_(mode) {}

    std::string_view name() const override { return mode_ == Mode::Sjf ? "sjf" : "stcf"; }
    bool preempts(const TaskInfo& ready, const TaskInfo& running) const override;
    /// victim() displaces the running task with the most work left.
    std::optional<CpuId> victim(const TaskInfo& ready,
                                std::span<const TaskInfo* const> running) const override;

  private:
    LengthKey key(const TaskInfo& task) const override;

    Mode mode_;
};

}  // namespace timeslice
