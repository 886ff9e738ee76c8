// The scheduling-policy interface. The kernel owns tasks, stacks, the clock and
// every state change (mechanism); a Policy only decides who runs next and for how
// long (policy). The hooks do not depend on how many CPUs there are.
// See docs/kernel.md for when each hook is called and how ties are broken.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

#include "ids.hpp"

namespace timeslice {

/// TaskInfo is what a policy may know about a task. The kernel keeps it current.
struct TaskInfo {
    TaskId id{};  ///< Also the task's scenario order, the last tie-breaker.
    Tick arrival = 0;
    std::int32_t priority = 0;    ///< Scenario's `priority`; larger means more important.
    std::uint32_t tickets = 100;  ///< Scenario's `tickets`, for lottery and stride.
    std::int32_t nice = 0;        ///< Scenario's `nice`, -20..19, for cfs.
    std::optional<Tick> demand;   ///< Total CPU ticks the task needs, when known in advance.
    Tick cpu = 0;                 ///< Ticks it has run so far.
    Tick ready_since = 0;         ///< The tick it last became ready (or its slice ended).
};

/// OptionalTask is a policy's answer to "who runs next?": a task, or nobody. It
/// reads like std::optional<TaskId>, but is one 32-bit word (no task has the id
/// 2^32 - 1), so a pick returns in a register instead of through memory.
class OptionalTask {
  public:
    constexpr OptionalTask() = default;
    constexpr OptionalTask(std::nullopt_t) {}
    constexpr OptionalTask(TaskId id) : id_(id) {}

    constexpr bool has_value() const { return id_ != kNobody; }
    constexpr explicit operator bool() const { return has_value(); }
    /// operator*() returns the task; there must be one.
    constexpr TaskId operator*() const { return id_; }
    friend constexpr bool operator==(OptionalTask, OptionalTask) = default;

    /// kNobody is the id no task may have.
    static constexpr TaskId kNobody{std::numeric_limits<std::uint32_t>::max()};

  private:
    TaskId id_ = kNobody;
};

/// ReadyReason says why a task is handed to Policy::enqueue().
enum class ReadyReason : std::uint8_t {
    Arrived,     ///< It is new.
    Woke,        ///< Its I/O completed.
    Yielded,     ///< It gave up the CPU voluntarily.
    Preempted,   ///< A better task became ready while it ran.
    SliceEnded,  ///< Its time slice is used up; it may be picked again at once.
};

/// Policy decides the order in which ready tasks run, and for how long.
class Policy {
  public:
    virtual ~Policy() = default;

    /// name() returns the name users select the policy by, e.g. "round-robin".
    virtual std::string_view name() const = 0;

    /// enqueue() puts `task` into the ready queue. The kernel calls it exactly once
    /// each time a task becomes ready, for the reason `why`.
    virtual void enqueue(const TaskInfo& task, ReadyReason why) = 0;

    /// pick() removes the task to run next on `cpu` from the ready queue and returns
    /// it, or returns nothing when no task is ready. Called whenever a CPU is free.
    virtual OptionalTask pick(CpuId cpu) = 0;

    /// peek() returns the task pick() would return next, when the policy knows it
    /// without work. The kernel only uses it to fetch that task's memory early,
    /// which matters with many tasks; the default, nothing, is always correct.
    virtual OptionalTask peek() const { return std::nullopt; }

    /// time_slice() returns how many instructions `task` may execute once dispatched
    /// before the timer interrupts it, or kForever. Called at each dispatch.
    virtual Tick time_slice(const TaskInfo& task) const = 0;

    /// preempts() tells whether `ready`, which has just become ready, should take the
    /// CPU from `running` at once. Called for each arrival and wake-up while a task
    /// runs; the default, for policies that switch only at slice ends, is never.
    virtual bool preempts(const TaskInfo& ready, const TaskInfo& running) const {
        (void)ready;
        (void)running;
        return false;
    }
};

}  // namespace timeslice
