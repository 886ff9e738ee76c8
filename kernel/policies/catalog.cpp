// The policy catalog: the table behind `--policy NAME` and `timeslice policies`.
#include "catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "cfs.hpp"
#include "cooperative.hpp"
#include "fifo.hpp"
#include "lottery.hpp"
#include "mlfq.hpp"
#include "priority.hpp"
#include "round_robin.hpp"
#include "shortest_first.hpp"
#include "stride.hpp"

namespace timeslice {
namespace {

constexpr std::int64_t kMaxTicks = 1'000'000'000'000;

constexpr PolicyParam kQuantum{"quantum", 100, 1, kMaxTicks,
                               "time slice: instructions a task may run before the timer "
                               "preempts it"};
constexpr std::array<PolicyParam, 1> kSlicedParams{{kQuantum}};
constexpr std::array<PolicyParam, 2> kLotteryParams{{
    kQuantum,
    {"seed", 1, 0, INT64_MAX, "seeds the random draws: the same seed, the same schedule"},
}};
constexpr std::array<PolicyParam, 2> kPriorityParams{{
    {"preemptive", 1, 0, 1, "1: a more important task that becomes ready takes the CPU at once"},
    {"aging", 0, 0, kMaxTicks,
     "a waiting task gains one priority level per this many ticks waited (0: never)"},
}};
constexpr std::array<PolicyParam, 2> kCfsParams{{
    {"latency", 100, 1, kMaxTicks, "ticks in which every ready or running task should run once"},
    {"min_granularity", 10, 1, kMaxTicks, "the shortest slice, and the lead that preempts"},
}};

constexpr std::array<PolicyParam, 4> kMlfqParams{{
    {"levels", 3, 1, 16, "how many priority levels"},
    {"quantum", 10, 1, kMaxTicks, "the top level's time slice; each level down doubles it"},
    {"allotment", 20, 1, kMaxTicks,
     "CPU a task may use on the top level before it moves "
     "down; each level down doubles it"},
    {"boost", 1000, 0, kMaxTicks, "every this many ticks all tasks go back to the top (0: never)"},
}};

Tick tick_param(const PolicyParams& params, std::string_view name) {
    return static_cast<Tick>(params.find(name)->second);
}

std::unique_ptr<Policy> make_cooperative(const PolicyParams&) {
    return std::make_unique<Cooperative>();
}
std::unique_ptr<Policy> make_round_robin(const PolicyParams& params) {
    return std::make_unique<RoundRobin>(tick_param(params, "quantum"));
}
std::unique_ptr<Policy> make_fifo(const PolicyParams&) { return std::make_unique<Fifo>(); }
std::unique_ptr<Policy> make_sjf(const PolicyParams&) {
    return std::make_unique<ShortestFirst>(ShortestFirst::Mode::Sjf);
}
std::unique_ptr<Policy> make_stcf(const PolicyParams&) {
    return std::make_unique<ShortestFirst>(ShortestFirst::Mode::Stcf);
}
std::unique_ptr<Policy> make_priority(const PolicyParams& params) {
    return std::make_unique<Priority>(tick_param(params, "preemptive") == 1,
                                      tick_param(params, "aging"));
}
std::unique_ptr<Policy> make_stride(const PolicyParams& params) {
    return std::make_unique<Stride>(tick_param(params, "quantum"));
}
std::unique_ptr<Policy> make_lottery(const PolicyParams& params) {
    return std::make_unique<Lottery>(tick_param(params, "quantum"), tick_param(params, "seed"));
}
std::unique_ptr<Policy> make_mlfq(const PolicyParams& params) {
    return std::make_unique<Mlfq>(static_cast<std::uint32_t>(tick_param(params, "levels")),
                                  tick_param(params, "quantum"), tick_param(params, "allotment"),
                                  tick_param(params, "boost"));
}
std::unique_ptr<Policy> make_cfs(const PolicyParams& params) {
    return std::make_unique<Cfs>(tick_param(params, "latency"),
                                 tick_param(params, "min_granularity"));
}

const std::array<PolicyEntry, 10> kCatalog{{
    {"cooperative",
     "FIFO, no timer: a task runs until it yields, blocks or ends",
     {},
     make_cooperative},
    {"round-robin", "FIFO plus a timer: one time slice per turn, then back in the queue",
     kSlicedParams, make_round_robin},
    {"fifo", "first come, first served: run to completion or until blocked", {}, make_fifo},
    {"sjf", "shortest job first: least total CPU demand first, no preemption", {}, make_sjf, true},
    {"stcf",
     "shortest time to completion first: least demand left runs, preempts",
     {},
     make_stcf,
     true},
    {"priority", "highest priority first; optional preemption and aging", kPriorityParams,
     make_priority},
    {"mlfq", "multi-level feedback queue with OSTEP's rules: demotion, boost", kMlfqParams,
     make_mlfq},
    {"lottery", "a ticket drawn at random picks who runs each time slice", kLotteryParams,
     make_lottery},
    {"stride", "lowest pass runs; a task's pass grows by 10000 / tickets per tick", kSlicedParams,
     make_stride},
    {"cfs", "Linux's CFS: lowest virtual runtime runs, weighted by nice", kCfsParams, make_cfs},
}};

}  // namespace

std::span<const PolicyEntry> policy_catalog() { return kCatalog; }

const PolicyEntry* find_policy(std::string_view name) {
    for (const PolicyEntry& entry : kCatalog) {
        if (entry.name == name) return &entry;
    }
    return nullptr;
}

bool takes_param(const PolicyEntry& entry, std::string_view name) {
    for (const PolicyParam& param : entry.params) {
        if (param.name == name) return true;
    }
    return false;
}

const PolicyParam* find_param(std::string_view name) {
    for (const PolicyEntry& entry : kCatalog) {
        for (const PolicyParam& param : entry.params) {
            if (param.name == name) return &param;
        }
    }
    return nullptr;
}

std::vector<const PolicyParam*> tuning_params() {
    std::vector<const PolicyParam*> params;
    for (const PolicyEntry& entry : kCatalog) {
        for (const PolicyParam& param : entry.params) {
            const auto same_name = [&](const PolicyParam* p) { return p->name == param.name; };
            if (param.name != "seed" && std::ranges::none_of(params, same_name)) {
                params.push_back(&param);
            }
        }
    }
    return params;
}

std::string policy_names() {
    std::string names;
    for (const PolicyEntry& entry : kCatalog) {
        if (!names.empty()) names += ", ";
        names += entry.name;
    }
    return names;
}

std::vector<std::pair<std::string, std::int64_t>> resolve_params(const PolicyEntry& entry,
                                                                 const PolicyParams& given) {
    for (const auto& [key, value] : given) {
        if (!takes_param(entry, key)) {
            throw std::invalid_argument(
                fmt::format("policy '{}' has no parameter '{}'", entry.name, key));
        }
    }
    std::vector<std::pair<std::string, std::int64_t>> resolved;
    for (const PolicyParam& param : entry.params) {
        const auto it = given.find(param.name);
        const std::int64_t value = it == given.end() ? param.default_value : it->second;
        if (value < param.min_value) {
            throw std::invalid_argument(
                fmt::format("{} must be at least {}, not {}", param.name, param.min_value, value));
        }
        resolved.emplace_back(std::string(param.name), value);
    }
    return resolved;
}

}  // namespace timeslice
