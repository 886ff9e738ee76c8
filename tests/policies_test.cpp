// Textbook numbers for cooperative and round-robin scheduling, exact, with a
// switch cost of 0 unless a test says otherwise and every task arriving at 0.
#include <doctest/doctest.h>

#include "helpers.hpp"

namespace timeslice::test {

TEST_CASE("cooperative on 100,10,10 runs in arrival order: average turnaround 110, response 70") {
    const Run run = run_jobs(compute_jobs({100, 10, 10}), "cooperative");
    CHECK(finishes(run) == std::vector<Tick>{100, 110, 120});
    CHECK(responses(run) == std::vector<Tick>{0, 100, 110});
    CHECK(run.metrics.averages.turnaround == doctest::Approx(110));
    CHECK(run.metrics.averages.response == doctest::Approx(70));
    CHECK(run.metrics.context_switches == 2);
}

TEST_CASE("round-robin with quantum 1 on 5,5,5: average response 1, turnaround 14, wait 9") {
    const Run run = run_jobs(compute_jobs({5, 5, 5}), "round-robin", {{"quantum", 1}});
    CHECK(responses(run) == std::vector<Tick>{0, 1, 2});
    CHECK(finishes(run) == std::vector<Tick>{13, 14, 15});
    CHECK(run.metrics.averages.response == doctest::Approx(1));
    CHECK(run.metrics.averages.turnaround == doctest::Approx(14));
    CHECK(run.metrics.averages.wait == doctest::Approx(9));
}

TEST_CASE("round-robin with quantum 10 on 100,10,10 finishes at 120, 20, 30") {
    const Run run = run_jobs(compute_jobs({100, 10, 10}), "round-robin", {{"quantum", 10}});
    CHECK(finishes(run) == std::vector<Tick>{120, 20, 30});
    CHECK(run.metrics.context_switches == 3);
    CHECK(run.metrics.tasks[0].preemptions == 1);
}

TEST_CASE("round-robin with quantum 10 and switch cost 1 on 100,10,10 finishes at 123, 21, 32") {
    KernelConfig config;
    config.switch_cost = 1;
    const Run run = run_jobs(compute_jobs({100, 10, 10}), "round-robin", {{"quantum", 10}}, config);
    CHECK(finishes(run) == std::vector<Tick>{123, 21, 32});
    CHECK(run.metrics.context_switches == 3);
}

TEST_CASE("a lone task under round-robin keeps the CPU at each slice end without a switch") {
    const Run run = run_jobs(compute_jobs({250}), "round-robin", {{"quantum", 100}});
    CHECK(finishes(run) == std::vector<Tick>{250});
    CHECK(run.metrics.context_switches == 0);
    CHECK(run.metrics.tasks[0].preemptions == 0);
}

TEST_CASE("compute(250) under a time slice of 100 runs as 100 + 100 + 50 with others between") {
    const Run run = run_jobs(compute_jobs({250, 300}), "round-robin", {{"quantum", 100}});
    const History history = replay(run.trace);
    std::vector<Tick> a_lengths;
    for (const Segment& s : history.segments) {
        if (s.task == TaskId{0}) a_lengths.push_back(s.end - s.start);
    }
    CHECK(a_lengths == std::vector<Tick>{100, 100, 50});
}

}  // namespace timeslice::test
