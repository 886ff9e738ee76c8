// Several CPUs: parallelism and concurrency in numbers, idle CPUs taking new tasks,
// preemption of the right running task, and the policies' shared ready queue.
#include <doctest/doctest.h>

#include "helpers.hpp"

namespace timeslice::test {
namespace {

KernelConfig cores(std::uint32_t n) {
    KernelConfig config;
    config.cores = n;
    return config;
}

}  // namespace

TEST_CASE("three equal CPU-bound tasks take turns on one CPU and run at once on three") {
    const std::vector<Job> jobs = compute_jobs({300, 300, 300});
    const Run one = run_jobs(jobs, "round-robin", {}, cores(1));
    CHECK(one.metrics.makespan == 900);
    CHECK(one.metrics.max_running == 1);
    CHECK(one.metrics.max_in_progress == 3);
    const Run three = run_jobs(jobs, "round-robin", {}, cores(3));
    CHECK(three.metrics.makespan == 300);
    CHECK(three.metrics.max_running == 3);
    CHECK(three.metrics.max_in_progress == 3);
    CHECK(three.metrics.context_switches == 0);
    REQUIRE(three.metrics.cpus.size() == 3);
    for (const CpuMetrics& cpu : three.metrics.cpus) CHECK(cpu.utilization == 1.0);
}

TEST_CASE("on two CPUs, each CPU's utilization counts only the ticks it ran a task") {
    const Run run = run_jobs(compute_jobs({100, 50}), "cooperative", {}, cores(2));
    CHECK(run.metrics.makespan == 100);
    CHECK(run.metrics.cpus[0].busy == 100);
    CHECK(run.metrics.cpus[1].busy == 50);
    CHECK(run.metrics.cpus[1].utilization == 0.5);
    CHECK(run.metrics.utilization == 0.75);
}

TEST_CASE("tasks that arrive while CPUs idle are dispatched at once, lowest CPU first") {
    const Run run = run_jobs({{"A", 10, "compute 5"}, {"B", 10, "compute 5"}, {"C", 12, "compute 5"}},
                             "cooperative", {}, cores(3));
    CHECK(event_log(run.trace) ==
          "10 A arrive cpu0\n"
          "10 B arrive cpu0\n"
          "10 A dispatch cpu0\n"
          "10 B dispatch cpu1\n"
          "12 C arrive cpu0\n"
          "12 C dispatch cpu2\n"
          "15 A exit cpu0\n"
          "15 B exit cpu1\n"
          "17 C exit cpu2\n");
}

TEST_CASE("more tasks than CPUs: the ready queue is shared, and a freed CPU takes the next") {
    const Run run = run_jobs(compute_jobs({10, 20, 5, 5}), "fifo", {}, cores(2));
    CHECK(finishes(run) == std::vector<Tick>{10, 20, 15, 20});
    CHECK(segment_log(run.trace) ==
          "A 0-10 exit\n"
          "B 0-20 exit\n"
          "C 10-15 exit\n"
          "D 15-20 exit\n");
}

TEST_CASE("a task that becomes ready preempts the least important running task") {
    const Run run = run_prioritized(
        {{"Low", 0, "compute 50"}, {"Mid", 0, "compute 50"}, {"High", 10, "compute 5"}},
        {1, 5, 10}, "priority", cores(2));
    const std::string log = event_log(run.trace);
    CHECK(log.find("0 Mid dispatch cpu0\n0 Low dispatch cpu1\n") != std::string::npos);
    CHECK(log.find("10 Low preempt cpu1\n10 High dispatch cpu1\n") != std::string::npos);
    CHECK(run.metrics.tasks[1].preemptions == 0);
}

TEST_CASE("a newly ready task that is no better than any running one waits in the queue") {
    const Run run = run_prioritized(
        {{"A", 0, "compute 50"}, {"B", 0, "compute 50"}, {"C", 10, "compute 5"}}, {5, 5, 5}, "priority", cores(2));
    CHECK(run.metrics.tasks[2].first_run == 50);
}

TEST_CASE("a task never runs on two CPUs at once, and a CPU never runs two tasks") {
    for (const PolicyEntry& policy : policy_catalog()) {
        CAPTURE(policy.name);
        const Run run = run_jobs({{"A", 0, "repeat 5 { compute 7; yield; io 3 }"},
                                  {"B", 2, "repeat 4 { compute 11; yield }"},
                                  {"C", 4, "repeat 3 { compute 13; io 5 }"},
                                  {"D", 6, "compute 40"},
                                  {"E", 8, "repeat 6 { tick; yield }"}},
                                 policy.name, {}, cores(3));
        const History history = replay(run.trace);
        for (std::size_t i = 0; i < history.segments.size(); ++i) {
            for (std::size_t j = i + 1; j < history.segments.size(); ++j) {
                const Segment& a = history.segments[i];
                const Segment& b = history.segments[j];
                const bool overlap = a.start < b.end && b.start < a.end;
                CHECK_FALSE((overlap && a.task == b.task));
                CHECK_FALSE((overlap && a.cpu == b.cpu));
            }
        }
        CHECK(run.metrics.max_running <= 3);
    }
}

TEST_CASE("with more CPUs than tasks, every task runs from its arrival without waiting") {
    for (const PolicyEntry& policy : policy_catalog()) {
        CAPTURE(policy.name);
        const Run run = run_jobs({{"A", 0, "compute 30; io 10; compute 30"},
                                  {"B", 5, "compute 20"},
                                  {"C", 7, "repeat 3 { compute 5; yield }"}},
                                 policy.name, {}, cores(4));
        for (const TaskMetrics& task : run.metrics.tasks) CHECK(task.wait == 0);
    }
}

}  // namespace timeslice::test
