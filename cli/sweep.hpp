// Parameter sweeps: run one scenario over a range of one policy parameter (say
// the time slice), once per switch cost, and collect the averages of every run,
// to print as a table, a CSV file and an SVG chart. This is where a tiny time
// slice shows its price once switches cost something.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenario.hpp"
#include "simulate.hpp"

namespace timeslice {

/// kSweepValuesHelp describes the VALUES syntax that parse_values() reads.
inline constexpr std::string_view kSweepValuesHelp =
    "VALUES is N, a list N,N,..., a range A..B (every value if there are at most 50, "
    "else about 40 evenly spaced, both ends included) or A..B:STEP (A, A+STEP, ... and B); "
    "a list may mix them: 1..10,20,50.";

/// kSweepMaxValues is the most values one option may give a sweep.
inline constexpr std::size_t kSweepMaxValues = 1000;
/// kSweepMaxSeries is the most switch costs a sweep of a policy parameter may draw.
inline constexpr std::size_t kSweepMaxSeries = 8;

/// parse_values() reads VALUES (kSweepValuesHelp) given to the option `--option`
/// and returns them in increasing order without repeats. Throws ScenarioError,
/// starting "--option: ", when the text is malformed, a value lies outside
/// [least, most], or there are more than kSweepMaxValues values.
std::vector<std::int64_t> parse_values(std::string_view text, std::string_view option,
                                       std::int64_t least, std::int64_t most);

/// SweepPlan is what a sweep runs: a scenario, the parameter on the x axis and
/// its values, and one series per switch cost.
struct SweepPlan {
    Scenario scenario;  ///< Its policy and fixed parameters are set.
    std::string param;  ///< The swept policy parameter ("quantum"), or "switch_cost".
    std::vector<std::int64_t> values;  ///< Increasing; at least two.
    std::vector<Tick> switch_costs;    ///< Increasing; one per series.
};

/// SweepValues maps a parameter name ("quantum", "switch_cost") to its VALUES
/// text, as typed after its option.
using SweepValues = std::map<std::string, std::string, std::less<>>;

/// plan_sweep() checks `given` against the policy of `scenario` and returns the
/// plan. A parameter with one value is fixed; exactly one policy parameter may
/// have several, and then several switch costs make several series; without one,
/// several switch costs are the x axis. Throws ScenarioError on bad input.
SweepPlan plan_sweep(Scenario scenario, const SweepValues& given);

/// SweepRow is the figures of one run of a sweep.
struct SweepRow {
    std::int64_t value = 0;  ///< Of the swept parameter.
    Tick switch_cost = 0;
    std::optional<double> avg_response;    ///< Empty when no task ran.
    std::optional<double> avg_turnaround;  ///< Empty when no task ended.
    double avg_wait = 0;
    std::uint64_t context_switches = 0;
    Tick makespan = 0;
};

/// SweepResult is a finished sweep: its plan, and a row per run in series order
/// (all values at the first switch cost, then at the next).
struct SweepResult {
    SweepPlan plan;
    std::vector<std::pair<std::string, std::int64_t>> fixed;  ///< The policy's other parameters.
    std::vector<SweepRow> rows;
};

/// SweepObserver sees each run as it ends: its row, the whole run, how many runs
/// are done and how many there are in all.
using SweepObserver = std::function<void(const SweepRow& row, const RunResult& run,
                                         std::size_t done, std::size_t total)>;

/// run_sweep() runs every point of `plan`, calling `observe` (if any) after each.
/// Throws ScenarioError as simulate() does.
SweepResult run_sweep(const SweepPlan& plan, const SweepObserver& observe = {});

/// point_label() names the run of `row`, e.g. "quantum 5, switch cost 1".
std::string point_label(const SweepPlan& plan, const SweepRow& row);

/// render_sweep_table() returns what was swept, wrapped to `width` columns, then a
/// row per run: the value, the switch cost (when there are several), the averages,
/// context switches and makespan. The rows fit 80 columns unless the figures
/// themselves are very large.
std::string render_sweep_table(const SweepResult& sweep, std::size_t width);

/// sweep_csv() returns a header line and a line per run, in the table's order.
std::string sweep_csv(const SweepResult& sweep);

/// sweep_svg() returns a chart of average response, average turnaround and
/// context switches against the swept parameter: a panel each, a line per
/// switch cost.
std::string sweep_svg(const SweepResult& sweep);

/// write_sweep_files() writes sweep_csv() to `csv_path` and sweep_svg() to
/// `svg_path`, skipping an empty path. It opens both before writing either, and
/// throws ScenarioError naming the file when one cannot be opened.
void write_sweep_files(const SweepResult& sweep, const std::string& csv_path,
                       const std::string& svg_path);

/// ProgressBar draws "sweep [####....] 12/40" on a terminal, overwriting itself,
/// but only once `delay` has passed since it was made: quick sweeps show nothing.
/// The clock only decides whether to draw, never what a sweep computes.
class ProgressBar {
  public:
    /// ProgressBar() draws on `terminal` if `enabled` (it is a terminal).
    ProgressBar(std::ostream& terminal, bool enabled,
                std::chrono::milliseconds delay = std::chrono::seconds(1));

    /// update() shows that `done` of `total` runs are done.
    void update(std::size_t done, std::size_t total);

    /// clear() erases the bar, if it was drawn, so the report starts on a clean line.
    void clear();

    /// ~ProgressBar() clears the bar, also when a run threw.
    ~ProgressBar();

    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

  private:
    std::ostream& terminal_;
    bool enabled_;
    std::chrono::steady_clock::time_point show_after_;
    bool drawn_ = false;  ///< The bar is on the screen.
};

}  // namespace timeslice
