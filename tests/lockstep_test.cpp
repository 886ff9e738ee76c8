// The proof that the kernel's fast way of stepping is exact: on many random
// scenarios, on one to four CPUs, under every policy, running tasks' code ahead
// to their next call gives the trace that stepping every CPU one instruction at a
// time, all in tick order, gives, byte for byte.
#include <doctest/doctest.h>

#include "helpers.hpp"
#include "random_scenarios.hpp"

namespace timeslice::test {
namespace {

/// first_difference() returns the first events where `a` and `b` differ, one per
/// line with its CPU, or "" when they are the same.
std::string first_difference(const Trace& a, const Trace& b) {
    std::vector<Event> x(a.events.begin(), a.events.end());
    std::vector<Event> y(b.events.begin(), b.events.end());
    std::size_t i = 0;
    while (i < x.size() && i < y.size() && x[i] == y[i]) ++i;
    if (i == x.size() && i == y.size()) return "";
    const auto show = [&](const std::vector<Event>& v, std::size_t k) {
        if (k >= v.size()) return std::string("(end)");
        return fmt::format("{} {} {} {} {}", v[k].tick, index(v[k].cpu), a.tasks[index(v[k].task)].name,
                           name(v[k].kind), v[k].detail);
    };
    std::string out = fmt::format("event {}:\n", i);
    for (std::size_t k = i >= 3 ? i - 3 : 0; k < i + 3; ++k)
        out += fmt::format("  {:<32} | {}\n", show(x, k), show(y, k));
    return out;
}

Trace run_stepping(const std::vector<Drawn>& tasks, const PolicyEntry& policy,
                   const PolicyParams& params, KernelConfig config, Stepping stepping,
                   const SyncSpec& sync = {}) {
    config.stepping = stepping;
    Kernel kernel(config, make_policy(policy.name, params));
    kernel.declare(sync);
    for (const Drawn& t : tasks) kernel.spawn(t.spec);
    kernel.run();
    return kernel.take_trace();
}

std::string tasks_text(const std::vector<Drawn>& tasks) {
    std::string out;
    for (const Drawn& t : tasks)
        out += fmt::format("\n{} at {}: {}", t.spec.name, t.spec.arrival, t.program);
    return out;
}

}  // namespace

TEST_CASE("running ahead gives the trace lockstep gives, on random runs on 1 to 4 CPUs") {
    Draws draws(20261207);
    std::size_t multi_cpu_events = 0;  // So that the check cannot pass for want of cases.
    for (int scenario = 0; scenario < 200; ++scenario) {
        const std::vector<Drawn> tasks = draw_tasks(draws, Failures::Some);
        const KernelConfig config{
            .cores = static_cast<std::uint32_t>(draws.between(1, 4)),
            .switch_cost = static_cast<Tick>(draws.between(0, 3)),
            .wakeup_latency = static_cast<Tick>(draws.between(1, 5)),
            .max_ticks = static_cast<Tick>(draws.between(50, 400)),
        };
        for (const PolicyEntry& policy : policy_catalog()) {
            const PolicyParams params = draw_params(draws, policy);
            CAPTURE(scenario);
            CAPTURE(policy.name);
            CAPTURE(config.cores);
            const Trace fast = run_stepping(tasks, policy, params, config, Stepping::RunAhead);
            const Trace slow = run_stepping(tasks, policy, params, config, Stepping::Lockstep);
            CAPTURE(tasks_text(tasks));
            INFO(first_difference(fast, slow));
            CHECK(fast.events == slow.events);
            CHECK(fast.end == slow.end);
            CHECK(fast.stop == slow.stop);
            CHECK(fast.messages == slow.messages);
            for (const Event& e : fast.events) multi_cpu_events += e.cpu != CpuId{0};
        }
    }
    CHECK(multi_cpu_events > 1000);
}

TEST_CASE("running ahead gives the trace lockstep gives, with locks, semaphores and joins") {
    Draws draws(20261208);
    // So that the check cannot pass for want of cases:
    std::size_t handoffs = 0;
    std::size_t spins = 0;
    std::size_t deadlocks = 0;
    std::size_t completed = 0;
    for (int scenario = 0; scenario < 300; ++scenario) {
        const SyncScenario drawn = draw_sync_scenario(draws);
        const KernelConfig config{
            .cores = static_cast<std::uint32_t>(draws.between(1, 4)),
            .switch_cost = static_cast<Tick>(draws.between(0, 2)),
            .wakeup_latency = static_cast<Tick>(draws.between(1, 4)),
            .max_ticks = static_cast<Tick>(draws.between(100, 600)),
        };
        for (const PolicyEntry& policy : policy_catalog()) {
            if (policy.needs_demand) continue;  // Spinning makes demands unknowable.
            const PolicyParams params = draw_params(draws, policy);
            CAPTURE(scenario);
            CAPTURE(policy.name);
            CAPTURE(config.cores);
            CAPTURE(tasks_text(drawn.tasks));
            const Trace fast =
                run_stepping(drawn.tasks, policy, params, config, Stepping::RunAhead, drawn.sync);
            const Trace slow =
                run_stepping(drawn.tasks, policy, params, config, Stepping::Lockstep, drawn.sync);
            INFO(first_difference(fast, slow));
            CHECK(fast.events == slow.events);
            CHECK(fast.end == slow.end);
            CHECK(fast.stop == slow.stop);
            CHECK(fast.messages == slow.messages);
            for (const Event& e : fast.events) {
                handoffs += e.kind == EventKind::Handoff;
                spins += e.kind == EventKind::Spin;
            }
            deadlocks += fast.stop == StopReason::Deadlock;
            completed += fast.stop == StopReason::None;
        }
    }
    CHECK(handoffs > 500);
    CHECK(spins > 50);
    CHECK(deadlocks > 500);
    CHECK(completed > 500);
}

TEST_CASE("a lone task coasting through its round-robin slices is preempted where lockstep says") {
    // A runs alone for long stretches, so its slices renew unseen; B arrives, C
    // wakes from I/O and D is spawned at ticks on and off the slice boundaries; A's
    // lock calls in between leave it running.
    SyncSpec sync;
    sync.locks = {{"r", false}};
    for (Tick quantum = 1; quantum <= 7; ++quantum) {
        for (Tick at = 40; at <= 48; ++at) {
            const std::vector<Job> jobs = {
                {"A", 0, fmt::format("compute {}; spawn D; compute 300; lock r; compute 50; unlock r", at)},
                {"B", at + 7, "compute 20"},
                {"C", 0, fmt::format("io {}; compute 5", at * 3)},
                {"D", kSpawned, "compute 9"}};
            CAPTURE(quantum);
            CAPTURE(at);
            KernelConfig config;
            const Run fast = run_jobs(jobs, "round-robin", {{"quantum", quantum}}, config, sync);
            config.stepping = Stepping::Lockstep;
            const Run slow = run_jobs(jobs, "round-robin", {{"quantum", quantum}}, config, sync);
            INFO(first_difference(fast.trace, slow.trace));
            CHECK(fast.trace.events == slow.trace.events);
            CHECK(fast.trace.end == slow.trace.end);
        }
    }
}

}  // namespace timeslice::test
