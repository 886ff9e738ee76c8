// The kernel's side of the benchmark: tasks that yield to each other in a ring,
// tasks that run a tick() loop under round-robin, and the trace's growth alone,
// each timed in the same way as its baseline.
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

/// make_policy() returns the catalog's policy `name` made with `params` (complete).
std::unique_ptr<Policy> make_policy(std::string_view name, const PolicyParams& params) {
    const PolicyEntry* entry = find_policy(name);
    if (entry == nullptr) throw std::logic_error(fmt::format("no policy '{}'", name));
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
    Kernel kernel(KernelConfig{}, make_policy("cooperative", {}));
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

double trace_growth_ns(std::uint64_t events) {
    const Clock::time_point start = Clock::now();
    EventLog trace;  // As the kernel keeps it: room for the whole run reserved at once.
    trace.reserve(events);
    for (std::uint64_t i = 0; i < events; ++i) {
        trace.push_back({i, 0, TaskId{0}, CpuId{0}, EventKind::Yield});
    }
    escape(trace.data());
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
