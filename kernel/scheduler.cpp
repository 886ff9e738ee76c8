// The model: the machine's moments in order, each CPU's turns, deliveries,
// dispatch and time slices. docs/kernel.md tells the same in prose.
//
// The model moves from moment to moment, in the order of (tick, deliveries before
// CPUs, CPU id). At each tick:
//   1. deliveries: the arrivals and wake-ups due are made ready, in the order queued;
//      each wakes an idle CPU, or else may ask the policy for a running task to preempt;
//   2. each CPU takes its turn, in id order, if it has something to do at the tick:
//      a. serve the call its task made at this tick (yield, io, lock...), if any;
//      b. else preempt its task if a delivery asked, or end its time slice;
//      c. if it is free, pick the next task, pay the switch cost if the CPU changes
//         tasks, and dispatch it.
// A task's code runs ahead of its CPU's clock: the kernel continues it as soon as its
// last call is served, and it runs on to its next call, which the model then serves
// when the CPU's clock gets there. A preemption or a slice end that falls before the
// call simply leaves the rest of those instructions to be charged when the task runs
// again. Only the model decides what happens when, so the order the host happens to
// run the tasks' code in never shows.
#include <algorithm>

#include "api.hpp"
#include "check.hpp"
#include "kernel.hpp"

namespace timeslice {
namespace {

/// slice_detail() is how a dispatch or renew event records a time slice: its
/// length, or 0 for none.
constexpr std::uint64_t slice_detail(Tick slice) { return slice == kForever ? 0 : slice; }

/// A livelock guard: this many calls served without the clock moving stops the run.
constexpr std::uint64_t kMaxCallsPerTick = 1'000'000;

}  // namespace

// Runs the model until some task's code has to run on (returned, with its budget
// granted), or the run is over (nullptr).
Kernel::Task* Kernel::advance() {
    for (;;) {
        if (stop_ != StopReason::None) [[unlikely]] {
            host_ = nullptr;
            return nullptr;
        }
        const Moment m = config_.stepping == Stepping::Lockstep ? next_lockstep_moment()
                                                                : next_moment();
        if (m.kind == Moment::Kind::Over) {
            end_run();
            return nullptr;
        }
        here_ = m.cpu != nullptr ? m.cpu->id : CpuId{0};
        if (m.tick > config_.max_ticks) {
            now_ = config_.max_ticks;
            stop(StopReason::MaxTicks);
            return nullptr;
        }
        TS_CHECK(m.tick >= now_, "the model went back in time");
        now_ = m.tick;
        if (m.kind == Moment::Kind::Deliver) {
            deliver();
        } else if (Task* next = turns_at_now(*m.cpu, m.kind)) {
            return next;
        }
    }
}

// The hot-path shortcut: with one CPU running ahead, the call `self` just made is
// the next moment unless a delivery, a preemption, the slice's end or the tick limit
// comes first, so its turn is taken without looking for it. advance() would take the
// same turn; this saves a fifth of a yield on one CPU (docs/benchmark.md). Lockstep
// never takes it, so the tests compare the two.
Kernel::Task* Kernel::advance_after_call(Task& self) {
    if (lone_cpu_) [[likely]] {
        Cpu& cpu = cpus_.front();
        const Tick at = later(cpu.clock, self.ahead);
        const bool next = at <= cpu.slice_end && at <= cpu.preempt_at &&
                          at <= config_.max_ticks &&
                          (pending_.empty() || pending_.top().when > at);
        if (next) [[likely]] {
            now_ = at;
            here_ = cpu.id;
            cpu.clock = at;
            self.info.cpu += self.ahead;
            self.ahead = 0;
            if (Task* resumed = serve(cpu, self)) return resume(cpu, *resumed);
        }
    }
    return advance();
}

// Runs `cpu`'s turns at now, starting with `first`, while it has more there: none
// can come before them (deliveries and lower CPUs went first, and a turn gives no
// other CPU an event this tick). Returns the task to resume, if it comes to that.
inline Kernel::Task* Kernel::turns_at_now(Cpu& cpu, Moment::Kind first) {
    if (first == Moment::Kind::Resume) return resume(cpu);
    for (;;) {
        if (Task* next = turn(cpu)) return resume(cpu, *next);
        if (stop_ != StopReason::None || limited(cpu, next_event(cpu)) != now_) return nullptr;
        if (needs_resume(cpu)) return resume(cpu);
    }
}

// The earliest thing to do: a delivery before any CPU at the same tick, then the
// CPU with the earliest event, the lowest id among equals. When nothing but the
// tick limit is ahead (tasks spinning forever), the run is over.
inline Kernel::Moment Kernel::next_moment() {
    Moment m{Moment::Kind::Over, kForever, nullptr};
    bool changes = false;
    for (Cpu& cpu : cpus_) {
        const Tick event = next_event(cpu);
        changes = changes || event != kForever;
        const Tick at = limited(cpu, event);
        if (at < m.tick) m = {Moment::Kind::Turn, at, &cpu};
    }
    if (!pending_.empty() && pending_.top().when <= m.tick) {
        return {Moment::Kind::Deliver, pending_.top().when, nullptr};
    }
    if (!changes && pending_.empty()) return {Moment::Kind::Over, kForever, nullptr};
    if (m.cpu != nullptr && needs_resume(*m.cpu)) m.kind = Moment::Kind::Resume;
    return m;
}

// The reference order: every slot of every tick in turn (deliveries, then CPU 0,
// 1...), never skipping a tick while some CPU executes a task's code; a task's
// code executes one instruction per resume (resume()). Only when no CPU executes
// anything does it jump to the next event.
Kernel::Moment Kernel::next_lockstep_moment() {
    for (;;) {
        if (lockstep_slot_ == 0) {
            if (!pending_.empty() && pending_.top().when == lockstep_tick_) {
                return {Moment::Kind::Deliver, lockstep_tick_, nullptr};
            }
            TS_CHECK(pending_.empty() || pending_.top().when > lockstep_tick_,
                     "a delivery fell behind the lockstep");
            lockstep_slot_ = 1;
        }
        for (; lockstep_slot_ <= cpus_.size(); ++lockstep_slot_) {
            Cpu& cpu = cpus_[lockstep_slot_ - 1];
            const Tick at = limited(cpu, next_event(cpu));
            TS_CHECK(at >= lockstep_tick_, "an event fell behind the lockstep");
            if (at != lockstep_tick_) continue;
            return {needs_resume(cpu) ? Moment::Kind::Resume : Moment::Kind::Turn, at, &cpu};
        }
        Tick next = kForever;
        Tick next_limited = kForever;
        bool executing = false;
        for (const Cpu& cpu : cpus_) {
            next = std::min(next, next_event(cpu));
            next_limited = std::min(next_limited, limited(cpu, next_event(cpu)));
            executing = executing || (cpu.state == CpuState::Running && !cpu.current->spinning);
        }
        if (next == kForever && pending_.empty()) return {Moment::Kind::Over, kForever, nullptr};
        if (!pending_.empty()) next_limited = std::min(next_limited, pending_.top().when);
        lockstep_tick_ = executing ? lockstep_tick_ + 1 : next_limited;
        lockstep_slot_ = 0;
    }
}

// The tick of `cpu`'s next event; kForever for none. A running task parked on no
// call has an unknown next event: its code must run on first (a Resume moment).
inline Tick Kernel::next_event(const Cpu& cpu) const {
    switch (cpu.state) {
        case CpuState::Idle:
            return cpu.wake_at;
        case CpuState::Switching:
            return cpu.switch_end;
        case CpuState::Running:
            break;
    }
    const Task& task = *cpu.current;
    if (task.request.call == Call::None) return cpu.clock;
    const Tick call_at = task.spinning ? cpu.retry_at : later(cpu.clock, task.ahead);
    return std::min(std::min(call_at, cpu.slice_end), cpu.preempt_at);
}

// A running CPU always meets the tick limit: the run stops there unless the task's
// call falls on it. (So a turn never gives another CPU an event at the same tick: a
// spinner's retry comes a latency after the release, and the limit does not move.)
inline Tick Kernel::limited(const Cpu& cpu, Tick event) const {
    return cpu.state == CpuState::Running ? std::min(event, config_.max_ticks) : event;
}

// Lets `cpu`'s task run on: it may execute up to the tick limit (one instruction at
// a time in lockstep), and comes back at its next call.
inline Kernel::Task* Kernel::resume(Cpu& cpu) { return resume(cpu, *cpu.current); }

inline Kernel::Task* Kernel::resume(Cpu& cpu, Task& task) {
    const Tick room = config_.max_ticks - cpu.clock;
    granted_ = config_.stepping == Stepping::Lockstep ? std::min<Tick>(room, 1) : room;
    detail::budget = granted_;
    host_ = &task;
    return &task;
}

// A turn returns the task its CPU must resume at once, when it knows it; else the
// loop looks at the CPU's next event.
inline Kernel::Task* Kernel::turn(Cpu& cpu) {
    switch (cpu.state) {
        case CpuState::Idle:
            return pick_next(cpu);
        case CpuState::Switching:
            return end_switch(cpu);
        case CpuState::Running:
            return running_turn(cpu);
    }
    return nullptr;
}

// Step 2 for a CPU running a task: its call comes first; at the tick limit the run
// stops (anything else would execute there); then a preemption or the end of its
// slice, then a spinner's retry; else its code wants to run on.
inline Kernel::Task* Kernel::running_turn(Cpu& cpu) {
    settle(cpu);
    Task& task = *cpu.current;
    if (!task.spinning && task.ahead == 0 && task.request.call != Call::Budget) {
        return serve(cpu, task);
    }
    if (now_ >= config_.max_ticks) return stopped(StopReason::MaxTicks);
    if (cpu.preempt_at <= now_) return end_slice(cpu, task, ReadyReason::Preempted);
    if (cpu.slice_end <= now_) return end_slice(cpu, task, ReadyReason::SliceEnded);
    if (task.spinning) {
        retry_spin(cpu, task);
        return nullptr;
    }
    task.request.call = Call::None;
    return &task;
}

// Charges the ticks `cpu` ran its task since its clock, up to now: the task's code
// executed them already (a spinner's spin executes no code of the task's).
inline void Kernel::settle(Cpu& cpu) {
    Task& task = *cpu.current;
    const Tick ran = now_ - cpu.clock;
    cpu.clock = now_;
    task.info.cpu += ran;
    if (task.spinning) return;
    TS_CHECK(ran <= task.ahead, "a CPU ran past its task's call");
    task.ahead -= ran;
}

// Serves the call `task` made now. Calls that leave the task running return it, to
// be resumed at once; the others have the loop look at the CPU again.
inline Kernel::Task* Kernel::serve(Cpu& cpu, Task& task) {
    if (now_ != progress_tick_) {
        progress_tick_ = now_;
        calls_at_tick_ = 0;
    }
    if (++calls_at_tick_ > kMaxCallsPerTick) [[unlikely]]
        return stopped(StopReason::NoProgress);
    if (trace_full()) [[unlikely]]
        return stopped(StopReason::MaxEvents);
    switch (task.request.call) {
        case Call::Yield:
            task.request.call = Call::None;
            return yield(cpu, task);
        case Call::Now:
            task.request.call = Call::None;
            task.result = now_;
            return &task;
        default:
            serve_other(cpu, task);
            return nullptr;
    }
}

// The calls a task makes less often than yield() and now().
void Kernel::serve_other(Cpu& cpu, Task& task) {
    const Request request = std::exchange(task.request, Request{});
    switch (request.call) {
        case Call::Io:
            return block(cpu, task, request.ticks);
        case Call::Exit:
        case Call::Fail:
            return end_task(cpu, task, request.call == Call::Fail);
        case Call::Lock:
        case Call::SpinLock:
            return serve_lock(cpu, task, request);
        case Call::Unlock:
            return serve_unlock(task, request);
        case Call::SemWait:
            return serve_sem_wait(cpu, task, request);
        case Call::SemPost:
            return serve_sem_post(task, request);
        case Call::Wait:
            return serve_wait(cpu, task, request);
        case Call::Notify:
        case Call::NotifyAll:
            return serve_notify(task, request);
        case Call::Spawn:
            return serve_spawn(task, request);
        case Call::Join:
            return serve_join(cpu, task, request);
        case Call::Yield:
        case Call::Now:
        case Call::None:
        case Call::Budget:
            break;
    }
    TS_CHECK(false, "the kernel was asked to serve no call");
}

inline Kernel::Task* Kernel::yield(Cpu& cpu, Task& task) {
    transition(task, EventKind::Yield);
    leave(cpu, task);
    enqueue(task.info, ReadyReason::Yielded);
    return pick_next(cpu);
}

// I/O takes no CPU: the task wakes `ticks` from now, as a delivery. I/O of no length
// completes at once, behind the tasks already ready.
void Kernel::block(Cpu& cpu, Task& task, Tick ticks) {
    transition(task, EventKind::Block, ticks);
    leave(cpu, task);
    if (ticks == 0) {
        transition(task, EventKind::Wake);
        enqueue(task.info, ReadyReason::Woke);
    } else {
        pending_.push({later(now_, ticks), next_seq_++, task.info.id, EventKind::Wake});
    }
    (void)pick_next(cpu);
}

void Kernel::end_task(Cpu& cpu, Task& task, bool failed) {
    if (failed) {
        transition(task, EventKind::Fail, trace_.messages.size());
        trace_.messages.push_back(std::move(task.message));
    } else {
        transition(task, EventKind::Exit);
    }
    --live_;
    --arrived_;
    wake_joiners(task);
    vacate(cpu, task);
}

// `task` no longer runs on `cpu` (it blocked on an object, or ended): unless that
// leaves every task waiting for another, the CPU picks the next.
void Kernel::vacate(Cpu& cpu, Task& task) {
    leave(cpu, task);
    if (check_deadlock()) return;
    (void)pick_next(cpu);
}

// Step 1: each task due now becomes ready and is placed.
void Kernel::deliver() {
    while (!pending_.empty() && pending_.top().when == now_) {
        const Pending due = pending_.top();
        pending_.pop();
        Task& ready = by_id(due.task);
        transition(ready, due.kind);
        const bool arrives = due.kind == EventKind::Arrive;
        if (arrives) ++arrived_;
        enqueue(ready.info, arrives ? ReadyReason::Arrived : ReadyReason::Woke);
        place(ready);
    }
}

// A task that became ready takes an idle CPU, which picks in its turn; when no CPU
// is idle, the policy may name a running task for it to displace, which its CPU
// preempts in its turn (each CPU at most once). A task a CPU is switching to counts
// as running there: an interrupt during a switch is served when the switch ends,
// so the task is dispatched and preempted at once.
void Kernel::place(Task& ready) {
    if (coast_from_ != kForever) [[unlikely]]
        stop_coasting();
    for (Cpu& cpu : cpus_) {
        if (cpu.state == CpuState::Idle && cpu.wake_at == kForever) {
            cpu.wake_at = now_;
            return;
        }
    }
    if (!preemptive_) return;
    for (std::size_t i = 0; i < cpus_.size(); ++i) {
        Cpu& cpu = cpus_[i];
        const bool candidate = cpu.state != CpuState::Idle && cpu.preempt_at == kForever;
        if (candidate && cpu.state == CpuState::Running) settle(cpu);  // Judged as of now.
        running_[i] = candidate ? &cpu.current->info : nullptr;
    }
    if (const std::optional<CpuId> victim = policy_->victim(ready.info, running_)) {
        cpus_[index(*victim)].preempt_at = now_;
    }
}

// The running task was preempted, or its slice ended: it goes back to the policy,
// which may give it the CPU again at once (a fresh slice, no switch).
Kernel::Task* Kernel::end_slice(Cpu& cpu, Task& task, ReadyReason why) {
    cpu.preempt_at = kForever;
    task.info.ready_since = now_;
    leave(cpu, task);
    enqueue(task.info, why);
    const OptionalTask next = pick(cpu.id);
    TS_CHECK(next.has_value(), "the policy lost the task it was just given");
    if (*next == task.info.id) {
        renew_slice(cpu, task);
        if (lone_cpu_ && fifo_ != nullptr && !peek()) coast(cpu);
        return nullptr;
    }
    transition(task, EventKind::Preempt);
    task.spinning = false;  // A spinner goes on spinning when it runs again.
    return begin_dispatch(cpu, by_id(*next));
}

inline void Kernel::leave(Cpu& cpu, Task& task) {
    coast_from_ = kForever;
    if (fifo_ == nullptr) policy_->leave(cpu.id, task.info);
}

// Step 2c: the CPU is free; it takes the task the policy picks, if any, or idles.
inline Kernel::Task* Kernel::pick_next(Cpu& cpu) {
    if (const OptionalTask id = pick(cpu.id)) return begin_dispatch(cpu, by_id(*id));
    cpu.state = CpuState::Idle;
    cpu.current = nullptr;
    cpu.preempt_at = kForever;
    cpu.wake_at = kForever;
    return nullptr;
}

// Puts `next` on the CPU: first the switch, if the CPU last ran another task and
// switching costs ticks, then the dispatch. Nothing is dispatched at the tick limit.
inline Kernel::Task* Kernel::begin_dispatch(Cpu& cpu, Task& next) {
    if (trace_full()) [[unlikely]]
        return stopped(StopReason::MaxEvents);
    if (now_ >= config_.max_ticks) [[unlikely]]
        return stopped(StopReason::MaxTicks);
    if (config_.switch_cost > 0 && cpu.loaded != &next && cpu.loaded != nullptr) {
        begin_switch(cpu, next);
        return nullptr;
    }
    return dispatch(cpu, next);
}

void Kernel::begin_switch(Cpu& cpu, Task& next) {
    const Tick cost = std::min(config_.switch_cost, config_.max_ticks - now_);
    record(EventKind::Switch, next.info.id, cost);
    cpu.state = CpuState::Switching;
    cpu.current = &next;
    cpu.preempt_at = kForever;
    cpu.switch_end = later(now_, cost);
}

// The switch is over: the task runs, unless a delivery during the switch asked to
// preempt it (place()), which it does now, before the task executes anything.
Kernel::Task* Kernel::end_switch(Cpu& cpu) {
    if (now_ >= config_.max_ticks) return stopped(StopReason::MaxTicks);
    const bool preempted = cpu.preempt_at != kForever;
    Task* const resumed = dispatch(cpu, *cpu.current);
    if (!preempted) return resumed;
    cpu.preempt_at = now_;
    return nullptr;
}

// The task runs on the CPU from now with a fresh slice. Its code goes on from
// where it is parked: on a call still to serve, or, when none, it is resumed at
// once (returned).
inline Kernel::Task* Kernel::dispatch(Cpu& cpu, Task& next) {
    cpu.state = CpuState::Running;
    cpu.current = &next;
    cpu.loaded = &next;
    cpu.clock = now_;
    cpu.preempt_at = kForever;
    cpu.retry_at = kForever;
    if (prefetch_) prefetch_next();
    const Tick slice = start_slice(cpu, next);
    transition(next, EventKind::Dispatch, slice_detail(slice));
    return next.request.call == Call::None ? &next : nullptr;
}

// Starts a time slice for `task`, as long as the policy says, from now; returns
// its length.
inline Tick Kernel::start_slice(Cpu& cpu, const Task& task) {
    const Tick slice = cpu.slice = time_slice(task.info);
    cpu.slice_end = later(now_, slice);
    return slice;
}

// Gives the running task a fresh time slice. The trace records it only when the
// slice's length changed (MLFQ moved the task, say): a renewal of the same length
// is implied by the end of the last slice, and a lone task with a short slice
// would otherwise fill the trace with them.
void Kernel::renew_slice(Cpu& cpu, Task& task) {
    const Tick previous = cpu.slice;
    const Tick slice = start_slice(cpu, task);
    if (slice == previous) return;
    if (trace_full()) [[unlikely]]
        return stop(StopReason::MaxEvents);
    transition(task, EventKind::Renew, slice_detail(slice));
}

// A lone task under round-robin renews its slice at every slice end until another
// task is ready: a turn per slice for nothing the trace records, a billion of them
// for a task that computes a billion ticks with a quantum of 1. So it coasts: no
// slice end until a task becomes ready, and then the one the renewals would have
// reached (stop_coasting()). Only on one CPU, where a task becomes ready only by a
// delivery, before the CPU's turn at that tick; lockstep never coasts, so the tests
// compare the two.
void Kernel::coast(Cpu& cpu) {
    coast_from_ = now_;
    cpu.slice_end = kForever;
}

void Kernel::stop_coasting() {
    Cpu& cpu = cpus_.front();
    const Tick elapsed = now_ - coast_from_;
    const Tick slices = elapsed / cpu.slice + (elapsed % cpu.slice != 0 ? 1 : 0);
    const bool past_the_end = slices > kForever / cpu.slice;
    cpu.slice_end = past_the_end ? kForever : later(coast_from_, slices * cpu.slice);
    coast_from_ = kForever;
}

// With many tasks, the task that runs after the one dispatched is far off in
// memory: start fetching its record and saved context now.
void Kernel::prefetch_next() {
    if (const OptionalTask after = peek()) {
        const char* const soon = reinterpret_cast<const char*>(tasks_[index(*after)].get());
        __builtin_prefetch(soon);
        __builtin_prefetch(soon + 64);
        __builtin_prefetch(soon + 128);
        contexts_[index(*after)].prefetch();
    }
}

// Nothing is left to happen: either every task has ended (or was never spawned),
// or the tasks left wait for each other, or spin on CPUs nothing will take from
// them: a deadlock.
void Kernel::end_run() {
    host_ = nullptr;
    here_ = CpuId{0};
    if (arrived_ > 0) stop(StopReason::Deadlock);
}

Kernel::Task* Kernel::stopped(StopReason reason) {
    stop(reason);
    return nullptr;
}

void Kernel::stop(StopReason reason) {
    stop_ = reason;
    trace_.stop = reason;
    const Cpu& cpu = cpus_[index(here_)];
    const bool running = cpu.state == CpuState::Running && cpu.current != nullptr &&
                         cpu.current->state == TaskState::Running;
    record(EventKind::Stop, running ? cpu.current->info.id : TaskId{0},
           static_cast<std::uint64_t>(reason));
}

}  // namespace timeslice
