// The words that explain a deadlock: the cycle of the wait-for graph, with the
// locks each task holds and wants, and the other tasks stuck behind them.
#pragma once

#include <string>
#include <string_view>

#include "simulate.hpp"

namespace timeslice {

/// render_deadlock() explains why `run` stopped in a deadlock, in lines of at most
/// `width` columns, each starting with `prefix`.
std::string render_deadlock(const RunResult& run, std::size_t width, std::string_view prefix = "");

}  // namespace timeslice
