// Builds the JSON documents with nlohmann::ordered_json, so keys keep the order
// written here and the same run always prints the same bytes.
#include "json_report.hpp"

namespace timeslice {
namespace {

using Json = nlohmann::ordered_json;

Json optional_tick(const std::optional<Tick>& value) { return value ? Json(*value) : Json(); }

Json task_json(const TaskMetrics& t) {
    Json j;
    j["name"] = t.name;
    j["state"] = name(t.final_state);
    j["arrival"] = t.arrival;
    j["first_run"] = optional_tick(t.first_run);
    j["finish"] = optional_tick(t.finish);
    j["cpu"] = t.cpu;
    j["wait"] = t.wait;
    j["blocked"] = t.blocked;
    j["response"] = optional_tick(t.response);
    j["turnaround"] = optional_tick(t.turnaround);
    j["preemptions"] = t.preemptions;
    j["yields"] = t.yields;
    j["longest_wait"] = t.longest_wait;
    if (t.error) j["error"] = *t.error;
    return j;
}

Json segments_json(const RunResult& run) {
    Json segments = Json::array();
    for (const Segment& s : run.history.segments) {
        segments.push_back(Json{{"task", run.trace.tasks[index(s.task)].name},
                                {"task_index", index(s.task)},
                                {"cpu", index(s.cpu)},
                                {"start", s.start},
                                {"end", s.end},
                                {"end_reason", name(s.end_reason)}});
    }
    return segments;
}

}  // namespace

Json run_json(const Scenario& scenario, const RunResult& run) {
    const Trace& trace = run.trace;
    const RunMetrics& m = run.metrics;
    Json j;
    j["policy"] = trace.policy;
    const auto quantum = quantum_of(trace);
    j["quantum"] = quantum ? Json(*quantum) : Json();
    Json params = Json::object();  // Every parameter of the policy, in the catalog's order.
    for (const auto& [name, value] : trace.policy_params) params[name] = value;
    j["params"] = std::move(params);
    j["cores"] = trace.cores;
    j["switch_cost"] = trace.switch_cost;
    j["seed"] = scenario.seed;
    j["max_ticks"] = scenario.max_ticks;
    j["stop"] = trace.stop == StopReason::None ? Json() : Json(name(trace.stop));
    j["makespan"] = m.makespan;
    j["utilization"] = m.utilization;
    j["context_switches"] = m.context_switches;
    j["fairness"] = m.fairness;
    j["fairness_window"] = Json::array({m.fairness_from, m.fairness_to});
    const auto mean = [](double value, std::size_t n) { return n == 0 ? Json() : Json(value); };
    j["averages"] = Json{{"response", mean(m.averages.response, m.averages.responded)},
                         {"turnaround", mean(m.averages.turnaround, m.averages.finished)},
                         {"wait", m.averages.wait}};
    Json tasks = Json::array();
    for (const TaskMetrics& t : m.tasks) tasks.push_back(task_json(t));
    j["tasks"] = std::move(tasks);
    j["segments"] = segments_json(run);
    return j;
}

Json run_document(const Scenario& scenario, const RunResult& run) {
    Json doc;
    doc["schema_version"] = kSchemaVersion;
    doc["scenario"] = scenario.source;
    doc.update(run_json(scenario, run));
    return doc;
}

Json compare_document(const Scenario& scenario, std::span<const RunResult* const> runs) {
    Json doc;
    doc["schema_version"] = kSchemaVersion;
    doc["scenario"] = scenario.source;
    doc["runs"] = Json::array();
    for (const RunResult* run : runs) doc["runs"].push_back(run_json(scenario, *run));
    return doc;
}

}  // namespace timeslice
