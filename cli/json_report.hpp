// The machine-readable report: one JSON document per run, keys in a fixed order
// (docs/json.md documents the schema).
#pragma once

#include <nlohmann/json.hpp>
#include <span>

#include "simulate.hpp"

namespace timeslice {

/// kSchemaVersion changes whenever a key is renamed or removed, or changes its type
/// or meaning; adding a key does not change it.
inline constexpr int kSchemaVersion = 2;

/// run_json() returns a run as a JSON object: parameters, metrics, tasks, segments.
nlohmann::ordered_json run_json(const Scenario& scenario, const RunResult& run);

/// run_document() returns the document `timeslice run --json` prints.
nlohmann::ordered_json run_document(const Scenario& scenario, const RunResult& run);

/// compare_document() returns {"schema_version", "runs": [one object per run]}.
nlohmann::ordered_json compare_document(const Scenario& scenario,
                                        std::span<const RunResult* const> runs);

}  // namespace timeslice
