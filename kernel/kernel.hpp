// The kernel: tasks as fibers on one or more emulated CPUs, each CPU with its own
// virtual clock counted in instructions, a Policy that says who runs next, and the
// locks, semaphores and condition variables tasks share. docs/kernel.md explains the
// state machine, how the CPUs are interleaved exactly, preemption and the order of
// things that happen at the same tick.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "fiber.hpp"
#include "hot_path.hpp"
#include "policies/fifo_policy.hpp"
#include "policy.hpp"
#include "stack_pool.hpp"
#include "sync/condition.hpp"
#include "sync/lock.hpp"
#include "sync/semaphore.hpp"
#include "sync/sync_spec.hpp"
#include "task_spec.hpp"
#include "trace.hpp"

namespace timeslice {

/// kMaxCores is the most CPUs a machine may have.
inline constexpr std::uint32_t kMaxCores = 64;

/// Stepping is how the kernel runs tasks' code between their calls into it. Both
/// give the same trace, byte for byte (docs/kernel.md says why; the tests check it).
enum class Stepping {
    RunAhead,  ///< A task's code runs on to its next call at once: the fast way.
    Lockstep,  ///< Every CPU executes one instruction at a time, all in tick order: a
               ///< slow, obviously ordered reference for the tests.
};

/// KernelConfig is the emulated machine and the run's limits.
struct KernelConfig {
    std::uint32_t cores = 1;  ///< CPUs, 1 to kMaxCores.
    Tick switch_cost = 0;     ///< Ticks a CPU spends switching from one task to another.
    /// Ticks before a task made ready by another task (a lock or a semaphore handed
    /// over, a condition notified, a spawn, the end of a task it joins) can run: the
    /// time an OS takes to wake a thread. At least 1.
    Tick wakeup_latency = 1;
    Tick max_ticks = 1'000'000'000;       ///< The run stops at this tick; below kForever.
    std::size_t max_events = 32'000'000;  ///< The run stops when the trace is this long.
    std::size_t stack_size = 64 * 1024;   ///< Bytes of stack per task.
    Stepping stepping = Stepping::RunAhead;
};

/// Kernel is one emulated machine: it spawns tasks as fibers, runs them under a
/// Policy on its CPUs, and records everything that happens in a Trace.
class Kernel {
  public:
    /// Kernel() makes a machine scheduled by `policy`. Throws std::invalid_argument
    /// for a configuration it cannot emulate (no CPU, more than kMaxCores, a wake-up
    /// latency of 0).
    Kernel(KernelConfig config, std::unique_ptr<Policy> policy);
    ~Kernel();
    Kernel(const Kernel&) = delete;
    Kernel& operator=(const Kernel&) = delete;

    /// declare() makes the locks, semaphores and condition variables tasks may use,
    /// their ids being their places in `sync`'s lists. Call it before run(), once.
    void declare(SyncSpec sync);

    /// spawn() adds a task that arrives at spec.arrival, or when another task
    /// spawns it (spec.spawned). Call it before run().
    TaskId spawn(TaskSpec spec);

    /// run() emulates until every task has ended or a limit stops the run. Call once.
    void run();

    /// trace() returns the record of the run so far.
    const Trace& trace() const { return trace_; }
    /// take_trace() moves the trace out of a kernel whose run is over.
    Trace take_trace() { return std::move(trace_); }

    // The task API's entry points (api.hpp calls them), each called on the stack of
    // the task making the call, which is parked there until the kernel has served
    // the call and continues it. docs/kernel.md lists what each call does.

    void yield_now();
    void block_for(Tick ticks);
    /// budget_exhausted() is where tick() and compute() enter when the budget
    /// granted at the last resume runs out: the task wants to execute on.
    void budget_exhausted();
    Tick now();
    void lock(LockId lock);
    void spin_lock(LockId lock);
    void unlock(LockId lock);
    void sem_wait(SemaphoreId semaphore);
    void sem_post(SemaphoreId semaphore);
    void wait(ConditionId condition, LockId lock);
    void notify(ConditionId condition);
    void notify_all(ConditionId condition);
    void spawn_task(TaskId task);
    void join(TaskId task);
    /// runs_task() returns whether a task's code is executing (the task API is usable),
    /// also to be cancelled (each call then throws to unwind it).
    bool runs_task() const { return host_ != nullptr || cancelling_; }

