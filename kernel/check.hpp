// Always-on checks of the kernel's own invariants. A broken invariant is a bug in
// timeslice, never the user's fault: it prints where and what, then aborts.
#pragma once

#include <string_view>

namespace timeslice::detail {

/// panic() prints "timeslice: internal error at FILE:LINE: what" to stderr and aborts.
[[noreturn]] void panic(const char* file, int line, std::string_view what);

}  // namespace timeslice::detail

/// TS_CHECK(cond, what) aborts with `what` when `cond` is false, in every build type.
#define TS_CHECK(cond, what)                                        \
    do {                                                            \
        if (!(cond)) [[unlikely]]                                   \
            ::timeslice::detail::panic(__FILE__, __LINE__, (what)); \
    } while (false)
