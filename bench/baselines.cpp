// The baselines: the work the kernel's figures are compared with, done without
// timeslice. A raw Boost.Context switch is the floor under any fiber scheduler;
// Boost.Fiber and OS threads are what a program would use instead of timeslice's.
#include <boost/context/fiber.hpp>
#include <boost/fiber/all.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>

#include "bench.hpp"

namespace timeslice::bench {

namespace ctx = boost::context;

double raw_switch_pair_ns(std::uint64_t pairs) {
    // B switches straight back to whoever resumed it, forever; destroying it at the
    // end unwinds its stack.
    ctx::fiber other{[](ctx::fiber&& back) -> ctx::fiber {
        for (;;) back = std::move(back).resume();
    }};
    other = std::move(other).resume();
    const Clock::time_point start = Clock::now();
    for (std::uint64_t i = 0; i < pairs; ++i) other = std::move(other).resume();
    const Clock::time_point end = Clock::now();
    return nanoseconds(start, end) / static_cast<double>(pairs);
}

double boost_fiber_yield_ns(std::uint64_t yields) {
    const auto body = [yields] {
        for (std::uint64_t i = 0; i < yields; ++i) boost::this_fiber::yield();
    };
    const Clock::time_point start = Clock::now();
    boost::fibers::fiber a(body);
    boost::fibers::fiber b(body);
    a.join();
    b.join();
    const Clock::time_point end = Clock::now();
    return nanoseconds(start, end) / static_cast<double>(2 * yields);
}

namespace {

/// Baton is passed between two OS threads: the one whose parity matches `turn` holds it.
struct Baton {
    std::mutex mutex;
    std::condition_variable changed;
    std::uint64_t turn = 0;
    std::uint64_t last = 0;  ///< The handoff after which both threads stop.

    /// play() waits for this thread's turn and passes the baton on, until `last`.
    void play(std::uint64_t parity) {
        std::unique_lock lock(mutex);
        for (;;) {
            changed.wait(lock, [&] { return turn >= last || turn % 2 == parity; });
            if (turn >= last) return;
            ++turn;
            changed.notify_one();
        }
    }
};

}  // namespace

double thread_handoff_ns(std::uint64_t handoffs) {
    Baton baton;
    baton.last = handoffs;
    const Clock::time_point start = Clock::now();
    std::thread other([&baton] { baton.play(1); });
    baton.play(0);
    other.join();
    const Clock::time_point end = Clock::now();
    return nanoseconds(start, end) / static_cast<double>(handoffs);
}

// Not inlined and aligned like tick_loop() in kernel_runs.cpp, so that neither
// loop's branch straddles a 64-byte line by chance: one that does runs at half
// speed on some CPUs (AMD Zen 4 here), whatever the loop does.
[[gnu::noinline, gnu::aligned(64)]] static void bare_loop(std::uint64_t n) {
    while (n > 0) {
        --n;
        keep(n);
    }
}

double bare_loop_ns(std::uint64_t iterations) {
    const Clock::time_point start = Clock::now();
    bare_loop(iterations);
    const Clock::time_point end = Clock::now();
    return nanoseconds(start, end) / static_cast<double>(iterations);
}

}  // namespace timeslice::bench
