// Test helpers: run small task sets through the kernel and look at the result.
#pragma once

#include "kernel/history.hpp"
#include "kernel/kernel.hpp"
#include "kernel/metrics.hpp"
#include "kernel/policies/catalog.hpp"
#include "tasks/program.hpp"

#include <doctest/doctest.h>
#include <fmt/ranges.h>

#include <string>
#include <vector>

/// Lets doctest print the tick vectors the tests compare.
template <>
struct doctest::StringMaker<std::vector<timeslice::Tick>> {
    static doctest::String convert(const std::vector<timeslice::Tick>& v) {
        return fmt::format("{{{}}}", fmt::join(v, ", ")).c_str();
    }
};

namespace timeslice::test {

/// Job is a task for a test: a name, an arrival and a program in the language.
struct Job {
    std::string name;
    Tick arrival = 0;
    std::string program;
};

/// Run is a finished run: its trace and metrics.
struct Run {
    Trace trace;
    RunMetrics metrics;
};

/// run_jobs() runs `jobs` under the policy `policy` with `params` on `config`.
inline Run run_jobs(const std::vector<Job>& jobs, std::string_view policy,
                    const PolicyParams& params = {}, KernelConfig config = {}) {
    const PolicyEntry* entry = find_policy(policy);
    REQUIRE(entry != nullptr);
    PolicyParams resolved;
    for (const auto& [key, value] : resolve_params(*entry, params)) resolved[key] = value;
    Kernel kernel(config, entry->make(resolved));
    for (const Job& job : jobs) {
        TaskSpec spec;
        spec.name = job.name;
        spec.arrival = job.arrival;
        spec.body = [program = parse_program(job.program)] { run_program(program); };
        kernel.spawn(std::move(spec));
    }
    kernel.run();
    Run run{kernel.take_trace(), {}};
    run.metrics = measure(run.trace, replay(run.trace));
    return run;
}

/// compute_jobs() returns jobs named A, B, C... that each compute their length.
inline std::vector<Job> compute_jobs(std::initializer_list<Tick> lengths) {
    std::vector<Job> jobs;
    char name = 'A';
    for (Tick length : lengths) jobs.push_back({std::string(1, name++), 0, fmt::format("compute {}", length)});
    return jobs;
}

/// finishes() returns each task's finish tick, in task order.
inline std::vector<Tick> finishes(const Run& run) {
    std::vector<Tick> out;
    for (const TaskMetrics& t : run.metrics.tasks) out.push_back(t.finish.value_or(kForever));
    return out;
}

/// responses() returns each task's response time, in task order.
inline std::vector<Tick> responses(const Run& run) {
    std::vector<Tick> out;
    for (const TaskMetrics& t : run.metrics.tasks) out.push_back(t.response.value_or(kForever));
    return out;
}

}  // namespace timeslice::test
