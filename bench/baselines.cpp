// The baselines: the work the kernel's figures are compared with, done without
// timeslice. A raw Boost.Context switch is the floor under any fiber scheduler;
// OS threads are what a program would use instead of timeslice's, as is Boost.Fiber
// (boost_fiber.cpp).
#include <dlfcn.h>
#include <sys/mman.h>

#include <boost/context/fiber.hpp>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

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

namespace {

/// Slab is one mapping carved into stacks of `size` bytes, as the kernel's stack
/// pool carves its unguarded stacks: a mapping per stack would pass Linux's limit
/// on mappings long before 100,000 stacks.
class Slab {
  public:
    Slab(std::size_t count, std::size_t size) : size_(size), bytes_(count * size) {
        void* p = ::mmap(nullptr, bytes_, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        base_ = static_cast<char*>(p);
    }
    ~Slab() { ::munmap(base_, bytes_); }
    Slab(const Slab&) = delete;
    Slab& operator=(const Slab&) = delete;

    /// Stacks is the stack allocator Boost.Context is given: a handle to the slab.
    struct Stacks {
        Slab* slab;
        ctx::stack_context allocate() {
            if (slab->taken_ == slab->bytes_) throw std::bad_alloc();
            slab->taken_ += slab->size_;
            ctx::stack_context stack;
            stack.size = slab->size_;
            stack.sp = slab->base_ + slab->taken_;  // Stacks grow down from their top.
            return stack;
        }
        void deallocate(ctx::stack_context&) noexcept {}  // The slab goes as a whole.
    };

  private:
    char* base_ = nullptr;
    std::size_t size_;
    std::size_t bytes_;
    std::size_t taken_ = 0;
};

/// Ring is `fibers` suspended in a circle, each resuming the next, as the kernel's
/// ring tasks yield: the fiber that runs keeps the context that resumed it in that
/// context's own place, so that the one before it can be resumed in its turn.
struct Ring {
    std::vector<ctx::fiber> fibers;
    ctx::fiber main;  ///< The context that started the ring, resumed at the end.
    std::uint64_t hops = 0;
    std::uint64_t timed_from = 0;  ///< The hop that starts the timed rounds...
    std::uint64_t last = 0;        ///< ...and the one after which the ring stops.
    Clock::time_point start;
    Clock::time_point end;

    /// run() is fiber `i`'s body; `from` is the context that first resumed it.
    ctx::fiber run(std::size_t i, ctx::fiber&& from) {
        const std::size_t n = fibers.size();
        for (;;) {
            (hops == 0 ? main : fibers[(i + n - 1) % n]) = std::move(from);
            if (hops == timed_from) start = Clock::now();
            if (hops == last) {
                end = Clock::now();
                return std::move(main);
            }
            ++hops;
            from = std::move(fibers[(i + 1) % n]).resume();
        }
    }
};

}  // namespace

double raw_ring_switch_ns(std::uint32_t contexts, std::uint32_t rounds, std::size_t stack_size) {
    Slab slab(contexts, stack_size);
    // Declared after the slab: destroying the ring unwinds the fibers on its stacks.
    const auto ring = std::make_unique<Ring>();
    for (std::uint32_t i = 0; i < contexts; ++i) {
        ring->fibers.emplace_back(
            std::allocator_arg, Slab::Stacks{&slab},
            [&r = *ring, i](ctx::fiber&& from) { return r.run(i, std::move(from)); });
    }
    // An untimed round starts every fiber; then `rounds` timed rounds.
    ring->timed_from = contexts;
    ring->last = std::uint64_t{contexts} * (rounds + 1);
    std::move(ring->fibers[0]).resume();  // Returns when the ring has stopped.
    return nanoseconds(ring->start, ring->end) / (static_cast<double>(contexts) * rounds);
}

YieldMeasure shared_boost_fiber_yield() {
    // The module has its own copies of Boost.Fiber and Boost.Context, from the
    // shared libraries: the ones linked into the benchmark are not exported to it.
    static void* const module = ::dlopen(TIMESLICE_BOOST_FIBER_MODULE, RTLD_NOW | RTLD_LOCAL);
    void* entry = module ? ::dlsym(module, "timeslice_bench_boost_fiber_yield_ns") : nullptr;
    if (entry == nullptr) {
        const char* why = ::dlerror();
        throw std::runtime_error(std::string("cannot load the shared Boost.Fiber module: ") +
                                 (why ? why : "no entry point"));
    }
    return reinterpret_cast<YieldMeasure>(entry);
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
