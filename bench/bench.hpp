// The benchmark's shared vocabulary: how much work a run does, and the measurements
// bench.cpp takes in turns and puts side by side. Each measurement times one
// repetition of one workload and returns a time per operation in nanoseconds.
// docs/benchmark.md explains what each one times and why.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace timeslice::bench {

/// Plan is how much work each measurement does: the full run or a --quick smoke run.
struct Plan {
    const char* name;            ///< "full" or "quick", for the table's header.
    int repetitions;             ///< Timed repetitions of each measurement, after a warm-up.
    std::uint64_t switch_pairs;  ///< A→B→A round trips, raw and through the kernel.
    std::uint64_t fiber_yields;  ///< Yields per Boost.Fiber fiber.
    std::uint64_t handoffs;      ///< Handoffs between the two OS threads.
    std::uint64_t ticks;         ///< Iterations of the tick() loop and of the bare loop.
    std::uint32_t small_tasks;   ///< Tasks of the small ring...
    std::uint32_t small_rounds;  ///< ...and its timed rounds.
    std::uint32_t large_tasks;   ///< Tasks of the scale run...
    std::uint32_t large_rounds;  ///< ...and its timed rounds.
    std::uint32_t policy_tasks;  ///< Tasks of each policy's large ring (the small has small_tasks).
    std::uint64_t policy_switches;                ///< Timed yields of each policy ring, at most...
    std::chrono::milliseconds policy_time_limit;  ///< ...and the longest one is timed.
    std::uint32_t handoff_rounds;                 ///< Rounds of the lock passed between 2 CPUs.
    std::uint32_t crowd_rounds;  ///< Locks each of 1,000 tasks on 4 CPUs takes.
};

/// Clock times every measurement; it is monotonic and has nanosecond resolution here.
using Clock = std::chrono::steady_clock;

/// nanoseconds() returns the time from `start` to `end` in nanoseconds.
inline double nanoseconds(Clock::time_point start, Clock::time_point end) {
    return std::chrono::duration<double, std::nano>(end - start).count();
}

/// keep() makes the compiler assume `value` is read and changed here, so a loop
/// around it is neither deleted nor folded into one step; it emits no instruction.
template <class T>
inline void keep(T& value) {
    __asm__ __volatile__("" : "+r"(value));
}

/// escape() makes the compiler assume the memory `p` points to is read here, so
/// the writes that filled it cannot be left out; it emits no instruction.
inline void escape(const void* p) { __asm__ __volatile__("" : : "g"(p) : "memory"); }

// Baselines (baselines.cpp): the same work without timeslice.

/// raw_switch_pair_ns() returns the time of one A→B→A switch pair made directly
/// with boost::context::fiber, averaged over `pairs` pairs.
double raw_switch_pair_ns(std::uint64_t pairs);
/// raw_ring_switch_ns() returns the time of one switch while `contexts`
/// boost::context fibers, on stacks of `stack_size` bytes, resume each other in a
/// circle for `rounds` timed rounds: the kernel's ring of tasks without the kernel.
double raw_ring_switch_ns(std::uint32_t contexts, std::uint32_t rounds, std::size_t stack_size);
/// boost_fiber_yield_ns() returns the time of one boost::this_fiber::yield() while
/// two fibers yield to each other `yields` times each (boost_fiber.cpp), with
/// Boost.Fiber linked into the benchmark statically, as the kernel links Boost.Context.
double boost_fiber_yield_ns(std::uint64_t yields);
/// YieldMeasure is a measurement of one yield that takes how many to make.
using YieldMeasure = double (*)(std::uint64_t yields);
/// shared_boost_fiber_yield() returns boost_fiber_yield_ns() as built into a module
/// linked with Debian's shared libboost_fiber, the way CMake links Boost::fiber
/// unless told otherwise, loaded on first use. Throws std::runtime_error when the
/// module cannot be loaded.
YieldMeasure shared_boost_fiber_yield();
/// boost_fiber_ring_ns() returns the time of one boost::this_fiber::yield() while
/// `fibers` fibers, on stacks of `stack_size` bytes, yield in turn for `rounds`
/// timed rounds (Boost.Fiber linked statically).
double boost_fiber_ring_ns(std::uint32_t fibers, std::uint32_t rounds, std::size_t stack_size);
/// thread_handoff_ns() returns the time for one OS thread to wake another through
/// a mutex and a condition variable, averaged over `handoffs` handoffs.
double thread_handoff_ns(std::uint64_t handoffs);
/// bare_loop_ns() returns the time of one iteration of the tick() loop with the
/// tick() left out, averaged over `iterations`.
double bare_loop_ns(std::uint64_t iterations);

// Kernel runs (kernel_runs.cpp). Each throws std::runtime_error when the kernel
// stops a run early, since the figure would then not mean what it says.

/// fresh_traces says whether each kernel run starts its trace on fresh pages, as
/// the first run of a process does, rather than on the pages the last run used.
inline bool fresh_traces = true;

/// Between is what each task of a ring does between two yields.
enum class Between { Tick, Nothing };

/// kMaxIdleSwitches is how many yields a ring with Between::Nothing may make in
/// all: the kernel stops a run after 1,000,000 dispatches without a tick.
inline constexpr std::uint64_t kMaxIdleSwitches = 900'000;

/// kernel_switch_ns() returns the time of one yield, from a task's call to yield()
/// until the next task runs, while `tasks` tasks yield in turn under the
/// cooperative policy for `rounds` timed rounds.
double kernel_switch_ns(std::uint32_t tasks, std::uint32_t rounds, Between between);
/// policy_switch_ns() returns the time of one yield, from a task's call to yield()
/// until the task the policy picks runs (perhaps the same one), while `tasks`
/// tasks each loop `tick(); yield();` under the catalog's policy `policy` with its
/// default parameters. Once `tasks` yields have started every task that the policy
/// takes in turn, it times `switches` yields, or as many as fit in `time_limit`.
double policy_switch_ns(std::string_view policy, std::uint32_t tasks, std::uint64_t switches,
                        Clock::duration time_limit);
/// trace_growth_ns() returns the time to append one event to a trace that grows
/// from empty to `events` events of a yield ring, the way the kernel records a run.
double trace_growth_ns(std::uint64_t events);
/// kernel_tick_ns() returns the time of one emulated instruction while `tasks`
/// tasks run a tick() loop of `ticks` instructions in all, under round-robin with
/// a time slice of 100 instructions.
double kernel_tick_ns(std::uint64_t ticks, std::uint32_t tasks);

// Runs on several CPUs and with locks (parallel_runs.cpp).

/// cores_tick_ns() returns the time of one emulated instruction while `cores` CPUs
/// each run one task's tick() loop, `ticks` instructions in all, under round-robin.
double cores_tick_ns(std::uint64_t ticks, std::uint32_t cores);
/// lock_handoff_ns() returns the time of one hand-off of a lock between two tasks
/// on two CPUs that each take it, execute an instruction and give it back, for
/// `rounds` timed rounds.
double lock_handoff_ns(std::uint32_t rounds);
/// lock_crowd_ns() returns the time per event recorded while `tasks` tasks on four
/// CPUs each take and give back one of `locks` locks `rounds` times.
double lock_crowd_ns(std::uint32_t tasks, std::uint32_t locks, std::uint32_t rounds);

}  // namespace timeslice::bench
