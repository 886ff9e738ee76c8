// Formats metrics as fixed-width text that fits the output's width (--width).
#include "report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <sstream>
#include <vector>

#include "deadlock_report.hpp"
#include "text.hpp"

namespace timeslice {
namespace {

std::string opt(const std::optional<Tick>& value) {
    return value ? fmt::format("{}", *value) : std::string("-");
}

std::string percent(double share) { return fmt::format("{:.1f}%", share * 100); }

/// cpus_text() says "1 CPU" or "N CPUs".
std::string cpus_text(std::uint32_t cores) {
    return fmt::format("{} CPU{}", cores, cores == 1 ? "" : "s");
}

/// Better says which way a figure improves, if either.
enum class Better { Lower, Higher, Neither };
/// Shown says how a figure is printed.
enum class Shown { Whole, Tenths, Thousandths, Percent };

/// Row is one line of the comparison table: a label and how to read the figure.
struct Row {
    const char* label;
    Better better;
    Shown shown;
    std::function<std::optional<double>(const RunResult&)> number;
    /// How many tasks the figure covers, when it is an average that may leave some
    /// out (tasks that never ran, or never ended); nothing when it covers them all.
    std::function<std::size_t(const RunResult&)> covered = nullptr;
};

/// stopped_early() returns whether `run` stopped before its tasks were done (a
/// deadlock, a limit): its figures cover only the run so far.
bool stopped_early(const RunResult& run) { return run.trace.stop != StopReason::None; }

/// partial() returns whether `row`'s figure for `run` leaves some tasks out, or
/// some of the run.
bool partial(const Row& row, const RunResult& run) {
    return stopped_early(run) || (row.covered && row.covered(run) < run.metrics.tasks.size());
}

std::optional<double> average_or_none(double value, std::size_t n) {
    return n == 0 ? std::nullopt : std::optional<double>(value);
}

std::string show(double value, Shown shown) {
    switch (shown) {
        case Shown::Whole:
            return fmt::format("{:.0f}", value);
        case Shown::Tenths:
            return fmt::format("{:.1f}", value);
        case Shown::Thousandths:
            return fmt::format("{:.3f}", value);
        case Shown::Percent:
            return percent(value);
    }
    return "?";
}

/// mean() prints an average over `n` tasks, or "-" when no task had the figure.
std::string mean(double value, std::size_t n) {
    const std::optional<double> average = average_or_none(value, n);
    return average ? show(*average, Shown::Tenths) : std::string("-");
}

/// comparison_row() prints `row` for the runs of `chunk`, marking with "*" (and
/// in colour, bold) the best value among all of `runs`, ties included, and with
/// "~" a value that leaves some tasks or some of the run out: it is not comparable,
/// and never the best (a policy that starves a task must not win on the response
/// of the others, nor a deadlocked run on its makespan).
std::string comparison_row(const Row& row, std::span<const RunResult* const> runs,
                           std::span<const RunResult* const> chunk, bool color,
                           bool& marked_best) {
    std::optional<double> best;
    for (const RunResult* r : runs) {
        const std::optional<double> v = row.number(*r);
        if (!v || partial(row, *r) || row.better == Better::Neither) continue;
        if (!best || (row.better == Better::Lower ? *v < *best : *v > *best)) best = v;
    }
    std::string line = fmt::format("{:<18}", row.label);
    for (const RunResult* r : chunk) {
        const std::optional<double> v = row.number(*r);
        const bool is_partial = partial(row, *r);
        const bool is_best = v && best && !is_partial && runs.size() > 1 &&
                             show(*v, row.shown) == show(*best, row.shown);
        marked_best = marked_best || is_best;
        const char* const mark = is_partial ? "~" : is_best ? "*" : " ";
        const std::string text = v ? show(*v, row.shown) + mark : "- ";
        const std::string cell = fmt::format("{:>13}", text);
        line += is_best && color ? fmt::format("\x1b[1m{}\x1b[0m", cell) : cell;
    }
    while (line.back() == ' ') line.pop_back();
    return line + "\n";
}

Tick longest_wait(const RunResult& run) {
    Tick longest = 0;
    for (const TaskMetrics& t : run.metrics.tasks) longest = std::max(longest, t.longest_wait);
    return longest;
}

const TaskMetrics* starved_most(const RunResult& run) {
    const TaskMetrics* worst = nullptr;
    for (const TaskMetrics& t : run.metrics.tasks) {
        if (!worst || t.longest_wait > worst->longest_wait) worst = &t;
    }
    return worst;
}

}  // namespace

std::string run_title(const Trace& trace) {
    std::string title = trace.policy;
    for (const auto& [name, value] : trace.policy_params)
        title += fmt::format(", {} {}", name, value);
    if (trace.switch_cost > 0) title += fmt::format(", switch cost {}", trace.switch_cost);
    if (trace.cores > 1) title += fmt::format(", {} CPUs", trace.cores);
    if (trace.wakeup_latency != 1) title += fmt::format(", wake-up latency {}", trace.wakeup_latency);
    return title;
}

std::string run_label(const Trace& trace, bool with_cores) {
    if (!with_cores) return trace.policy;
    return fmt::format("{} on {}", trace.policy, cpus_text(trace.cores));
}

// Columns are as wide as their widest entry, so large runs never run together;
// the figures of a small run fit an 80-column terminal. When a long run's figures
// make the table wider than `width`, its columns are split into several tables,
// one above the other, each starting with the task's name.
// A run whose tasks wait for each other splits "block" into I/O and
// synchronization; one whose tasks spin shows the ticks they spun.
std::string render_task_table(const RunResult& run, std::size_t width) {
    const auto any = [&](Tick TaskMetrics::*figure) {
        return std::any_of(run.metrics.tasks.begin(), run.metrics.tasks.end(),
                           [&](const TaskMetrics& t) { return t.*figure > 0; });
    };
    const bool syncs = any(&TaskMetrics::blocked_sync);
    const bool spins = any(&TaskMetrics::spin);
    std::vector<std::vector<std::string>> rows = {{"task", "arrive", "first", "finish", "cpu",
                                                   "wait", "block", "resp", "turn", "pre", "yld",
                                                   "maxwait"}};
    if (syncs) {
        rows[0][6] = "io";
        rows[0].insert(rows[0].begin() + 7, "sync");
    }
    if (spins) rows[0].insert(rows[0].begin() + 5, "spin");
    for (const TaskMetrics& t : run.metrics.tasks) {
        const std::string name = shorten(t.name, 11);
        rows.push_back({name, opt(t.arrival), opt(t.first_run), opt(t.finish),
                        fmt::format("{}", t.cpu), fmt::format("{}", t.wait),
                        fmt::format("{}", syncs ? t.blocked_io : t.blocked), opt(t.response),
                        opt(t.turnaround), fmt::format("{}", t.preemptions),
                        fmt::format("{}", t.yields), fmt::format("{}", t.longest_wait)});
        if (syncs) rows.back().insert(rows.back().begin() + 7, fmt::format("{}", t.blocked_sync));
        if (spins) rows.back().insert(rows.back().begin() + 5, fmt::format("{}", t.spin));
    }
    std::vector<std::size_t> widths(rows.front().size(), 4);
    widths[0] = 11;
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c)
            widths[c] = std::max(widths[c], columns(row[c]));
    }
    std::string out;
    for (const ColumnGroup& group : column_groups(widths, 1, 1, width)) {
        if (!out.empty()) out += "\n";
        for (const auto& row : rows) {
            out += fmt::format("{:<{}}", row[0], widths[0]);
            for (std::size_t c = group.first; c < group.end; ++c)
                out += fmt::format(" {:>{}}", row[c], widths[c]);
            out += "\n";
        }
    }
    return out;
}