  private:
    /// Call is the task API call a task's code is parked in.
    enum class Call : std::uint8_t {
        None,    ///< None: its last call was served, or its code has not started.
        Budget,  ///< Its code wants to execute on past the budget it was granted.
        Yield,
        Io,
        Exit,
        Fail,
        Now,
        Lock,
        SpinLock,
        Unlock,
        SemWait,
        SemPost,
        Wait,
        Notify,
        NotifyAll,
        Spawn,
        Join,
    };
    /// Request is a call and its arguments.
    struct Request {
        Call call = Call::None;
        std::uint32_t object = 0;  ///< The lock, semaphore, condition or task it names.
        std::uint32_t lock = 0;    ///< Wait: the lock to give up and take again.
        Tick ticks = 0;            ///< Io: how long.
    };

    /// Task is the kernel's record of one task. A task's code runs ahead of the
    /// model: it executes on to its next call as soon as it is resumed, and the model
    /// charges those instructions tick by tick as its CPU's clock passes them
    /// (docs/kernel.md, "Running ahead").
    struct Task {
        // Changed by the scheduling functions.
        TaskInfo info;
        TaskState state = TaskState::New;  ///< Changed only by transition().
        Tick ahead = 0;                    ///< Instructions executed, not yet charged.
        Request request;                   ///< The call its code is parked in.
        bool spinning = false;             ///< On a CPU, spinning for request.object.
        bool spin_waiting = false;         ///< Waits in spin_lock() for a held lock.
        bool started = false;              ///< A spawned task: it has been spawned.
        Tick result = 0;                   ///< What the served call returns (now()).
        std::optional<std::string> error;  ///< The served call throws this (misuse).
        // Set at spawn; `body` is cleared when the task ends (by finish()).
        Kernel* kernel = nullptr;
        std::int32_t base_priority = 0;  ///< Its priority without inheritance.
        bool spawned = false;            ///< It arrives when another task spawns it.
        std::function<void()> body;
        std::string message;  ///< Why it failed, until the model records it.
        // Its fiber is made at its first dispatch; the saved context is in contexts_.
    };

    /// CpuState says what a CPU is doing.
    enum class CpuState : std::uint8_t {
        Idle,       ///< Nothing to run: it waits for a delivery.
        Switching,  ///< Spending the switch cost before it dispatches `current`.
        Running,    ///< Running `current` (which may be spinning).
    };
    /// Cpu is one emulated processor. Its clock is how far the model has settled it;
    /// the time of its next event follows from the fields (next_event()).
    struct Cpu {
        CpuId id{};
        CpuState state = CpuState::Idle;
        Task* current = nullptr;     ///< Running: its task; Switching: the task it switches to.
        Task* loaded = nullptr;      ///< The task whose context the CPU last ran.
        Tick clock = 0;              ///< Running: current's CPU time is charged up to here.
        Tick slice = 0;              ///< The length of current's time slice (kForever: none).
        Tick slice_end = kForever;   ///< The tick current's time slice ends at.
        Tick preempt_at = kForever;  ///< A delivery asked to preempt current then.
                                     ///< Switching: once the switch is over.
        Tick wake_at = kForever;     ///< Idle: a delivery asked it to pick then.
        Tick retry_at = kForever;    ///< Running a spinner: its lock was freed; retry then.
        Tick switch_end = 0;         ///< Switching: the tick the switch is over.
    };
    /// Pending is a future arrival or wake-up, delivered at its tick.
    struct Pending {
        Tick when;
        std::uint64_t seq;  ///< Insertion order: breaks ties between equal `when`.
        TaskId task;
        EventKind kind;  ///< Arrive or Wake.
        bool operator>(const Pending& o) const {
            return when != o.when ? when > o.when : seq > o.seq;
        }
    };
    /// Moment is the next thing the model does.
    struct Moment {
        enum class Kind : std::uint8_t { Over, Deliver, Turn, Resume } kind;
        Tick tick = 0;
        Cpu* cpu = nullptr;
    };

    // Lifecycle and the task API (kernel.cpp).
    static Fiber task_entry(void* arg) noexcept;
    static void arrive_cancelled(Fiber&& from, void* arg);
    Fiber finish(Task& task, std::optional<std::string> error);
    Fiber leave_cancelled();
    void cancel_unfinished();
    [[noreturn]] TS_COLD static void throw_cancelled();
    TS_ON_HOT_PATH Task& enter(Call call);
    TS_ON_HOT_PATH Task& enter(const Request& request);
    void call(Request request);
    void give_cpu(Task& self, Task* next);
    Fiber& context_of(Task* task);
    TS_OFF_HOT_PATH void start(Task& task);

