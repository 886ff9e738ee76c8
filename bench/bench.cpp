// timeslice_bench measures what the kernel costs against baselines measured in the
// same run (a raw fiber switch, Boost.Fiber, OS threads, a bare loop, round-robin)
// and prints tables of ratios and targets. Targets are printed, never asserted: the
// program exits 0 whatever the figures. docs/benchmark.md explains how to read it.
#include "bench.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <exception>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/kernel.hpp"
#include "kernel/policies/catalog.hpp"
#include "table.hpp"
#include "turns.hpp"

namespace timeslice::bench {
namespace {

constexpr Plan kFullPlan{.name = "full",
                         .repetitions = 7,
                         .switch_pairs = 400'000,
                         .fiber_yields = 1'000'000,
                         .handoffs = 20'000,
                         .ticks = 100'000'000,
                         .small_tasks = 10,
                         .small_rounds = 100'000,
                         .large_tasks = 100'000,
                         .large_rounds = 9,
                         .policy_tasks = 10'000,
                         .policy_switches = 300'000,
                         .policy_time_limit = std::chrono::milliseconds(100),
                         .handoff_rounds = 200'000,
                         .crowd_rounds = 400};
constexpr Plan kQuickPlan{.name = "quick",
                          .repetitions = 3,
                          .switch_pairs = 40'000,
                          .fiber_yields = 100'000,
                          .handoffs = 2'000,
                          .ticks = 10'000'000,
                          .small_tasks = 10,
                          .small_rounds = 10'000,
                          .large_tasks = 100'000,
                          .large_rounds = 2,
                          .policy_tasks = 10'000,
                          .policy_switches = 150'000,
                          .policy_time_limit = std::chrono::milliseconds(50),
                          .handoff_rounds = 20'000,
                          .crowd_rounds = 100};
constexpr double kMemoryLimitKib = 1024.0 * 1024.0;
/// kBaselinePolicy is the policy every other's switch with few tasks is compared with.
constexpr std::string_view kBaselinePolicy = "round-robin";
/// kSublinearPick names the policies whose pick must not be linear in the number of
/// ready tasks: their switch with many tasks has a target.
constexpr std::array<std::string_view, 5> kSublinearPick{"stcf", "priority", "lottery", "stride",
                                                         "cfs"};

/// progress() tells a person at a terminal what is being measured; it stays quiet
/// when stderr is a file, so logs hold only the table.
void progress(std::string_view what) {
    if (::isatty(STDERR_FILENO)) fmt::print(stderr, "measuring {}...\n", what);
}

/// scaled() returns `series` with each value multiplied by `factor`.
Series scaled(Series series, double factor) {
    for (double& v : series) v *= factor;
    return series;
}

/// per_second() turns times per item (ns) into items per second.
Series per_second(Series series) {
    for (double& v : series) v = 1e9 / v;
    return series;
}

/// reused_trip_row() measures the yield round trip again, in a child whose trace
/// grows into memory already faulted in: what the scheduler's own code costs.
Row reused_trip_row(const Plan& plan) {
    const auto pairs = static_cast<std::uint32_t>(plan.switch_pairs);
    const ChildRun run =
        take_turns_in_child(plan.repetitions,
                            {[&] { return raw_switch_pair_ns(pairs); },
                             [&] { return 2 * kernel_switch_ns(2, pairs, Between::Tick); }},
                            Memory::Reused);
    return {"  same, trace memory reused", "vs raw Boost.Context switch pair", Unit::Nanoseconds,
            run.series[1], run.series[0]};
}

/// yield_rows() measures the yield through the kernel against its baselines.
std::vector<Row> yield_rows(const Plan& plan) {
    progress("yields");
    const auto pairs = static_cast<std::uint32_t>(plan.switch_pairs);
    const auto idle_pairs = std::min<std::uint32_t>(pairs, kMaxIdleSwitches / 2 - 2);
    const YieldMeasure shared_fiber_yield = shared_boost_fiber_yield();
    const std::vector<Series> s = take_turns(
        plan.repetitions, {[&] { return raw_switch_pair_ns(pairs); },
                           [&] { return 2 * kernel_switch_ns(2, pairs, Between::Tick); },
                           [&] { return 2 * kernel_switch_ns(2, idle_pairs, Between::Nothing); },
                           [&] { return 4 * trace_growth_ns(4 * plan.switch_pairs); },
                           [&] { return boost_fiber_yield_ns(plan.fiber_yields); },
                           [&] { return thread_handoff_ns(plan.handoffs); },
                           [&] { return shared_fiber_yield(plan.fiber_yields); }});
    const Series& trip = s[1];
    return {
        {"yield round trip A->B->A", "vs raw Boost.Context switch pair; tick() between yields",
         Unit::Nanoseconds, trip, s[0], Goal::AtMost, 3, "<= 3x"},
        {"  same, nothing between", "vs raw Boost.Context switch pair", Unit::Nanoseconds, s[2],
         s[0]},
        {"  trace growth alone, 4 events", "vs the round trip: its share of it", Unit::Nanoseconds,
         s[3], trip},
        reused_trip_row(plan),
        {"yield, one way", "vs boost::this_fiber::yield(), two fibers, Debian's .so",
         Unit::Nanoseconds, scaled(trip, 0.5), s[6], Goal::AtMost, 1.0 / 3, "<= 0.33x"},
        {"  same, Boost.Fiber static", "vs the same, Boost.Fiber linked in statically",
         Unit::Nanoseconds, scaled(trip, 0.5), s[4]},
        {"yield, one way", "vs OS thread handoff (mutex + condition variable)", Unit::Nanoseconds,
         scaled(trip, 0.5), s[5]},
    };
}

/// reused_tick_row() measures the two-task tick() loop again, in a child whose
/// trace grows into memory already faulted in.
Row reused_tick_row(const Plan& plan) {
    const ChildRun run = take_turns_in_child(
        plan.repetitions,
        {[&] { return bare_loop_ns(plan.ticks); }, [&] { return kernel_tick_ns(plan.ticks, 2); }},
        Memory::Reused);
    return {"  same, trace memory reused", "vs the same loop without the emulator", Unit::PerSecond,
            per_second(run.series[1]), per_second(run.series[0])};
}

/// tick_rows() measures emulated instructions per second against the bare loop.
std::vector<Row> tick_rows(const Plan& plan) {
    progress("tick() loops");
    const std::vector<Series> s =
        take_turns(plan.repetitions, {[&] { return bare_loop_ns(plan.ticks); },
                                      [&] { return kernel_tick_ns(plan.ticks, 2); },
                                      [&] { return kernel_tick_ns(plan.ticks, 1); }});
    const Series bare = per_second(s[0]);
    return {
        {"tick() loop, RR q=100, 2 tasks", "vs the same loop without the emulator", Unit::PerSecond,
         per_second(s[1]), bare, Goal::AtLeast, 0.5, ">= 0.5x"},
        reused_tick_row(plan),
        {"  same, 1 task (no switches)", "vs the same loop without the emulator", Unit::PerSecond,
         per_second(s[2]), bare},
    };
}

/// kCrowdTasks and kCrowdLocks are the size of the lock crowd on four CPUs.
constexpr std::uint32_t kCrowdTasks = 1'000;
constexpr std::uint32_t kCrowdLocks = 10;

/// parallel_rows() measures what several CPUs and locks cost: CPU-bound tasks on
/// four CPUs against one, a lock passed between two CPUs against a yield round
/// trip on one, and a crowd of tasks and locks on four CPUs, with its memory.
std::vector<Row> parallel_rows(const Plan& plan) {
    progress("several CPUs and locks");
    const auto pairs = static_cast<std::uint32_t>(plan.switch_pairs);
    const std::vector<Series> s = take_turns(
        plan.repetitions,
        {[&] { return cores_tick_ns(plan.ticks, 1); }, [&] { return cores_tick_ns(plan.ticks, 4); },
         [&] { return 2 * kernel_switch_ns(2, pairs, Between::Tick); },
         [&] { return lock_handoff_ns(plan.handoff_rounds); }});
    const ChildRun crowd = take_turns_in_child(
        plan.repetitions,
        {[&] { return lock_crowd_ns(kCrowdTasks, kCrowdLocks, plan.crowd_rounds); }},
        Memory::Fresh);
    const std::string crowd_name = fmt::format("4 CPUs x {} tasks, {} locks", kCrowdTasks,
                                               kCrowdLocks);
    return {
        {"4 CPUs, a tick() loop each", "vs 1 CPU running one (the cost of 4 clocks)",
         Unit::PerSecond, per_second(s[1]), per_second(s[0]), Goal::AtLeast, 0.5, ">= 0.5x"},
        {"lock hand-off, 2 CPUs", "vs the yield round trip A->B->A on 1 CPU", Unit::Nanoseconds,
         s[3], s[2], Goal::AtMost, 3, "<= 3x"},
        {crowd_name, "events recorded /s, vs 1 CPU's tick() loop /s",
         Unit::PerSecond, per_second(crowd.series[0]), per_second(s[0])},
        {"  peak memory", "vs the 1 GiB limit; the child's ru_maxrss", Unit::Kibibytes,
         Series{static_cast<double>(crowd.peak_rss_kib)}, Series{kMemoryLimitKib}},
    };
}

/// scale_rows() measures the switch with many live tasks against a few, and the
/// memory they take, in child processes.
std::vector<Row> scale_rows(const Plan& plan) {
    progress(fmt::format("{} tasks, in child processes", plan.large_tasks));
    const std::vector<Measurement> rings{
        [&] { return kernel_switch_ns(plan.small_tasks, plan.small_rounds, Between::Tick); },
        [&] { return kernel_switch_ns(plan.large_tasks, plan.large_rounds, Between::Tick); }};
    const ChildRun fresh = take_turns_in_child(plan.repetitions, rings, Memory::Fresh);
    // The same rings of raw Boost.Context fibers take their turns with the reused
    // ones: what the memory alone does to a switch at that scale. (Not with the fresh
    // ones, whose child's peak memory is a figure of the kernel's.)
    const std::size_t stack_size = KernelConfig{}.stack_size;
    std::vector<Measurement> rings_and_raw = rings;
    rings_and_raw.push_back(
        [&] { return raw_ring_switch_ns(plan.small_tasks, plan.small_rounds, stack_size); });
    rings_and_raw.push_back(
        [&] { return raw_ring_switch_ns(plan.large_tasks, plan.large_rounds, stack_size); });
    rings_and_raw.push_back(
        [&] { return boost_fiber_ring_ns(plan.small_tasks, plan.small_rounds, stack_size); });
    rings_and_raw.push_back(
        [&] { return boost_fiber_ring_ns(plan.large_tasks, plan.large_rounds, stack_size); });
    const ChildRun reused = take_turns_in_child(plan.repetitions, rings_and_raw, Memory::Reused);
    const Series peak{static_cast<double>(fresh.peak_rss_kib)};
    const std::string small = fmt::format("vs switch, {} tasks", plan.small_tasks);
    const std::string raw_large = fmt::format("raw Boost.Context ring, {}", plan.large_tasks);
    return {
        {fmt::format("switch, {} tasks", plan.large_tasks), small + "; tick() between yields",
         Unit::Nanoseconds, fresh.series[1], fresh.series[0], Goal::AtMost, 3, "<= 3x"},
        {"  same, trace memory reused", small, Unit::Nanoseconds, reused.series[1],
         reused.series[0]},
        {"  same, vs no scheduler", "vs " + raw_large + " fibers (no kernel)", Unit::Nanoseconds,
         reused.series[1], reused.series[3]},
        {"  " + raw_large, fmt::format("vs the same with {} fibers", plan.small_tasks),
         Unit::Nanoseconds, reused.series[3], reused.series[2]},
        {fmt::format("  Boost.Fiber ring, {}", plan.large_tasks),
         fmt::format("vs the same with {} fibers (static Boost.Fiber)", plan.small_tasks),
         Unit::Nanoseconds, reused.series[5], reused.series[4]},
        {fmt::format("peak memory, {} tasks", plan.large_tasks),
         "vs the 1 GiB limit; the child's ru_maxrss", Unit::Kibibytes, peak,
         Series{kMemoryLimitKib}, Goal::AtMost, 1, "<= 1x"},
    };
}

/// policy_rows() measures the switch under every policy of the catalog with few
/// and with many tasks, in turns, in a child whose trace memory is reused: a fresh
/// page costs the same under every policy and would only dilute the ratios.
std::vector<PolicyRows> policy_rows(const Plan& plan) {
    progress(fmt::format("every policy with {} and {} tasks, in a child process", plan.small_tasks,
                         plan.policy_tasks));
    const std::span<const PolicyEntry> catalog = policy_catalog();
    std::vector<Measurement> rings;  // Each policy's ring with few tasks, then with many.
    std::optional<std::size_t> baseline;
    for (const PolicyEntry& entry : catalog) {
        if (entry.name == kBaselinePolicy) baseline = rings.size();
        for (const std::uint32_t tasks : {plan.small_tasks, plan.policy_tasks}) {
            rings.push_back([&plan, name = entry.name, tasks] {
                return policy_switch_ns(name, tasks, plan.policy_switches, plan.policy_time_limit);
            });
        }
    }
    if (!baseline) throw std::logic_error("the catalog has no round-robin to compare with");
    const std::vector<Series> s =
        take_turns_in_child(plan.repetitions, rings, Memory::Reused).series;
    std::vector<PolicyRows> rows;
    for (std::size_t i = 0; i < catalog.size(); ++i) {
        const std::string name(catalog[i].name);
        const bool target =
            std::find(kSublinearPick.begin(), kSublinearPick.end(), name) != kSublinearPick.end();
        rows.push_back(
            {{name, "vs round-robin, few tasks", Unit::Nanoseconds, s[2 * i], s[*baseline]},
             {name, "vs the same policy, few tasks", Unit::Nanoseconds, s[2 * i + 1], s[2 * i],
              target ? Goal::AtMost : Goal::Info, 3, target ? "<= 3x" : "-"}});
    }
    return rows;
}

/// parse_plan() returns the plan the command line asks for, or nullptr after
/// printing help (`exit_code` 0) or an error (`exit_code` 2).
const Plan* parse_plan(int argc, char** argv, int& exit_code) {
    const Plan* plan = &kFullPlan;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--quick") {
            plan = &kQuickPlan;
            continue;
        }
        const bool help = arg == "--help" || arg == "-h";
        if (!help) fmt::print(stderr, "timeslice_bench: unknown option '{}'\n", arg);
        fmt::print(help ? stdout : stderr, "usage: timeslice_bench [--quick]\n");
        exit_code = help ? 0 : 2;
        return nullptr;
    }
    return plan;
}

}  // namespace
}  // namespace timeslice::bench

int main(int argc, char** argv) {
    using namespace timeslice::bench;
    int exit_code = 0;
    const Plan* plan = parse_plan(argc, argv, exit_code);
    if (plan == nullptr) return exit_code;
    use_memory(Memory::Fresh);
    const double load_before = load_average();
    try {
        // The scale run goes first, while this process is still small: the child
        // inherits its resident pages, and they would count in the child's peak.
        const std::vector<Row> scale = scale_rows(*plan);
        std::vector<Row> rows = yield_rows(*plan);
        for (const std::vector<Row>& more : {tick_rows(*plan), parallel_rows(*plan), scale}) {
            rows.insert(rows.end(), more.begin(), more.end());
        }
        const std::vector<PolicyRows> policies = policy_rows(*plan);
        print_table(*plan, rows, load_before);
        print_policy_table(*plan, policies);
    } catch (const std::exception& e) {
        fmt::print(stderr, "timeslice_bench: {}\n", e.what());
        return 1;
    }
    return 0;
}
