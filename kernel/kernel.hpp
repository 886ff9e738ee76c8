// The kernel: tasks as fibers on one emulated CPU, a virtual clock counted in
// instructions, and the scheduling loop that asks a Policy who runs next.
// docs/kernel.md explains the state machine, preemption and same-tick ordering.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "fiber.hpp"
#include "policies/fifo_policy.hpp"
#include "policy.hpp"
#include "stack_pool.hpp"
#include "task_spec.hpp"
#include "trace.hpp"

namespace timeslice {

/// KernelConfig is the emulated machine and the run's limits.
struct KernelConfig {
    std::uint32_t cores = 1;         ///< Only 1 CPU is emulated so far.
    Tick switch_cost = 0;            ///< Ticks a CPU spends switching from one task to another.
    Tick max_ticks = 1'000'000'000;  ///< The run stops when the clock reaches this.
    std::size_t max_events = 32'000'000;  ///< The run stops when the trace is this long.
    std::size_t stack_size = 64 * 1024;   ///< Bytes of stack per task.
};

/// Kernel is one emulated machine: it spawns tasks as fibers, runs them under a
/// Policy on a virtual clock, and records everything that happens in a Trace.
class Kernel {
  public:
    /// Kernel() makes a machine scheduled by `policy`. Throws std::invalid_argument
    /// for a configuration it cannot emulate (e.g. more than one core).
    Kernel(KernelConfig config, std::unique_ptr<Policy> policy);
    ~Kernel();
    Kernel(const Kernel&) = delete;
    Kernel& operator=(const Kernel&) = delete;

    /// spawn() adds a task that arrives at spec.arrival. Call it before run().
    TaskId spawn(TaskSpec spec);

    /// run() emulates until every task has ended or a limit stops the run. Call once.
    void run();

    /// trace() returns the record of the run so far.
    const Trace& trace() const { return trace_; }
    /// take_trace() moves the trace out of a kernel whose run is over.
    Trace take_trace() { return std::move(trace_); }

    // The task API's entry points (api.hpp calls them), each called on the stack of
    // the running task, which may be suspended inside and continued later.

    /// yield_now() puts the running task back in the ready queue and dispatches
    /// the task the policy picks (perhaps the same one).
    void yield_now();
    /// block_for() blocks the running task for `ticks` (its I/O) and dispatches
    /// another; the task becomes ready again `ticks` from now.
    void block_for(Tick ticks);
    /// budget_exhausted() is the timer trap: tick() and compute() call it when
    /// the budget granted at the last resume runs out. It preempts the running
    /// task when its time slice is over (or a better task is ready), else grants
    /// more budget and returns. It also stops the run at the tick limit.
    void budget_exhausted();
    /// now() returns the current tick, counting what the running task executed.
    Tick now();
    /// runs_task() returns whether a task is on the CPU (the task API is usable).
    bool runs_task() const { return cpu_.current != nullptr; }

  private:
    /// Task is the kernel's record of one task.
    struct Task {
        // Set at spawn; then only `info.cpu` (by sync_clock()) and `info.ready_since`
        // (by transition() and budget_exhausted()) change, and `body` is cleared
        // when the task ends (by finish()).
        Kernel* kernel = nullptr;
        TaskInfo info;
        std::function<void()> body;
        // Changed only by transition().
        TaskState state = TaskState::New;
        // Its fiber is made at its first dispatch; the saved context is in contexts_.
    };
    /// Cpu is one emulated processor: what runs on it and how long it may.
    struct Cpu {
        CpuId id{};
        Task* current = nullptr;  ///< The running task, or nullptr when free.
        Task* loaded = nullptr;   ///< The task whose context the CPU last ran.
        Tick slice = 0;           ///< The length of current's time slice (kForever: none).
        Tick slice_end = 0;       ///< The tick current's time slice ends at (kForever: never).
        Tick granted = 0;         ///< Budget handed to current at its last resume.
    };
    /// Pending is a future arrival or wake-up in the event queue.
    struct Pending {
        Tick when;
        std::uint64_t seq;  ///< Insertion order: breaks ties between equal `when`.
        TaskId task;
        EventKind kind;  ///< Arrive or Wake.
        bool operator>(const Pending& o) const {
            return when != o.when ? when > o.when : seq > o.seq;
        }
    };