// Parallelism is the most tasks running at once; concurrency the most tasks in
// progress (arrived, not ended) at once: on one CPU, the first is 1 whatever the
// second.
std::string render_summary(const RunResult& run, std::size_t width) {
    const RunMetrics& m = run.metrics;
    std::vector<std::string> lines = {
        fmt::format("makespan {}  CPU utilization {}  context switches {}", m.makespan,
                    percent(m.utilization), m.context_switches),
        fmt::format("averages: response {}  turnaround {}  wait {:.1f}",
                    mean(m.averages.response, m.averages.responded),
                    mean(m.averages.turnaround, m.averages.finished), m.averages.wait),
        fmt::format("fairness {:.3f} (Jain's index of CPU shares over ticks {}-{}; 1 = equal)",
                    m.fairness, m.fairness_from, m.fairness_to),
        fmt::format("parallelism {} (most tasks running at once)  concurrency {} (most in "
                    "progress)",
                    m.max_running, m.max_in_progress)};
    if (m.cpus.size() > 1) {
        std::string per_cpu = "utilization by CPU:";
        for (std::size_t c = 0; c < m.cpus.size(); ++c)
            per_cpu += fmt::format(" cpu{} {}", c, percent(m.cpus[c].utilization));
        lines.push_back(per_cpu);
    }
    if (const std::optional<double> s = speedup(run)) {
        lines.push_back(fmt::format("speedup {:.2f} (makespan {} on 1 CPU, {} here)", *s,
                                    *run.one_cpu_makespan, m.makespan));
    }
    std::string out;
    for (const std::string& line : lines) out += wrap_words(line, width, 0, 2);
    return out;
}

