// The policy catalog: the table behind `--policy NAME` and `timeslice policies`.
#include "catalog.hpp"

#include <fmt/format.h>

#include <array>
#include <stdexcept>

#include "cooperative.hpp"
#include "round_robin.hpp"

namespace timeslice {
namespace {

constexpr std::array<PolicyParam, 1> kRoundRobinParams{{
    {"quantum", 100, 1, "time slice: instructions a task may run before the timer preempts it"},
}};

std::unique_ptr<Policy> make_cooperative(const PolicyParams&) {
    return std::make_unique<Cooperative>();
}

std::unique_ptr<Policy> make_round_robin(const PolicyParams& params) {
    return std::make_unique<RoundRobin>(static_cast<Tick>(params.at("quantum")));
}

const std::array<PolicyEntry, 2> kCatalog{{
    {"cooperative",
     "FIFO, no timer: a task runs until it yields, blocks or ends",
     {},
     make_cooperative},
    {"round-robin", "FIFO plus a timer: one time slice per turn, then back in the queue",
     kRoundRobinParams, make_round_robin},
}};

}  // namespace

std::span<const PolicyEntry> policy_catalog() { return kCatalog; }

const PolicyEntry* find_policy(std::string_view name) {
    for (const PolicyEntry& entry : kCatalog) {
        if (entry.name == name) return &entry;
    }
    return nullptr;
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
        bool known = false;
        for (const PolicyParam& param : entry.params) known = known || param.name == key;
        if (!known) {
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
