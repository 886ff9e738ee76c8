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

}  // namespace timeslice