std::string render_comparison(std::span<const RunResult* const> runs, std::size_t width,
                              bool color) {
    using R = const RunResult&;
    const Row rows[] = {
        {"avg response", Better::Lower, Shown::Tenths,
         [](R r) {
             return average_or_none(r.metrics.averages.response, r.metrics.averages.responded);
         },
         [](R r) { return r.metrics.averages.responded; }},
        {"avg turnaround", Better::Lower, Shown::Tenths,
         [](R r) {
             return average_or_none(r.metrics.averages.turnaround, r.metrics.averages.finished);
         },
         [](R r) { return r.metrics.averages.finished; }},
        {"avg wait", Better::Lower, Shown::Tenths,
         [](R r) -> std::optional<double> { return r.metrics.averages.wait; }},
        {"longest wait", Better::Lower, Shown::Whole,
         [](R r) -> std::optional<double> { return double(longest_wait(r)); }},
        {"makespan", Better::Lower, Shown::Whole,
         [](R r) -> std::optional<double> { return double(r.metrics.makespan); }},
        {"context switches", Better::Lower, Shown::Whole,
         [](R r) -> std::optional<double> { return double(r.metrics.context_switches); }},
        {"CPU utilization", Better::Higher, Shown::Percent,
         [](R r) -> std::optional<double> { return r.metrics.utilization; }},
        {"fairness", Better::Higher, Shown::Thousandths,
         [](R r) -> std::optional<double> { return r.metrics.fairness; }},
        {"max running", Better::Neither, Shown::Whole,
         [](R r) -> std::optional<double> { return double(r.metrics.max_running); }},
        {"max in progress", Better::Neither, Shown::Whole,
         [](R r) -> std::optional<double> { return double(r.metrics.max_in_progress); }},
        {"speedup", Better::Higher, Shown::Tenths, [](R r) { return speedup(r); }},
    };
    // On one CPU at most one task runs at once, whatever the run: those two rows
    // only say something when a run has several.
    const bool parallel = std::any_of(runs.begin(), runs.end(),
                                      [](const RunResult* r) { return r->trace.cores > 1; });
    const auto shown = [&](const Row& row) {
        const std::string_view label = row.label;
        if (!parallel && (label == "max running" || label == "max in progress")) return false;
        return std::any_of(runs.begin(), runs.end(), [&](const RunResult* r) {
            return row.number(*r).has_value();
        });
    };
    const bool cores_differ = std::any_of(runs.begin(), runs.end(), [&](const RunResult* r) {
        return r->trace.cores != runs.front()->trace.cores;
    });
    // As many policy columns as fit the width; further ones in another table below.
    const std::size_t per_table = std::max<std::size_t>(1, (width - 18) / 13);
    std::string out;
    bool marked_best = false;
    for (std::size_t first = 0; first < runs.size(); first += per_table) {
        const auto chunk = runs.subspan(first, std::min(per_table, runs.size() - first));
        if (first > 0) out += "\n";
        out += fmt::format("{:<18}", "");
        for (const RunResult* r : chunk) out += fmt::format("{:>13}", r->trace.policy);
        out += "\n";
        if (cores_differ) {  // A second header line: the runs' CPUs.
            out += fmt::format("{:<18}", "");
            for (const RunResult* r : chunk) out += fmt::format("{:>13}", cpus_text(r->trace.cores));
            out += "\n";
        }
        for (const Row& row : rows) {
            if (shown(row)) out += comparison_row(row, runs, chunk, color, marked_best);
        }
    }
    if (marked_best) out += "* the best value of its row\n";
    const bool any_stopped = std::any_of(runs.begin(), runs.end(),
                                         [](const RunResult* r) { return stopped_early(*r); });
    const bool any_partial = std::any_of(runs.begin(), runs.end(), [&](const RunResult* r) {
        return std::any_of(std::begin(rows), std::end(rows),
                           [&](const Row& row) { return row.number(*r) && partial(row, *r); });
    });
    if (any_stopped) {
        out += wrap_words("~ covers only the run so far (it stopped early: see below), or "
                          "leaves out the tasks that never ran (response) or never ended",
                          width);
    } else if (any_partial) {
        out += wrap_words("~ leaves out the tasks that never ran (response) or never ended", width);
    }
    return out;
}

