// The kernel's mechanism, checked on traces: the state machine, I/O, idling, late
// arrivals, same-tick ordering, failing tasks, the run's limits, switch costs and
// the unwinding of tasks a stopped run leaves behind.
#include <doctest/doctest.h>

#include <limits>
#include <memory>
#include <stdexcept>

#include "helpers.hpp"
#include "kernel/api.hpp"
#include "tasks/workloads.hpp"

namespace timeslice::test {

TEST_CASE("a lone task goes through arrive, dispatch, yield, block, wake and exit in order") {
    const Run run =
        run_jobs({{"A", 0, "compute 5; yield; compute 5; io 10; compute 5"}}, "cooperative");
    CHECK(event_log(run.trace) ==
          "0 A arrive\n"
          "0 A dispatch\n"
          "5 A yield\n"
          "5 A dispatch\n"
          "10 A block 10\n"
          "20 A wake\n"
          "20 A dispatch\n"
          "25 A exit\n");
    CHECK(run.trace.stop == StopReason::None);
    CHECK(run.trace.end == 25);
}

TEST_CASE("a round-robin dispatch records its time slice") {
    const Run run = run_jobs({{"A", 0, "compute 5"}}, "round-robin", {{"quantum", 7}});
    CHECK(event_log(run.trace) ==
          "0 A arrive\n"
          "0 A dispatch 7\n"
          "5 A exit\n");
}

TEST_CASE("a kernel with no tasks ends at tick 0") {
    const Run run = run_specs({}, "cooperative");
    CHECK(run.trace.events.empty());
    CHECK(run.trace.end == 0);
    CHECK(run.trace.stop == StopReason::None);
}

TEST_CASE("io blocks for exactly its ticks and two devices work at the same time") {
    const Run run = run_jobs(
        {{"A", 0, "compute 10; io 30; compute 1"}, {"B", 0, "compute 10; io 30; compute 1"}},
        "cooperative");
    CHECK(event_log(run.trace) ==
          "0 A arrive\n"
          "0 B arrive\n"
          "0 A dispatch\n"
          "10 A block 30\n"
          "10 B dispatch\n"
          "20 B block 30\n"
          "40 A wake\n"
          "40 A dispatch\n"
          "41 A exit\n"
          "50 B wake\n"
          "50 B dispatch\n"
          "51 B exit\n");
    CHECK(run.metrics.tasks[0].blocked == 30);
    CHECK(run.metrics.tasks[1].blocked == 30);
}

TEST_CASE("the CPU idles while every task is blocked, so utilization is below 1") {
    const Run run = run_jobs(
        {{"A", 0, "compute 10; io 30; compute 1"}, {"B", 0, "compute 10; io 30; compute 1"}},
        "cooperative");
    CHECK(run.metrics.makespan == 51);
    CHECK(run.metrics.utilization == doctest::Approx(22.0 / 51.0));
}

TEST_CASE("a task arriving at 50 while the CPU is idle is dispatched at 50") {
    const Run run = run_jobs({{"A", 0, "compute 20"}, {"B", 50, "compute 10"}}, "cooperative");
    CHECK(event_log(run.trace) ==
          "0 A arrive\n"
          "0 A dispatch\n"
          "20 A exit\n"
          "50 B arrive\n"
          "50 B dispatch\n"
          "60 B exit\n");
    CHECK(run.metrics.tasks[1].response == 0);
    CHECK(run.metrics.tasks[1].turnaround == 10);
}

TEST_CASE("a task arriving at the tick a slice ends queues before the preempted task") {
    // At 10 the queue is [B]; C arrives, then A's slice ends: [B, C, A].
    const Run run =
        run_jobs({{"A", 0, "compute 20"}, {"B", 0, "compute 20"}, {"C", 10, "compute 10"}},
                 "round-robin", {{"quantum", 10}});
    CHECK(segment_log(run.trace) ==
          "A 0-10 preempt\n"
          "B 10-20 preempt\n"
          "C 20-30 exit\n"
          "A 30-40 exit\n"
          "B 40-50 exit\n");
    CHECK(finishes(run) == std::vector<Tick>{40, 50, 30});
}

TEST_CASE("an arrival in the middle of a time slice does not cut the slice short") {
    const Run run =
        run_jobs({{"A", 0, "compute 30"}, {"B", 5, "compute 5"}}, "round-robin", {{"quantum", 10}});
    CHECK(segment_log(run.trace) ==
          "A 0-10 preempt\n"
          "B 10-15 exit\n"
          "A 15-35 exit\n");
}

TEST_CASE("a task woken at the tick another yields queues before the yielding task") {
    const Run run = run_jobs(
        {{"A", 0, "io 10; compute 1"}, {"B", 0, "compute 10; yield; compute 1"}}, "cooperative");
    CHECK(segment_log(run.trace) ==
          "A 0-0 block\n"
          "B 0-10 yield\n"
          "A 10-11 exit\n"
          "B 11-12 exit\n");
}

TEST_CASE("a task whose code throws fails with its message and the others run on") {
    std::vector<TaskSpec> specs;
    specs.push_back(cxx_task("A", [] {
        compute(5);
        throw std::runtime_error("boom");
    }));
    specs.push_back(cxx_task("B", [] { compute(10); }));
    const Run run = run_specs(std::move(specs), "cooperative");
    CHECK(event_log(run.trace) ==
          "0 A arrive\n"
          "0 B arrive\n"
          "0 A dispatch\n"
          "5 A fail \"boom\"\n"
          "5 B dispatch\n"
          "15 B exit\n");
    CHECK(run.trace.messages == std::vector<std::string>{"boom"});
    CHECK(run.metrics.tasks[0].final_state == TaskState::Failed);
    CHECK(run.metrics.tasks[1].final_state == TaskState::Done);
}

TEST_CASE("a task that throws something other than an exception fails as 'unknown exception'") {
    std::vector<TaskSpec> specs;
    specs.push_back(cxx_task("A", [] { throw 42; }));
    const Run run = run_specs(std::move(specs), "cooperative");
    CHECK(event_log(run.trace) ==
          "0 A arrive\n"
          "0 A dispatch\n"
          "0 A fail \"unknown exception\"\n");
}

TEST_CASE("each failure's message is kept in the order the tasks failed") {
    const Run run =
        run_jobs({{"A", 0, "compute 5; fail \"first\""}, {"B", 0, "compute 1; fail \"second\""}},
                 "cooperative");
    CHECK(run.trace.messages == std::vector<std::string>{"first", "second"});
    CHECK(event_log(run.trace).find("5 A fail \"first\"\n") != std::string::npos);
    CHECK(event_log(run.trace).find("6 B fail \"second\"\n") != std::string::npos);
}

TEST_CASE("a fail statement fails the task at that point of its program") {
    const Run run =
        run_jobs({{"A", 0, "compute 3; fail \"disk on fire\"; compute 100"}, {"B", 0, "compute 4"}},
                 "cooperative");
    CHECK(event_log(run.trace) ==
          "0 A arrive\n"
          "0 B arrive\n"
          "0 A dispatch\n"
          "3 A fail \"disk on fire\"\n"
          "3 B dispatch\n"
          "7 B exit\n");
    CHECK(run.metrics.tasks[0].cpu == 3);
}

TEST_CASE("max_ticks stops a task that computes and yields forever at exactly max_ticks") {
    KernelConfig config;
    config.max_ticks = 1000;
    const Run run =
        run_jobs({{"A", 0, "repeat forever { compute 10; yield }"}}, "cooperative", {}, config);
    CHECK(run.trace.stop == StopReason::MaxTicks);
    CHECK(run.trace.end == 1000);
    CHECK(last_event(run.trace).kind == EventKind::Stop);
    CHECK(last_event(run.trace).tick == 1000);
    CHECK(run.metrics.tasks[0].cpu == 1000);
}

TEST_CASE("max_ticks stops a hog in the middle of its computation") {
    KernelConfig config;
    config.max_ticks = 100;
    const Run run = run_jobs({{"A", 0, "compute 5000"}}, "round-robin", {{"quantum", 30}}, config);
    CHECK(run.trace.stop == StopReason::MaxTicks);
    CHECK(run.trace.end == 100);
    CHECK(run.metrics.tasks[0].cpu == 100);
    CHECK(run.metrics.tasks[0].final_state == TaskState::Running);
}

TEST_CASE("a task that ends exactly at max_ticks ends normally") {
    KernelConfig config;
    config.max_ticks = 10;
    const Run run = run_jobs({{"A", 0, "compute 10"}}, "cooperative", {}, config);
    CHECK(run.trace.stop == StopReason::None);
    CHECK(run.trace.end == 10);
    CHECK(run.metrics.tasks[0].final_state == TaskState::Done);
}

TEST_CASE("max_ticks stops a run whose only task arrives after the limit") {
    KernelConfig config;
    config.max_ticks = 100;
    const Run run = run_jobs({{"A", 500, "compute 5"}}, "cooperative", {}, config);
    CHECK(event_log(run.trace) == "100 stop max-ticks\n");
    CHECK(run.trace.end == 100);
    CHECK(run.metrics.tasks[0].final_state == TaskState::New);
}

TEST_CASE("two tasks that only yield forever stop with no progress at tick 0") {
    const Run run =
        run_jobs({{"A", 0, "repeat forever { yield }"}, {"B", 0, "repeat forever { yield }"}},
                 "cooperative");
    CHECK(run.trace.stop == StopReason::NoProgress);
    CHECK(run.trace.end == 0);
    CHECK(last_event(run.trace).kind == EventKind::Stop);
}

TEST_CASE("max_events stops the run at the first dispatch once the trace is that long") {
    KernelConfig config;
    config.max_events = 10;
    const Run run = run_jobs({{"A", 0, "repeat forever { compute 1; yield }"},
                              {"B", 0, "repeat forever { compute 1; yield }"}},
                             "cooperative", {}, config);
    CHECK(event_log(run.trace) ==
          "0 A arrive\n"
          "0 B arrive\n"
          "0 A dispatch\n"
          "1 A yield\n"
          "1 B dispatch\n"
          "2 B yield\n"
          "2 A dispatch\n"
          "3 A yield\n"
          "3 B dispatch\n"
          "4 B yield\n"
          "4 stop max-events\n");
    CHECK(run.trace.stop == StopReason::MaxEvents);
    CHECK(run.trace.end == 4);
}

TEST_CASE("a slice that ends with nobody else ready is renewed silently: one segment") {
    const Run run = run_jobs({{"A", 0, "compute 25"}, {"B", 30, "compute 5"}}, "round-robin",
                             {{"quantum", 10}});
    CHECK(event_log(run.trace) ==
          "0 A arrive\n"
          "0 A dispatch 10\n"
          "25 A exit\n"
          "30 B arrive\n"
          "30 B dispatch 10\n"
          "35 B exit\n");
    CHECK(segment_log(run.trace) == "A 0-25 exit\nB 30-35 exit\n");
    CHECK(run.metrics.tasks[0].preemptions == 0);
    CHECK(run.metrics.context_switches == 1);
}

TEST_CASE("a renewed slice of another length is recorded: an MLFQ task alone sinks") {
    const PolicyParams mlfq{{"levels", 3}, {"quantum", 10}, {"allotment", 20}, {"boost", 0}};
    const Run run = run_jobs({{"A", 0, "compute 200"}}, "mlfq", mlfq);
    CHECK(event_log(run.trace) ==
          "0 A arrive\n"
          "0 A dispatch 10\n"
          "20 A renew 20\n"
          "60 A renew 40\n"
          "200 A exit\n");
    CHECK(segment_log(run.trace) == "A 0-200 exit\n");

    KernelConfig config;
    config.max_events = 3;
    const Run stopped = run_jobs({{"A", 0, "compute 200"}}, "mlfq", mlfq, config);
    CHECK(event_log(stopped.trace) ==
          "0 A arrive\n"
          "0 A dispatch 10\n"
          "20 A renew 20\n"
          "60 stop max-events\n");
}

TEST_CASE("max_events counts every event, however many arrive between two dispatches") {
    KernelConfig config;
    config.max_events = 10;
    std::vector<Job> jobs;
    for (int i = 0; i < 3000; ++i) jobs.push_back({fmt::format("T{}", i), 0, "compute 1"});
    const Run run = run_jobs(jobs, "fifo", {}, config);
    CHECK(run.trace.stop == StopReason::MaxEvents);
    CHECK(run.trace.events.size() == 3001);
}

TEST_CASE("a run of more tasks than the kernel prefetches from finishes each in turn") {
    // Past 256 tasks the kernel prefetches the next ready task at each dispatch,
    // and that task may never have run yet.
    std::vector<Job> jobs;
    std::vector<Tick> expected;
    for (int i = 0; i < 300; ++i) {
        jobs.push_back({fmt::format("T{}", i), 0, "compute 1; yield; compute 1"});
        expected.push_back(static_cast<Tick>(300 + i + 1));
    }
    for (const std::string_view policy : {"cooperative", "round-robin", "priority"}) {
        CAPTURE(policy);
        const Run run = run_jobs(jobs, policy);
        CHECK(run.trace.stop == StopReason::None);
        CHECK(finishes(run) == expected);
    }
}

TEST_CASE("max_events set as high as it goes means no limit") {
    KernelConfig config;
    config.max_events = std::numeric_limits<std::size_t>::max();
    const Run run = run_jobs(compute_jobs({30, 20}), "round-robin", {{"quantum", 5}}, config);
    CHECK(run.trace.stop == StopReason::None);
    CHECK(finishes(run) == std::vector<Tick>{50, 40});
}

TEST_CASE("two identical runs record identical traces") {
    const std::vector<Job> jobs{{"A", 0, "repeat 5 { compute 13; io 7 }"},
                                {"B", 3, "repeat 4 { compute 9; yield }"},
                                {"C", 5, "compute 40; io 1; compute 2"}};
    const Run first = run_jobs(jobs, "round-robin", {{"quantum", 6}});
    const Run second = run_jobs(jobs, "round-robin", {{"quantum", 6}});
    REQUIRE(first.trace.events.size() == second.trace.events.size());
    CHECK(event_log(first.trace) == event_log(second.trace));
    CHECK(first.trace.end == second.trace.end);
}

TEST_CASE("a tick() loop runs exactly one tick per call, also across time slices") {
    std::vector<TaskSpec> specs;
    for (std::string name : {"A", "B"}) {
        specs.push_back(workload_task(*find_workload("count"), {{"n", 1000}}));
        specs.back().name = std::move(name);
    }
    // 1000 = 142 × 7 + 6: after 142 full slices each, A runs 6 more, then B.
    const Run run = run_specs(std::move(specs), "round-robin", {{"quantum", 7}});
    CHECK(cpu_times(run) == std::vector<Tick>{1000, 1000});
    CHECK(finishes(run) == std::vector<Tick>{1994, 2000});
}

TEST_CASE("now() inside a task returns the current tick, after its own and others' work") {
    std::vector<Tick> seen;
    std::vector<TaskSpec> specs;
    specs.push_back(cxx_task("A", [&seen] {
        seen.push_back(now());
        compute(7);
        seen.push_back(now());
        yield();
        seen.push_back(now());
    }));
    specs.push_back(cxx_task("B", [] { compute(5); }));
    run_specs(std::move(specs), "cooperative");
    CHECK(seen == std::vector<Tick>{0, 7, 12});
}

TEST_CASE("destroying a kernel after a stopped run unwinds its unfinished tasks' stacks") {
    struct SetOnDestruction {
        bool* flag;
        ~SetOnDestruction() { *flag = true; }
    };
    bool unwound = false;
    {
        KernelConfig config;
        config.max_ticks = 100;
        Kernel kernel(config, make_policy("cooperative"));
        kernel.spawn(cxx_task("A", [&unwound] {
            const SetOnDestruction guard{&unwound};
            compute(1000);
        }));
        kernel.run();
        REQUIRE(kernel.trace().stop == StopReason::MaxTicks);
        CHECK_FALSE(unwound);
    }
    CHECK(unwound);
}

TEST_CASE("io 0 is a block of no length: the task wakes at once behind the ready tasks") {
    const Run run =
        run_jobs({{"A", 0, "compute 5; io 0; compute 5"}, {"B", 0, "compute 5"}}, "cooperative");
    CHECK(event_log(run.trace) ==
          "0 A arrive\n"
          "0 B arrive\n"
          "0 A dispatch\n"
          "5 A block 0\n"
          "5 A wake\n"
          "5 B dispatch\n"
          "10 B exit\n"
          "10 A dispatch\n"
          "15 A exit\n");
    CHECK(run.metrics.tasks[0].blocked == 0);
}

TEST_CASE("after io 0 the policy sees the woken task before it picks: priority keeps it") {
    std::vector<TaskSpec> specs;
    specs.push_back(cxx_task("A", [] {
        compute(5);
        io(0);
        compute(5);
    }));
    specs.push_back(cxx_task("B", [] { compute(5); }));
    specs[0].priority = 5;
    const Run run = run_specs(std::move(specs), "priority");
    CHECK(segment_log(run.trace) == "A 0-5 block\nA 5-10 exit\nB 10-15 exit\n");
}

TEST_CASE("the switch cost is charged each time the CPU changes tasks") {
    KernelConfig config;
    config.switch_cost = 3;
    const Run run = run_jobs({{"A", 0, "compute 5; yield; compute 5"}, {"B", 0, "compute 5"}},
                             "cooperative", {}, config);
    CHECK(event_log(run.trace) ==
          "0 A arrive\n"
          "0 B arrive\n"
          "0 A dispatch\n"
          "5 A yield\n"
          "5 B switch 3\n"
          "8 B dispatch\n"
          "13 B exit\n"
          "13 A switch 3\n"
          "16 A dispatch\n"
          "21 A exit\n");
    CHECK(run.metrics.context_switches == 2);
}

TEST_CASE("a yield back to the same lone task costs no switch") {
    KernelConfig config;
    config.switch_cost = 3;
    const Run run = run_jobs({{"A", 0, "compute 5; yield; compute 5"}}, "cooperative", {}, config);
    CHECK(finishes(run) == std::vector<Tick>{10});
    CHECK(run.metrics.context_switches == 0);
}

TEST_CASE("a kernel asked for no CPU, more than 64, wake-ups of no time or no end throws") {
    KernelConfig config;
    config.cores = 0;
    CHECK_THROWS_WITH_AS(Kernel(config, make_policy("cooperative")),
                         "cores = 0: a machine has 1 to 64 CPUs", std::invalid_argument);
    config.cores = 65;
    CHECK_THROWS_WITH_AS(Kernel(config, make_policy("cooperative")),
                         "cores = 65: a machine has 1 to 64 CPUs", std::invalid_argument);
    config.cores = 64;
    config.wakeup_latency = 0;
    CHECK_THROWS_WITH_AS(Kernel(config, make_policy("cooperative")),
                         "wakeup_latency = 0: a wake-up takes at least 1 tick",
                         std::invalid_argument);
    config.wakeup_latency = 1;
    config.max_ticks = kForever;
    CHECK_THROWS_WITH_AS(Kernel(config, make_policy("cooperative")),
                         "max_ticks = kForever: kForever means never, so the latest limit is "
                         "kForever - 1",
                         std::invalid_argument);
}

TEST_CASE("tasks that compute to the end of time stop at the last tick under every policy") {
    KernelConfig config;
    config.max_ticks = kForever - 1;
    const std::vector<Job> hogs = {{"A", 0, "repeat forever { compute 1000000000000000 }"},
                                   {"B", 0, "repeat forever { compute 1000000000000000 }"}};
    config.max_events = 1000;
    for (const char* policy : {"cooperative", "fifo"}) {
        CAPTURE(policy);
        const Run run = run_jobs(hogs, policy, {}, config);
        CHECK(run.trace.stop == StopReason::MaxTicks);
        CHECK(run.trace.end == kForever - 1);
    }
    // The preemptive ones switch every slice, and fill the trace first.
    for (const char* policy : {"round-robin", "stride", "cfs", "mlfq", "lottery"}) {
        CAPTURE(policy);
        const Run run = run_jobs(hogs, policy, {}, config);
        CHECK(run.trace.stop == StopReason::MaxEvents);
    }
}

}  // namespace timeslice::test

