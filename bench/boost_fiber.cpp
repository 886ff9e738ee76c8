// Boost.Fiber, the fiber library a program would use instead of timeslice, doing
// the work the kernel's yields are compared with. This file is built twice: into
// the benchmark, with Boost.Fiber linked in statically, and into a module linked
// with Debian's shared libboost_fiber, which the benchmark loads (see bench.hpp).
#include <boost/fiber/all.hpp>
#include <cstdint>
#include <vector>

#include "bench.hpp"

namespace timeslice::bench {

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

double boost_fiber_ring_ns(std::uint32_t fibers, std::uint32_t rounds, std::size_t stack_size) {
    Clock::time_point start;
    Clock::time_point end;
    // Each fiber yields once untimed, so that every fiber has started and stands in
    // the ready queue, in order; then `rounds` times, timed from the first fiber's
    // first of them to the last fiber's last.
    const auto body = [&, fibers, rounds](std::uint32_t i) {
        boost::this_fiber::yield();
        if (i == 0) start = Clock::now();
        for (std::uint32_t r = 0; r < rounds; ++r) boost::this_fiber::yield();
        if (i == fibers - 1) end = Clock::now();
    };
    std::vector<boost::fibers::fiber> ring;
    ring.reserve(fibers);
    for (std::uint32_t i = 0; i < fibers; ++i) {
        ring.emplace_back(std::allocator_arg, boost::fibers::fixedsize_stack(stack_size), body, i);
    }
    for (boost::fibers::fiber& f : ring) f.join();
    return nanoseconds(start, end) / (static_cast<double>(fibers) * rounds);
}

}  // namespace timeslice::bench

/// The module's entry point, found by name (bench.hpp, shared_boost_fiber_yield()).
extern "C" [[gnu::visibility("default")]] double timeslice_bench_boost_fiber_yield_ns(
    std::uint64_t yields) {
    return timeslice::bench::boost_fiber_yield_ns(yields);
}
