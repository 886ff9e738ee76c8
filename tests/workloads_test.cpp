// The C++ workloads: their parameters, their declared demand, and the demo's tasks.
#include "tasks/workloads.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

#include "helpers.hpp"

namespace timeslice::test {

TEST_CASE("every workload uses exactly the CPU its demand declares, under every policy") {
    for (const Workload& workload : workloads()) {
        for (const PolicyEntry& policy : policy_catalog()) {
            INFO("workload: ", workload.name, ", policy: ", policy.name);
            std::vector<TaskSpec> specs;
            specs.push_back(workload_task(workload, {}));
            const Tick demand = specs[0].demand.value();
            const Run run = run_specs(std::move(specs), policy.name);
            CHECK(run.metrics.tasks[0].final_state == TaskState::Done);
            CHECK(run.metrics.tasks[0].cpu == demand);
        }
    }
}

TEST_CASE("a workload's demand follows the arguments it is given") {
    const TaskSpec spec =
        workload_task(*find_workload("io-bound"), {{"rounds", 4}, {"burst", 3}, {"io", 9}});
    CHECK(spec.demand == 12);
    std::vector<TaskSpec> specs;
    specs.push_back(spec);
    const Run run = run_specs(std::move(specs), "cooperative");
    CHECK(run.metrics.tasks[0].cpu == 12);
    CHECK(run.metrics.tasks[0].blocked == 36);
}

TEST_CASE("workload_task names the task after its workload") {
    CHECK(workload_task(*find_workload("hog"), {}).name == "hog");
}

TEST_CASE("workload_task rejects a parameter the workload does not have") {
    CHECK_THROWS_WITH_AS(workload_task(*find_workload("hog"), {{"speed", 3}}),
                         "workload 'hog' has no parameter 'speed'", std::invalid_argument);
}

TEST_CASE("workload_task rejects a negative parameter") {
    CHECK_THROWS_WITH_AS(workload_task(*find_workload("hog"), {{"ticks", -1}}),
                         "'ticks' must be at least 0, not -1", std::invalid_argument);
}

TEST_CASE("workload_task rejects a parameter above the largest count") {
    CHECK_THROWS_WITH_AS(workload_task(*find_workload("count"), {{"n", 1'000'000'000'000'001}}),
                         "'n' must be at most 1000000000000000, not 1000000000000001",
                         std::invalid_argument);
    CHECK(workload_task(*find_workload("count"), {{"n", 1'000'000'000'000'000}}).demand ==
          1'000'000'000'000'000);
}

TEST_CASE("a workload whose demand is too long to count declares none, rather than a wrapped one") {
    const Tick max = 1'000'000'000'000'000;
    const auto bursts = static_cast<std::int64_t>(max);
    CHECK_FALSE(
        workload_task(*find_workload("interactive"), {{"bursts", bursts}, {"burst", 4}}).demand);
    CHECK(workload_task(*find_workload("interactive"), {{"bursts", bursts}, {"burst", 1}}).demand ==
          max);
    CHECK(workload_task(*find_workload("io-bound"), {{"rounds", bursts}, {"burst", 0}}).demand ==
          0);
}

TEST_CASE("find_workload finds workloads by name and returns nullptr for others") {
    REQUIRE(find_workload("count") != nullptr);
    CHECK(find_workload("count")->name == "count");
    CHECK(find_workload("nope") == nullptr);
}

TEST_CASE("workload_names lists every workload in README order") {
    CHECK(workload_names() == "hog, interactive, io-bound, count");
}

TEST_CASE("demo_tasks gives Task 1, 2 and 3: a hog, an interactive task and an I/O-bound one") {
    const std::vector<TaskSpec> tasks = demo_tasks();
    REQUIRE(tasks.size() == 3);
    CHECK(tasks[0].name == "Task 1");
    CHECK(tasks[1].name == "Task 2");
    CHECK(tasks[2].name == "Task 3");
    CHECK(tasks[0].demand == workload_task(*find_workload("hog"), {}).demand);
    CHECK(tasks[1].demand == workload_task(*find_workload("interactive"), {}).demand);
    CHECK(tasks[2].demand == workload_task(*find_workload("io-bound"), {}).demand);
}

TEST_CASE("under cooperative the demo's Task 1 holds the CPU until it ends, then Task 2 runs") {
    const Tick hog = demo_tasks()[0].demand.value();
    const Run run = run_specs(demo_tasks(), "cooperative");
    CHECK(run.metrics.tasks[0].finish == hog);
    CHECK(run.metrics.tasks[1].first_run == hog);
    CHECK(run.metrics.tasks[0].yields == 0);
}

}  // namespace timeslice::test
