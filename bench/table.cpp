// Prints the benchmark's tables: medians, ratios, spreads and verdicts.
#include "table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>
#include <thread>

namespace timeslice::bench {
namespace {

/// median() returns the middle value of `series` (the mean of the middle two).
double median(Series series) {
    std::sort(series.begin(), series.end());
    const std::size_t n = series.size();
    return n % 2 == 1 ? series[n / 2] : (series[n / 2 - 1] + series[n / 2]) / 2;
}

/// show() returns `value` in `unit` in at most 10 characters, e.g. "24.1 ns".
std::string show(double value, Unit unit) {
    switch (unit) {
        case Unit::Nanoseconds:
            if (value < 1e3) return fmt::format("{:.1f} ns", value);
            if (value < 1e6) return fmt::format("{:.2f} us", value / 1e3);
            return fmt::format("{:.2f} ms", value / 1e6);
        case Unit::PerSecond:
            if (value < 1e9) return fmt::format("{:.0f} M/s", value / 1e6);
            return fmt::format("{:.2f} G/s", value / 1e9);
        case Unit::Kibibytes:
            return fmt::format("{:.0f} MiB", value / 1024);
    }
    return {};
}

/// show_ratio() returns `ratio` with as many decimals as it needs, e.g. "2.19x".
std::string show_ratio(double ratio) {
    if (ratio >= 10) return fmt::format("{:.1f}x", ratio);
    if (ratio >= 0.1) return fmt::format("{:.2f}x", ratio);
    return fmt::format("{:.4f}x", ratio);
}

/// spread() returns half the range of `series` in percent of its median, e.g. "±3%".
std::string spread(const Series& series) {
    const auto [low, high] = std::minmax_element(series.begin(), series.end());
    return fmt::format("±{:.0f}%", 50 * (*high - *low) / median(series));
}

/// verdict() returns PASS or MISS for a row with a goal, "info" otherwise.
std::string_view verdict(const Row& row, double ratio) {
    switch (row.goal) {
        case Goal::AtMost:
            return ratio <= row.bound ? "PASS" : "MISS";
        case Goal::AtLeast:
            return ratio >= row.bound ? "PASS" : "MISS";
        case Goal::Info:
            break;
    }
    return "info";
}

/// print_line() prints `line` without its trailing spaces, and a newline.
void print_line(std::string line) {
    line.erase(line.find_last_not_of(' ') + 1);
    fmt::print("{}\n", line);
}

/// median_ratio() returns the median over the repetitions of `row`'s figure ÷ its baseline.
double median_ratio(const Row& row) {
    Series ratios;
    for (std::size_t i = 0; i < row.measured.size(); ++i) {
        ratios.push_back(row.measured[i] / row.baseline[std::min(i, row.baseline.size() - 1)]);
    }
    return median(ratios);
}

/// print_row() prints `row` as two lines: the figures, then the baseline and spreads.
void print_row(const Row& row) {
    const double ratio = median_ratio(row);
    print_line(fmt::format(
        "{:<31}{:>10}{:>11}{:>9}  {:<9}{}", row.figure, show(median(row.measured), row.unit),
        show(median(row.baseline), row.unit), show_ratio(ratio), row.target, verdict(row, ratio)));
    std::string spreads = row.measured.size() > 1 ? spread(row.measured) : "";
    if (row.baseline.size() > 1) spreads += " / " + spread(row.baseline);
    print_line(fmt::format("    {:<60}{:>14}", row.against, spreads));
}

/// kPolicyLine lays out a line of the policy table: the policy, its switch with few
/// tasks, the ratio and spread, with many tasks, the ratio and spread, the target.
constexpr char kPolicyLine[] = "{:<12}{:>9}{:>7}{:>8}{:>13}{:>8}{:>8}  {:<6}{}";

}  // namespace

double load_average() {
    double load[1] = {0};
    return ::getloadavg(load, 1) == 1 ? load[0] : 0;
}

void print_table(const Plan& plan, const std::vector<Row>& rows, double load_before) {
    fmt::print("timeslice_bench: {} run on {} CPUs; load average {:.2f} before, {:.2f} after\n",
               plan.name, std::thread::hardware_concurrency(), load_before, load_average());
    fmt::print("medians of {} repetitions taken in turns; ratio = timeslice / baseline;\n",
               plan.repetitions);
    fmt::print("spread = half the min-max range, in % of the median\n\n");
    print_line(fmt::format("{:<31}{:>10}{:>11}{:>9}  {}", "figure", "timeslice", "baseline",
                           "ratio", "target"));
    fmt::print("{}\n", std::string(78, '-'));
    for (const Row& row : rows) print_row(row);
}

void print_policy_table(const Plan& plan, const std::vector<PolicyRows>& rows) {
    fmt::print("\nswitch under each policy: tasks loop tick(); yield(); trace memory reused\n");
    fmt::print("ratios: {} tasks vs round-robin's; {} tasks vs the same policy's with {}\n\n",
               plan.small_tasks, plan.policy_tasks, plan.small_tasks);
    print_line(fmt::format(kPolicyLine, "policy", fmt::format("{} tasks", plan.small_tasks),
                           "vs RR", "spread", fmt::format("{} tasks", plan.policy_tasks),
                           fmt::format("vs {}", plan.small_tasks), "spread", "target", ""));
    fmt::print("{}\n", std::string(78, '-'));
    for (const auto& [few, many] : rows) {
        const double many_ratio = median_ratio(many);
        print_line(fmt::format(kPolicyLine, few.figure, show(median(few.measured), few.unit),
                               show_ratio(median_ratio(few)), spread(few.measured),
                               show(median(many.measured), many.unit), show_ratio(many_ratio),
                               spread(many.measured), many.target, verdict(many, many_ratio)));
    }
    fmt::print("sjf and stcf pick the task that yielded again: a dispatch, but no fiber switch\n");
}

}  // namespace timeslice::bench