namespace timeslice::test {

TEST_CASE("a switch cut short by max_ticks is recorded with the ticks it really took") {
    KernelConfig config;
    config.switch_cost = 5;
    config.max_ticks = 12;
    const Run run =
        run_jobs({{"A", 0, "compute 10"}, {"B", 0, "compute 10"}}, "cooperative", {}, config);
    const History history = replay(run.trace);
    REQUIRE(history.switches.size() == 1);
    CHECK(history.switches[0].start == 10);
    CHECK(history.switches[0].end == 12);
}

TEST_CASE("an io that would end past the end of time never wakes the task") {
    KernelConfig config;
    config.max_ticks = 100;
    const Run run = run_specs({cxx_task("A",
                                        [] {
                                            compute(5);
                                            io(kForever);
                                            compute(1);
                                        })},
                              "cooperative", {}, config);
    CHECK(run.trace.stop == StopReason::MaxTicks);
    CHECK(run.metrics.tasks[0].final_state == TaskState::Blocked);
    CHECK(run.metrics.tasks[0].cpu == 5);
}

TEST_CASE("a task that swallows the kernel's cancellation is still ended when the kernel goes") {
    int catches = 0;
    {
        KernelConfig config;
        config.max_ticks = 50;
        Kernel kernel(config, make_policy("round-robin", {{"quantum", 10}}));
        kernel.spawn(cxx_task("stubborn", [&catches] {
            for (int i = 0; i < 3; ++i) {
                try {
                    compute(1000);
                } catch (...) {
                    ++catches;
                }
            }
        }));
        kernel.spawn(cxx_task("B", [] { compute(1000); }));
        kernel.run();
    }
    CHECK(catches == 3);
}

}  // namespace timeslice::test

