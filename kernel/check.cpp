// Implements panic(): the last words of a kernel whose invariant broke.
#include "check.hpp"

#include <fmt/core.h>

#include <cstdio>
#include <cstdlib>

namespace timeslice::detail {

void panic(const char* file, int line, std::string_view what) {
    fmt::print(stderr, "timeslice: internal error at {}:{}: {}\n", file, line, what);
    std::fflush(stderr);
    std::abort();
}

}  // namespace timeslice::detail
