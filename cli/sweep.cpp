// Sweeps: VALUES parsing, the plan, the runs, and the table, CSV and chart made
// from their rows. Every run is an ordinary simulate() of a copy of the scenario
// with one parameter changed, so a sweep's figures are those `timeslice run`
// prints for the same options.
#include "sweep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>

#include "chart.hpp"
#include "text.hpp"

namespace timeslice {
namespace {

constexpr std::int64_t kMaxSwitchCost = 1'000'000'000'000;
constexpr std::string_view kExpected = "expected N, A..B, A..B:STEP or a list such as 5,10,20";

/// label() spells a parameter for people: min_granularity → min granularity.
std::string label(std::string_view param) {
    std::string name(param);
    std::replace(name.begin(), name.end(), '_', ' ');
    return name;
}

[[noreturn]] void bad_values(std::string_view option, std::string_view what) {
    throw ScenarioError(fmt::format("--{}: {}", option, what));
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
}

/// ValueReader reads the VALUES of one option, checking each number's bounds.
struct ValueReader {
    std::string_view option;
    std::int64_t least;
    std::int64_t most;

    std::int64_t number(std::string_view text, std::string_view item) const {
        text = trim(text);
        if (text.empty())
            bad_values(option, fmt::format("a number is missing in '{}' ({})", item, kExpected));
        std::int64_t n = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (error == std::errc::result_out_of_range) {
            bad_values(option, fmt::format("{} is too large", text));
        }
        if (error != std::errc{} || end != text.data() + text.size()) {
            bad_values(option, fmt::format("'{}' is not a whole number ({})", text, kExpected));
        }
        if (n < least || n > most) {
            bad_values(option, fmt::format("{} is out of range: it must be between {} and {}", n,
                                           least, most));
        }
        return n;
    }

    /// step_of() reads the STEP of the range `item`.
    std::uint64_t step_of(std::string_view text, std::string_view item) const {
        text = trim(text);
        std::uint64_t step = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), step);
        if (text.empty() || error != std::errc{} || end != text.data() + text.size() || step == 0) {
            bad_values(option, fmt::format("the step in '{}' must be a whole number, at least 1",
                                           trim(item)));
        }
        return step;
    }

    // A..B[:STEP] without a step takes every value up to 50 of them, else a step
    // of about a fortieth of the span; the last value is B either way.
    void range(std::string_view item, std::size_t dots, std::vector<std::int64_t>& out) const {
        const std::string_view rest = item.substr(dots + 2);
        const std::size_t colon = rest.find(':');
        const std::int64_t a = number(item.substr(0, dots), item);
        const std::int64_t b = number(rest.substr(0, colon), item);
        if (a > b) {
            bad_values(option,
                       fmt::format("the range '{}' goes down; write it {}..{}", trim(item), b, a));
        }
        const auto span = static_cast<std::uint64_t>(b) - static_cast<std::uint64_t>(a);
        std::uint64_t step = span < 50 ? 1 : (span + 39) / 40;  // Up to 41 values, and B.
        if (colon != std::string_view::npos) step = step_of(rest.substr(colon + 1), item);
        const std::uint64_t count = span / step + 1 + (span % step != 0 ? 1 : 0);
        if (count > kSweepMaxValues) {
            bad_values(option, fmt::format("'{}' gives {} values; a sweep takes at most {}",
                                           trim(item), count, kSweepMaxValues));
        }
        for (std::uint64_t k = 0; k * step <= span; ++k)
            out.push_back(a + static_cast<std::int64_t>(k * step));
        if (span % step != 0) out.push_back(b);
    }
};

SweepRow row_of(const RunResult& run, std::int64_t value, Tick switch_cost) {
    const RunMetrics& m = run.metrics;
    SweepRow row;
    row.value = value;
    row.switch_cost = switch_cost;
    if (m.averages.responded > 0) row.avg_response = m.averages.response;
    if (m.averages.finished > 0) row.avg_turnaround = m.averages.turnaround;
    row.avg_wait = m.averages.wait;
    row.context_switches = m.context_switches;
    row.makespan = m.makespan;
    return row;
}

bool switch_cost_swept(const SweepPlan& plan) { return plan.param == "switch_cost"; }

/// set_param() gives the scenario's parameter `name` (a policy parameter, or the
/// number of CPUs) the value `value`.
void set_param(Scenario& scenario, const std::string& name, std::int64_t value) {
    if (name == "cores") {
        scenario.cores = static_cast<std::uint32_t>(value);
    } else {
        scenario.params[name] = value;
    }
}

/// values_text() lists a few values, or gives the ends and the count of many.
std::string values_text(const std::vector<std::int64_t>& values) {
    if (values.size() <= 8) return fmt::format("{}", fmt::join(values, ", "));
    return fmt::format("{} to {} ({} values)", values.front(), values.back(), values.size());
}

