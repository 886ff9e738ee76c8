// The classic policies against their textbook numbers (OSTEP's chapters on
// scheduling, Waldspurger's lottery and stride papers, Linux's CFS weights), and
// a contract every policy keeps.
#include <doctest/doctest.h>

#include "helpers.hpp"
#include "kernel/api.hpp"

namespace timeslice::test {
namespace {

/// hog() returns a C++ task that computes for ever, with `tickets` and `nice`.
TaskSpec hog(std::string name, std::uint32_t tickets = 100, std::int32_t nice = 0) {
    TaskSpec spec = cxx_task(std::move(name), [] {
        for (;;) compute(1'000'000);
    });
    spec.tickets = tickets;
    spec.nice = nice;
    return spec;
}

/// shares() returns each task's fraction of the CPU the run used.
std::vector<double> shares(const Run& run) {
    Tick total = 0;
    for (const TaskMetrics& t : run.metrics.tasks) total += t.cpu;
    std::vector<double> out;
    for (const TaskMetrics& t : run.metrics.tasks) out.push_back(double(t.cpu) / double(total));
    return out;
}

/// slice_order() returns who ran each of the first `count` time slices of
/// `quantum` ticks (a task that keeps the CPU runs several in one segment).
std::string slice_order(const Trace& trace, Tick quantum, std::size_t count) {
    std::string order;
    for (const Segment& s : replay(trace).segments) {
        for (Tick t = s.start; t < s.end && order.size() < 2 * count; t += quantum) {
            order += trace.tasks[index(s.task)].name + " ";
        }
    }
    return order;
}

}  // namespace

TEST_CASE("fifo on 100,10,10 gives an average turnaround of 110") {
    const Run run = run_jobs(compute_jobs({100, 10, 10}), "fifo");
    CHECK(run.metrics.averages.turnaround == doctest::Approx(110));
}

TEST_CASE("sjf on 100,10,10 runs the short jobs first: average turnaround 50") {
    const Run run = run_jobs(compute_jobs({100, 10, 10}), "sjf");
    CHECK(finishes(run) == std::vector<Tick>{120, 10, 20});
    CHECK(run.metrics.averages.turnaround == doctest::Approx(50));
}

TEST_CASE("sjf on 5,5,5 has an average response of 5, against round-robin's 1") {
    CHECK(run_jobs(compute_jobs({5, 5, 5}), "sjf").metrics.averages.response == doctest::Approx(5));
    CHECK(run_jobs(compute_jobs({5, 5, 5}), "round-robin", {{"quantum", 1}})
              .metrics.averages.response == doctest::Approx(1));
}

TEST_CASE("stcf preempts a long job for short ones arriving later: average turnaround 50") {
    const Run run = run_jobs(
        {{"A", 0, "compute 100"}, {"B", 10, "compute 10"}, {"C", 10, "compute 10"}}, "stcf");
    CHECK(finishes(run) == std::vector<Tick>{120, 20, 30});
    CHECK(run.metrics.averages.turnaround == doctest::Approx(50));
    CHECK(run.metrics.tasks[0].preemptions == 1);
}

TEST_CASE("stride with tickets 100, 50 and 250 runs slices A B C C C A C C") {
    std::vector<TaskSpec> specs;
    specs.push_back(hog("A", 100));
    specs.push_back(hog("B", 50));
    specs.push_back(hog("C", 250));
    KernelConfig config;
    config.max_ticks = 80;
    const Run run = run_specs(std::move(specs), "stride", {{"quantum", 10}}, config);
    CHECK(slice_order(run.trace, 10, 8) == "A B C C C A C C ");
}

TEST_CASE("cfs gives nice 0 and nice 5 CPU shares of 75.3% and 24.7%") {
    std::vector<TaskSpec> specs;
    specs.push_back(hog("nice 0", 100, 0));
    specs.push_back(hog("nice 5", 100, 5));
    KernelConfig config;
    config.max_ticks = 1'000'000;
    const std::vector<double> s = shares(run_specs(std::move(specs), "cfs", {}, config));
    CHECK(s[0] == doctest::Approx(0.753).epsilon(0.01));
    CHECK(s[1] == doctest::Approx(0.247).epsilon(0.04));
}

TEST_CASE(
    "lottery with 75 and 25 tickets shares the CPU 75/25 within 2 points over 10,000 slices") {
    const auto run = [](std::uint64_t seed) {
        std::vector<TaskSpec> specs;
        specs.push_back(hog("A", 75));
        specs.push_back(hog("B", 25));
        KernelConfig config;
        config.max_ticks = 10'000 * 10;
        return run_specs(std::move(specs), "lottery",
                         {{"quantum", 10}, {"seed", std::int64_t(seed)}}, config);
    };
    const Run first = run(7);
    const std::vector<double> s = shares(first);
    CHECK(s[0] > 0.73);
    CHECK(s[0] < 0.77);
    CHECK(first.trace.events == run(7).trace.events);
    CHECK_FALSE(first.trace.events == run(8).trace.events);
}

TEST_CASE("priority without aging starves a low task; with aging its wait is bounded") {
    const auto run = [](Tick max_ticks, std::int64_t aging) {
        std::vector<TaskSpec> specs;
        for (const char* name : {"high 1", "high 2"}) {
            TaskSpec spec = cxx_task(name, [] {
                for (;;) {
                    compute(10);
                    yield();
                }
            });
            spec.priority = 5;
            specs.push_back(std::move(spec));
        }
        specs.push_back(cxx_task("low", [] { compute(10); }));
        KernelConfig config;
        config.max_ticks = max_ticks;
        return run_specs(std::move(specs), "priority", {{"aging", aging}}, config);
    };
    CHECK(run(1'000, 0).metrics.tasks[2].longest_wait == 1'000);
    CHECK(run(10'000, 0).metrics.tasks[2].longest_wait == 10'000);
    const Tick bounded = run(10'000, 20).metrics.tasks[2].longest_wait;
    CHECK(bounded <= 5 * 20 + 2 * 10);  // Priority gap × aging, plus two bursts.
    CHECK(run(1'000, 20).metrics.tasks[2].longest_wait == bounded);
}

TEST_CASE("every policy dispatches each ready task once per pick and loses none") {
    const std::vector<Job> jobs{{"A", 0, "repeat 3 { compute 7; yield }"},
                                {"B", 3, "compute 25; io 5; compute 4"},
                                {"C", 3, "repeat 4 { compute 2; io 9 }"},
                                {"D", 40, "compute 11"}};
    for (const PolicyEntry& policy : policy_catalog()) {
        CAPTURE(policy.name);
        const Run run = run_jobs(jobs, policy.name);
        CHECK(run.trace.stop == StopReason::None);
        CHECK(cpu_times(run) == std::vector<Tick>{21, 29, 8, 11});
        Tick running = 0;  // Never two tasks on the CPU at once.
        for (const Event& e : run.trace.events) {
            if (e.kind == EventKind::Dispatch) CHECK(++running == 1);
            if (e.kind == EventKind::Yield || e.kind == EventKind::Preempt ||
                e.kind == EventKind::Block || e.kind == EventKind::Exit) {
                --running;
            }
        }
        CHECK(run_jobs(jobs, policy.name).trace.events == run.trace.events);
    }
}

}  // namespace timeslice::test

namespace timeslice::test {
namespace {

/// slices_of() returns the time slices `task` was granted at its dispatches.
std::vector<Tick> slices_of(const Trace& trace, TaskId task) {
    std::vector<Tick> slices;
    for (const Event& e : trace.events) {
        if (e.kind == EventKind::Dispatch && e.task == task) slices.push_back(e.detail);
    }
    return slices;
}

}  // namespace

TEST_CASE("mlfq keeps an interactive task on the top level while a CPU hog sinks") {
    const Run run =
        run_jobs({{"hog", 0, "compute 400"}, {"editor", 0, "repeat 10 { compute 1; io 30 }"}},
                 "mlfq", {{"levels", 3}, {"quantum", 10}, {"allotment", 20}, {"boost", 0}});
    for (Tick slice : slices_of(run.trace, TaskId{1})) CHECK(slice <= 10);
    CHECK(slices_of(run.trace, TaskId{0}).back() == 40);  // The bottom level's quantum.
    CHECK(run.metrics.tasks[1].longest_wait <= 40);
}

TEST_CASE("mlfq without boost starves a long task behind short ones; boost bounds its wait") {
    std::vector<Job> jobs{{"long", 0, "compute 200"}};
    for (int i = 0; i < 100; ++i)
        jobs.push_back({fmt::format("short {}", i), Tick(5 + 10 * i), "compute 10"});
    const auto wait = [&](std::int64_t boost) {
        const Run run =
            run_jobs(jobs, "mlfq", {{"quantum", 10}, {"allotment", 20}, {"boost", boost}});
        return run.metrics.tasks[0].longest_wait;
    };
    CHECK(wait(0) >= 900);
    CHECK(wait(100) <= 100 + 20);
}

}  // namespace timeslice::test

namespace timeslice::test {

TEST_CASE("stride charges even turns shorter than a time slice") {
    std::vector<TaskSpec> specs;
    for (const auto& [name, tickets] : {std::pair{"A", 250u}, std::pair{"B", 100u}}) {
        TaskSpec spec = cxx_task(name, [] {
            for (;;) {
                compute(2);
                yield();
            }
        });
        spec.tickets = tickets;
        specs.push_back(std::move(spec));
    }
    KernelConfig config;
    config.max_ticks = 3'500;
    const std::vector<double> s =
        shares(run_specs(std::move(specs), "stride", {{"quantum", 10}}, config));
    CHECK(s[1] == doctest::Approx(100.0 / 350.0).epsilon(0.02));
}

TEST_CASE("a task that arrives late under stride or cfs gets no credit for its absence") {
    for (const char* policy : {"stride", "cfs"}) {
        CAPTURE(policy);
        const Run run = run_jobs(
            {{"A", 0, "compute 1000"}, {"B", 500, "compute 500"}}, policy,
            std::string(policy) == "stride" ? PolicyParams{{"quantum", 10}} : PolicyParams{});
        Tick longest_b = 0;
        for (const Segment& s : replay(run.trace).segments) {
            if (s.task == TaskId{1}) longest_b = std::max(longest_b, s.end - s.start);
        }
        CHECK(longest_b <= 100);
    }
}

TEST_CASE("stcf does not preempt for a task with exactly as much work left") {
    const Run run = run_jobs({{"A", 0, "compute 50"}, {"B", 10, "compute 40"}}, "stcf");
    CHECK(run.metrics.tasks[0].preemptions == 0);
    CHECK(finishes(run) == std::vector<Tick>{50, 90});
}

TEST_CASE("priority preempts by base priority: a running task does not age") {
    std::vector<TaskSpec> specs;
    specs.push_back(cxx_task("low", [] { compute(200); }));
    specs.push_back(cxx_task(
        "high", [] { compute(10); }, 100));
    specs.back().priority = 5;
    const Run run = run_specs(std::move(specs), "priority", {{"aging", 10}});
    CHECK(run.metrics.tasks[0].preemptions == 1);
    CHECK(finishes(run) == std::vector<Tick>{210, 110});
}

TEST_CASE("tuning_params lists each parameter once, in catalog order, without seed") {
    std::vector<std::string_view> names;
    for (const PolicyParam* p : tuning_params()) names.push_back(p->name);
    CHECK(names == std::vector<std::string_view>{"quantum", "preemptive", "aging", "levels",
                                                 "allotment", "boost", "latency",
                                                 "min_granularity"});
}

TEST_CASE("policies that take a parameter of the same name give it the same range") {
    for (const PolicyEntry& entry : policy_catalog()) {
        for (const PolicyParam& param : entry.params) {
            CAPTURE(entry.name);
            CAPTURE(param.name);
            REQUIRE(find_param(param.name) != nullptr);
            CHECK(find_param(param.name)->min_value == param.min_value);
            CHECK(find_param(param.name)->max_value == param.max_value);
        }
    }
}

TEST_CASE("find_param finds a parameter by name, the first policy's when several take it") {
    REQUIRE(find_param("quantum") != nullptr);
    CHECK(find_param("quantum")->default_value == 100);  // round-robin's, not mlfq's 10
    CHECK(find_param("boost")->max_value == 1'000'000'000'000);
    CHECK(find_param("speed") == nullptr);
}

}  // namespace timeslice::test
