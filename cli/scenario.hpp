// Scenarios: a machine, a scheduler and a list of tasks, read from a TOML file
// (docs/scenarios.md) or built in (the demo). A Scenario can be run many times.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernel/kernel.hpp"
#include "kernel/policies/catalog.hpp"
#include "kernel/sync/sync_spec.hpp"

namespace timeslice {

/// TaskDef is a task as a scenario declares it; make() builds a fresh TaskSpec.
struct TaskDef {
    std::string name;
    std::function<TaskSpec()> make;
    /// Where its code is declared ("PATH:LINE:COLUMN: "), for errors about the task
    /// found after reading; empty for a built-in task.
    std::string where;
};

/// kMaxScenarioCores is the most CPUs a scenario or --cores may ask for.
inline constexpr std::uint32_t kMaxScenarioCores = 64;

/// Scenario is everything needed to run a workload, before command-line overrides.
struct Scenario {
    std::string source;  ///< The file it came from, or "built-in demo".
    std::string title;   ///< Optional one-line title.
    std::uint32_t cores = 1;
    Tick switch_cost = 0;
    Tick wakeup_latency = 1;
    Tick max_ticks = 1'000'000'000;
    std::string policy = "round-robin";
    PolicyParams params;  ///< Policy parameters given; each policy takes those it knows.
    std::uint64_t seed = 1;
    SyncSpec sync;  ///< The locks, semaphores and conditions its tasks share.
    std::vector<TaskDef> tasks;
    /// Things worth saying that do not stop the run (a spawned task nothing spawns),
    /// each a whole line, printed on stderr.
    std::vector<std::string> warnings;
};

/// ScenarioError is bad user input, located in a file when possible.
class ScenarioError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// unknown_policy() returns the message for a policy name not in the catalog,
/// which lists the valid ones.
std::string unknown_policy(std::string_view name);

/// require_policy() returns the catalog's policy `name`. Throws ScenarioError
/// (unknown_policy()) when there is none.
const PolicyEntry& require_policy(std::string_view name);

/// load_scenario() reads the scenario file at `path`. Throws ScenarioError whose
/// message is "PATH:LINE:COLUMN: what was wrong and what was expected".
Scenario load_scenario(const std::string& path);

/// parse_scenario() reads scenario text as if it came from the file `path`.
Scenario parse_scenario(std::string_view text, const std::string& path);

/// demo_scenario() returns the built-in lesson: Task 1, 2 and 3 on one CPU.
Scenario demo_scenario();

}  // namespace timeslice
