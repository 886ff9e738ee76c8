// Renders timelines. Steps: choose a scale (a round number of ticks per column);
// for each column, find what each CPU lane shows (the task that ran most of it);
// then each task lane: '#' where the task is what one of the CPU lanes shows, '='
// where it ran for a part of the column only, else the state it spent most of the
// column in; then the axis and the legend. A column therefore never shows more
// tasks running ('#') than there are CPUs, and no task that ran vanishes.
#include "timeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "text.hpp"

namespace timeslice {
namespace {

/// Layout is where things go: the label column, the chart and its scale.
struct Layout {
    std::size_t label_width;
    std::size_t columns;  ///< Chart columns actually used.
    Tick scale;           ///< Ticks per column.
    std::size_t width;    ///< The whole line's width: no axis label may pass it.
};

constexpr std::size_t kMaxLabel = 16;
constexpr std::size_t kAxisStep = 10;  ///< Columns between axis labels.

// The smallest of 1, 2, 5, 10, 20, 50... that fits `end` ticks in `columns`.
Tick nice_scale(Tick end, std::size_t columns) {
    const Tick needed = std::max<Tick>(1, (end + columns - 1) / columns);
    for (Tick power = 1;; power *= 10) {
        for (Tick step : {1, 2, 5}) {
            if (step * power >= needed) return step * power;
        }
    }
}

Layout layout_for(std::span<const LabeledRun> runs, const Style& style) {
    std::size_t label = 5;  // "0 CPU"
    Tick end = 0;
    for (const LabeledRun& r : runs) {
        for (const TaskRecord& t : r.run->trace.tasks) label = std::max(label, columns(t.name) + 2);
        end = std::max(end, r.run->trace.end);
    }
    label = std::min(label, kMaxLabel) + 1;
    const std::size_t width = static_cast<std::size_t>(std::max(style.width, 40));
    const std::size_t room = width - label - 1;
    const Tick scale = nice_scale(end, room);
    return {label, static_cast<std::size_t>(std::max<Tick>(1, (end + scale - 1) / scale)), scale,
            width};
}

/// for_each_column() calls add(column, ticks) for the part of [start, end) in each
/// column of `layout` it covers.
template <class Add>
void for_each_column(const Layout& layout, Tick start, Tick end, Add add) {
    for (Tick t = start; t < end;) {
        const std::size_t column = static_cast<std::size_t>(t / layout.scale);
        if (column >= layout.columns) return;
        const Tick column_end = std::min(end, (column + 1) * layout.scale);
        add(column, column_end - t);
        t = column_end;
    }
}

/// kSwitching and kIdle are what a CPU lane shows besides a task, after the tasks
/// in tie-breaking order.
constexpr std::size_t kSwitching = SIZE_MAX - 1;
constexpr std::size_t kIdle = SIZE_MAX;

/// CpuColumns holds what one CPU lane shows in each column: a task's index,
/// kSwitching or kIdle.
using CpuColumns = std::vector<std::size_t>;

// A CPU lane shows, in each column, what took most of the CPU's ticks there: a
// task, switching or idling; among equals, the task first in scenario order, then
// switching, then idling. Only the tasks that ran in a column are counted in it.
CpuColumns cpu_columns(const RunResult& run, const Layout& layout, CpuId cpu) {
    std::vector<std::map<std::size_t, Tick>> ticks(layout.columns);
    for (const Segment& s : run.history.segments) {
        if (s.cpu != cpu) continue;
        for_each_column(layout, s.start, s.end,
                        [&](std::size_t c, Tick n) { ticks[c][index(s.task)] += n; });
    }
    for (const SwitchSpan& s : run.history.switches) {
        if (s.cpu != cpu) continue;
        for_each_column(layout, s.start, s.end,
                        [&](std::size_t c, Tick n) { ticks[c][kSwitching] += n; });
    }
    CpuColumns shown(layout.columns, kIdle);
    for (std::size_t c = 0; c < layout.columns && c * layout.scale < run.trace.end; ++c) {
        Tick busy = 0;
        for (const auto& [slot, n] : ticks[c]) busy += n;
        const Tick column_ticks = std::min(layout.scale, run.trace.end - c * layout.scale);
        Tick most = column_ticks - std::min(busy, column_ticks);  // Idle, the last of equals.
        for (auto it = ticks[c].rbegin(); it != ticks[c].rend(); ++it) {
            if (it->second < most) continue;
            most = it->second;
            shown[c] = it->first;
        }
    }
    return shown;
}

/// TaskCell is how long a task spent in each state within one column.
struct TaskCell {
    Tick code = 0;  ///< Running its code.
    Tick spin = 0;  ///< Running, spinning on a lock.
    Tick ready = 0;
    Tick io = 0;    ///< Blocked on I/O.
    Tick sync = 0;  ///< Blocked on a lock, semaphore, condition or join.
    Tick absent = 0;
};

std::vector<TaskCell> task_cells(const std::vector<Span>& spans, const Layout& layout) {
    std::vector<TaskCell> cells(layout.columns);
    for (const Span& span : spans) {
        Tick TaskCell::*slot = &TaskCell::absent;
        if (span.state == TaskState::Running)
            slot = span.waiting == Waiting::Spin ? &TaskCell::spin : &TaskCell::code;
        if (span.state == TaskState::Ready) slot = &TaskCell::ready;
        if (span.state == TaskState::Blocked)
            slot = span.waiting == Waiting::Io ? &TaskCell::io : &TaskCell::sync;
        for_each_column(layout, span.start, span.end,
                        [&](std::size_t c, Tick n) { cells[c].*slot += n; });
    }
    return cells;
}

// A task lane's character for one column: '#' (or '@' when it mostly spun) where a
// CPU lane shows the task, '=' where it ran without being shown, else the state it
// spent most of the column in; among equals, ready, then blocked on I/O, then
// blocked on synchronization, then absent.
char task_char(const TaskCell& cell, bool shown) {
    if (shown) return cell.spin > cell.code ? '@' : '#';
    if (cell.code + cell.spin > 0) return '=';
    const std::pair<Tick, char> states[] = {
        {cell.ready, '.'}, {cell.io, '~'}, {cell.sync, '!'}, {cell.absent, ' '}};
    std::pair<Tick, char> most{0, ' '};
    for (const auto& state : states) {
        if (state.first > most.first) most = state;
    }
    return most.second;
}

std::string task_lane(const std::vector<Span>& spans, const Layout& layout, std::size_t task,
                      const std::vector<CpuColumns>& cpus) {
    const std::vector<TaskCell> cells = task_cells(spans, layout);
    std::string lane;
    for (std::size_t c = 0; c < layout.columns; ++c) {
        const bool shown = std::any_of(cpus.begin(), cpus.end(),
                                       [&](const CpuColumns& cpu) { return cpu[c] == task; });
        lane += task_char(cells[c], shown);
    }
    while (!lane.empty() && lane.back() == ' ') lane.pop_back();
    return lane;
}

std::string cpu_lane(const CpuColumns& shown, const RunResult& run, const Layout& layout) {
    std::string lane;
    for (std::size_t c = 0; c < layout.columns && c * layout.scale < run.trace.end; ++c) {
        lane += shown[c] == kIdle ? '-' : shown[c] == kSwitching ? '*' : task_key(shown[c]);
    }
    return lane;
}

std::string paint(const std::string& lane, const Style& style) {
    if (!style.color) return lane;
    std::string out;
    for (std::size_t i = 0; i < lane.size();) {
        std::size_t j = i;
        while (j < lane.size() && lane[j] == lane[i]) ++j;
        const char c = lane[i];
        const char* code = c == '#' || c == '=' ? "32"
                           : c == '.'           ? "33"
                           : c == '~'           ? "36"
                           : c == '!'           ? "35"
                           : c == '*' || c == '@' ? "31"
                                                  : nullptr;
        const std::string run = lane.substr(i, j - i);
        out += code ? fmt::format("\x1b[{}m{}\x1b[0m", code, run) : run;
        i = j;
    }
    return out;
}

std::string label(std::string text, const Layout& layout) {
    text = shorten(text, layout.label_width - 1);
    return fmt::format("{:<{}}", text, layout.label_width);
}

std::string axis(const Layout& layout) {
    std::string labels(layout.width - layout.label_width, ' ');
    std::string marks(layout.columns, '-');
    std::size_t free_from = 0;
    for (std::size_t c = 0; c <= layout.columns; c += kAxisStep) {
        if (c < layout.columns) marks[c] = '+';
        const std::string text = fmt::format("{}", c * layout.scale);
        if (c < free_from || c + text.size() > labels.size()) continue;
        labels.replace(c, text.size(), text);
        free_from = c + text.size() + 1;
    }
    while (!labels.empty() && labels.back() == ' ') labels.pop_back();
    return fmt::format("{:<{}}{}\n{:<{}}{}\n", "tick", layout.label_width, labels, "",
                       layout.label_width, marks);
}

/// legend() explains the characters: always the usual ones, and those of partial
/// runs, synchronization and spinning when `lanes` holds them.
std::string legend(const Layout& layout, const std::string& lanes, std::size_t width) {
    std::vector<std::string> items = {"# running"};
    if (lanes.find('=') != std::string::npos) items.emplace_back("= ran part of the column");
    items.emplace_back(". ready (waiting for the CPU)");
    items.emplace_back("~ blocked (I/O)");
    if (lanes.find('!') != std::string::npos)
        items.emplace_back("! blocked (lock, semaphore, join...)");
    if (lanes.find('@') != std::string::npos) items.emplace_back("@ spinning on a lock");
    items.emplace_back("blank: not arrived or done");
    items.emplace_back("CPU lane: task key, * switching, - idle");
    items.emplace_back(
        fmt::format("one column = {} tick{}", layout.scale, layout.scale == 1 ? "" : "s"));
    return join_items(items, width);
}

}  // namespace

char task_key(std::size_t i) {
    if (i < 9) return static_cast<char>('1' + i);
    if (i < 9 + 26) return static_cast<char>('A' + (i - 9));
    if (i < 9 + 52) return static_cast<char>('a' + (i - 9 - 26));
    return '?';
}

std::string render_timelines(std::span<const LabeledRun> runs, const Style& style) {
    const Layout layout = layout_for(runs, style);
    std::string out = axis(layout);
    std::string lanes;  // Every task lane, to choose the legend's items.
    for (const LabeledRun& r : runs) {
        if (!r.title.empty()) out += wrap_words(r.title, layout.width, 0, 2);
        const RunResult& run = *r.run;
        std::vector<CpuColumns> cpus;
        for (std::uint32_t c = 0; c < run.trace.cores; ++c)
            cpus.push_back(cpu_columns(run, layout, CpuId{static_cast<std::uint16_t>(c)}));
        for (std::size_t i = 0; i < run.trace.tasks.size(); ++i) {
            const std::string name = fmt::format("{} {}", task_key(i), run.trace.tasks[i].name);
            const std::string lane = task_lane(run.history.spans[i], layout, i, cpus);
            out += label(name, layout) + paint(lane, style) + "\n";
            lanes += lane;
        }
        for (std::uint32_t c = 0; c < run.trace.cores; ++c) {
            const std::string name = run.trace.cores == 1 ? "CPU" : fmt::format("CPU{}", c);
            out += label(name, layout) + paint(cpu_lane(cpus[c], run, layout), style) + "\n";
        }
    }
    return out + legend(layout, lanes, static_cast<std::size_t>(std::max(style.width, 40)));
}

}  // namespace timeslice
