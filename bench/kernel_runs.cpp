// The kernel's side of the benchmark: tasks that yield to each other in a ring,
// under the cooperative policy or under each policy of the catalog, tasks that run
// a tick() loop under round-robin, and the trace's growth alone, each timed in the
// same way as its baseline.
#include <fmt/format.h>

#include <memory>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "bench.hpp"
#include "kernel/api.hpp"
#include "kernel/kernel.hpp"
#include "kernel/policies/catalog.hpp"
#include "kernel/trace.hpp"

namespace timeslice::bench {
namespace {

/// make_policy() returns the catalog's policy `name` made with `given`, and with
/// their defaults for the parameters `given` leaves out.
std::unique_ptr<Policy> make_policy(std::string_view name, const PolicyParams& given = {}) {
    const PolicyEntry* entry = find_policy(name);
    if (entry == nullptr) throw std::logic_error(fmt::format("no policy '{}'", name));
    PolicyParams params;
    for (const auto& [param, value] : resolve_params(*entry, given)) params.emplace(param, value);
    return entry->make(params);
}

/// expect_complete() throws when the kernel stopped `what` before every task ended.
void expect_complete(const Kernel& kernel, std::string_view what) {
    const StopReason stop = kernel.trace().stop;
    if (stop != StopReason::None) {
        throw std::runtime_error(
            fmt::format("the kernel stopped the {} early ({})", what, timeslice::name(stop)));
    }
}

/// Window is the timed part of a ring run: from when task 0 starts the first timed
/// round until it starts the round after the last, so that every task yields
/// exactly once per timed round and no task starts or ends inside the window.
struct Window {
    Clock::time_point start;
    Clock::time_point end;
};

/// ring_task() is the body of a ring task: an untimed round, `rounds` timed rounds
/// and an untimed one, each a tick (or nothing) and a yield. Task 0 times them.
void ring_task(Window& window, bool timer, std::uint32_t rounds, Between between) {
    for (std::uint32_t round = 0; round <= rounds + 1; ++round) {
        if (timer && round == 1) window.start = Clock::now();
        if (timer && round == rounds + 1) window.end = Clock::now();
        if (between == Between::Tick) tick();
        yield();
    }
}

/// PolicyRing is what the tasks of a policy ring share: the yields they have made
/// so far, and the timed window. The task that runs when the count reaches
/// `opens_at` opens the window; the one that runs when it reaches `closes_at`, or
/// finds the window open `time_limit` long, closes it. Counting the yields of the
/// whole ring, rather than rounds of one task, times the same work whether the
/// policy takes the tasks in turn or picks the one that yielded again at once.
struct PolicyRing {
    std::uint64_t yields = 0;
    std::uint64_t opens_at = 0;
    std::uint64_t closes_at = 0;
    Clock::duration time_limit{};
    Window window{};
    bool closed = false;

    /// due() returns whether the window should close before yield number `yields`.
    /// It reads the clock only every 1,024 yields.
    bool due() const {
        if (yields == closes_at) return true;
        return yields % 1024 == 0 && yields > opens_at && Clock::now() - window.start >= time_limit;
    }
};

/// policy_ring_task() is the body of a policy ring's task: a tick and a yield, over
/// and over, until the window has closed.
void policy_ring_task(PolicyRing& ring) {
    while (!ring.closed) {
        if (ring.yields == ring.opens_at) ring.window.start = Clock::now();
        if (ring.due()) {
            ring.window.end = Clock::now();
            ring.closed = true;
            return;
        }
        ++ring.yields;
        tick();
        yield();
    }
}

/// tick_loop() executes `n` emulated instructions, the way a workload counts down.
/// It is aligned like bare_loop() in baselines.cpp (see there).
[[gnu::noinline, gnu::aligned(64)]] void tick_loop(std::uint64_t n) {
    while (n > 0) {
        --n;
        keep(n);
        tick();
    }
}

}  // namespace

double kernel_switch_ns(std::uint32_t tasks, std::uint32_t rounds, Between between) {
    if (fresh_traces) EventLog::release_spare();
    Window window;  // Declared first: the tasks' code refers to it until the kernel is gone.
    Kernel kernel(KernelConfig{}, make_policy("cooperative"));
    for (std::uint32_t i = 0; i < tasks; ++i) {
        TaskSpec spec;
        spec.name = fmt::format("ring{}", i + 1);
        spec.body = [&window, i, rounds, between] { ring_task(window, i == 0, rounds, between); };
        kernel.spawn(std::move(spec));
    }
    kernel.run();
    expect_complete(kernel, "ring");
    return nanoseconds(window.start, window.end) / (static_cast<double>(tasks) * rounds);
}

// Steps: spawn the ring; run it: its first `tasks` yields start every task (when
// the policy takes them in turn), the next ones are timed until the window closes,
// and after that every task ends at its next turn.
double policy_switch_ns(std::string_view policy, std::uint32_t tasks, std::uint64_t switches,
                        Clock::duration time_limit) {
    if (fresh_traces) EventLog::release_spare();
    // Declared first: the tasks' code refers to it until the kernel is gone.
    PolicyRing ring{.opens_at = tasks, .closes_at = tasks + switches, .time_limit = time_limit};
    Kernel kernel(KernelConfig{}, make_policy(policy));
    for (std::uint32_t i = 0; i < tasks; ++i) {
        TaskSpec spec;
        spec.name = fmt::format("ring{}", i + 1);
        spec.demand = ring.closes_at;  // At most one tick per yield of the whole ring.
        spec.body = [&ring] { policy_ring_task(ring); };
        kernel.spawn(std::move(spec));
    }
    kernel.run();
    expect_complete(kernel, fmt::format("{} ring", policy));
    const auto timed = static_cast<double>(ring.yields - ring.opens_at);
    return nanoseconds(ring.window.start, ring.window.end) / timed;
}

double trace_growth_ns(std::uint64_t events) {
    if (fresh_traces) EventLog::release_spare();
    const Clock::time_point start = Clock::now();
    EventLog trace;  // As the kernel keeps it: room for the whole run reserved at once.
    trace.reserve(events);
    for (std::uint64_t i = 0; i < events; ++i) {
        // The round trip's pattern: A yields at t and B is dispatched, B yields at t + 1
        // and A is dispatched, with no time slice (cooperative).
        const EventKind kind = i % 2 == 0 ? EventKind::Yield : EventKind::Dispatch;
        const TaskId task{static_cast<std::uint32_t>((i + i / 2) % 2)};
        trace.push_back({i / 2, 0, task, CpuId{0}, kind});
    }
    escape(&trace);
    const Clock::time_point end = Clock::now();
    return nanoseconds(start, end) / static_cast<double>(events);
}

double kernel_tick_ns(std::uint64_t ticks, std::uint32_t tasks) {
    if (fresh_traces) EventLog::release_spare();
    Kernel kernel(KernelConfig{}, make_policy("round-robin", {{"quantum", 100}}));
    const std::uint64_t each = ticks / tasks;
    for (std::uint32_t i = 0; i < tasks; ++i) {
        TaskSpec spec;
        spec.name = fmt::format("count{}", i + 1);
        spec.body = [each] { tick_loop(each); };
        kernel.spawn(std::move(spec));
    }
    const Clock::time_point start = Clock::now();
    kernel.run();
    const Clock::time_point end = Clock::now();
    expect_complete(kernel, "tick loop");
    return nanoseconds(start, end) / static_cast<double>(each * tasks);
}

}  // namespace timeslice::bench