/// fixed_text() lists the policy's other parameters, e.g. "levels 3, boost 1000".
std::string fixed_text(const SweepResult& sweep) {
    std::vector<std::string> fixed;
    for (const auto& [name, value] : sweep.fixed)
        fixed.push_back(fmt::format("{} {}", label(name), value));
    return fmt::format("{}", fmt::join(fixed, ", "));
}

/// description() says what was swept, e.g. "round-robin over quantum 5, 10, 20;
/// switch cost 0, 1", with the other parameters in brackets after the policy.
std::string description(const SweepResult& sweep) {
    const SweepPlan& plan = sweep.plan;
    std::string text = plan.scenario.policy;
    if (!sweep.fixed.empty()) text += fmt::format(" ({})", fixed_text(sweep));
    text += fmt::format(" over {} {}", label(plan.param), values_text(plan.values));
    if (switch_cost_swept(plan)) return text;
    const std::vector<std::int64_t> costs(plan.switch_costs.begin(), plan.switch_costs.end());
    return text + fmt::format("; switch cost {}", values_text(costs));
}

/// average() prints `value` with `decimals` decimals, or `missing` when there is none.
std::string average(const std::optional<double>& value, int decimals, std::string_view missing) {
    return value ? fmt::format("{:.{}f}", *value, decimals) : std::string(missing);
}

}  // namespace

std::vector<std::int64_t> parse_values(std::string_view text, std::string_view option,
                                       std::int64_t least, std::int64_t most) {
    const ValueReader reader{option, least, most};
    std::vector<std::int64_t> values;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string_view item = text.substr(start, comma - start);
        if (trim(item).empty()) {
            bad_values(option, fmt::format("an empty value in '{}' ({})", text, kExpected));
        }
        if (const std::size_t dots = item.find(".."); dots != std::string_view::npos)
            reader.range(item, dots, values);
        else
            values.push_back(reader.number(item, item));
        if (comma == text.size()) break;
        start = comma + 1;
    }
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    if (values.size() > kSweepMaxValues) {
        bad_values(option, fmt::format("'{}' gives {} values; a sweep takes at most {}", text,
                                       values.size(), kSweepMaxValues));
    }
    return values;
}

namespace {

/// place_switch_costs() makes `costs` the x axis when no parameter of the policy
/// is swept, else one series (a line of the chart) per cost.
void place_switch_costs(SweepPlan& plan, std::vector<std::int64_t> costs) {
    if (plan.param.empty()) {
        if (costs.size() < 2) {
            throw ScenarioError(
                "sweep: give one parameter several values, e.g. --quantum 1..200 or "
                "--switch-cost 0..10");
        }
        plan.param = "switch_cost";
        plan.values = std::move(costs);
    } else if (costs.size() > kSweepMaxSeries) {
        throw ScenarioError(fmt::format(
            "--switch-cost: at most {} switch costs (a line each) when --{} is swept; {} given",
            kSweepMaxSeries, option_name(plan.param), costs.size()));
    } else {
        plan.switch_costs.assign(costs.begin(), costs.end());
    }
}

}  // namespace

// Fixed parameters go into the scenario; the one with several values becomes the
// x axis. Options are checked in name order, so the same input fails the same way.
SweepPlan plan_sweep(Scenario scenario, const SweepValues& given) {
    const PolicyEntry* entry = &require_policy(scenario.policy);
    SweepPlan plan;
    std::vector<std::int64_t> costs{static_cast<std::int64_t>(scenario.switch_cost)};
    for (const auto& [name, text] : given) {
        if (name == "switch_cost") {
            costs = parse_values(text, "switch-cost", 0, kMaxSwitchCost);
            continue;
        }
        const auto param = std::find_if(entry->params.begin(), entry->params.end(),
                                        [&](const PolicyParam& p) { return p.name == name; });
        if (param == entry->params.end() && name != "cores") {  // As run says.
            throw ScenarioError(fmt::format("--{}: policy '{}' has no parameter '{}'",
                                            option_name(name), entry->name, name));
        }
        std::vector<std::int64_t> values =
            name == "cores"
                ? parse_values(text, "cores", 1, kMaxScenarioCores)
                : parse_values(text, option_name(name), param->min_value, param->max_value);
        if (values.size() == 1) {
            set_param(scenario, name, values.front());
            continue;
        }
        if (!plan.param.empty()) {
            throw ScenarioError(fmt::format(
                "--{} and --{} both have several values: a sweep varies one parameter (and "
                "the switch cost)",
                option_name(plan.param), option_name(name)));
        }
        plan.param = name;
        plan.values = std::move(values);
    }
    place_switch_costs(plan, std::move(costs));
    plan.scenario = std::move(scenario);
    return plan;
}

