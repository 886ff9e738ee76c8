// Private to the kernel: how the task API finds the kernel running the calling task.
#pragma once

#include "check.hpp"
#include "kernel.hpp"

namespace timeslice::detail {

/// current_kernel is the kernel whose run() is active on this thread, if any.
extern thread_local constinit Kernel* current_kernel;

/// running_kernel() returns the kernel running the calling task; it panics when
/// the task API is called from outside a task.
inline Kernel& running_kernel() {
    TS_CHECK(current_kernel != nullptr && current_kernel->runs_task(),
             "the task API was called outside a running task");
    return *current_kernel;
}

}  // namespace timeslice::detail
