// The scheduling-policy interface. The kernel owns tasks, stacks, the clocks and
// every state change (mechanism); a Policy only decides who runs next, for how
// long, and which running task a newly ready one displaces (policy). One ready
// queue serves every CPU. See docs/kernel.md for when each hook is called and how
// ties are broken.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>

#include "ids.hpp"

namespace timeslice {

/// TaskInfo is what a policy may know about a task. The kernel keeps it current.
struct TaskInfo {
    TaskId id{};  ///< Also the task's scenario order, the last tie-breaker.
    Tick arrival = 0;
    /// Scenario's `priority`, larger meaning more important; raised while the task
    /// holds a lock with priority inheritance that a more important task waits for.
    std::int32_t priority = 0;
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

    /// start() tells the policy how many CPUs the machine has. The kernel calls it
    /// once, before any other hook; the default ignores it.
    virtual void start(std::uint32_t cores) { (void)cores; }

    /// enqueue() puts `task` into the ready queue. The kernel calls it exactly once
    /// each time a task becomes ready, for the reason `why`.
    virtual void enqueue(const TaskInfo& task, ReadyReason why) = 0;

    /// pick() removes the task to run next on `cpu` from the ready queue and returns
    /// it, or returns nothing when no task is ready. Called whenever a CPU is free.
    virtual OptionalTask pick(CpuId cpu) = 0;

    /// leave() says that `task`, which pick() gave `cpu`, stopped running there: it
    /// yielded, was preempted, blocked or ended. Called before enqueue() when the
    /// task is still ready; the default ignores it.
    virtual void leave(CpuId cpu, const TaskInfo& task) {
        (void)cpu;
        (void)task;
    }

    /// peek() returns the task pick() would return next, when the policy knows it
    /// without work. The kernel uses it to fetch that task's memory early, which
    /// matters with many tasks, and to ask preempts() whether it should displace a
    /// running task whose inherited priority has just dropped back. The default,
    /// nothing, is correct for a policy whose preempts() ignores priorities.
    virtual OptionalTask peek() const { return std::nullopt; }

    /// time_slice() returns how many instructions `task` may execute once dispatched
    /// before the timer interrupts it, or kForever. Called at each dispatch.
    virtual Tick time_slice(const TaskInfo& task) const = 0;

    /// preempts() tells whether `ready`, which has just become ready, should take the
    /// CPU from `running` at once. The default, for policies that switch only at
    /// slice ends, is never.
    virtual bool preempts(const TaskInfo& ready, const TaskInfo& running) const {
        (void)ready;
        (void)running;
        return false;
    }

    /// victim() returns the CPU whose task `ready`, which has just become ready,
    /// should take over, or nothing. `running` holds each CPU's running task, or the
    /// one it is switching to (nullptr for a CPU that runs none, or whose task is
    /// already to be preempted). Called for each arrival and wake-up while no CPU is
    /// idle. The default returns the first CPU whose task preempts() says `ready`
    /// should displace.
    virtual std::optional<CpuId> victim(const TaskInfo& ready,
                                        std::span<const TaskInfo* const> running) const {
        for (std::size_t cpu = 0; cpu < running.size(); ++cpu) {
            if (running[cpu] != nullptr && preempts(ready, *running[cpu])) {
                return CpuId{static_cast<std::uint16_t>(cpu)};
            }
        }
        return std::nullopt;
    }

    /// requeue() says that the priority of `task`, which is in the ready queue,
    /// changed (priority inheritance). The default ignores it, as policies that do
    /// not order by priority may.
    virtual void requeue(const TaskInfo& task) { (void)task; }

  protected:
    /// worst_victim() is victim() for policies that rank tasks: among the CPUs whose
    /// task preempts() says `ready` should displace, the one whose task has the
    /// largest `badness` (the first CPU among equals).
    template <class Badness>
    std::optional<CpuId> worst_victim(const TaskInfo& ready,
                                      std::span<const TaskInfo* const> running,
                                      Badness badness) const {
        std::optional<CpuId> worst;
        for (std::size_t cpu = 0; cpu < running.size(); ++cpu) {
            const TaskInfo* task = running[cpu];
            if (task == nullptr || !preempts(ready, *task)) continue;
            if (!worst || badness(*task) > badness(*running[index(*worst)])) {
                worst = CpuId{static_cast<std::uint16_t>(cpu)};
            }
        }
        return worst;
    }
};

}  // namespace timeslice
