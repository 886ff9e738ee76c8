// The task API: the emulated system calls a workload makes from inside a task.
// Each must be called from a task's code while the kernel runs it. Tasks share
// nothing but what these calls share (locks, semaphores, conditions, joins): the
// code between two calls runs as a whole, ahead of the clock (docs/kernel.md).
#pragma once

#include "hot_path.hpp"
#include "ids.hpp"

namespace timeslice {

namespace detail {
/// budget is the number of instructions the running task may still execute before
/// the kernel must look at the clock (time slice end, a due event, a limit).
extern thread_local constinit Tick budget;
/// out_of_budget() enters the kernel when the budget is spent; it returns once the
/// task runs again, with budget ≥ 1.
TS_OFF_HOT_PATH void out_of_budget();
}  // namespace detail

/// tick() executes one instruction. Its fast path is a test and a decrement; it
/// enters the kernel only when the budget is spent (the timer interrupt).
inline void tick() {
    if (detail::budget == 0) [[unlikely]]
        detail::out_of_budget();
    --detail::budget;
}

/// compute() executes `n` instructions; the timer may preempt it between any two.
/// Its cost does not grow with `n`.
void compute(Tick n);

/// yield() gives up the CPU voluntarily; the task stays ready.
void yield();

/// io() blocks the task for `ticks` ticks (an I/O device works meanwhile), after
/// which it becomes ready again.
void io(Tick ticks);

/// now() returns the current tick.
Tick now();

// Synchronization. A call a task misuses (unlocking a lock it does not hold,
// locking one it holds, joining itself, posting a semaphore past its maximum)
// throws std::logic_error, which fails the task unless its code catches it.

/// lock() takes `lock`, blocking while another task holds it. A release hands the
/// lock to the first task blocked on it (with priority inheritance, the most
/// important one).
void lock(LockId lock);

/// spin_lock() takes `lock`, spinning while another task holds it: the task keeps
/// its CPU and burns its time slice until the lock is free.
void spin_lock(LockId lock);

/// unlock() gives back `lock`, which the task holds.
void unlock(LockId lock);

/// sem_wait() takes one unit of `semaphore`, blocking while it has none.
void sem_wait(SemaphoreId semaphore);

/// sem_post() gives one unit back to `semaphore` (or to its first waiter).
void sem_post(SemaphoreId semaphore);

/// wait() gives back `lock` (which the task holds) and blocks until `condition` is
/// notified, then takes `lock` again before it returns.
void wait(ConditionId condition, LockId lock);

/// notify() releases the first task waiting on `condition`, if any.
void notify(ConditionId condition);

/// notify_all() releases every task waiting on `condition`.
void notify_all(ConditionId condition);

/// spawn() starts `task`, a task spawned with TaskSpec::spawned; it arrives soon.
void spawn(TaskId task);

/// join() blocks until `task` has ended (at once if it has).
void join(TaskId task);

}  // namespace timeslice
