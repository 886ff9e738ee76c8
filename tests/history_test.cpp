// History: a trace replayed into per-task spans, run segments and switch spans.
#include <doctest/doctest.h>

#include "helpers.hpp"

namespace timeslice::test {

namespace {

/// A run that ends its segments in every way: yield, preempt, block, fail, exit and
/// stop (round-robin, quantum 10, stopped at tick 40).
Run every_ending() {
    KernelConfig config;
    config.max_ticks = 40;
    return run_jobs({{"A", 0, "compute 2; yield; compute 2; io 3; compute 2"},
                     {"B", 0, "compute 12; fail"},
                     {"C", 0, "compute 100"}},
                    "round-robin", {{"quantum", 10}}, config);
}

}  // namespace

TEST_CASE("segments end by yield, preempt, block, fail, exit, or stop when the run stops") {
    const Run run = every_ending();
    CHECK(segment_log(run.trace) ==
          "A 0-2 yield\n"
          "B 2-12 preempt\n"
          "C 12-22 preempt\n"
          "A 22-24 block\n"
          "B 24-26 fail\n"
          "C 26-36 preempt\n"
          "A 36-38 exit\n"
          "C 38-40 stop\n");
}

TEST_CASE("each task's spans cover the whole run without gaps or overlaps, under every policy") {
    const std::vector<Job> jobs{{"A", 0, "compute 2; yield; compute 2; io 3; compute 2"},
                                {"B", 7, "compute 12; fail"},
                                {"C", 0, "repeat 3 { compute 9; io 4 }"}};
    for (const PolicyEntry& policy : policy_catalog()) {
        INFO("policy: ", policy.name);
        const Run run = run_jobs(jobs, policy.name);
        const History history = replay(run.trace);
        REQUIRE(history.spans.size() == 3);
        for (const std::vector<Span>& spans : history.spans) {
            REQUIRE_FALSE(spans.empty());
            CHECK(spans.front().start == 0);
            CHECK(spans.back().end == run.trace.end);
            for (std::size_t i = 0; i < spans.size(); ++i) {
                CHECK(spans[i].start < spans[i].end);
                if (i > 0) CHECK(spans[i].start == spans[i - 1].end);
            }
        }
    }
}

TEST_CASE("a late task's spans start with its time as new, and end as done after it exits") {
    const Run run = run_jobs({{"A", 0, "compute 10"}, {"B", 4, "compute 5"}, {"C", 4, "compute 5"}},
                             "cooperative");
    const History history = replay(run.trace);
    const std::vector<Span>& b = history.spans[1];
    REQUIRE(b.size() == 4);
    CHECK((b[0].start == 0 && b[0].end == 4 && b[0].state == TaskState::New));
    CHECK((b[1].start == 4 && b[1].end == 10 && b[1].state == TaskState::Ready));
    CHECK((b[2].start == 10 && b[2].end == 15 && b[2].state == TaskState::Running));
    CHECK((b[3].start == 15 && b[3].end == 20 && b[3].state == TaskState::Done));
}

TEST_CASE("a blocked task's span lasts exactly its I/O time") {
    const Run run = run_jobs({{"A", 0, "compute 2; io 7; compute 1"}}, "cooperative");
    const History history = replay(run.trace);
    const std::vector<Span>& a = history.spans[0];
    REQUIRE(a.size() == 3);
    CHECK((a[0].start == 0 && a[0].end == 2 && a[0].state == TaskState::Running));
    CHECK((a[1].start == 2 && a[1].end == 9 && a[1].state == TaskState::Blocked));
    CHECK((a[2].start == 9 && a[2].end == 10 && a[2].state == TaskState::Running));
}

TEST_CASE("final states are each task's state when the trace ends") {
    const History history = replay(every_ending().trace);
    CHECK(history.final_states ==
          std::vector<TaskState>{TaskState::Done, TaskState::Failed, TaskState::Running});
    CHECK(history.end == 40);
}

TEST_CASE("a switch span starts at the switch and lasts the switch cost") {
    KernelConfig config;
    config.switch_cost = 3;
    const Run run = run_jobs(compute_jobs({5, 5}), "cooperative", {}, config);
    const History history = replay(run.trace);
    REQUIRE(history.switches.size() == 1);
    CHECK(history.switches[0].task == TaskId{1});
    CHECK(history.switches[0].start == 5);
    CHECK(history.switches[0].end == 8);
}

TEST_CASE("time_in counts only the part of the spans in the state inside the window") {
    const std::vector<Span> spans{{0, 10, TaskState::Ready},
                                  {10, 20, TaskState::Running},
                                  {20, 30, TaskState::Ready},
                                  {30, 35, TaskState::Running}};
    CHECK(time_in(spans, TaskState::Running, 0, 35) == 15);
    CHECK(time_in(spans, TaskState::Running, 15, 32) == 7);
    CHECK(time_in(spans, TaskState::Ready, 5, 25) == 10);
    CHECK(time_in(spans, TaskState::Blocked, 0, 35) == 0);
    CHECK(time_in(spans, TaskState::Running, 40, 50) == 0);
}

}  // namespace timeslice::test
