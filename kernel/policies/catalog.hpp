// The catalog of scheduling policies: how users name them, what they take, and how
// to make one. Adding a policy means one file under policies/ and one entry here.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../policy.hpp"

namespace timeslice {

/// PolicyParams holds named integer parameters, e.g. {"quantum": 100}.
using PolicyParams = std::map<std::string, std::int64_t, std::less<>>;

/// PolicyParam describes one parameter a policy takes.
struct PolicyParam {
    std::string_view name;
    std::int64_t default_value;
    std::int64_t min_value;
    std::int64_t max_value;
    std::string_view description;
};

/// PolicyEntry describes one policy of the catalog.
struct PolicyEntry {
    std::string_view name;
    std::string_view description;  ///< One line, for `timeslice policies`.
    std::span<const PolicyParam> params;
    std::unique_ptr<Policy> (*make)(const PolicyParams& params);
    bool needs_demand = false;  ///< Every task's CPU demand must be known in advance.
};

/// policy_catalog() returns every policy, in the order `timeslice policies` lists them.
std::span<const PolicyEntry> policy_catalog();

/// find_policy() returns the catalog entry called `name`, or nullptr.
const PolicyEntry* find_policy(std::string_view name);

/// takes_param() returns whether `entry` has a parameter called `name`.
bool takes_param(const PolicyEntry& entry, std::string_view name);

/// find_param() returns the first parameter called `name` in the catalog, or
/// nullptr. Policies that share a parameter (quantum) share its range.
const PolicyParam* find_param(std::string_view name);

/// tuning_params() returns each parameter of the catalog's policies once, in
/// catalog order, but seed, which scenarios and the command line give apart.
std::vector<const PolicyParam*> tuning_params();

/// policy_names() returns the names of all policies, joined by ", ".
std::string policy_names();

/// resolve_params() returns `given` completed with defaults, in the entry's order.
/// Throws std::invalid_argument naming the parameter when one is unknown or out of
/// range.
std::vector<std::pair<std::string, std::int64_t>> resolve_params(const PolicyEntry& entry,
                                                                 const PolicyParams& given);

}  // namespace timeslice
