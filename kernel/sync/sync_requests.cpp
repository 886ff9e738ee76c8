// Serving the synchronization calls: locks (blocking and spinning), semaphores,
// condition variables, spawn and join. Each call is served at its tick in its CPU's
// turn (scheduler.cpp), so calls that touch the same object are served in the
// order of (tick, CPU id). A task that another task's call makes ready (a hand-off,
// a notify, a spawn, the end of a task it joins) wakes wakeup_latency ticks later,
// as a delivery. A misused call fails the task that made it (docs/kernel.md).
#include <fmt/format.h>

#include <climits>

#include "../check.hpp"
#include "../kernel.hpp"

namespace timeslice {
// lock and spin_lock: a free lock is taken at once; a held one blocks the caller in
// its wait queue, or, for spin_lock, keeps it on the CPU spinning.
void Kernel::serve_lock(Cpu& cpu, Task& task, const Request& request) {
    const LockId id{request.object};
    Lock& lock = locks_[request.object];
    if (lock.owner == task.info.id) {
        return misuse(task, fmt::format("it locks {}, which it holds already: a lock is not "
                                        "recursive",
                                        describe(trace_, id)));
    }
    if (!lock.held()) {
        if (task.spin_waiting) {
            task.spin_waiting = false;
            --lock.spinners;
        }
        return take_lock(lock, id, task);
    }
    if (request.call == Call::SpinLock) {
        task.request = request;
        task.spinning = true;
        if (!task.spin_waiting) {
            task.spin_waiting = true;
            ++lock.spinners;
            ++stuck_;
        }
        transition(task, EventKind::Spin, SyncRef(id).packed());
        check_deadlock();
        return;
    }
    // The holder inherits before the caller leaves its CPU, so that the CPU's next
    // pick already sees the holder's new priority.
    lock.waiters.push(task.info.id);
    if (lock.inherit) refresh_priority(by_id(*lock.owner));
    block_on(cpu, task, id, request);
}

void Kernel::serve_unlock(Task& task, const Request& request) {
    const LockId id{request.object};
    Lock& lock = locks_[request.object];
    if (lock.owner != task.info.id) {
        const std::string holder =
            lock.held() ? fmt::format("{} holds it", trace_.tasks[index(*lock.owner)].name)
                        : std::string("nobody holds it");
        return misuse(task, fmt::format("it unlocks {}, which it does not hold ({})",
                                        describe(trace_, id), holder));
    }
    transition(task, EventKind::Release, SyncRef(id).packed());
    release_lock(lock, id);
    if (lock.inherit) refresh_priority(task);
}

// A spinner whose lock was freed tries again: it takes the lock unless another
// task took it first, and then it spins on.
void Kernel::retry_spin(Cpu& cpu, Task& task) {
    cpu.retry_at = kForever;
    const LockId id{task.request.object};
    Lock& lock = locks_[task.request.object];
    if (lock.held()) return;
    task.spinning = false;
    task.spin_waiting = false;
    --lock.spinners;
    task.request = {};
    take_lock(lock, id, task);
}

// The tasks spinning on a lock are stuck while it is held, and only then.
void Kernel::take_lock(Lock& lock, LockId id, Task& task) {
    lock.take(task.info.id, now_);
    stuck_ += lock.spinners;
    transition(task, EventKind::Acquire, SyncRef(id).packed());
    if (lock.spinners > 0) check_deadlock();
}

// A released lock goes straight to its first waiter (with priority inheritance, its
// most important one); with none, it is free, and the spinners running on a CPU
// see it so after the wake-up latency.
void Kernel::release_lock(Lock& lock, LockId id) {
    if (!lock.waiters.empty()) {
        const auto priority = [this](TaskId t) { return by_id(t).info.priority; };
        Task& next = by_id(lock.inherit ? lock.waiters.pop_best(priority) : lock.waiters.pop());
        lock.take(next.info.id, now_);
        next.request = {};
        hand_off(next, id);
        if (lock.inherit) refresh_priority(next);
        return;
    }
    lock.owner = std::nullopt;
    stuck_ -= lock.spinners;
    for (Cpu& cpu : cpus_) {
        const bool spins_here = cpu.state == CpuState::Running && cpu.current->spinning &&
                                cpu.current->request.object == index(id);
        if (spins_here) cpu.retry_at = std::min(cpu.retry_at, later(now_, config_.wakeup_latency));
    }
}

void Kernel::serve_sem_wait(Cpu& cpu, Task& task, const Request& request) {
    const SemaphoreId id{request.object};
    Semaphore& semaphore = semaphores_[request.object];
    if (semaphore.count > 0) {
        --semaphore.count;
        transition(task, EventKind::Acquire, SyncRef(id).packed());
        return;
    }
    semaphore.waiters.push(task.info.id);
    block_on(cpu, task, id, request);
}

// A posted unit goes straight to the first waiter, or else to the count.
void Kernel::serve_sem_post(Task& task, const Request& request) {
    const SemaphoreId id{request.object};
    Semaphore& semaphore = semaphores_[request.object];
    if (semaphore.waiters.empty() && semaphore.max && semaphore.count >= *semaphore.max) {
        return misuse(task, fmt::format("it posts {} past its maximum of {}", describe(trace_, id),
                                        *semaphore.max));
    }
    transition(task, EventKind::Release, SyncRef(id).packed());
    if (semaphore.waiters.empty()) {
        ++semaphore.count;
        return;
    }
    Task& next = by_id(semaphore.waiters.pop());
    next.request = {};
    hand_off(next, id);
}

// wait: give the lock back and block on the condition, in one step.
void Kernel::serve_wait(Cpu& cpu, Task& task, const Request& request) {
    const ConditionId id{request.object};
    const LockId lock_id{request.lock};
    Lock& lock = locks_[request.lock];
    if (lock.owner != task.info.id) {
        return misuse(task, fmt::format("it waits on {} without holding {}", describe(trace_, id),
                                        describe(trace_, lock_id)));
    }
    transition(task, EventKind::Release, SyncRef(lock_id).packed());
    release_lock(lock, lock_id);
    if (lock.inherit) refresh_priority(task);
    conditions_[request.object].waiters.push(task.info.id);
    block_on(cpu, task, id, request);
}

// notify releases the first waiter, notify_all every one. A released waiter wakes
// up and takes its lock again, as a lock() call, before its wait returns.
void Kernel::serve_notify(Task& task, const Request& request) {
    const ConditionId id{request.object};
    const bool all = request.call == Call::NotifyAll;
    transition(task, all ? EventKind::NotifyAll : EventKind::Notify, SyncRef(id).packed());
    WaitQueue& waiters = conditions_[request.object].waiters;
    while (!waiters.empty()) {
        Task& waiter = by_id(waiters.pop());
        waiter.request = {.call = Call::Lock, .object = waiter.request.lock};
        hand_off(waiter, id);
        if (!all) break;
    }
}

void Kernel::serve_spawn(Task& task, const Request& request) {
    Task& child = by_id(TaskId{request.object});
    const std::string& name = trace_.tasks[request.object].name;
    if (!child.spawned) {
        return misuse(task, fmt::format("it spawns '{}', which starts by itself (its start "
                                        "is not \"spawned\")",
                                        name));
    }
    if (child.started) return misuse(task, fmt::format("it spawns '{}' a second time", name));
    child.started = true;
    transition(task, EventKind::Spawn, request.object);
    const Tick arrival = later(now_, config_.wakeup_latency);
    child.info.arrival = arrival;
    trace_.tasks[request.object].arrival = arrival;
    pending_.push({arrival, next_seq_++, child.info.id, EventKind::Arrive});
}

// join returns at once when the task has ended, else blocks until it ends.
void Kernel::serve_join(Cpu& cpu, Task& task, const Request& request) {
    const TaskId id{request.object};
    if (id == task.info.id) return misuse(task, "it joins itself, which would wait forever");
    const TaskState state = by_id(id).state;
    if (state == TaskState::Done || state == TaskState::Failed) return;
    joiners_[request.object].push(task.info.id);
    block_on(cpu, task, id, request);
}

void Kernel::wake_joiners(const Task& ended) {
    const auto it = joiners_.find(index(ended.info.id));
    if (it == joiners_.end()) return;
    while (!it->second.empty()) {
        Task& joiner = by_id(it->second.pop());
        joiner.request = {};
        hand_off(joiner, ended.info.id);
    }
    joiners_.erase(it);
}

// The task stays parked on its call, blocked, until a hand-off; its CPU is free.
void Kernel::block_on(Cpu& cpu, Task& task, SyncRef what, const Request& request) {
    task.request = request;
    transition(task, EventKind::Wait, what.packed());
    ++stuck_;
    vacate(cpu, task);
}

void Kernel::hand_off(Task& to, SyncRef what) {
    transition(to, EventKind::Handoff, what.packed());
    --stuck_;
    pending_.push({later(now_, config_.wakeup_latency), next_seq_++, to.info.id, EventKind::Wake});
}

// The call fails the task: it throws std::logic_error with `what` where the task
// made it, and unless the task's code catches it, the task fails with it.
void Kernel::misuse(Task& task, std::string what) { task.error = std::move(what); }

// A task's priority is its own, or, while it holds locks with priority inheritance,
// the highest of its waiters' if that is higher. A change is recorded, re-ranks a
// ready task, has a running one that dropped back preempted when a ready task now
// outranks it, and passes on to the holder of the lock the task itself waits for.
void Kernel::refresh_priority(Task& task, std::size_t depth) {
    const std::int32_t effective = std::max(task.base_priority, inherited_priority(task));
    if (effective == task.info.priority) return;
    const bool dropped = effective < task.info.priority;
    task.info.priority = effective;
    record(EventKind::Inherit, task.info.id, zigzag(effective));
    if (task.state == TaskState::Ready) policy_->requeue(task.info);
    if (task.state == TaskState::Running && dropped) reconsider(task);
    const bool waits_for_lock = task.state == TaskState::Blocked &&
                                task.request.call == Call::Lock && depth < tasks_.size();
    if (!waits_for_lock) return;
    const Lock& lock = locks_[task.request.object];
    if (lock.inherit && lock.owner) refresh_priority(by_id(*lock.owner), depth + 1);
}

// `task`, running, has just dropped back to a lower priority: if the best ready
// task now preempts it, its CPU preempts it in its turn, this tick.
void Kernel::reconsider(Task& task) {
    const OptionalTask best = peek();
    if (!best || !policy_->preempts(by_id(*best).info, task.info)) return;
    for (Cpu& cpu : cpus_) {
        if (cpu.state == CpuState::Running && cpu.current == &task) cpu.preempt_at = now_;
    }
}

std::int32_t Kernel::inherited_priority(const Task& task) const {
    const auto priority = [this](TaskId t) { return tasks_[index(t)]->info.priority; };
    std::int32_t best = INT32_MIN;
    for (const Lock& lock : locks_) {
        if (lock.inherit && lock.owner == task.info.id)
            best = std::max(best, lock.waiters.best_rank(priority, INT32_MIN));
    }
    return best;
}

// Every task that has arrived and not ended waits for another (blocked on a lock,
// semaphore, condition or join with no hand-off coming, or spinning on a held lock)
// and nothing is due that could wake one: nothing can ever change.
bool Kernel::check_deadlock() {
    TS_CHECK(stuck_ <= arrived_, "more tasks stuck than alive");
    if (config_.stepping == Stepping::Lockstep)  // The reference checks its count too.
        TS_CHECK(stuck_ == count_stuck(), "the count of stuck tasks is off");
    if (arrived_ == 0 || stuck_ < arrived_ || !pending_.empty()) return false;
    stop(StopReason::Deadlock);
    return true;
}

// count_stuck() counts the tasks stuck from scratch: those in a wait queue, and
// those spinning on a held lock.
std::size_t Kernel::count_stuck() const {
    std::size_t stuck = 0;
    for (const Lock& lock : locks_) stuck += lock.waiters.size() + (lock.held() ? lock.spinners : 0);
    for (const Semaphore& semaphore : semaphores_) stuck += semaphore.waiters.size();
    for (const Condition& condition : conditions_) stuck += condition.waiters.size();
    for (const auto& [task, joiners] : joiners_) stuck += joiners.size();
    return stuck;
}

}  // namespace timeslice
