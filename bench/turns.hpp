// How the benchmark repeats its measurements: in turns, so that a slow spell of a
// shared machine falls on the baselines and the kernel alike, in this process or in
// a forked child whose memory and allocator settings are its own.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace timeslice::bench {

/// Memory says where the growing trace's memory comes from.
enum class Memory {
    Fresh,   ///< Freshly mapped each time, as in a one-shot run: every page faults in.
    Reused,  ///< Kept by the allocator after a run and reused by the next: no faults.
};

/// use_memory() sets where the kernel's trace and glibc's large blocks come from.
/// Without it, glibc's adaptive mmap threshold would make each figure depend on
/// what the process happened to allocate before.
void use_memory(Memory memory);

/// Series is one measurement's value in each repetition, in the order taken.
using Series = std::vector<double>;
/// Measurement times one repetition of one workload.
using Measurement = std::function<double()>;

/// take_turns() runs each measurement once to warm up, then `repetitions` rounds in
/// which each runs once in turn, so that a slow spell of a shared machine falls on
/// baselines and kernel alike. Returns one Series per measurement.
std::vector<Series> take_turns(int repetitions, const std::vector<Measurement>& measurements);

/// ChildRun is what take_turns() returned in a child process, and the child's peak
/// resident memory.
struct ChildRun {
    std::vector<Series> series;
    std::uint64_t peak_rss_kib = 0;
};

/// take_turns_in_child() is take_turns() in a forked child whose allocator uses
/// `memory`, so that neither its peak memory nor its allocator settings mix with
/// this process's. Throws std::runtime_error when the child fails.
ChildRun take_turns_in_child(int repetitions, const std::vector<Measurement>& measurements,
                             Memory memory);

}  // namespace timeslice::bench
