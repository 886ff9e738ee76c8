// The kernel's scheduling loop. There is no separate scheduler thread or fiber:
// the task that gives up the CPU runs the loop on its own stack and switches
// straight to the next task, so a yield costs one fiber switch each way.
//
// Whenever a task stops running (it yields, blocks, ends, or its budget runs out):
//   1. settle the clock: charge the instructions it executed since it was resumed;
//   2. deliver the arrivals and wake-ups due at or before now, in the order queued;
//   3. settle the task: back to the policy (yield, preempt), blocked, or done;
//   4. pick the next task; if none is ready, idle until the next event;
//   5. charge the switch cost if the CPU changes tasks, dispatch, switch to it.
// Preemption is the budget trap running these same steps: that is the whole
// difference between cooperative and preemptive scheduling.
#include "kernel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "api.hpp"
#include "check.hpp"
#include "kernel_access.hpp"

namespace timeslice {

namespace detail {
thread_local constinit Kernel* current_kernel = nullptr;

}  // namespace detail

namespace {

/// Edge is the state change an event kind makes: from → to (the same state for
/// Renew, which only restarts the slice).
struct Edge {
    bool of_task;  ///< Whether a task makes this event through transition().
    TaskState from;
    TaskState to;
};

/// kEdges holds each EventKind's Edge, in the order of the enumeration.
constexpr Edge kEdges[] = {
    {true, TaskState::New, TaskState::Ready},        // Arrive
    {true, TaskState::Ready, TaskState::Running},    // Dispatch
    {false, TaskState::New, TaskState::New},         // Switch
    {true, TaskState::Running, TaskState::Ready},    // Yield
    {true, TaskState::Running, TaskState::Ready},    // Preempt
    {true, TaskState::Running, TaskState::Running},  // Renew: the policy asked, same task.
    {true, TaskState::Running, TaskState::Blocked},  // Block
    {true, TaskState::Blocked, TaskState::Ready},    // Wake
    {true, TaskState::Running, TaskState::Done},     // Exit
    {true, TaskState::Running, TaskState::Failed},   // Fail
    {false, TaskState::New, TaskState::New},         // Stop
};
static_assert(std::size(kEdges) == static_cast<std::size_t>(EventKind::Stop) + 1);

/// Cancelled is thrown inside a task whose kernel is being destroyed while the
/// task is suspended, so that its stack unwinds and its destructors run.
struct Cancelled {};

/// Runs with more tasks than this prefetch the next task at each dispatch; with
/// fewer, every task's memory stays in the cache anyway.
constexpr std::size_t kPrefetchFrom = 256;

/// kMaxReservedEvents caps the trace's up-front reservation: about 100 GiB of
/// address space (room for the longest record each), backed only as it fills.
constexpr std::size_t kMaxReservedEvents = std::size_t{1} << 32;

/// slice_detail() is how a dispatch or renew event records a time slice: its
/// length, or 0 for none.
constexpr std::uint64_t slice_detail(Tick slice) { return slice == kForever ? 0 : slice; }

/// A livelock guard: this many dispatches without the clock moving stops the run.
constexpr std::uint64_t kMaxDispatchesPerTick = 1'000'000;

}  // namespace

Kernel::Kernel(KernelConfig config, std::unique_ptr<Policy> policy)
    : config_(config),
      policy_(std::move(policy)),
      fifo_(dynamic_cast<FifoPolicy*>(policy_.get())),
      pool_(config.stack_size) {
    if (config_.cores != 1) {
        throw std::invalid_argument(
            fmt::format("cores = {}: this version emulates exactly 1 CPU", config_.cores));
    }
    // Address space for the whole run, plus what may follow the last check of the
    // limit; beyond kMaxReservedEvents (a limit set as "no limit") it grows as needed.
    trace_.events.reserve(std::min(config_.max_events, kMaxReservedEvents) + 1024);
    trace_.policy = std::string(policy_->name());
    trace_.cores = config_.cores;
    trace_.switch_cost = config_.switch_cost;
}

Kernel::~Kernel() { cancel_unfinished(); }

TaskId Kernel::spawn(TaskSpec spec) {
    TS_CHECK(!ran_, "spawn() after run()");
    const TaskId id{static_cast<std::uint32_t>(tasks_.size())};
    TS_CHECK(id != OptionalTask::kNobody, "too many tasks");
    TaskInfo info{.id = id,
                  .arrival = spec.arrival,
                  .priority = spec.priority,
                  .tickets = spec.tickets,
                  .nice = spec.nice,
                  .demand = spec.demand,
                  .cpu = 0,
                  .ready_since = 0};
    Task& task = *tasks_.emplace_back(std::make_unique<Task>());
    task.kernel = this;
    task.info = info;
    task.body = std::move(spec.body);
    contexts_.emplace_back();
    trace_.tasks.push_back({std::move(spec.name), spec.arrival});
    pending_.push({spec.arrival, next_seq_++, id, EventKind::Arrive});
    ++live_;
    return id;
}

void Kernel::run() {
    TS_CHECK(!ran_, "run() called twice");
    ran_ = true;
    prefetch_ = tasks_.size() > kPrefetchFrom;
    Kernel* const outer = std::exchange(detail::current_kernel, this);
    deliver_due();
    if (Task* first = dispatch_next())
        Fiber::hand_over_keeping(std::move(context_of(first)), main_);
    detail::current_kernel = outer;
    trace_.end = now_;
}

Tick Kernel::now() {
    sync_clock();
    return now_;
}

void Kernel::yield_now() {
    Task& self = *cpu_.current;
    sync_clock();
    deliver_due();
    transition(self, EventKind::Yield);
    enqueue(self.info, ReadyReason::Yielded);
    give_cpu(self, dispatch_next());
}

void Kernel::block_for(Tick ticks) {
    Task& self = *cpu_.current;
    sync_clock();
    deliver_due();
    transition(self, EventKind::Block, ticks);
    const Tick wake = ticks > kForever - now_ ? kForever : now_ + ticks;  // Never overflow.
    pending_.push({wake, next_seq_++, self.info.id, EventKind::Wake});
    deliver_due();  // I/O of 0 ticks completes at once.
    give_cpu(self, dispatch_next());
}

void Kernel::budget_exhausted() {
    Task& self = *cpu_.current;
    sync_clock();
    if (now_ >= config_.max_ticks) {
        stop(StopReason::MaxTicks);
        give_cpu(self, nullptr);
    }
    const bool better_ready = deliver_due();
    if (!better_ready && now_ < cpu_.slice_end) return grant();
    // The timer fired (or a better task arrived): offer the CPU back to the policy.
    self.info.ready_since = now_;
    enqueue(self.info, better_ready ? ReadyReason::Preempted : ReadyReason::SliceEnded);
    const OptionalTask next = pick();
    TS_CHECK(next.has_value(), "the policy lost the task it was just given");
    if (*next == self.info.id) {  // Nobody better: a fresh slice, no switch.
        renew_slice(self);
        return grant();
    }
    transition(self, EventKind::Preempt);
    cpu_.current = nullptr;
    Task& other = task(*next);
    give_cpu(self, dispatch(other) ? &other : nullptr);
}

// A task's own exceptions are caught here and end it as failed; one the kernel
// itself throws while settling the task (out of memory) ends the program, as
// noexcept makes it, rather than unwinding off the bottom of the fiber.
Fiber Kernel::task_entry(void* arg) noexcept {
    Task& self = *static_cast<Task*>(arg);
    Kernel& kernel = *self.kernel;
    std::optional<std::string> error;
    try {
        self.body();
    } catch (const Cancelled&) {
        return kernel.leave_cancelled();
    } catch (const std::exception& e) {
        error = e.what();
    } catch (...) {
        error = "unknown exception";
    }
    return kernel.finish(self, std::move(error));
}

// Runs on the stack of a task whose code returned or threw; returns the context to
// continue with, since a fiber ends by naming its successor. Nothing keeps the
// ended task's context, so no save slot is set.
Fiber Kernel::finish(Task& self, std::optional<std::string> error) {
    if (cancelling_) return leave_cancelled();
    sync_clock();
    deliver_due();
    if (error) {
        transition(self, EventKind::Fail, trace_.messages.size());
        trace_.messages.push_back(std::move(*error));
    } else {
        transition(self, EventKind::Exit);
    }
    self.body = nullptr;
    Task* next = dispatch_next();
    return std::move(context_of(next));
}

void Kernel::throw_cancelled() { throw Cancelled{}; }

void Kernel::bad_transition(const Task& task, EventKind kind) {
    detail::panic(
        __FILE__, __LINE__,
        fmt::format("task {} cannot {} while {}", task.info.id, name(kind), name(task.state)));
}

// Ends a cancelled task's fiber by returning to the kernel's destructor.
Fiber Kernel::leave_cancelled() { return std::move(main_); }

// Ends the fibers of the tasks a stopped run left suspended: each is resumed
// once, finds Cancelled thrown where it stopped, and unwinds to its entry.
void Kernel::cancel_unfinished() {
    cancelling_ = true;
    detail::budget = 0;
    Kernel* const outer = std::exchange(detail::current_kernel, this);
    const Fiber::Arrival unwind{&Kernel::arrive_cancelled, this};
    for (const std::unique_ptr<Task>& task : tasks_) {
        if (context(*task)) Fiber::hand_over(std::move(context(*task)), unwind);
    }
    detail::current_kernel = outer;
}

// The Arrival of a task continued only to be cancelled: keeps the context that
// continued it, to return to when the task's code has unwound, and throws there.
void Kernel::arrive_cancelled(Fiber&& from, void* arg) {
    static_cast<Kernel*>(arg)->main_ = std::move(from);
    throw_cancelled();
}

inline void Kernel::transition(Task& task, EventKind kind, std::uint64_t detail) {
    const Edge edge = kEdges[static_cast<std::size_t>(kind)];
    if (!edge.of_task || task.state != edge.from) [[unlikely]]
        bad_transition(task, kind);
    task.state = edge.to;
    if (edge.to == TaskState::Ready) task.info.ready_since = now_;
    if (edge.to == TaskState::Done || edge.to == TaskState::Failed) --live_;
    record(kind, task.info.id, detail);
}

// Charges the instructions the running task executed since its budget was granted.
void Kernel::sync_clock() {
    if (cancelling_) [[unlikely]]
        throw_cancelled();
    const Tick used = cpu_.granted - detail::budget;
    now_ += used;
    cpu_.current->info.cpu += used;
    cpu_.granted = detail::budget;
}

// Makes every arrival and wake-up due by now ready; returns whether the policy
// wants one of them to preempt the running task. deliver_due() in kernel.hpp
// calls this only when something is due.
bool Kernel::deliver_due_slow() {
    bool preempt = false;
    while (!pending_.empty() && pending_.top().when <= now_) {
        const Pending due = pending_.top();
        pending_.pop();
        Task& t = task(due.task);
        transition(t, due.kind);
        enqueue(t.info, due.kind == EventKind::Arrive ? ReadyReason::Arrived : ReadyReason::Woke);
        if (cpu_.current && cpu_.current->state == TaskState::Running) {
            preempt = preempt || policy_->preempts(t.info, cpu_.current->info);
        }
    }
    return preempt;
}

// Hands the running task a budget that ends at its slice end (which is never past
// the tick limit) or the next event, whichever comes first, so the kernel regains
// control exactly then.
inline void Kernel::grant() {
    Tick until = cpu_.slice_end;
    if (!pending_.empty()) until = std::min(until, pending_.top().when);
    TS_CHECK(until > now_, "a task was resumed with nothing to execute");
    cpu_.granted = detail::budget = until - now_;
}

// Starts a time slice for `task`, as long as the policy says, from now; returns
// its length. The kernel must regain control at the tick limit anyway, so the
// slice's end is kept no later than that.
inline Tick Kernel::start_slice(const Task& task) {
    const Tick slice = cpu_.slice = time_slice(task.info);
    Tick end;
    if (__builtin_add_overflow(now_, slice, &end)) end = kForever;
    cpu_.slice_end = std::min(end, config_.max_ticks);
    return slice;
}

// Gives the running task a fresh time slice. The trace records it only when the
// slice's length changed (MLFQ moved the task, say): a renewal of the same length
// is implied by the end of the last slice, and a lone task with a short slice
// would otherwise fill the trace with them.
void Kernel::renew_slice(Task& self) {
    const Tick previous = cpu_.slice;
    const Tick slice = start_slice(self);
    if (slice == previous) return;
    if (trace_full()) [[unlikely]] {
        stop(StopReason::MaxEvents);
        give_cpu(self, nullptr);
    }
    transition(self, EventKind::Renew, slice_detail(slice));
}

// Chooses and dispatches the next task on the CPU, idling until an event when no
// task is ready. Returns nullptr when the run is over (all ended, or stopped).
// Callers have delivered what is due at the current tick.
inline Kernel::Task* Kernel::dispatch_next() {
    cpu_.current = nullptr;
    for (;;) {
        if (stop_ != StopReason::None) return nullptr;
        if (const OptionalTask id = pick()) {
            Task& next = task(*id);
            return dispatch(next) ? &next : nullptr;
        }
        if (pending_.empty()) {
            TS_CHECK(live_ == 0, "tasks are alive but none is ready and none will wake");
            return nullptr;
        }
        const Tick next_event = pending_.top().when;
        if (next_event >= config_.max_ticks) {
            now_ = config_.max_ticks;
            stop(StopReason::MaxTicks);
            return nullptr;
        }
        now_ = next_event;  // Idle until then.
        deliver_due();
    }
}

// Puts `next` on the CPU: the switch cost if the CPU last ran another task, then
// the dispatch with a fresh time slice. The limits are checked here, once per
// dispatch, so the running task's budget never has to. Returns whether `next`
// runs: false when a limit stopped the run instead.
inline bool Kernel::dispatch(Task& next) {
    if (now_ != progress_tick_) {
        progress_tick_ = now_;
        dispatches_at_tick_ = 0;
    }
    if (++dispatches_at_tick_ > kMaxDispatchesPerTick) [[unlikely]]
        return stopped(StopReason::NoProgress);
    if (trace_full()) [[unlikely]]
        return stopped(StopReason::MaxEvents);
    if (config_.switch_cost > 0 && cpu_.loaded != &next && cpu_.loaded != nullptr) {
        spend_switch(next);
    }
    if (now_ >= config_.max_ticks) [[unlikely]]
        return stopped(StopReason::MaxTicks);
    cpu_.loaded = &next;
    cpu_.current = &next;
    if (prefetch_) prefetch_next();
    const Tick slice = start_slice(next);
    transition(next, EventKind::Dispatch, slice_detail(slice));
    grant();
    return true;
}

// Charges the switch to `next`; arrivals and wake-ups during it happen at their
// own ticks.
void Kernel::spend_switch(Task& next) {
    const Tick cost = std::min(config_.switch_cost, config_.max_ticks - now_);
    record(EventKind::Switch, next.info.id, cost);
    const Tick switch_end = now_ + cost;
    while (!pending_.empty() && pending_.top().when <= switch_end) {
        now_ = std::max(now_, pending_.top().when);
        deliver_due();
    }
    now_ = switch_end;
}

// With many tasks, the task that runs after `next` is far off in memory: start
// fetching its record and saved context now, while `next` runs.
void Kernel::prefetch_next() {
    if (const OptionalTask after = peek()) {
        const char* const soon = reinterpret_cast<const char*>(tasks_[index(*after)].get());
        __builtin_prefetch(soon);
        __builtin_prefetch(soon + 64);
        __builtin_prefetch(soon + 128);
        contexts_[index(*after)].prefetch();
    }
}

void Kernel::stop(StopReason reason) {
    stop_ = reason;
    trace_.stop = reason;
    const TaskId who = cpu_.current ? cpu_.current->info.id : TaskId{0};
    record(EventKind::Stop, who, static_cast<std::uint64_t>(reason));
}

// Leaves `self` (which has been settled) for `next`: returns at once when `next`
// is `self`, and switches to the context that called run() when `next` is nullptr.
// Callers whose task will be continued make this call their last act, so that
// the switch is the last act too (see Fiber::hand_over()). After a stop, the task is
// continued only to be cancelled (cancel_unfinished()): its Arrival throws, and the
// code after the call never runs. No task gives up the CPU while the kernel is
// cancelling: every entry into the kernel settles the clock first, which throws then.
inline void Kernel::give_cpu(Task& self, Task* next) {
    if (next == &self) return;
    Fiber::hand_over_keeping(std::move(context_of(next)), context(self));
}

// Returns the context to continue `task` with (the context that called run()
// for nullptr), making the task's fiber when it has never run. A task being
// continued is not running, so its saved context is empty only if it never ran.
inline Fiber& Kernel::context_of(Task* task) {
    if (task == nullptr) return main_;
    Fiber& saved = context(*task);
    if (!saved) [[unlikely]]
        start(*task);
    return saved;
}

// Makes the fiber of a task dispatched for the first time.
void Kernel::start(Task& task) { context(task) = Fiber(pool_, &Kernel::task_entry, &task); }

}  // namespace timeslice