    // The model (scheduler.cpp); hot_path.hpp says what the markings buy.
    Task* advance();
    Task* advance_after_call(Task& self);
    TS_ON_HOT_PATH Moment next_moment();
    TS_OFF_HOT_PATH Moment next_lockstep_moment();
    TS_ON_HOT_PATH Tick next_event(const Cpu& cpu) const;
    TS_ON_HOT_PATH Tick limited(const Cpu& cpu, Tick event) const;
    TS_ON_HOT_PATH Task* turns_at_now(Cpu& cpu, Moment::Kind first);
    /// needs_resume() returns whether `cpu` runs a task whose code must run on
    /// before its next event is known.
    static bool needs_resume(const Cpu& cpu) {
        return cpu.state == CpuState::Running && cpu.current->request.call == Call::None;
    }
    TS_ON_HOT_PATH Task* resume(Cpu& cpu);
    TS_ON_HOT_PATH Task* resume(Cpu& cpu, Task& task);
    TS_ON_HOT_PATH Task* turn(Cpu& cpu);
    TS_ON_HOT_PATH Task* running_turn(Cpu& cpu);
    TS_ON_HOT_PATH Task* serve(Cpu& cpu, Task& task);
    TS_OFF_HOT_PATH void serve_other(Cpu& cpu, Task& task);
    TS_ON_HOT_PATH void settle(Cpu& cpu);
    TS_OFF_HOT_PATH void deliver();
    void place(Task& ready);
    TS_ON_HOT_PATH Task* yield(Cpu& cpu, Task& task);
    TS_OFF_HOT_PATH void block(Cpu& cpu, Task& task, Tick ticks);
    TS_OFF_HOT_PATH void end_task(Cpu& cpu, Task& task, bool failed);
    void vacate(Cpu& cpu, Task& task);
    TS_OFF_HOT_PATH Task* end_slice(Cpu& cpu, Task& task, ReadyReason why);
    TS_ON_HOT_PATH void leave(Cpu& cpu, Task& task);
    TS_ON_HOT_PATH Task* pick_next(Cpu& cpu);
    TS_ON_HOT_PATH Task* begin_dispatch(Cpu& cpu, Task& next);
    TS_OFF_HOT_PATH void begin_switch(Cpu& cpu, Task& next);
    TS_OFF_HOT_PATH Task* end_switch(Cpu& cpu);
    TS_ON_HOT_PATH Task* dispatch(Cpu& cpu, Task& next);
    TS_ON_HOT_PATH Tick start_slice(Cpu& cpu, const Task& task);
    TS_OFF_HOT_PATH void renew_slice(Cpu& cpu, Task& task);
    void coast(Cpu& cpu);
    void stop_coasting();
    TS_OFF_HOT_PATH void prefetch_next();
    TS_OFF_HOT_PATH void end_run();
    TS_COLD void stop(StopReason reason);
    /// stopped() stops the run for `reason` and returns no task to resume.
    TS_COLD Task* stopped(StopReason reason);

    // Synchronization (sync/sync_requests.cpp), kept out of the loop's hot path.
    TS_OFF_HOT_PATH void serve_lock(Cpu& cpu, Task& task, const Request& request);
    TS_OFF_HOT_PATH void serve_unlock(Task& task, const Request& request);
    TS_OFF_HOT_PATH void serve_sem_wait(Cpu& cpu, Task& task, const Request& request);
    TS_OFF_HOT_PATH void serve_sem_post(Task& task, const Request& request);
    TS_OFF_HOT_PATH void serve_wait(Cpu& cpu, Task& task, const Request& request);
    TS_OFF_HOT_PATH void serve_notify(Task& task, const Request& request);
    TS_OFF_HOT_PATH void serve_spawn(Task& task, const Request& request);
    TS_OFF_HOT_PATH void serve_join(Cpu& cpu, Task& task, const Request& request);
    TS_OFF_HOT_PATH void retry_spin(Cpu& cpu, Task& task);
    void take_lock(Lock& lock, LockId id, Task& task);
    void release_lock(Lock& lock, LockId id);
    void block_on(Cpu& cpu, Task& task, SyncRef what, const Request& request);
    void hand_off(Task& to, SyncRef what);
    void wake_joiners(const Task& ended);
    void misuse(Task& task, std::string what);
    void refresh_priority(Task& task, std::size_t depth = 0);
    void reconsider(Task& task);
    std::int32_t inherited_priority(const Task& task) const;
    bool check_deadlock();
    std::size_t count_stuck() const;

    // The policy's hooks, called directly when it is a FIFO policy (see fifo_).
    void enqueue(const TaskInfo& task, ReadyReason why) {
        if (fifo_ != nullptr) return fifo_->enqueue(task, why);
        policy_->enqueue(task, why);
    }
    OptionalTask pick(CpuId cpu) {
        return fifo_ != nullptr ? fifo_->pick(cpu) : policy_->pick(cpu);
    }
    OptionalTask peek() const { return fifo_ != nullptr ? fifo_->peek() : policy_->peek(); }
    Tick time_slice(const TaskInfo& task) const {
        return fifo_ != nullptr ? fifo_->time_slice(task) : policy_->time_slice(task);
    }

