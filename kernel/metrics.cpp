// Computes metrics by walking each task's spans and the trace's events.
#include "metrics.hpp"

#include <algorithm>

namespace timeslice {
namespace {

// Ready spans are split at zero-length dispatches (a yield straight back to the
// same task), so merge adjacent ready stretches before taking the longest.
Tick longest_ready(const std::vector<Span>& spans) {
    Tick longest = 0;
    Tick run = 0;
    Tick run_end = 0;
    for (const Span& span : spans) {
        if (span.state != TaskState::Ready) continue;
        run = (span.start == run_end) ? run + (span.end - span.start) : span.end - span.start;
        run_end = span.end;
        longest = std::max(longest, run);
    }
    return longest;
}

TaskMetrics task_metrics(const Trace& trace, const History& history, std::uint32_t i) {
    const std::vector<Span>& spans = history.spans[i];
    TaskMetrics m;
    m.name = trace.tasks[i].name;
    m.arrived = history.final_states[i] != TaskState::New;
    if (m.arrived || !trace.tasks[i].spawned) m.arrival = trace.tasks[i].arrival;
    for (const Span& span : spans) {
        const Tick length = span.end - span.start;
        switch (span.state) {
            case TaskState::Running:
                m.cpu += length;
                if (span.waiting == Waiting::Spin) m.spin += length;
                break;
            case TaskState::Ready:
                m.wait += length;
                break;
            case TaskState::Blocked:
                m.blocked += length;
                (span.waiting == Waiting::Io ? m.blocked_io : m.blocked_sync) += length;
                break;
            default:
                break;
        }
    }
    m.final_state = history.final_states[i];
    m.longest_wait = longest_ready(spans);
    return m;
}

template <typename Get>
double average(const std::vector<TaskMetrics>& tasks, Get get) {
    double sum = 0;
    int n = 0;
    for (const TaskMetrics& t : tasks) {
        if (const std::optional<Tick> value = get(t)) {
            sum += static_cast<double>(*value);
            ++n;
        }
    }
    return n == 0 ? 0.0 : sum / n;
}

// The contention window runs from the last arrival to the first task's end: the
// stretch in which every task exists and competes. When the tasks never all
// coexist, the window is the whole run. A task that never arrived has no share.
void measure_fairness(const History& history, RunMetrics& run) {
    Tick from = 0;
    Tick to = history.end;
    for (const TaskMetrics& t : run.tasks) {
        if (!t.arrived) continue;
        from = std::max(from, *t.arrival);
        if (t.finish) to = std::min(to, *t.finish);
    }
    if (to <= from) {
        from = 0;
        to = history.end;
    }
    std::vector<double> shares;
    for (std::size_t i = 0; i < run.tasks.size(); ++i) {
        if (!run.tasks[i].arrived) continue;
        shares.push_back(
            static_cast<double>(time_in(history.spans[i], TaskState::Running, from, to)));
    }
    run.fairness = jain_index(shares);
    run.fairness_from = from;
    run.fairness_to = to;
}

}  // namespace

double jain_index(const std::vector<double>& x) {
    double sum = 0;
    double sum_squares = 0;
    for (double v : x) {
        sum += v;
        sum_squares += v * v;
    }
    if (sum_squares == 0) return 1.0;
    return sum * sum / (static_cast<double>(x.size()) * sum_squares);
}

namespace {

/// count_events() adds to `tasks` the figures read off single events: preemptions,
/// yields, the first dispatch, the end and a failure's message.
void count_events(const Trace& trace, std::vector<TaskMetrics>& tasks) {
    for (const Event& e : trace.events) {
        if (e.kind == EventKind::Stop) continue;
        TaskMetrics& task = tasks[index(e.task)];
        switch (e.kind) {
            case EventKind::Preempt:
                ++task.preemptions;
                break;
            case EventKind::Yield:
                ++task.yields;
                break;
            case EventKind::Fail:
                task.error = trace.messages[e.detail];
                [[fallthrough]];
            case EventKind::Exit:
                task.finish = e.tick;
                task.turnaround = e.tick - *task.arrival;
                break;
            case EventKind::Dispatch:
                if (!task.first_run) {
                    task.first_run = e.tick;
                    task.response = e.tick - *task.arrival;
                }
                break;
            default:
                break;
        }
    }
}

/// peak() returns the most of `edges` open at once: each pair is a tick and +1 (a
/// stretch starts) or -1 (one ends); at the same tick, ends come first.
std::size_t peak(std::vector<std::pair<Tick, int>> edges) {
    std::sort(edges.begin(), edges.end());
    std::size_t open = 0;
    std::size_t most = 0;
    for (const auto& [tick, change] : edges) {
        open = change > 0 ? open + 1 : open - 1;
        most = std::max(most, open);
    }
    return most;
}

/// measure_parallelism() fills in each CPU's figures, and the most tasks running
/// (parallelism) and in progress (concurrency) at once.
void measure_parallelism(const Trace& trace, const History& history, RunMetrics& run) {
    run.cpus.assign(trace.cores, {});
    std::vector<std::pair<Tick, int>> running;
    for (const Segment& s : history.segments) {
        run.cpus[index(s.cpu)].busy += s.end - s.start;
        if (s.end > s.start) {
            running.emplace_back(s.start, 1);
            running.emplace_back(s.end, -1);
        }
    }
    for (CpuMetrics& cpu : run.cpus) {
        if (run.makespan > 0)
            cpu.utilization = static_cast<double>(cpu.busy) / static_cast<double>(run.makespan);
    }
    run.max_running = peak(std::move(running));
    std::vector<std::pair<Tick, int>> in_progress;
    for (const std::vector<Span>& spans : history.spans) {
        for (const Span& span : spans) {
            const bool alive = span.state == TaskState::Ready ||
                               span.state == TaskState::Running ||
                               span.state == TaskState::Blocked;
            if (!alive) continue;
            in_progress.emplace_back(span.start, 1);
            in_progress.emplace_back(span.end, -1);
        }
    }
    run.max_in_progress = peak(std::move(in_progress));
}

}  // namespace

RunMetrics measure(const Trace& trace, const History& history) {
    RunMetrics run;
    run.makespan = trace.end;
    run.context_switches = history.context_switches;
    Tick busy = 0;
    for (std::uint32_t i = 0; i < trace.tasks.size(); ++i) {
        run.tasks.push_back(task_metrics(trace, history, i));
        busy += run.tasks.back().cpu;
    }
    count_events(trace, run.tasks);
    if (run.makespan > 0) {
        run.utilization =
            static_cast<double>(busy) / (static_cast<double>(run.makespan) * trace.cores);
    }
    run.averages.response = average(run.tasks, [](const TaskMetrics& t) { return t.response; });
    run.averages.turnaround = average(run.tasks, [](const TaskMetrics& t) { return t.turnaround; });
    for (const TaskMetrics& t : run.tasks) {
        run.averages.responded += t.response.has_value();
        run.averages.finished += t.turnaround.has_value();
    }
    run.averages.wait = average(run.tasks, [](const TaskMetrics& t) -> std::optional<Tick> {
        if (!t.arrived) return std::nullopt;
        return t.wait;
    });
    measure_fairness(history, run);
    measure_parallelism(trace, history, run);
    return run;
}

}  // namespace timeslice
