// What a timeline's column shows when it covers several ticks: never more tasks
// running than there are CPUs, each '#' matching a CPU lane, and no task that ran
// vanishing; checked on chosen runs and on random ones on one to four CPUs.
#include <doctest/doctest.h>

#include <sstream>

#include "cli/timeline.hpp"
#include "helpers.hpp"
#include "random_scenarios.hpp"

namespace timeslice::test {
namespace {

/// Chart is a rendered timeline cut into its lanes, without their labels.
struct Chart {
    std::vector<std::string> tasks;
    std::vector<std::string> cpus;
};

RunResult result_of(Run run) {
    RunResult result{std::move(run.trace), {}, {}, std::nullopt};
    result.history = replay(result.trace);
    result.metrics = measure(result.trace, result.history);
    return result;
}

/// chart_of() renders `run` `width` columns wide and cuts out its lanes: the label
/// column ends where the axis's marks start.
Chart chart_of(const RunResult& run, int width) {
    const LabeledRun labeled[] = {{"", &run}};
    std::istringstream text(render_timelines(labeled, {.width = width, .color = false}));
    std::vector<std::string> lines;
    for (std::string line; std::getline(text, line);) lines.push_back(line);
    const std::size_t chart_at = lines.at(1).find('+');
    Chart chart;
    for (std::size_t i = 0; i < run.trace.tasks.size(); ++i)
        chart.tasks.push_back(lines.at(2 + i).substr(std::min(chart_at, lines.at(2 + i).size())));
    for (std::size_t c = 0; c < run.trace.cores; ++c) {
        const std::string& line = lines.at(2 + run.trace.tasks.size() + c);
        chart.cpus.push_back(line.substr(std::min(chart_at, line.size())));
    }
    return chart;
}

char at(const std::string& lane, std::size_t column) {
    return column < lane.size() ? lane[column] : ' ';
}

/// check_columns() checks every column of `chart`: at most one task shown running
/// per CPU, each shown in a CPU lane, and a task that ran marked as having run.
void check_columns(const Chart& chart, const RunResult& run, Tick scale) {
    const std::size_t columns = chart.cpus.front().size();
    for (std::size_t c = 0; c < columns; ++c) {
        std::size_t running = 0;
        for (std::size_t t = 0; t < chart.tasks.size(); ++t) {
            const char glyph = at(chart.tasks[t], c);
            const bool ran = time_in(run.history.spans[t], TaskState::Running, c * scale,
                                     (c + 1) * scale) > 0;
            CAPTURE(c);
            CAPTURE(t);
            CHECK(ran == (glyph == '#' || glyph == '@' || glyph == '='));
            if (glyph != '#' && glyph != '@') continue;
            ++running;
            const bool in_cpu_lane =
                std::any_of(chart.cpus.begin(), chart.cpus.end(),
                            [&](const std::string& cpu) { return at(cpu, c) == task_key(t); });
            CHECK(in_cpu_lane);
        }
        CHECK(running <= run.trace.cores);
    }
}

}  // namespace

TEST_CASE("two tasks that share a column: the CPU lane shows the first, the other shows '='") {
    // Round-robin with a slice of 5 ticks, drawn at 10 ticks a column: A and B run
    // 5 ticks each in every column, and a tie goes to the task first in order.
    const RunResult run =
        result_of(run_jobs(compute_jobs({100, 100}), "round-robin", {{"quantum", 5}}));
    const Chart chart = chart_of(run, 40);
    CHECK(chart.cpus[0] == "11111111111111111111");
    CHECK(chart.tasks[0] == "####################");
    CHECK(chart.tasks[1] == "====================");
}

TEST_CASE("a task with a quarter of the CPU stays visible at any scale") {
    const RunResult run = result_of(run_jobs(
        {{"Big", 0, "repeat 100 { compute 30; yield }"}, {"Small", 0, "repeat 100 { compute 10; yield }"}},
        "round-robin", {{"quantum", 100}}));
    const Chart chart = chart_of(run, 40);
    CHECK(chart.tasks[1].find_first_not_of("=") == std::string::npos);
    CHECK(chart.tasks[0].find_first_not_of("#") == std::string::npos);
}

TEST_CASE("each CPU has a lane, and a task waiting on a lock shows '!', a spinning one '@'") {
    const RunResult run = result_of(run_jobs({{"A", 0, "lock a; compute 20; unlock a"},
                                              {"B", 0, "compute 5; lock a; compute 5; unlock a"},
                                              {"C", 0, "compute 5; spin_lock a; unlock a"}},
                                             "cooperative", {}, KernelConfig{.cores = 3},
                                             locks({"a"})));
    const LabeledRun labeled[] = {{"", &run}};
    const std::string text = render_timelines(labeled, {.width = 80, .color = false});
    CHECK(text.find("CPU0") != std::string::npos);
    CHECK(text.find("CPU2") != std::string::npos);
    const Chart chart = chart_of(run, 80);
    CHECK(chart.tasks[1].substr(0, 20) == "#####!!!!!!!!!!!!!!!");
    CHECK(chart.tasks[2].substr(0, 20) == "#####@@@@@@@@@@@@@@@");
    CHECK(text.find("! blocked (lock, semaphore, join...)") != std::string::npos);
    CHECK(text.find("@ spinning on a lock") != std::string::npos);
}

TEST_CASE("on random runs, no column shows more tasks running than CPUs, nor hides one") {
    Draws draws(80);
    std::size_t partial = 0;  // So that the checks cannot pass for want of cases.
    for (int scenario = 0; scenario < 60; ++scenario) {
        const std::vector<Drawn> tasks = draw_tasks(draws);
        const auto cores = static_cast<std::uint32_t>(draws.between(1, 4));
        for (const PolicyEntry& policy : policy_catalog()) {
            Kernel kernel({.cores = cores}, make_policy(policy.name, draw_params(draws, policy)));
            for (const Drawn& t : tasks) kernel.spawn(t.spec);
            kernel.run();
            const RunResult run = result_of({kernel.take_trace(), {}});
            for (const int width : {40, 60, 80}) {
                CAPTURE(scenario);
                CAPTURE(policy.name);
                CAPTURE(width);
                const Chart chart = chart_of(run, width);
                const std::string axis = render_timelines(
                    std::vector<LabeledRun>{{"", &run}}, {.width = width, .color = false});
                const std::size_t scale_at = axis.find("one column = ") + 13;
                const Tick scale = std::stoull(axis.substr(scale_at));
                check_columns(chart, run, scale);
                for (const std::string& lane : chart.tasks) partial += lane.find('=') != std::string::npos;
            }
        }
    }
    CHECK(partial > 100);
}

}  // namespace timeslice::test
