// Private to the kernel: how the task API finds the kernel running the calling task.
#pragma once

#include "kernel.hpp"

namespace timeslice::detail {

/// current_kernel is the kernel whose run() is active on this thread, if any.
extern thread_local constinit Kernel* current_kernel;

/// running_kernel() returns the kernel running the calling task; it panics when
/// the task API is called from outside a task.
Kernel& running_kernel();

}  // namespace timeslice::detail
