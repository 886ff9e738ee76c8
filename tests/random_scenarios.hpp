// Random scenarios for the tests that check invariants and compare the kernel's
// two ways of stepping: small task sets drawn from a seeded generator whose
// algorithm is right here, so every test run draws the same ones.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "helpers.hpp"

namespace timeslice::test {

/// Draws is SplitMix64: a small, seedable generator whose algorithm is right here.
class Draws {
  public:
    explicit Draws(std::uint64_t seed) : state_(seed) {}

    /// between() returns a number in [low, high].
    std::int64_t between(std::int64_t low, std::int64_t high) {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        return low + static_cast<std::int64_t>(z % static_cast<std::uint64_t>(high - low + 1));
    }

    /// below() returns a number in [0, n), for n > 0.
    std::size_t below(std::size_t n) {
        return static_cast<std::size_t>(between(0, static_cast<std::int64_t>(n) - 1));
    }

  private:
    std::uint64_t state_;
};

/// Drawn is a random task: its program and the ticks of I/O it waits in all.
struct Drawn {
    TaskSpec spec;
    std::string program;
    Tick io = 0;
};

/// draw_program() appends statements to `text`, repeats at most `depth` deep, and
/// returns the ticks of I/O they wait.
inline Tick draw_program(Draws& draws, std::string& text, int depth) {
    Tick io = 0;
    const std::int64_t statements = draws.between(1, 4);
    for (std::int64_t i = 0; i < statements; ++i) {
        if (!text.empty() && text.back() != '{') text += "; ";
        switch (draws.between(0, depth > 0 ? 4 : 3)) {
            case 0:
            case 1:
                text += fmt::format("compute {}", draws.between(0, 40));
                break;
            case 2:
                text += draws.between(0, 1) == 0 ? "tick" : "yield";
                break;
            case 3: {
                const Tick ticks = static_cast<Tick>(draws.between(0, 30));
                text += fmt::format("io {}", ticks);
                io += ticks;
                break;
            }
            default: {
                const std::int64_t times = draws.between(1, 3);
                text += fmt::format("repeat {} {{", times);
                io += static_cast<Tick>(times) * draw_program(draws, text, depth - 1);
                text += " }";
            }
        }
    }
    return io;
}

/// draw_spec() completes `spec` to run `program`, with a random priority, tickets
/// and nice.
inline void draw_spec(Draws& draws, const Program& program, TaskSpec& spec) {
    spec.priority = static_cast<std::int32_t>(draws.between(-2, 2));
    spec.tickets = static_cast<std::uint32_t>(draws.between(1, 300));
    spec.nice = static_cast<std::int32_t>(draws.between(-5, 5));
    spec.demand = cpu_demand(program);
    spec.body = [program] { run_program(program); };
}

/// Failures says whether drawn tasks may end with a `fail` statement.
enum class Failures { None, Some };

inline std::vector<Drawn> draw_tasks(Draws& draws, Failures failures = Failures::None) {
    std::vector<Drawn> tasks(static_cast<std::size_t>(draws.between(1, 5)));
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        Drawn& t = tasks[i];
        t.io = draw_program(draws, t.program, 2);
        if (failures == Failures::Some && draws.between(0, 3) == 0) t.program += "; fail \"boom\"";
        t.spec.name = fmt::format("T{}", i + 1);
        t.spec.arrival = static_cast<Tick>(draws.between(0, 60));
        draw_spec(draws, parse_program(t.program), t.spec);
    }
    return tasks;
}

/// SyncScenario is a random task set that shares locks, semaphores and a condition,
/// whose last task starts spawned.
struct SyncScenario {
    SyncSpec sync;
    std::vector<Drawn> tasks;
};

/// draw_sync_statement() appends one statement that synchronizes: a critical
/// section under a lock (blocking or spinning) or a semaphore, a post or a wait on
/// a counting semaphore, a wait on the condition, a notify, a join or a spawn, and
/// now and then a misused call. Any of them may end in a deadlock, which is fine:
/// the runs are compared, not judged.
inline void draw_sync_statement(Draws& draws, std::string& text, std::size_t tasks) {
    const auto lock = fmt::format("L{}", std::max<std::int64_t>(0, draws.between(-2, 2)));
    const std::string work = fmt::format("compute {}", draws.between(0, 15));
    switch (draws.between(0, 11)) {
        case 0:
        case 1:
        case 10:
            text += fmt::format("lock {0}; {1}; unlock {0}", lock, work);
            break;
        case 2:
        case 11:
            text += fmt::format("spin_lock {0}; {1}; unlock {0}", lock, work);
            break;
        case 3:
            text += fmt::format("sem_wait S0; {}; sem_post S0", work);
            break;
        case 4:
            text += draws.between(0, 1) == 0 ? "sem_post S1" : "sem_wait S1";
            break;
        case 5:
            text += "lock L0; wait C0 L0; unlock L0";
            break;
        case 6:
            text += draws.between(0, 1) == 0 ? "notify C0" : "notify_all C0";
            break;
        case 7:
            text += fmt::format("join T{}", draws.between(1, static_cast<std::int64_t>(tasks)));
            break;
        case 8:
            text += fmt::format("spawn T{}", tasks);
            break;
        default:
            text += draws.between(0, 3) == 0 ? fmt::format("unlock {}", lock) : work;
    }
}

/// draw_sync_scenario() draws 2 to 5 tasks whose programs mix ordinary statements
/// with synchronizing ones.
inline SyncScenario draw_sync_scenario(Draws& draws) {
    SyncScenario scenario;
    scenario.sync.locks = {{"L0", false}, {"L1", false}, {"L2", true}};
    scenario.sync.semaphores = {{"S0", 1, std::nullopt}, {"S1", 0, 3}};
    scenario.sync.conditions = {"C0"};
    const auto n = static_cast<std::size_t>(draws.between(2, 5));
    scenario.tasks.resize(n);
    Names names;
    names.locks = {"L0", "L1", "L2"};
    names.semaphores = {"S0", "S1"};
    names.conditions = {"C0"};
    for (std::size_t i = 0; i < n; ++i) names.tasks.push_back(fmt::format("T{}", i + 1));
    for (std::size_t i = 0; i < n; ++i) {
        Drawn& t = scenario.tasks[i];
        t.io = draw_program(draws, t.program, 1);
        const std::int64_t syncs = draws.between(1, 4);
        for (std::int64_t k = 0; k < syncs; ++k) {
            t.program += "; ";
            draw_sync_statement(draws, t.program, n);
            if (draws.between(0, 1) == 0) t.program += fmt::format("; compute {}", draws.between(1, 9));
        }
        t.spec.name = names.tasks[i];
        t.spec.spawned = i + 1 == n && n > 2;
        t.spec.arrival = t.spec.spawned ? 0 : static_cast<Tick>(draws.between(0, 30));
        draw_spec(draws, parse_program(t.program, names), t.spec);
    }
    return scenario;
}

/// draw_params() returns values for the parameters `policy` takes, small enough
/// that slices end and levels change within a short run.
inline PolicyParams draw_params(Draws& draws, const PolicyEntry& policy) {
    PolicyParams params;
    for (const PolicyParam& p : policy.params) {
        const std::int64_t high = std::min<std::int64_t>(p.max_value, p.name == "boost" ? 200 : 20);
        params[std::string(p.name)] = draws.between(p.min_value, high);
    }
    return params;
}

}  // namespace timeslice::test
