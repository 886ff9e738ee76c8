// The kernel's life cycle and the task API's way in. There is no scheduler thread
// or fiber: a task that calls into the kernel parks on its call and runs the model
// (scheduler.cpp) on its own stack, until the model needs some task's code to run
// on: it then switches straight to that task, or simply returns when it is itself.
// A yield between two tasks on one CPU therefore costs one fiber switch each way.
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

/// Cancelled is thrown inside a task whose kernel is being destroyed while the
/// task is suspended, so that its stack unwinds and its destructors run.
struct Cancelled {};

/// kMaxReservedEvents caps the trace's up-front reservation: about 100 GiB of
/// address space (room for the longest record each), backed only as it fills.
constexpr std::size_t kMaxReservedEvents = std::size_t{1} << 32;

/// Runs with more tasks than this prefetch the next task at each dispatch; with
/// fewer, every task's memory stays in the cache anyway.
constexpr std::size_t kPrefetchFrom = 256;

void check_config(const KernelConfig& config) {
    if (config.cores < 1 || config.cores > kMaxCores) {
        throw std::invalid_argument(
            fmt::format("cores = {}: a machine has 1 to {} CPUs", config.cores, kMaxCores));
    }
    if (config.wakeup_latency < 1) {
        throw std::invalid_argument("wakeup_latency = 0: a wake-up takes at least 1 tick");
    }
    if (config.max_ticks == kForever) {
        throw std::invalid_argument("max_ticks = kForever: kForever means never, so the "
                                    "latest limit is kForever - 1");
    }
}

}  // namespace

Kernel::Kernel(KernelConfig config, std::unique_ptr<Policy> policy)
    : config_(config),
      policy_(std::move(policy)),
      fifo_(dynamic_cast<FifoPolicy*>(policy_.get())),
      preemptive_(fifo_ == nullptr),
      lone_cpu_(config.cores == 1 && config.stepping == Stepping::RunAhead),
      pool_(config.stack_size) {
    check_config(config_);
    cpus_.resize(config_.cores);
    for (std::uint32_t i = 0; i < config_.cores; ++i)
        cpus_[i].id = CpuId{static_cast<std::uint16_t>(i)};
    running_.resize(config_.cores);
    // Address space for the whole run, plus what may follow the last check of the
    // limit; beyond kMaxReservedEvents (a limit set as "no limit") it grows as needed.
    trace_.events.reserve(std::min(config_.max_events, kMaxReservedEvents) + 1024);
    trace_.policy = std::string(policy_->name());
    trace_.cores = config_.cores;
    trace_.switch_cost = config_.switch_cost;
    trace_.wakeup_latency = config_.wakeup_latency;
    policy_->start(config_.cores);
}

Kernel::~Kernel() { cancel_unfinished(); }

void Kernel::declare(SyncSpec sync) {
    TS_CHECK(!ran_ && locks_.empty() && semaphores_.empty() && conditions_.empty(),
             "declare() once, before run()");
    locks_.resize(sync.locks.size());
    for (std::size_t i = 0; i < locks_.size(); ++i) locks_[i].inherit = sync.locks[i].inherit;
    semaphores_.resize(sync.semaphores.size());
    for (std::size_t i = 0; i < semaphores_.size(); ++i) {
        TS_CHECK(sync.semaphores[i].initial >= 0, "a semaphore cannot start below 0");
        semaphores_[i].count = sync.semaphores[i].initial;
        semaphores_[i].max = sync.semaphores[i].max;
    }
    conditions_.resize(sync.conditions.size());
    trace_.sync = std::move(sync);
}

TaskId Kernel::spawn(TaskSpec spec) {
    TS_CHECK(!ran_, "spawn() after run()");
    const TaskId id{static_cast<std::uint32_t>(tasks_.size())};
    TS_CHECK(id != OptionalTask::kNobody, "too many tasks");
    Task& task = *tasks_.emplace_back(std::make_unique<Task>());
    task.info = {.id = id,
                 .arrival = spec.arrival,
                 .priority = spec.priority,
                 .tickets = spec.tickets,
                 .nice = spec.nice,
                 .demand = spec.demand,
                 .cpu = 0,
                 .ready_since = 0};
    task.kernel = this;
    task.base_priority = spec.priority;
    task.spawned = spec.spawned;
    task.body = std::move(spec.body);
    contexts_.emplace_back();
    trace_.tasks.push_back({std::move(spec.name), spec.arrival, spec.spawned, spec.priority});
    if (!spec.spawned) pending_.push({spec.arrival, next_seq_++, id, EventKind::Arrive});
    ++live_;
    return id;
}

