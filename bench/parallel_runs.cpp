// The benchmark's runs on several CPUs and with locks: CPU-bound tasks on several
// CPUs (the cost of keeping their clocks in order), a lock handed back and forth
// between two CPUs, and many tasks taking many locks on four CPUs.
#include <fmt/format.h>

#include <stdexcept>

#include "bench.hpp"
#include "kernel/api.hpp"
#include "kernel/kernel.hpp"
#include "kernel/policies/catalog.hpp"

namespace timeslice::bench {
namespace {

std::unique_ptr<Policy> round_robin() {
    PolicyParams params;
    for (const auto& [name, value] : resolve_params(*find_policy("round-robin"), {}))
        params.emplace(name, value);
    return find_policy("round-robin")->make(params);
}

void expect_complete(const Kernel& kernel, std::string_view what) {
    if (kernel.trace().stop != StopReason::None) {
        throw std::runtime_error(fmt::format("the kernel stopped the {} early ({})", what,
                                             timeslice::name(kernel.trace().stop)));
    }
}

/// count_loop() executes `n` emulated instructions, the way a workload counts down.
[[gnu::noinline]] void count_loop(std::uint64_t n) {
    while (n > 0) {
        --n;
        keep(n);
        tick();
    }
}

/// PingPong is what the two tasks handing a lock back and forth share: the timed
/// window and how many hand-offs fall in it.
struct PingPong {
    Clock::time_point start;
    Clock::time_point end;
};

}  // namespace

double cores_tick_ns(std::uint64_t ticks, std::uint32_t cores) {
    if (fresh_traces) EventLog::release_spare();
    Kernel kernel({.cores = cores}, round_robin());
    const std::uint64_t each = ticks / cores;
    for (std::uint32_t i = 0; i < cores; ++i) {
        TaskSpec spec;
        spec.name = fmt::format("count{}", i + 1);
        spec.body = [each] { count_loop(each); };
        kernel.spawn(std::move(spec));
    }
    const Clock::time_point start = Clock::now();
    kernel.run();
    const Clock::time_point end = Clock::now();
    expect_complete(kernel, "tick loops");
    return nanoseconds(start, end) / static_cast<double>(each * cores);
}

// Each task takes the lock, executes one instruction and gives it back, over and
// over: the other, blocked meanwhile, is handed the lock at each release, so every
// round is one hand-off each way, and each hand-off wakes a task on the other CPU.
double lock_handoff_ns(std::uint32_t rounds) {
    if (fresh_traces) EventLog::release_spare();
    PingPong window;
    Kernel kernel({.cores = 2}, round_robin());
    kernel.declare({.locks = {{"m", false}}, .semaphores = {}, .conditions = {}});
    for (std::uint32_t i = 0; i < 2; ++i) {
        TaskSpec spec;
        spec.name = fmt::format("player{}", i + 1);
        spec.body = [&window, i, rounds] {
            for (std::uint32_t round = 0; round <= rounds + 1; ++round) {
                if (i == 0 && round == 1) window.start = Clock::now();
                if (i == 0 && round == rounds + 1) window.end = Clock::now();
                lock(LockId{0});
                tick();
                unlock(LockId{0});
            }
        };
        kernel.spawn(std::move(spec));
    }
    kernel.run();
    expect_complete(kernel, "lock ping-pong");
    return nanoseconds(window.start, window.end) / (2.0 * rounds);
}

// `tasks` tasks on 4 CPUs, each `rounds` times: take one of `locks` locks (its own
// sequence through them), execute a few instructions, give it back, and yield now
// and then. Returns the time per event recorded.
double lock_crowd_ns(std::uint32_t tasks, std::uint32_t locks, std::uint32_t rounds) {
    if (fresh_traces) EventLog::release_spare();
    SyncSpec sync;
    for (std::uint32_t l = 0; l < locks; ++l) sync.locks.push_back({fmt::format("L{}", l), false});
    Kernel kernel({.cores = 4}, round_robin());
    kernel.declare(sync);
    for (std::uint32_t t = 0; t < tasks; ++t) {
        TaskSpec spec;
        spec.name = fmt::format("task{}", t + 1);
        spec.body = [t, locks, rounds] {
            for (std::uint32_t round = 0; round < rounds; ++round) {
                const LockId lock_id{(t + round) % locks};
                lock(lock_id);
                compute(3);
                unlock(lock_id);
                if (round % 4 == 3) yield();
            }
        };
        kernel.spawn(std::move(spec));
    }
    const Clock::time_point start = Clock::now();
    kernel.run();
    const Clock::time_point end = Clock::now();
    expect_complete(kernel, "lock crowd");
    return nanoseconds(start, end) / static_cast<double>(kernel.trace().events.size());
}

}  // namespace timeslice::bench
