// Explains a deadlock in words, from the wait-for graph at the end of the trace:
// each cycle of tasks that wait for each other, with what each holds since when
// and what it wants; then the other tasks stuck behind them, and the ready tasks
// no CPU will ever take.
#include <fmt/format.h>

#include "deadlock_report.hpp"
#include "kernel/waits.hpp"
#include "text.hpp"

namespace timeslice {
namespace {

std::string task_name(const Trace& trace, TaskId task) {
    return trace.tasks[index(task)].name;
}

/// holdings() says what `task` holds: "holds lock 'a' (since tick 0)", or "".
std::string holdings(const Trace& trace, const TaskWait& task) {
    std::string out;
    for (const Holding& h : task.holds) {
        out += fmt::format("{}{} (since tick {})", out.empty() ? "holds " : ", ",
                           describe(trace, h.lock), h.since);
    }
    return out;
}

bool ended(const RunResult& run, TaskId task) {
    const TaskState state = run.metrics.tasks[index(task)].final_state;
    return state == TaskState::Done || state == TaskState::Failed;
}

/// wanting() says what `task` waits for, and who holds it or what it is.
std::string wanting(const RunResult& run, const TaskWait& task) {
    const Trace& trace = run.trace;
    const SyncRef what = *task.waits;
    std::string out = fmt::format("{} {} (since tick {})", task.spins ? "spins on" : "waits for",
                                  describe(trace, what), task.since);
    if (task.waits_for && what.kind == SyncKind::Lock) {
        out += fmt::format(", held by {}", task_name(trace, *task.waits_for));
        if (ended(run, *task.waits_for)) out += ", which ended holding it";
    }
    if (what.kind == SyncKind::Lock && !task.waits_for) out += ", which is free";
    if (what.kind == SyncKind::Semaphore) out += ", which no task can post";
    if (what.kind == SyncKind::Condition) out += ", which no task can notify";
    if (what.kind == SyncKind::Task && !run.metrics.tasks[what.index].arrived)
        out += ", which was never spawned";
    return out;
}

std::string describe_task(const RunResult& run, const WaitGraph& graph, TaskId id) {
    const TaskWait& task = graph.tasks[index(id)];
    const std::string held = holdings(run.trace, task);
    return fmt::format("{}{}{}", task_name(run.trace, id),
                       held.empty() ? " " : " " + held + " and ", wanting(run, task));
}

}  // namespace

// Lines are indented by what they say: the deadlock, its cycles, their tasks.
std::string render_deadlock(const RunResult& run, std::size_t width, std::string_view prefix) {
    const Trace& trace = run.trace;
    const WaitGraph graph = wait_graph(trace);
    std::vector<std::pair<std::size_t, std::string>> lines = {
        {0, fmt::format("deadlock at tick {}: every unfinished task waits for another", trace.end)}};
    std::vector<bool> told(trace.tasks.size(), false);
    for (const std::vector<TaskId>& cycle : graph.cycles) {
        std::string chain;
        for (TaskId t : cycle) chain += task_name(trace, t) + " -> ";
        lines.emplace_back(2, fmt::format("a cycle: {}{}", chain, task_name(trace, cycle[0])));
        for (TaskId t : cycle) {
            lines.emplace_back(4, describe_task(run, graph, t));
            told[index(t)] = true;
        }
    }
    for (std::uint32_t i = 0; i < trace.tasks.size(); ++i) {
        if (told[i]) continue;
        if (graph.tasks[i].waits) {
            lines.emplace_back(2, describe_task(run, graph, TaskId{i}));
        } else if (run.metrics.tasks[i].final_state == TaskState::Ready) {
            lines.emplace_back(2, fmt::format("{} is ready, but no CPU will ever take it: each "
                                              "runs a task that spins and is never preempted",
                                              task_name(trace, TaskId{i})));
        }
    }
    std::string out;
    for (const auto& [indent, line] : lines) {
        std::string wrapped = wrap_words(line, width - prefix.size(), indent, 2);
        for (std::size_t at = 0; at < wrapped.size(); at = wrapped.find('\n', at) + 1) {
            wrapped.insert(at, prefix);
            at += prefix.size();
        }
        out += wrapped;
    }
    return out;
}

}  // namespace timeslice