void Kernel::run() {
    TS_CHECK(!ran_, "run() called twice");
    ran_ = true;
    prefetch_ = tasks_.size() > kPrefetchFrom;
    Kernel* const outer = std::exchange(detail::current_kernel, this);
    if (Task* first = advance()) Fiber::hand_over_keeping(std::move(context_of(first)), main_);
    detail::current_kernel = outer;
    trace_.end = now_;
}

// Every call of the task API, from the calling task's stack: park on the call,
// run the model until some task's code must run on, and continue that task.
// Callers make the switch their last act where they can (see Fiber::hand_over()).

inline Kernel::Task& Kernel::enter(Call call) {
    if (cancelling_) [[unlikely]]
        throw_cancelled();
    Task& self = *host_;
    self.ahead += granted_ - detail::budget;
    self.request.call = call;
    return self;
}

inline Kernel::Task& Kernel::enter(const Request& request) {
    Task& self = enter(request.call);
    self.request = request;
    return self;
}

// A call that returns nothing, but may throw when the task misused it.
void Kernel::call(Request request) {
    Task& self = enter(request);
    give_cpu(self, advance_after_call(self));
    if (self.error) [[unlikely]]
        throw std::logic_error(*std::exchange(self.error, std::nullopt));
}

void Kernel::yield_now() {
    Task& self = enter(Call::Yield);
    give_cpu(self, advance_after_call(self));
}

void Kernel::block_for(Tick ticks) {
    Task& self = enter({.call = Call::Io, .ticks = ticks});
    give_cpu(self, advance_after_call(self));
}

void Kernel::budget_exhausted() {
    Task& self = enter(Call::Budget);
    give_cpu(self, advance());
}

Tick Kernel::now() {
    Task& self = enter(Call::Now);
    give_cpu(self, advance_after_call(self));
    return self.result;
}

void Kernel::lock(LockId lock) { call({Call::Lock, index(lock)}); }
void Kernel::spin_lock(LockId lock) { call({Call::SpinLock, index(lock)}); }
void Kernel::unlock(LockId lock) { call({Call::Unlock, index(lock)}); }
void Kernel::sem_wait(SemaphoreId semaphore) { call({Call::SemWait, index(semaphore)}); }
void Kernel::sem_post(SemaphoreId semaphore) { call({Call::SemPost, index(semaphore)}); }
void Kernel::wait(ConditionId condition, LockId lock) {
    call({Call::Wait, index(condition), index(lock)});
}
void Kernel::notify(ConditionId condition) { call({Call::Notify, index(condition)}); }
void Kernel::notify_all(ConditionId condition) { call({Call::NotifyAll, index(condition)}); }
void Kernel::spawn_task(TaskId task) { call({Call::Spawn, index(task)}); }
void Kernel::join(TaskId task) { call({Call::Join, index(task)}); }

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

// Runs on the stack of a task whose code returned or threw: the task parks on its
// end, which the model serves when its CPU's clock gets there, and the fiber ends by
// naming the context to continue with. Nothing keeps the ended task's context.
Fiber Kernel::finish(Task& self, std::optional<std::string> error) {
    if (cancelling_) return leave_cancelled();
    if (error) self.message = std::move(*error);
    enter(error ? Call::Fail : Call::Exit);
    self.body = nullptr;
    return std::move(context_of(advance()));
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

// Leaves `self`, parked on its call, for `next`: returns at once when `next` is
// `self` (its call was served and it runs on), and switches to the context that
// called run() when `next` is nullptr (the run is over). After a stop, a task is
// continued only to be cancelled (cancel_unfinished()): its Arrival throws, and
// the code after the call never runs.
inline void Kernel::give_cpu(Task& self, Task* next) {
    if (next == &self) return;
    Fiber::hand_over_keeping(std::move(context_of(next)), context(self));
}

// Returns the context to continue `task` with (the context that called run()
// for nullptr), making the task's fiber when it has never run. A task being
// continued is parked, so its saved context is empty only if it never ran.
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
