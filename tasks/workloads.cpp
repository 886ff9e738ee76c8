// The C++ workloads. Each body is what a student would write for the behaviour.
#include "workloads.hpp"

#include <fmt/format.h>

#include <array>
#include <stdexcept>

#include "kernel/api.hpp"
#include "program.hpp"

namespace timeslice {
namespace {

Tick arg(const WorkloadArgs& args, std::string_view name) {
    return static_cast<Tick>(args.find(name)->second);
}

/// times() returns `count` repetitions of `each` ticks, or nothing past kMaxCount.
std::optional<Tick> times(Tick count, Tick each) {
    if (each != 0 && count > kMaxCount / each) return std::nullopt;
    return count * each;
}

// hog: a CPU-bound task that never yields, like a tight loop on a 90s PC.
constexpr std::array<WorkloadParam, 1> kHogParams{{
    {"ticks", 240, "instructions it executes, all in one go"},
}};
std::function<void()> make_hog(const WorkloadArgs& args) {
    return [ticks = arg(args, "ticks")] { compute(ticks); };
}
std::optional<Tick> hog_demand(const WorkloadArgs& args) { return arg(args, "ticks"); }

// interactive: short bursts of work, yielding the CPU after each one.
constexpr std::array<WorkloadParam, 2> kInteractiveParams{{
    {"bursts", 5, "how many bursts"},
    {"burst", 30, "instructions per burst"},
}};
std::function<void()> make_interactive(const WorkloadArgs& args) {
    return [bursts = arg(args, "bursts"), burst = arg(args, "burst")] {
        for (Tick i = 0; i < bursts; ++i) {
            compute(burst);
            yield();
        }
    };
}
std::optional<Tick> interactive_demand(const WorkloadArgs& args) {
    return times(arg(args, "bursts"), arg(args, "burst"));
}

// io-bound: a little computing, then a long wait on a device, repeated.
constexpr std::array<WorkloadParam, 3> kIoBoundParams{{
    {"rounds", 4, "how many compute-then-wait rounds"},
    {"burst", 20, "instructions per round"},
    {"io", 60, "ticks each I/O takes"},
}};
std::function<void()> make_io_bound(const WorkloadArgs& args) {
    return [rounds = arg(args, "rounds"), burst = arg(args, "burst"), wait = arg(args, "io")] {
        for (Tick i = 0; i < rounds; ++i) {
            compute(burst);
            io(wait);
        }
    };
}
std::optional<Tick> io_bound_demand(const WorkloadArgs& args) {
    return times(arg(args, "rounds"), arg(args, "burst"));
}

// count: the talk's CPU-bound Python function, one instruction per iteration.
constexpr std::array<WorkloadParam, 1> kCountParams{{
    {"n", 1000, "iterations of `while n > 0: n -= 1`"},
}};
std::function<void()> make_count(const WorkloadArgs& args) {
    return [n = arg(args, "n")]() mutable {
        while (n > 0) {
            --n;
            tick();
        }
    };
}
std::optional<Tick> count_demand(const WorkloadArgs& args) { return arg(args, "n"); }

const std::array<Workload, 4> kWorkloads{{
    {"hog", "CPU-bound, never yields (Task 1)", kHogParams, make_hog, hog_demand},
    {"interactive", "short bursts, yielding after each (Task 2)", kInteractiveParams,
     make_interactive, interactive_demand},
    {"io-bound", "short bursts, each followed by I/O (Task 3)", kIoBoundParams, make_io_bound,
     io_bound_demand},
    {"count", "the talk's `while n > 0: n -= 1`, one tick() per iteration", kCountParams,
     make_count, count_demand},
}};

}  // namespace

std::span<const Workload> workloads() { return kWorkloads; }

const Workload* find_workload(std::string_view name) {
    for (const Workload& w : kWorkloads) {
        if (w.name == name) return &w;
    }
    return nullptr;
}

std::string workload_names() {
    std::string names;
    for (const Workload& w : kWorkloads) {
        if (!names.empty()) names += ", ";
        names += w.name;
    }
    return names;
}

TaskSpec workload_task(const Workload& workload, const WorkloadArgs& given) {
    WorkloadArgs args;
    for (const WorkloadParam& param : workload.params)
        args[std::string(param.name)] = param.default_value;
    for (const auto& [key, value] : given) {
        if (!args.contains(key)) {
            throw std::invalid_argument(
                fmt::format("workload '{}' has no parameter '{}'", workload.name, key));
        }
        if (value < 0 || static_cast<Tick>(value) > kMaxCount) {
            throw std::invalid_argument(fmt::format("'{}' must be at {} {}, not {}", key,
                                                    value < 0 ? "least" : "most",
                                                    value < 0 ? 0 : kMaxCount, value));
        }
        args[key] = value;
    }
    TaskSpec spec;
    spec.name = std::string(workload.name);
    spec.demand = workload.demand(args);
    spec.body = workload.make(args);
    return spec;
}

std::vector<TaskSpec> demo_tasks() {
    std::vector<TaskSpec> tasks;
    const char* const names[] = {"Task 1", "Task 2", "Task 3"};
    const char* const kinds[] = {"hog", "interactive", "io-bound"};
    for (int i = 0; i < 3; ++i) {
        tasks.push_back(workload_task(*find_workload(kinds[i]), {}));
        tasks.back().name = names[i];
    }
    return tasks;
}

}  // namespace timeslice
