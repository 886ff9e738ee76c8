// simulate(): scenario in, trace and metrics out.
#include "simulate.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace timeslice {

RunResult simulate(const Scenario& scenario) {
    const PolicyEntry* entry = &require_policy(scenario.policy);
    PolicyParams taken;
    for (const PolicyParam& param : entry->params) {
        if (const auto it = scenario.params.find(param.name); it != scenario.params.end()) {
            taken.insert(*it);
        }
    }
    if (takes_param(*entry, "seed") && !taken.contains("seed")) {
        taken["seed"] = static_cast<std::int64_t>(scenario.seed);
    }
    std::vector<std::pair<std::string, std::int64_t>> resolved;
    try {
        resolved = resolve_params(*entry, taken);
    } catch (const std::invalid_argument& e) {
        throw ScenarioError(e.what());
    }
    const PolicyParams complete(resolved.begin(), resolved.end());
    KernelConfig config;
    config.cores = scenario.cores;
    config.switch_cost = scenario.switch_cost;
    config.wakeup_latency = scenario.wakeup_latency;
    config.max_ticks = scenario.max_ticks;
    Kernel kernel(config, entry->make(complete));
    kernel.declare(scenario.sync);
    for (const TaskDef& task : scenario.tasks) {
        TaskSpec spec = task.make();
        if (entry->needs_demand && !spec.demand) {
            throw ScenarioError(fmt::format(
                "{}policy '{}' needs each task's CPU demand in advance, but task '{}' has none "
                "(it repeats forever, or runs too long to count)",
                task.where, entry->name, spec.name));
        }
        kernel.spawn(std::move(spec));
    }
    kernel.run();
    RunResult result{kernel.take_trace(), {}, {}, std::nullopt};
    result.trace.policy_params = std::move(resolved);
    result.history = replay(result.trace);
    result.metrics = measure(result.trace, result.history);
    return result;
}

std::optional<double> speedup(const RunResult& run) {
    if (!run.one_cpu_makespan || run.metrics.makespan == 0) return std::nullopt;
    return static_cast<double>(*run.one_cpu_makespan) / static_cast<double>(run.metrics.makespan);
}

std::optional<std::int64_t> quantum_of(const Trace& trace) {
    for (const auto& [name, value] : trace.policy_params) {
        if (name == "quantum") return value;
    }
    return std::nullopt;
}

}  // namespace timeslice
