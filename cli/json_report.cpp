// Builds the JSON documents with nlohmann::ordered_json, so keys keep the order
// written here and the same run always prints the same bytes.
#include "json_report.hpp"

#include "kernel/waits.hpp"

namespace timeslice {
namespace {

using Json = nlohmann::ordered_json;

Json optional_tick(const std::optional<Tick>& value) { return value ? Json(*value) : Json(); }

Json task_json(const TaskMetrics& t) {
    Json j;
    j["name"] = t.name;
    j["state"] = name(t.final_state);
    j["arrival"] = optional_tick(t.arrival);
    j["first_run"] = optional_tick(t.first_run);
    j["finish"] = optional_tick(t.finish);
    j["cpu"] = t.cpu;
    j["wait"] = t.wait;
    j["blocked"] = t.blocked;
    j["blocked_io"] = t.blocked_io;
    j["blocked_sync"] = t.blocked_sync;
    j["spin"] = t.spin;
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

Json cpus_json(const RunMetrics& m) {
    Json cpus = Json::array();
    for (std::size_t c = 0; c < m.cpus.size(); ++c) {
        cpus.push_back(
            Json{{"cpu", c}, {"busy", m.cpus[c].busy}, {"utilization", m.cpus[c].utilization}});
    }
    return cpus;
}

Json sync_json(const SyncSpec& sync) {
    Json locks = Json::array();
    for (const LockSpec& lock : sync.locks)
        locks.push_back(Json{{"name", lock.name}, {"inherit", lock.inherit}});
    Json semaphores = Json::array();
    for (const SemaphoreSpec& s : sync.semaphores) {
        semaphores.push_back(
            Json{{"name", s.name}, {"initial", s.initial}, {"max", s.max ? Json(*s.max) : Json()}});
    }
    return Json{{"locks", std::move(locks)},
                {"semaphores", std::move(semaphores)},
                {"conditions", sync.conditions}};
}

/// deadlock_json() describes a deadlock as render_deadlock() does in words: the
/// cycles of tasks, and what every waiting task holds and waits for.
Json deadlock_json(const Trace& trace) {
    const WaitGraph graph = wait_graph(trace);
    const auto task_name = [&](TaskId t) { return trace.tasks[index(t)].name; };
    Json cycles = Json::array();
    for (const std::vector<TaskId>& cycle : graph.cycles) {
        Json names = Json::array();
        for (TaskId t : cycle) names.push_back(task_name(t));
        cycles.push_back(std::move(names));
    }
    Json waiting = Json::array();
    for (std::uint32_t i = 0; i < graph.tasks.size(); ++i) {
        const TaskWait& w = graph.tasks[i];
        if (!w.waits) continue;
        Json holds = Json::array();
        for (const Holding& h : w.holds) {
            holds.push_back(Json{{"lock", trace.sync.locks[index(h.lock)].name}, {"since", h.since}});
        }
        waiting.push_back(Json{
            {"task", task_name(TaskId{i})},
            {"holds", std::move(holds)},
            {"waits_for", Json{{"kind", name(w.waits->kind)},
                               {"name", object_name(trace, *w.waits)},
                               {"since", w.since},
                               {"spins", w.spins},
                               {"holder", w.waits_for ? Json(task_name(*w.waits_for)) : Json()}}}});
    }
    return Json{{"tick", trace.end}, {"cycles", std::move(cycles)}, {"waiting", std::move(waiting)}};
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
    j["wakeup_latency"] = trace.wakeup_latency;
    j["seed"] = scenario.seed;
    j["max_ticks"] = scenario.max_ticks;
    j["stop"] = trace.stop == StopReason::None ? Json() : Json(name(trace.stop));
    j["makespan"] = m.makespan;
    j["max_running"] = m.max_running;
    j["max_in_progress"] = m.max_in_progress;
    const std::optional<double> s = speedup(run);
    j["speedup"] = s ? Json(*s) : Json();
    j["utilization"] = m.utilization;
    j["cpus"] = cpus_json(m);
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
    j["sync"] = sync_json(trace.sync);
    j["deadlock"] = trace.stop == StopReason::Deadlock ? deadlock_json(trace) : Json();
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
