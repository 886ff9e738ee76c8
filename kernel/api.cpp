// Implements the task API by calling into the kernel that runs the current task.
#include "api.hpp"

#include "kernel_access.hpp"

namespace timeslice {

namespace detail {
thread_local constinit Tick budget = 0;

void out_of_budget() { running_kernel().budget_exhausted(); }
}  // namespace detail

void compute(Tick n) {
    while (n > detail::budget) {
        n -= detail::budget;
        detail::budget = 0;
        detail::out_of_budget();
    }
    detail::budget -= n;
}

void yield() { detail::running_kernel().yield_now(); }

void io(Tick ticks) { detail::running_kernel().block_for(ticks); }

Tick now() { return detail::running_kernel().now(); }

void lock(LockId lock) { detail::running_kernel().lock(lock); }
void spin_lock(LockId lock) { detail::running_kernel().spin_lock(lock); }
void unlock(LockId lock) { detail::running_kernel().unlock(lock); }
void sem_wait(SemaphoreId semaphore) { detail::running_kernel().sem_wait(semaphore); }
void sem_post(SemaphoreId semaphore) { detail::running_kernel().sem_post(semaphore); }
void wait(ConditionId condition, LockId lock) { detail::running_kernel().wait(condition, lock); }
void notify(ConditionId condition) { detail::running_kernel().notify(condition); }
void notify_all(ConditionId condition) { detail::running_kernel().notify_all(condition); }
void spawn(TaskId task) { detail::running_kernel().spawn_task(task); }
void join(TaskId task) { detail::running_kernel().join(task); }

}  // namespace timeslice
