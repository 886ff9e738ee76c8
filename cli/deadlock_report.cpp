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

/// wanting() says what `task` waits for, and who holds it or what it is.
std::string wanting(const Trace& trace, const TaskWait& task) {
    const SyncRef what = *task.waits;
    std::string out = fmt::format("{} {} (since tick {})", task.spins ? "spins on" : "waits for",
                                  describe(trace, what), task.since);
    if (task.waits_for && what.kind == SyncKind::Lock)
        out += fmt::format(", held by {}", task_name(trace, *task.waits_for));
    if (what.kind == SyncKind::Lock && !task.waits_for) out += ", which is free";
    if (what.kind == SyncKind::Semaphore) out += ", which no task can post";
    if (what.kind == SyncKind::Condition) out += ", which no task can notify";
    if (what.kind == SyncKind::Task && trace.tasks[what.index].spawned) {
        const bool arrived = std::any_of(trace.events.begin(), trace.events.end(), [&](const Event& e) {
            return e.kind == EventKind::Arrive && index(e.task) == what.index;
        });
        if (!arrived) out += ", which was never spawned";
    }
    return out;
}

std::string describe_task(const Trace& trace, const WaitGraph& graph, TaskId id) {
    const TaskWait& task = graph.tasks[index(id)];
    const std::string held = holdings(trace, task);
    return fmt::format("{}{}{}", task_name(trace, id), held.empty() ? " " : " " + held + " and ",
                       wanting(trace, task));
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
            lines.emplace_back(4, describe_task(trace, graph, t));
            told[index(t)] = true;
        }
    }
    for (std::uint32_t i = 0; i < trace.tasks.size(); ++i) {
        if (told[i]) continue;
        if (graph.tasks[i].waits) {
            lines.emplace_back(2, describe_task(trace, graph, TaskId{i}));
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
