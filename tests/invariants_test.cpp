// Invariants that hold for every run, checked on many small scenarios drawn at
// random (from a fixed seed, so every test run draws the same ones) under every
// policy: the accounting adds up, the schedule never overlaps itself, and the
// same input gives the same trace.
#include <doctest/doctest.h>

#include <cmath>

#include "helpers.hpp"
#include "random_scenarios.hpp"

namespace timeslice::test {
namespace {

/// Outcome is one run of drawn tasks, replayed.
struct Outcome {
    Trace trace;
    History history;
    RunMetrics metrics;
};

Outcome run_drawn(const std::vector<Drawn>& tasks, const PolicyEntry& policy,
                  const PolicyParams& params, const KernelConfig& config) {
    Kernel kernel(config, make_policy(policy.name, params));
    for (const Drawn& t : tasks) kernel.spawn(t.spec);
    kernel.run();
    Outcome out{kernel.take_trace(), {}, {}};
    out.history = replay(out.trace);
    out.metrics = measure(out.trace, out.history);
    return out;
}

/// check_accounting() checks each task's figures against its program and each other.
void check_accounting(const std::vector<Drawn>& tasks, const Outcome& run) {
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        const TaskMetrics& m = run.metrics.tasks[i];
        CAPTURE(tasks[i].program);
        REQUIRE(m.final_state == TaskState::Done);
        CHECK(m.cpu == tasks[i].spec.demand);
        CHECK(m.blocked == tasks[i].io);
        CHECK(m.first_run.value() >= m.arrival.value());
        CHECK(m.response == *m.first_run - *m.arrival);
        CHECK(m.turnaround == m.cpu + m.wait + m.blocked);
        CHECK(m.longest_wait <= m.wait);
    }
}

/// no_overlaps() checks that the stretches [start, end) in `spans` never overlap.
void no_overlaps(std::vector<std::pair<Tick, Tick>> spans) {
    std::sort(spans.begin(), spans.end());
    for (std::size_t i = 1; i < spans.size(); ++i) CHECK(spans[i - 1].second <= spans[i].first);
}

/// check_schedule() checks that on each CPU runs and switches never overlap and add
/// up to its busy part of the run, that no task runs on two CPUs at once, and that
/// the switch cost is charged per switch.
void check_schedule(const Outcome& run, Tick switch_cost) {
    Tick ran = 0;
    Tick switching = 0;
    std::vector<std::vector<std::pair<Tick, Tick>>> by_cpu(run.trace.cores);
    std::vector<std::vector<std::pair<Tick, Tick>>> by_task(run.trace.tasks.size());
    for (const Segment& s : run.history.segments) {
        CHECK(s.start <= s.end);
        ran += s.end - s.start;
        by_cpu[index(s.cpu)].emplace_back(s.start, s.end);
        by_task[index(s.task)].emplace_back(s.start, s.end);
    }
    for (const SwitchSpan& s : run.history.switches) {
        // Only the tick limit cuts a switch short.
        CHECK((s.end - s.start == switch_cost || s.end == run.trace.end));
        switching += s.end - s.start;
        by_cpu[index(s.cpu)].emplace_back(s.start, s.end);
    }
    for (auto& spans : by_cpu) no_overlaps(std::move(spans));
    for (auto& spans : by_task) no_overlaps(std::move(spans));
    Tick cpu = 0;
    for (const TaskMetrics& m : run.metrics.tasks) cpu += m.cpu;
    CHECK(ran == cpu);
    CHECK(cpu + switching <= run.metrics.makespan * run.trace.cores);
    CHECK(run.metrics.max_running <= run.trace.cores);
    CHECK(run.metrics.max_running <= run.metrics.max_in_progress);
    if (switch_cost > 0) CHECK(run.history.switches.size() == run.metrics.context_switches);
    CHECK(run.metrics.fairness > 0);
    CHECK(run.metrics.fairness <= 1 + 1e-9);
}

/// check_policy_rules() checks what each kind of policy promises about preemption,
/// and returns how many turns it saw preempted by the timer.
std::size_t check_policy_rules(std::string_view policy, const PolicyParams& params,
                               const Outcome& run) {
    std::size_t timer_preemptions = 0;
    const bool never_preempts = policy == "cooperative" || policy == "fifo" || policy == "sjf";
    if (never_preempts) {
        for (const TaskMetrics& m : run.metrics.tasks) CHECK(m.preemptions == 0);
    }
    if (policy == "round-robin" || policy == "lottery" || policy == "stride") {
        // A preempted turn is one time slice, or several renewed while nobody else
        // was ready.
        const auto quantum = static_cast<Tick>(params.at("quantum"));
        for (const Segment& s : run.history.segments) {
            if (s.end_reason != EventKind::Preempt) continue;
            CHECK(s.end > s.start);
            CHECK((s.end - s.start) % quantum == 0);
            ++timer_preemptions;
        }
    }
    return timer_preemptions;
}

}  // namespace

