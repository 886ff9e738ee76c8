// Metrics: per-task figures, averages, utilization and fairness, on runs whose
// numbers are worked out by hand in each test.
#include <doctest/doctest.h>

#include "helpers.hpp"

namespace timeslice::test {

namespace {

/// Cooperative: A runs 0-12; B runs 12-17, blocks until 27, waits while C runs
/// 17-37 (C arrived at 5), and runs 37-42.
Run hand_worked() {
    return run_jobs(
        {{"A", 0, "compute 12"}, {"B", 0, "compute 5; io 10; compute 5"}, {"C", 5, "compute 20"}},
        "cooperative");
}

}  // namespace

TEST_CASE("a task that runs at once has response 0, no wait, and turnaround its length") {
    const TaskMetrics a = hand_worked().metrics.tasks[0];
    CHECK(a.name == "A");
    CHECK(a.first_run == 0);
    CHECK(a.finish == 12);
    CHECK(a.cpu == 12);
    CHECK(a.wait == 0);
    CHECK(a.blocked == 0);
    CHECK(a.response == 0);
    CHECK(a.turnaround == 12);
    CHECK(a.longest_wait == 0);
    CHECK(a.final_state == TaskState::Done);
}

TEST_CASE("a failed task keeps its message and its end; a task that ended has no message") {
    const Run run =
        run_jobs({{"A", 0, "compute 7; fail \"disk full\""}, {"B", 0, "compute 3"}}, "cooperative");
    const TaskMetrics& a = run.metrics.tasks[0];
    CHECK(a.final_state == TaskState::Failed);
    CHECK(a.error == "disk full");
    CHECK(a.finish == 7);
    CHECK(a.turnaround == 7);
    CHECK_FALSE(run.metrics.tasks[1].error);
}

TEST_CASE("a task that waits twice and blocks once: wait 22, longest wait 12, blocked 10") {
    const TaskMetrics b = hand_worked().metrics.tasks[1];
    CHECK(b.first_run == 12);
    CHECK(b.finish == 42);
    CHECK(b.cpu == 10);
    CHECK(b.wait == 22);
    CHECK(b.longest_wait == 12);
    CHECK(b.blocked == 10);
    CHECK(b.response == 12);
    CHECK(b.turnaround == 42);
}

TEST_CASE("a late task's response and turnaround count from its arrival") {
    const TaskMetrics c = hand_worked().metrics.tasks[2];
    CHECK(c.arrival == 5);
    CHECK(c.first_run == 17);
    CHECK(c.finish == 37);
    CHECK(c.response == 12);
    CHECK(c.turnaround == 32);
    CHECK(c.wait == 12);
}

TEST_CASE("averages are means over the tasks: response 8, turnaround 86/3, wait 34/3") {
    const RunMetrics m = hand_worked().metrics;
    CHECK(m.averages.response == doctest::Approx(8));
    CHECK(m.averages.turnaround == doctest::Approx(86.0 / 3.0));
    CHECK(m.averages.wait == doctest::Approx(34.0 / 3.0));
    CHECK(m.makespan == 42);
    CHECK(m.context_switches == 3);
}

TEST_CASE("utilization is 1 when the CPU never idles and busy/makespan when it does") {
    CHECK(hand_worked().metrics.utilization == doctest::Approx(1));
    const Run idle = run_jobs({{"A", 0, "compute 10; io 30; compute 10"}}, "cooperative");
    CHECK(idle.metrics.utilization == doctest::Approx(20.0 / 50.0));
}

TEST_CASE("a ready stretch interrupted by a yield at once back to the ready queue is one wait") {
    // A runs 0-10 and yields; B is dispatched at 10, yields at once; A runs 10-20.
    const Run run = run_jobs(
        {{"A", 0, "compute 10; yield; compute 10"}, {"B", 0, "yield; compute 5"}}, "cooperative");
    const TaskMetrics b = run.metrics.tasks[1];
    CHECK(b.wait == 20);
    CHECK(b.longest_wait == 20);
    CHECK(b.yields == 1);
    CHECK(b.first_run == 10);
}

TEST_CASE("preemptions, yields and context switches are counted per event") {
    const Run run = run_jobs({{"A", 0, "compute 25"}, {"B", 0, "compute 5; yield; compute 5"}},
                             "round-robin", {{"quantum", 10}});
    // A 0-10, B 10-15 yield, A 15-25, B 25-30, A 30-35.
    CHECK(run.metrics.tasks[0].preemptions == 2);
    CHECK(run.metrics.tasks[0].yields == 0);
    CHECK(run.metrics.tasks[1].preemptions == 0);
    CHECK(run.metrics.tasks[1].yields == 1);
    CHECK(run.metrics.context_switches == 4);
    CHECK(finishes(run) == std::vector<Tick>{35, 30});
}

TEST_CASE("a stopped run leaves unreached figures empty") {
    KernelConfig config;
    config.max_ticks = 50;
    const Run run = run_jobs(compute_jobs({100, 10}), "cooperative", {}, config);
    const TaskMetrics a = run.metrics.tasks[0];
    const TaskMetrics b = run.metrics.tasks[1];
    CHECK(a.first_run == 0);
    CHECK_FALSE(a.finish.has_value());
    CHECK_FALSE(a.turnaround.has_value());
    CHECK_FALSE(b.first_run.has_value());
    CHECK_FALSE(b.response.has_value());
    CHECK(b.wait == 50);
    CHECK(run.metrics.makespan == 50);
    CHECK(run.metrics.averages.response == doctest::Approx(0));
    CHECK(run.metrics.averages.turnaround == doctest::Approx(0));
    CHECK(run.metrics.averages.wait == doctest::Approx(25));
}

TEST_CASE("fairness is 1/3 when a cooperative hog keeps the CPU from two others") {
    const RunMetrics m = run_jobs(compute_jobs({100, 100, 100}), "cooperative").metrics;
    CHECK(m.fairness_from == 0);
    CHECK(m.fairness_to == 100);
    CHECK(m.fairness == doctest::Approx(1.0 / 3.0));
}

TEST_CASE("fairness is near 1 when round-robin shares the CPU among equal tasks") {
    const RunMetrics m =
        run_jobs(compute_jobs({100, 100, 100}), "round-robin", {{"quantum", 10}}).metrics;
    // Until A ends at 280, A ran 100 and B and C 90 each: 280² / (3 × 26200).
    CHECK(m.fairness_from == 0);
    CHECK(m.fairness_to == 280);
    CHECK(m.fairness == doctest::Approx(78400.0 / 78600.0));
}

TEST_CASE("the fairness window runs from the last arrival to the first end") {
    const RunMetrics m = hand_worked().metrics;
    // In [5, 12) only A ran.
    CHECK(m.fairness_from == 5);
    CHECK(m.fairness_to == 12);
    CHECK(m.fairness == doctest::Approx(1.0 / 3.0));
}

TEST_CASE("the fairness window is the whole run when the tasks never all coexist") {
    const RunMetrics m =
        run_jobs({{"A", 0, "compute 10"}, {"B", 20, "compute 30"}}, "cooperative").metrics;
    CHECK(m.fairness_from == 0);
    CHECK(m.fairness_to == 50);
    CHECK(m.fairness == doctest::Approx(1600.0 / 2000.0));
}

TEST_CASE("a task that never arrives has no share of fairness and no wait") {
    // Helper starts spawned and nobody spawns it; C's arrival comes after the end.
    KernelConfig config;
    config.max_ticks = 20;
    const RunMetrics m = run_jobs({{"A", 0, "compute 10"},
                                   {"B", 0, "compute 10"},
                                   {"Helper", kSpawned, "compute 10"},
                                   {"C", 50, "compute 10"}},
                                  "round-robin", {{"quantum", 5}}, config)
                             .metrics;
    CHECK(m.fairness_from == 0);
    CHECK(m.fairness_to == 15);
    CHECK(m.fairness == doctest::Approx(225.0 / 250.0));
    CHECK(m.averages.wait == doctest::Approx(7.5));
    CHECK_FALSE(m.tasks[2].arrived);
    CHECK_FALSE(m.tasks[2].arrival.has_value());
    CHECK_FALSE(m.tasks[3].arrived);
    CHECK(m.tasks[3].arrival == 50);
}

TEST_CASE("jain_index is 1 for equal shares, 1/n when one has all, and 1 when all are 0") {
    CHECK(jain_index({5, 5, 5}) == doctest::Approx(1));
    CHECK(jain_index({7, 0, 0}) == doctest::Approx(1.0 / 3.0));
    CHECK(jain_index({1, 3}) == doctest::Approx(0.8));
    CHECK(jain_index({0, 0}) == doctest::Approx(1));
    CHECK(jain_index({}) == doctest::Approx(1));
}

}  // namespace timeslice::test
