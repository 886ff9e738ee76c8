// Renders timelines. Steps: choose a scale (a round number of ticks per column),
// add up for each column how long each lane spent in each state, print the state
// that dominates the column, then the axis and the legend.
#include "timeline.hpp"

#include <fmt/format.h>

#include <algorithm>

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

/// Cells holds, per column, the ticks spent in each slot (a state, or a task).
using Cells = std::vector<std::vector<Tick>>;

/// spread() adds the part of [start, end) in each column to that column's `slot`.
void spread(Cells& cells, const Layout& layout, Tick start, Tick end, std::size_t slot) {
    for (Tick t = start; t < end;) {
        const std::size_t column = static_cast<std::size_t>(t / layout.scale);
        if (column >= cells.size()) return;
        const Tick column_end = std::min(end, (column + 1) * layout.scale);
        cells[column][slot] += column_end - t;
        t = column_end;
    }
}

/// dominant() returns the slot with the most ticks; ties go to the lowest slot.
std::size_t dominant(const std::vector<Tick>& cell) {
    return static_cast<std::size_t>(std::max_element(cell.begin(), cell.end()) - cell.begin());
}

std::string paint(const std::string& lane, const Style& style) {
    if (!style.color) return lane;
    std::string out;
    for (std::size_t i = 0; i < lane.size();) {
        std::size_t j = i;
        while (j < lane.size() && lane[j] == lane[i]) ++j;
        const char c = lane[i];
        const char* code = c == '#'   ? "32"
                           : c == '.' ? "33"
                           : c == '~' ? "36"
                           : c == '*' ? "31"
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

// Slots in tie-breaking order: running, ready, blocked, absent.
std::string task_lane(const std::vector<Span>& spans, const Layout& layout) {
    static constexpr char kChars[] = {'#', '.', '~', ' '};
    Cells cells(layout.columns, std::vector<Tick>(4, 0));
    for (const Span& span : spans) {
        const std::size_t slot = span.state == TaskState::Running   ? 0
                                 : span.state == TaskState::Ready   ? 1
                                 : span.state == TaskState::Blocked ? 2
                                                                    : 3;
        spread(cells, layout, span.start, span.end, slot);
    }
    std::string lane;
    for (const auto& cell : cells) {
        const bool empty = std::all_of(cell.begin(), cell.end(), [](Tick t) { return t == 0; });
        lane += empty ? ' ' : kChars[dominant(cell)];
    }
    while (!lane.empty() && lane.back() == ' ') lane.pop_back();
    return lane;
}

// Slots: one per task in task order, then switching, then idle.
std::string cpu_lane(const RunResult& run, const Layout& layout, CpuId cpu) {
    const std::size_t n = run.trace.tasks.size();
    Cells cells(layout.columns, std::vector<Tick>(n + 2, 0));
    for (const Segment& s : run.history.segments) {
        if (s.cpu == cpu) spread(cells, layout, s.start, s.end, index(s.task));
    }
    for (const SwitchSpan& s : run.history.switches) {
        if (s.cpu == cpu) spread(cells, layout, s.start, s.end, n);
    }
    std::string lane;
    for (std::size_t c = 0; c < layout.columns && c * layout.scale < run.trace.end; ++c) {
        Tick busy = 0;
        for (std::size_t slot = 0; slot <= n; ++slot) busy += cells[c][slot];
        const Tick column_ticks = std::min(layout.scale, run.trace.end - c * layout.scale);
        cells[c][n + 1] = column_ticks - std::min(busy, column_ticks);
        const std::size_t best = dominant(cells[c]);
        lane += best < n ? task_key(best) : best == n ? '*' : '-';
    }
    return lane;
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

std::string legend(const Layout& layout, std::size_t width) {
    const std::string items[] = {
        "# running",
        ". ready (waiting for the CPU)",
        "~ blocked (I/O)",
        "blank: not arrived or done",
        "CPU lane: task key, * switching, - idle",
        fmt::format("one column = {} tick{}", layout.scale, layout.scale == 1 ? "" : "s")};
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
    for (const LabeledRun& r : runs) {
        if (!r.title.empty()) out += wrap_words(r.title, layout.width, 0, 2);
        const RunResult& run = *r.run;
        for (std::size_t i = 0; i < run.trace.tasks.size(); ++i) {
            const std::string name = fmt::format("{} {}", task_key(i), run.trace.tasks[i].name);
            out +=
                label(name, layout) + paint(task_lane(run.history.spans[i], layout), style) + "\n";
        }
        for (std::uint32_t c = 0; c < run.trace.cores; ++c) {
            const std::string name = run.trace.cores == 1 ? "CPU" : fmt::format("CPU{}", c);
            const CpuId cpu{static_cast<std::uint16_t>(c)};
            out += label(name, layout) + paint(cpu_lane(run, layout, cpu), style) + "\n";
        }
    }
    return out + legend(layout, static_cast<std::size_t>(std::max(style.width, 40)));
}

}  // namespace timeslice
