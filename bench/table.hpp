// The benchmark's tables: each row a timeslice figure against its baseline, with
// the median ratio, the target and the verdict (docs/benchmark.md, "Reading the
// table").
#pragma once

#include <string>
#include <vector>

#include "bench.hpp"
#include "turns.hpp"

namespace timeslice::bench {

/// Unit is how a row's values are shown.
enum class Unit { Nanoseconds, PerSecond, Kibibytes };

/// Goal says which side of a row's bound its ratio should be on.
enum class Goal { AtMost, AtLeast, Info };

/// Row is one line of the table: a timeslice figure against its baseline. Each
/// ratio is taken within a repetition; the row shows the medians.
struct Row {
    std::string figure;
    std::string against;  ///< The baseline, printed under the figure.
    Unit unit;
    Series measured;
    Series baseline;
    Goal goal = Goal::Info;
    double bound = 0;  ///< The ratio the goal is about.
    std::string target = "-";
};

/// PolicyRows is one policy's switch with few tasks against round-robin's, and
/// with many tasks against its own with few.
struct PolicyRows {
    Row few;
    Row many;
};

/// load_average() returns the system's load average over the last minute: how many
/// other processes competed for the CPUs while the figures were taken.
double load_average();

/// print_table() prints the header and every row.
void print_table(const Plan& plan, const std::vector<Row>& rows, double load_before);
/// print_policy_table() prints one line per policy: its switch with few tasks and
/// the ratio to round-robin's, then with many tasks and the ratio to its own with few.
void print_policy_table(const Plan& plan, const std::vector<PolicyRows>& rows);

}  // namespace timeslice::bench