std::string render_notes(const RunResult& run, std::size_t width, std::string_view prefix) {
    std::string out;
    for (const Event& e : run.trace.events) {
        if (e.kind != EventKind::Fail) continue;
        out += fmt::format("{} failed at tick {}: {}\n", run.trace.tasks[index(e.task)].name,
                           e.tick, run.trace.messages[e.detail]);
    }
    switch (run.trace.stop) {
        case StopReason::None:
            break;
        case StopReason::MaxTicks:
            out += fmt::format(
                "stopped at tick {}: the run reached its tick limit (--max-ticks); "
                "the figures cover the run so far\n",
                run.trace.end);
            break;
        case StopReason::MaxEvents:
            out += fmt::format(
                "stopped at tick {}: the trace reached its size limit; "
                "the figures cover the run so far\n",
                run.trace.end);
            break;
        case StopReason::NoProgress:
            out += fmt::format(
                "stopped at tick {}: tasks kept switching without executing "
                "an instruction (a livelock)\n",
                run.trace.end);
            break;
        case StopReason::Deadlock:
            break;
    }
    std::string wrapped;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
        wrapped += wrap_words(fmt::format("{}{}", prefix, line), width, 0, 2);
    }
    if (run.trace.stop == StopReason::Deadlock) wrapped += render_deadlock(run, width, prefix);
    return wrapped;
}

std::string explain_demo(const RunResult& cooperative, const RunResult& round_robin,
                         std::size_t width) {
    const TaskMetrics* starved = starved_most(cooperative);
    const auto quantum = quantum_of(round_robin.trace);
    const std::string& hog = cooperative.trace.tasks.front().name;
    const std::string coop = fmt::format(
        "- cooperative: {} never yields, so it keeps the CPU until it ends. {} waits {} ticks "
        "in a row for the CPU (its longest wait); fairness {:.2f} is 1/n: one task had the CPU "
        "to itself.",
        hog, starved ? starved->name : "-", longest_wait(cooperative),
        cooperative.metrics.fairness);
    const std::string rr = fmt::format(
        "- round-robin: the timer takes the CPU from {} every {} instructions, so every task "
        "makes progress: the longest wait drops to {} ticks and fairness rises to {:.2f}. "
        "Average response: {:.0f} -> {:.0f} ticks.",
        hog, quantum.value_or(0), longest_wait(round_robin), round_robin.metrics.fairness,
        cooperative.metrics.averages.response, round_robin.metrics.averages.response);
    return "What to look at:\n" + wrap_words(coop, width, 0, 2) + wrap_words(rr, width, 0, 2);
}

}  // namespace timeslice