// Series by series, value by value: the table's and the CSV's order.
SweepResult run_sweep(const SweepPlan& plan, const SweepObserver& observe) {
    SweepResult result{plan, {}, {}};
    const std::vector<Tick> costs =
        switch_cost_swept(plan) ? std::vector<Tick>{0} : plan.switch_costs;
    const std::size_t total = plan.values.size() * costs.size();
    Scenario scenario = plan.scenario;
    for (const Tick cost : costs) {
        for (const std::int64_t value : plan.values) {
            if (switch_cost_swept(plan)) {
                scenario.switch_cost = static_cast<Tick>(value);
            } else {
                set_param(scenario, plan.param, value);
                scenario.switch_cost = cost;
            }
            const RunResult run = simulate(scenario);
            result.rows.push_back(row_of(run, value, scenario.switch_cost));
            if (result.fixed.empty()) {
                for (const auto& param : run.trace.policy_params) {
                    if (param.first != plan.param) result.fixed.push_back(param);
                }
            }
            if (observe) observe(result.rows.back(), run, result.rows.size(), total);
        }
    }
    return result;
}

std::string point_label(const SweepPlan& plan, const SweepRow& row) {
    if (switch_cost_swept(plan)) return fmt::format("switch cost {}", row.value);
    std::string text = fmt::format("{} {}", label(plan.param), row.value);
    if (plan.switch_costs.size() > 1) text += fmt::format(", switch cost {}", row.switch_cost);
    return text;
}

