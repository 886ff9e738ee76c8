// Test helpers: run small task sets through the kernel and look at the result.
#pragma once

#include <doctest/doctest.h>
#include <fmt/ranges.h>

#include <string>
#include <vector>

#include "kernel/history.hpp"
#include "kernel/kernel.hpp"
#include "kernel/metrics.hpp"
#include "kernel/policies/catalog.hpp"
#include "tasks/program.hpp"

/// Lets doctest print the tick vectors the tests compare.
template <>
struct doctest::StringMaker<std::vector<timeslice::Tick>> {
    static doctest::String convert(const std::vector<timeslice::Tick>& v) {
        return fmt::format("{{{}}}", fmt::join(v, ", ")).c_str();
    }
};

namespace timeslice::test {

/// kSpawned is the arrival of a Job that starts when another task spawns it.
inline constexpr Tick kSpawned = kForever;

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

/// names_of() returns what programs of `jobs` may name: the objects `sync`
/// declares, and the jobs.
inline Names names_of(const std::vector<Job>& jobs, const SyncSpec& sync) {
    Names names;
    for (const LockSpec& lock : sync.locks) names.locks.push_back(lock.name);
    for (const SemaphoreSpec& semaphore : sync.semaphores) names.semaphores.push_back(semaphore.name);
    names.conditions = sync.conditions;
    for (const Job& job : jobs) names.tasks.push_back(job.name);
    return names;
}

/// run_jobs() runs `jobs` under the policy `policy` with `params` on `config`, with
/// the locks, semaphores and conditions of `sync`. A job whose arrival is
/// kSpawned starts spawned.
inline Run run_jobs(const std::vector<Job>& jobs, std::string_view policy,
                    const PolicyParams& params = {}, KernelConfig config = {},
                    const SyncSpec& sync = {}) {
    const PolicyEntry* entry = find_policy(policy);
    REQUIRE(entry != nullptr);
    PolicyParams resolved;
    for (const auto& [key, value] : resolve_params(*entry, params)) resolved[key] = value;
    Kernel kernel(config, entry->make(resolved));
    kernel.declare(sync);
    const Names names = names_of(jobs, sync);
    for (const Job& job : jobs) {
        TaskSpec spec;
        spec.name = job.name;
        spec.spawned = job.arrival == kSpawned;
        spec.arrival = spec.spawned ? 0 : job.arrival;
        const Program program = parse_program(job.program, names);
        spec.demand = cpu_demand(program);
        spec.body = [program] { run_program(program); };
        kernel.spawn(std::move(spec));
    }
    kernel.run();
    Run run{kernel.take_trace(), {}};
    run.metrics = measure(run.trace, replay(run.trace));
    return run;
}

/// locks() returns a SyncSpec that declares locks named `names`.
inline SyncSpec locks(std::initializer_list<const char*> names) {
    SyncSpec sync;
    for (const char* name : names) sync.locks.push_back({name, false});
    return sync;
}

/// compute_jobs() returns jobs named A, B, C... that each compute their length.
inline std::vector<Job> compute_jobs(std::initializer_list<Tick> lengths) {
    std::vector<Job> jobs;
    char name = 'A';
    for (Tick length : lengths)
        jobs.push_back({std::string(1, name++), 0, fmt::format("compute {}", length)});
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

// Helpers for tests of the kernel, history, metrics, program and workloads.
namespace timeslice::test {

/// make_policy() returns the catalog's policy `name` with `params` completed by defaults.
inline std::unique_ptr<Policy> make_policy(std::string_view name, const PolicyParams& params = {}) {
    const PolicyEntry* entry = find_policy(name);
    REQUIRE(entry != nullptr);
    PolicyParams resolved;
    for (const auto& [key, value] : resolve_params(*entry, params)) resolved[key] = value;
    return entry->make(resolved);
}

/// run_prioritized() is run_jobs() for jobs with priorities: `priorities[i]` is job i's.
inline Run run_prioritized(const std::vector<Job>& jobs,
                           const std::vector<std::int32_t>& priorities, std::string_view policy,
                           KernelConfig config = {}, const SyncSpec& sync = {}) {
    Kernel kernel(config, make_policy(policy));
    kernel.declare(sync);
    const Names names = names_of(jobs, sync);
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const Program program = parse_program(jobs[i].program, names);
        TaskSpec spec;
        spec.name = jobs[i].name;
        spec.arrival = jobs[i].arrival;
        spec.priority = priorities.at(i);
        spec.body = [program] { run_program(program); };
        kernel.spawn(std::move(spec));
    }
    kernel.run();
    Run run{kernel.take_trace(), {}};
    run.metrics = measure(run.trace, replay(run.trace));
    return run;
}

/// cxx_task() returns a TaskSpec named `name` that runs the C++ code `body`.
inline TaskSpec cxx_task(std::string name, std::function<void()> body, Tick arrival = 0) {
    TaskSpec spec;
    spec.name = std::move(name);
    spec.arrival = arrival;
    spec.body = std::move(body);
    return spec;
}

/// run_specs() runs `specs` (tasks written in C++) like run_jobs() runs programs.
inline Run run_specs(std::vector<TaskSpec> specs, std::string_view policy,
                     const PolicyParams& params = {}, KernelConfig config = {}) {
    Kernel kernel(config, make_policy(policy, params));
    for (TaskSpec& spec : specs) kernel.spawn(std::move(spec));
    kernel.run();
    Run run{kernel.take_trace(), {}};
    run.metrics = measure(run.trace, replay(run.trace));
    return run;
}

/// last_event() returns the trace's last event; the trace must have one.
inline Event last_event(const Trace& trace) {
    REQUIRE_FALSE(trace.events.empty());
    Event last{};
    for (const Event& e : trace.events) last = e;
    return last;
}

/// event_log() renders the trace one event per line, "TICK TASK KIND [DETAIL]": a block
/// shows its I/O ticks, a dispatch its time slice and a switch its cost when not 0, a
/// fail its message, and a stop (which belongs to no task) "TICK stop REASON".
inline std::string event_log(const Trace& trace) {
    std::string log;
    for (const Event& e : trace.events) {
        const std::string& task = trace.tasks[index(e.task)].name;
        std::string line = fmt::format("{} {} {}", e.tick, task, name(e.kind));
        if (trace.cores > 1) line = fmt::format("{} cpu{}", line, index(e.cpu));
        switch (e.kind) {
            case EventKind::Block:
                line += fmt::format(" {}", e.detail);
                break;
            case EventKind::Dispatch:
            case EventKind::Renew:
            case EventKind::Switch:
                if (e.detail != 0) line += fmt::format(" {}", e.detail);
                break;
            case EventKind::Fail:
                line += fmt::format(" \"{}\"", trace.messages.at(e.detail));
                break;
            case EventKind::Acquire:
            case EventKind::Release:
            case EventKind::Wait:
            case EventKind::Spin:
            case EventKind::Handoff:
            case EventKind::Notify:
            case EventKind::NotifyAll:
                line += " " + describe(trace, SyncRef::unpack(e.detail));
                break;
            case EventKind::Spawn:
                line += " " + trace.tasks.at(e.detail).name;
                break;
            case EventKind::Inherit:
                line += fmt::format(" {}", unzigzag(e.detail));
                break;
            case EventKind::Stop:
                line = fmt::format("{} stop {}", e.tick, name(static_cast<StopReason>(e.detail)));
                break;
            default:
                break;
        }
        log += line + "\n";
    }
    return log;
}

/// segment_log() renders the replayed segments one per line, "TASK START-END REASON".
inline std::string segment_log(const Trace& trace) {
    std::string log;
    for (const Segment& s : replay(trace).segments) {
        log += fmt::format("{} {}-{} {}\n", trace.tasks[index(s.task)].name, s.start, s.end,
                           name(s.end_reason));
    }
    return log;
}

/// cpu_times() returns the ticks each task ran, in task order.
inline std::vector<Tick> cpu_times(const Run& run) {
    std::vector<Tick> out;
    for (const TaskMetrics& t : run.metrics.tasks) out.push_back(t.cpu);
    return out;
}

}  // namespace timeslice::test