namespace timeslice::test {

TEST_CASE("a task arriving during a context switch arrives at its own tick") {
    KernelConfig config;
    config.switch_cost = 5;
    const Run run =
        run_jobs({{"A", 0, "compute 10"}, {"B", 0, "compute 10"}, {"C", 12, "compute 1"}},
                 "cooperative", {}, config);
    CHECK(event_log(run.trace).find("12 C arrive\n") != std::string::npos);
    const TaskMetrics& c = run.metrics.tasks[2];
    CHECK(c.cpu + c.wait + c.blocked == *c.turnaround);
}

TEST_CASE("a task that arrives during a switch and preempts the incoming one runs next") {
    // H arrives at 12 while the CPU switches to M (10 to 15): M is dispatched when
    // the switch ends and preempted at once, and the CPU switches again, to H.
    KernelConfig config;
    config.switch_cost = 5;
    const Run run = run_prioritized({{"L", 0, "compute 10; yield; compute 10"},
                                     {"M", 0, "compute 100"},
                                     {"H", 12, "compute 10"}},
                                    {0, 0, 10}, "priority", config);
    CHECK(event_log(run.trace).find("15 M dispatch\n15 M preempt\n15 H switch 5\n20 H "
                                    "dispatch\n30 H exit\n") != std::string::npos);
    CHECK(*run.metrics.tasks[2].finish == 30);
}

TEST_CASE("a switch cut short by max_ticks still counts as a context switch") {
    KernelConfig config;
    config.switch_cost = 5;
    config.max_ticks = 12;
    const Run run =
        run_jobs({{"A", 0, "compute 10"}, {"B", 0, "compute 10"}}, "cooperative", {}, config);
    CHECK(run.metrics.context_switches == 1);
}

}  // namespace timeslice::test