    /// transition() is the one function that changes a task's state: it checks the
    /// old state against the state machine (kEdges) and records the event.
    TS_ON_HOT_PATH void transition(Task& task, EventKind kind, std::uint64_t detail = 0) {
        const Edge& edge = edge_of(kind);
        if (!edge.of_task || task.state != edge.from) [[unlikely]]
            bad_transition(task, kind);
        task.state = edge.to;
        if (edge.to == TaskState::Ready) task.info.ready_since = now_;
        record(kind, task.info.id, detail);
    }
    [[noreturn]] TS_COLD static void bad_transition(const Task& task,
                                                                      EventKind kind);
    /// trace_full() returns whether the trace has reached config_.max_events.
    bool trace_full() const { return trace_.events.size() >= config_.max_events; }
    TS_ON_HOT_PATH void record(EventKind kind, TaskId task, std::uint64_t detail) {
        trace_.events.push_back({now_, detail, task, here_, kind});
    }
    /// by_id() returns the kernel's record of the task `id`.
    Task& by_id(TaskId id) { return *tasks_[index(id)]; }
    Fiber& context(const Task& task) { return contexts_[index(task.info.id)]; }

    // Fixed at construction.
    KernelConfig config_;
    std::unique_ptr<Policy> policy_;
    /// policy_ when it is one of the FIFO policies (cooperative, round-robin, fifo),
    /// else nullptr. The kernel calls their final hooks directly: a virtual call per
    /// hook cost them about a tenth of a yield. Linux does the same for its fair class.
    FifoPolicy* fifo_;
    /// Whether the policy may preempt a running task for one that becomes ready.
    bool preemptive_;
    /// One CPU, running ahead: a task's call is the next moment unless something is
    /// due before it (advance_after_call()).
    bool lone_cpu_;
    StackPool pool_;  // Declared before tasks_: stacks outlive the fibers on them.

    // The machine's state, changed only by the kernel's scheduling functions.
    std::vector<std::unique_ptr<Task>> tasks_;  ///< Indexed by TaskId; Tasks never move.
    /// Each task's saved context while its code is not executing, indexed by TaskId.
    /// Kept apart from the records, so that the next task's context can be
    /// prefetched without waiting for its record to arrive from memory.
    std::vector<Fiber> contexts_;
    std::vector<Cpu> cpus_;
    /// The running task of each CPU, for Policy::victim() (nullptr: none, or already
    /// chosen to be preempted). Kept to save an allocation per delivery.
    std::vector<const TaskInfo*> running_;
    std::vector<Lock> locks_;
    std::vector<Semaphore> semaphores_;
    std::vector<Condition> conditions_;
    std::map<std::uint32_t, WaitQueue> joiners_;  ///< By the task they join.
    /// Coasting: on one CPU under round-robin with nothing else ready, the running
    /// task's slices renew silently from this tick on, and the CPU's slice_end is
    /// kForever until a task becomes ready (place()) or the task leaves (leave()).
    /// kForever: not coasting.
    Tick coast_from_ = kForever;
    Tick now_ = 0;       ///< The tick of the moment the model is at.
    CpuId here_{};       ///< The CPU whose turn it is (cpu 0 for deliveries).
    Task* host_ = nullptr;  ///< The task whose code executes (or whose stack we are on).
    Tick granted_ = 0;      ///< The budget host_ was resumed with.
    std::priority_queue<Pending, std::vector<Pending>, std::greater<>> pending_;
    std::uint64_t next_seq_ = 0;
    std::size_t live_ = 0;     ///< Tasks spawned and not yet done or failed.
    std::size_t arrived_ = 0;  ///< Of those, the ones that have arrived.
    /// Of those, the ones that wait for another task: blocked on a synchronization
    /// object and not yet handed it, or spinning for a lock that is held.
    std::size_t stuck_ = 0;
    StopReason stop_ = StopReason::None;
    Tick progress_tick_ = 0;           ///< The tick of the last call served...
    std::uint64_t calls_at_tick_ = 0;  ///< ...and the calls served since it last moved.
    Tick lockstep_tick_ = 0;           ///< Lockstep: the tick being stepped, and what
    std::uint32_t lockstep_slot_ = 0;  ///< comes next in it: 0 deliveries, c + 1 CPU c.
    bool prefetch_ = false;  ///< Set by run() when there are enough tasks to be worth it.
    bool ran_ = false;
    bool cancelling_ = false;  ///< The kernel is ending the tasks a stopped run left.

    /// The context that called run() (or ~Kernel(), which cancels the tasks a
    /// stopped run left), while a task runs.
    Fiber main_;

    Trace trace_;
};

}  // namespace timeslice