TEST_CASE("random scenarios keep every invariant under every policy") {
    Draws draws(20261127);
    std::size_t timer_preemptions = 0;  // So that the checks cannot pass for want of cases.
    std::size_t switches_with_cost = 0;
    std::size_t blocked_tasks = 0;
    for (int scenario = 0; scenario < 150; ++scenario) {
        const std::vector<Drawn> tasks = draw_tasks(draws);
        const auto switch_cost = static_cast<Tick>(draws.between(0, 3));
        const auto cores = static_cast<std::uint32_t>(scenario % 3 == 0 ? draws.between(2, 4) : 1);
        for (const PolicyEntry& policy : policy_catalog()) {
            const PolicyParams params = draw_params(draws, policy);
            CAPTURE(scenario);
            CAPTURE(policy.name);
            CAPTURE(switch_cost);
            CAPTURE(cores);
            const Outcome run =
                run_drawn(tasks, policy, params, {.cores = cores, .switch_cost = switch_cost});
            REQUIRE(run.trace.stop == StopReason::None);
            check_accounting(tasks, run);
            check_schedule(run, switch_cost);
            timer_preemptions += check_policy_rules(policy.name, params, run);
            if (switch_cost > 0) switches_with_cost += run.history.switches.size();
            for (const TaskMetrics& m : run.metrics.tasks) blocked_tasks += m.blocked > 0;
            CHECK(run_drawn(tasks, policy, params, {.cores = cores, .switch_cost = switch_cost})
                      .trace.events == run.trace.events);
        }
    }
    CHECK(timer_preemptions > 100);
    CHECK(switches_with_cost > 100);
    CHECK(blocked_tasks > 100);
}

TEST_CASE("random scenarios stopped by the tick limit or by failures keep their accounting") {
    Draws draws(1990);
    std::size_t stopped = 0;  // So that the checks cannot pass for want of cases.
    std::size_t failed = 0;
    for (int scenario = 0; scenario < 100; ++scenario) {
        const std::vector<Drawn> tasks = draw_tasks(draws, Failures::Some);
        const KernelConfig config{.switch_cost = static_cast<Tick>(draws.between(0, 3)),
                                  .max_ticks = static_cast<Tick>(draws.between(1, 150))};
        for (const PolicyEntry& policy : policy_catalog()) {
            const PolicyParams params = draw_params(draws, policy);
            CAPTURE(scenario);
            CAPTURE(policy.name);
            const Outcome run = run_drawn(tasks, policy, params, config);
            const bool at_limit = run.trace.stop == StopReason::MaxTicks;
            stopped += at_limit;
            CHECK(run.trace.end <= config.max_ticks);
            if (at_limit) CHECK(run.trace.end == config.max_ticks);
            for (std::size_t i = 0; i < tasks.size(); ++i) {
                const TaskMetrics& m = run.metrics.tasks[i];
                const bool ended =
                    m.final_state == TaskState::Done || m.final_state == TaskState::Failed;
                CAPTURE(tasks[i].program);
                CHECK((ended || at_limit));
                CHECK(m.cpu <= tasks[i].spec.demand);
                CHECK(m.blocked <= tasks[i].io);
                if (!ended) continue;
                failed += m.final_state == TaskState::Failed;
                CHECK(m.cpu == tasks[i].spec.demand);
                CHECK(m.blocked == tasks[i].io);
                CHECK(m.turnaround == m.cpu + m.wait + m.blocked);
                CHECK(m.error == (m.final_state == TaskState::Failed
                                      ? std::optional<std::string>("boom")
                                      : std::nullopt));
            }
            check_schedule(run, config.switch_cost);
        }
    }
    CHECK(stopped > 100);
    CHECK(failed > 100);
}

}  // namespace timeslice::test