namespace {

/// sweep_cells() returns the sweep table's cells: two header lines, then a line per
/// run. The switch cost column is left out when there is a single one.
std::vector<std::vector<std::string>> sweep_cells(const SweepResult& sweep) {
    std::vector<std::vector<std::string>> lines = {
        {"", "switch", "avg", "avg", "avg", "context", ""},
        {label(sweep.plan.param), "cost", "response", "turnaround", "wait", "switches",
         "makespan"}};
    for (const SweepRow& r : sweep.rows) {
        lines.push_back({fmt::format("{}", r.value), fmt::format("{}", r.switch_cost),
                         average(r.avg_response, 1, "-"), average(r.avg_turnaround, 1, "-"),
                         fmt::format("{:.1f}", r.avg_wait), fmt::format("{}", r.context_switches),
                         fmt::format("{}", r.makespan)});
    }
    if (sweep.plan.switch_costs.size() <= 1) {
        for (auto& cells : lines) cells.erase(cells.begin() + 1);
    }
    return lines;
}

/// table_line() returns the first `keys` cells and those of `group`, each right-aligned
/// to its width, two spaces apart, without trailing blanks.
std::string table_line(const std::vector<std::string>& cells, std::span<const std::size_t> widths,
                       std::size_t keys, ColumnGroup group) {
    std::string line;
    for (std::size_t c = 0; c < group.end; ++c) {
        if (c >= keys && c < group.first) continue;
        line += fmt::format("{}{:>{}}", c == 0 ? "" : "  ", cells[c], widths[c]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();  // Blank header cells.
    return line;
}

}  // namespace

// Headers take two lines so that every column stays narrow; each column is as
// wide as its widest entry, and a blank line separates the series. A table wider
// than `width` is split into tables that fit, one below the other, each starting
// with the swept values; a header line left blank in a part is left out.
std::string render_sweep_table(const SweepResult& sweep, std::size_t width) {
    const bool series_column = sweep.plan.switch_costs.size() > 1;
    constexpr std::size_t kHeaderLines = 2;
    const std::vector<std::vector<std::string>> lines = sweep_cells(sweep);
    std::vector<std::size_t> widths(lines.front().size(), 0);
    for (const auto& cells : lines) {
        for (std::size_t c = 0; c < cells.size(); ++c)
            widths[c] = std::max(widths[c], cells[c].size());
    }
    std::string out = wrap_words(description(sweep), width, 0, 2);
    const std::size_t keys = series_column ? 2 : 1;  // The swept values.
    for (const ColumnGroup& group : column_groups(widths, keys, 2, width)) {
        out += "\n";
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const std::size_t row = i - kHeaderLines;  // Of sweep.rows, for i past the header.
            const bool new_series = series_column && i > kHeaderLines &&
                                    sweep.rows[row].switch_cost != sweep.rows[row - 1].switch_cost;
            if (new_series) out += "\n";
            const std::string line = table_line(lines[i], widths, keys, group);
            if (!line.empty()) out += line + "\n";
        }
    }
    return out;
}

std::string sweep_csv(const SweepResult& sweep) {
    const bool series_column = !switch_cost_swept(sweep.plan);
    std::string out = sweep.plan.param + (series_column ? ",switch_cost" : "") +
                      ",avg_response,avg_turnaround,avg_wait,context_switches,makespan\n";
    for (const SweepRow& r : sweep.rows) {
        out += fmt::format("{}", r.value);
        if (series_column) out += fmt::format(",{}", r.switch_cost);
        out += fmt::format(",{},{},{:.2f},{},{}\n", average(r.avg_response, 2, ""),
                           average(r.avg_turnaround, 2, ""), r.avg_wait, r.context_switches,
                           r.makespan);
    }
    return out;
}

std::string sweep_svg(const SweepResult& sweep) {
    const SweepPlan& plan = sweep.plan;
    LineChart chart;
    chart.title = fmt::format("{} over {} {}", plan.scenario.policy, label(plan.param),
                              values_text(plan.values));
    chart.subtitles = {plan.scenario.title.empty()
                           ? plan.scenario.source
                           : fmt::format("{} ({})", plan.scenario.title, plan.scenario.source)};
    if (!sweep.fixed.empty()) chart.subtitles.push_back("with " + fixed_text(sweep));
    chart.x_label = label(plan.param);
    for (const std::int64_t v : plan.values) chart.x.push_back(static_cast<double>(v));
    if (switch_cost_swept(plan)) {
        chart.series.push_back(plan.scenario.policy);
    } else {
        for (const Tick cost : plan.switch_costs)
            chart.series.push_back(fmt::format("switch cost {}", cost));
    }
    chart.panels = {{"average response (ticks)", {}},
                    {"average turnaround (ticks)", {}},
                    {"context switches", {}}};
    for (std::size_t first = 0; first < sweep.rows.size(); first += plan.values.size()) {
        for (ChartPanel& panel : chart.panels) panel.values.emplace_back();
        for (std::size_t i = first; i < first + plan.values.size(); ++i) {
            const SweepRow& r = sweep.rows[i];
            chart.panels[0].values.back().push_back(r.avg_response);
            chart.panels[1].values.back().push_back(r.avg_turnaround);
            chart.panels[2].values.back().push_back(static_cast<double>(r.context_switches));
        }
    }
    return render_svg(chart);
}

// Both files are opened before either is written, for appending, so that
// opening truncates nothing: a path that cannot be written fails the command
// with no file changed, and a file created by the failed attempt is removed.
// Writing then goes through the path as given (a symbolic link, /dev/stdout).
void write_sweep_files(const SweepResult& sweep, const std::string& csv_path,
                       const std::string& svg_path) {
    namespace fs = std::filesystem;
    struct Output {
        std::string path;
        std::string_view option;
        std::string text;
        bool existed = false;
    };
    const auto cannot_write = [](const Output& o, int error) {
        return ScenarioError(fmt::format("{} {}: cannot write the file: {}", o.option, o.path,
                                         std::strerror(error)));
    };
    std::vector<Output> outputs;
    if (!csv_path.empty()) outputs.push_back({csv_path, "--csv", sweep_csv(sweep)});
    if (!svg_path.empty()) outputs.push_back({svg_path, "--svg", sweep_svg(sweep)});
    std::error_code ec;
    if (outputs.size() == 2 && (csv_path == svg_path || fs::equivalent(csv_path, svg_path, ec))) {
        throw ScenarioError(fmt::format("--csv and --svg name the same file: {}", svg_path));
    }
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        Output& o = outputs[i];
        o.existed = fs::exists(fs::symlink_status(o.path, ec));
        std::ofstream probe(o.path, std::ios::binary | std::ios::app);
        if (probe) continue;
        const int error = errno;
        for (std::size_t j = 0; j < i; ++j) {
            if (!outputs[j].existed) fs::remove(outputs[j].path, ec);
        }
        throw cannot_write(o, error);
    }
    for (const Output& o : outputs) {
        std::ofstream file(o.path, std::ios::binary | std::ios::trunc);
        if (!(file << o.text) || !file.flush()) throw cannot_write(o, errno);
    }
}

ProgressBar::ProgressBar(std::ostream& terminal, bool enabled, std::chrono::milliseconds delay)
    : terminal_(terminal),
      enabled_(enabled),
      show_after_(std::chrono::steady_clock::now() + delay) {}

void ProgressBar::update(std::size_t done, std::size_t total) {
    constexpr std::size_t kCells = 30;
    if (!enabled_ || total == 0 || std::chrono::steady_clock::now() < show_after_) return;
    const std::size_t filled = std::min(done, total) * kCells / total;
    terminal_ << fmt::format("\rsweep [{}{}] {}/{}", std::string(filled, '#'),
                             std::string(kCells - filled, '.'), done, total)
              << std::flush;
    drawn_ = true;
}

void ProgressBar::clear() {
    if (!drawn_) return;
    terminal_ << '\r' << std::string(60, ' ') << '\r' << std::flush;
    drawn_ = false;
}

ProgressBar::~ProgressBar() { clear(); }

}  // namespace timeslice