    static Fiber task_entry(void* arg) noexcept;
    static void arrive_cancelled(Fiber&& from, void* arg);
    Fiber finish(Task& task, std::optional<std::string> error);
    Fiber leave_cancelled();
    void cancel_unfinished();
    [[noreturn, gnu::cold, gnu::noinline]] static void throw_cancelled();

    [[gnu::always_inline]] void transition(Task& task, EventKind kind, std::uint64_t detail = 0);
    // The policy's hooks, called directly when it is a FIFO policy (see fifo_).
    void enqueue(const TaskInfo& task, ReadyReason why) {
        if (fifo_ != nullptr) return fifo_->enqueue(task, why);
        policy_->enqueue(task, why);
    }
    OptionalTask pick() { return fifo_ != nullptr ? fifo_->pick(cpu_.id) : policy_->pick(cpu_.id); }
    OptionalTask peek() const { return fifo_ != nullptr ? fifo_->peek() : policy_->peek(); }
    Tick time_slice(const TaskInfo& task) const {
        return fifo_ != nullptr ? fifo_->time_slice(task) : policy_->time_slice(task);
    }
    [[noreturn, gnu::cold, gnu::noinline]] static void bad_transition(const Task& task,
                                                                      EventKind kind);
    /// trace_full() returns whether the trace has reached config_.max_events.
    bool trace_full() const { return trace_.events.size() >= config_.max_events; }
    [[gnu::always_inline]] void record(EventKind kind, TaskId task, std::uint64_t detail) {
        trace_.events.push_back({now_, detail, task, cpu_.id, kind});
    }
    void sync_clock();
    bool deliver_due() {
        return !pending_.empty() && pending_.top().when <= now_ && deliver_due_slow();
    }
    [[gnu::noinline]] bool deliver_due_slow();
    [[gnu::always_inline]] void grant();
    Tick start_slice(const Task& task);
    void renew_slice(Task& self);
    [[gnu::always_inline]] Task* dispatch_next();
    [[gnu::always_inline]] bool dispatch(Task& next);
    [[gnu::noinline]] void spend_switch(Task& next);
    void prefetch_next();
    [[gnu::cold, gnu::noinline]] void stop(StopReason reason);
    /// stopped() stops the run for `reason` and returns false, as dispatch() does then.
    bool stopped(StopReason reason) {
        stop(reason);
        return false;
    }
    [[gnu::always_inline]] void give_cpu(Task& self, Task* next);
    [[gnu::always_inline]] Fiber& context_of(Task* task);
    [[gnu::noinline]] void start(Task& task);
    Task& task(TaskId id) { return *tasks_[index(id)]; }
    Fiber& context(const Task& task) { return contexts_[index(task.info.id)]; }

    // Fixed at construction.
    KernelConfig config_;
    std::unique_ptr<Policy> policy_;
    /// policy_ when it is one of the FIFO policies (cooperative, round-robin, fifo),
    /// else nullptr. The kernel calls their final hooks directly: a virtual call per
    /// hook cost them about a tenth of a yield. Linux does the same for its fair class.
    FifoPolicy* fifo_;
    StackPool pool_;  // Declared before tasks_: stacks outlive the fibers on them.

    // The machine's state, changed only by the kernel's scheduling functions.
    std::vector<std::unique_ptr<Task>> tasks_;  ///< Indexed by TaskId; Tasks never move.
    /// Each task's saved context while it is not running, indexed by TaskId. Kept
    /// apart from the records, so that the next task's context can be prefetched
    /// without waiting for its record to arrive from memory.
    std::vector<Fiber> contexts_;
    Cpu cpu_;
    Tick now_ = 0;
    std::priority_queue<Pending, std::vector<Pending>, std::greater<>> pending_;
    std::uint64_t next_seq_ = 0;
    std::size_t live_ = 0;  ///< Tasks spawned and not yet done or failed.
    StopReason stop_ = StopReason::None;
    Tick progress_tick_ = 0;                ///< Clock at the last dispatch...
    std::uint64_t dispatches_at_tick_ = 0;  ///< ...and dispatches since it last moved.
    bool prefetch_ = false;  ///< Set by run() when there are enough tasks to be worth it.
    bool ran_ = false;
    bool cancelling_ = false;  ///< The kernel is ending the tasks a stopped run left.

    /// The context that called run() (or ~Kernel(), which cancels the tasks a
    /// stopped run left), while a task runs.
    Fiber main_;

    Trace trace_;
};

}  // namespace timeslice
