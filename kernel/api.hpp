// The task API: the emulated system calls a workload makes from inside a task.
// Each must be called from a task's code while the kernel runs it.
#pragma once

#include "ids.hpp"

namespace timeslice {

namespace detail {
/// budget is the number of instructions the running task may still execute before
/// the kernel must look at the clock (time slice end, a due event, a limit).
extern thread_local constinit Tick budget;
/// out_of_budget() enters the kernel when the budget is spent; it returns once the
/// task runs again, with budget ≥ 1.
[[gnu::noinline]] void out_of_budget();
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

}  // namespace timeslice
