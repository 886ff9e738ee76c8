// EventLog: every event comes back exactly as appended, whatever its numbers, and
// the common events take a few bytes each.
#include "kernel/event_log.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

namespace timeslice::test {
namespace {

/// next_random() is a fixed linear congruential generator, so the test data is the
/// same on every platform.
std::uint64_t next_random(std::uint64_t& state) {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return state >> 1;
}

/// random_number() returns a number of 0 to 64 random bits, so that every length of
/// field turns up.
std::uint64_t random_number(std::uint64_t& state) {
    const auto bits = static_cast<unsigned>(next_random(state) % 65);
    const std::uint64_t value = next_random(state) ^ (next_random(state) << 32);
    return bits == 0 ? 0 : value >> (64 - bits);
}

/// random_events() returns `n` events with random fields, their ticks mostly rising.
std::vector<Event> random_events(std::size_t n) {
    std::uint64_t state = 42;
    std::vector<Event> events;
    Tick tick = 0;
    for (std::size_t i = 0; i < n; ++i) {
        tick =
            next_random(state) % 10 == 0 ? random_number(state) : tick + next_random(state) % 300;
        events.push_back({.tick = tick,
                          .detail = random_number(state),
                          .task = TaskId{static_cast<std::uint32_t>(random_number(state))},
                          .cpu = CpuId{static_cast<std::uint16_t>(random_number(state))},
                          .kind = static_cast<EventKind>(next_random(state) % 11)});
    }
    return events;
}

/// scheduler_events() returns `n` events as a kernel appends them: mostly a task
/// leaving the CPU and another dispatched at the same tick, with every way such a
/// pair can fail to make one pair record mixed in.
std::vector<Event> scheduler_events(std::size_t n) {
    std::uint64_t state = 7;
    std::vector<Event> events;
    Tick tick = 0;
    std::uint32_t running = 0;
    const auto small_task = [&] { return static_cast<std::uint32_t>(next_random(state) % 4200); };
    while (events.size() < n) {
        tick += next_random(state) % 100;
        const std::uint64_t roll = next_random(state) % 100;
        // Who leaves: nearly always the running task; sometimes another one. How:
        // mostly a yield, a preemption or an exit; sometimes any kind of event.
        const TaskId leaver{roll < 90 ? running : small_task()};
        constexpr EventKind kLeaves[] = {EventKind::Yield, EventKind::Preempt, EventKind::Exit};
        const EventKind leave = roll < 70 ? kLeaves[next_random(state) % 3]
                                          : static_cast<EventKind>(next_random(state) % 11);
        const std::uint64_t detail = roll < 80 ? 0 : next_random(state) % 3;
        events.push_back({tick, detail, leaver, CpuId{0}, leave});
        // The dispatch: usually at the same tick on cpu 0, sometimes later or elsewhere.
        const Tick at = roll % 10 == 3 ? tick + 1 : tick;
        const CpuId cpu{static_cast<std::uint16_t>(roll % 17 == 5 ? 1 : 0)};
        const std::uint32_t next = small_task();
        events.push_back({at, next_random(state) % 260, TaskId{next}, cpu, EventKind::Dispatch});
        if (cpu == CpuId{0}) running = next;
        tick = at;
    }
    return events;
}

std::vector<Event> decoded(const EventLog& log) { return {log.begin(), log.end()}; }

}  // namespace

TEST_CASE("an event log gives back every event as appended, extreme numbers included") {
    std::vector<Event> events = random_events(100'000);
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    events.push_back({kMax, kMax, TaskId{0xFFFF'FFFF}, CpuId{0xFFFF}, EventKind::Stop});
    events.push_back({0, 0, TaskId{0}, CpuId{0}, EventKind::Arrive});  // The tick goes back.
    events.push_back({kMax, 1, TaskId{1}, CpuId{1}, EventKind::Dispatch});
    EventLog log;  // Nothing reserved: it grows, and moves, as it fills.
    for (const Event& e : events) log.push_back(e);
    CHECK(log.size() == events.size());
    CHECK(decoded(log) == events);
}

TEST_CASE("an event log's copy holds the same events and grows on its own") {
    EventLog log;
    log.reserve(10);
    for (const Event& e : random_events(1'000)) log.push_back(e);
    EventLog copy = log;
    CHECK(copy == log);
    CHECK(decoded(copy) == decoded(log));
    const Event more{5, 6, TaskId{7}, CpuId{0}, EventKind::Wake};
    copy.push_back(more);
    CHECK_FALSE(copy == log);
    const std::vector<Event> grown = decoded(copy);
    CHECK(grown.size() == log.size() + 1);
    CHECK(grown.back() == more);
}

TEST_CASE("an event log keeps events of kinds past the last one it knows") {
    // Codes from kPairCode on mark pair records in a short record: later kinds must
    // take long records, whatever their numbers.
    std::vector<Event> events;
    for (unsigned kind = 0; kind < 128; ++kind) {
        events.push_back({kind, 0, TaskId{kind % 3}, CpuId{0}, static_cast<EventKind>(kind)});
    }
    EventLog log;
    for (const Event& e : events) log.push_back(e);
    CHECK(decoded(log) == events);
}

TEST_CASE("an event log refuses to reserve room for more events than memory can hold") {
    EventLog log;
    CHECK_THROWS_AS(log.reserve(std::numeric_limits<std::size_t>::max()), std::length_error);
    CHECK(log.empty());
}

TEST_CASE("an empty event log has no events and equals another empty one") {
    const EventLog log;
    CHECK(log.empty());
    CHECK(log.begin() == log.end());
    CHECK(EventLog(log) == EventLog{});
}

TEST_CASE("a yield and the dispatch after it take 4 bytes together") {
    EventLog log;
    log.push_back({1000, 100, TaskId{1}, CpuId{0}, EventKind::Dispatch});
    const std::size_t before = log.bytes();
    const std::vector<Event> pair{{1001, 0, TaskId{1}, CpuId{0}, EventKind::Yield},
                                  {1001, 100, TaskId{2}, CpuId{0}, EventKind::Dispatch}};
    for (const Event& e : pair) log.push_back(e);
    CHECK(log.bytes() - before == 4);
    CHECK(log.size() == 3);
    const std::vector<Event> events = decoded(log);
    CHECK(std::vector<Event>(events.begin() + 1, events.end()) == pair);
}

TEST_CASE("a preemption or an exit and the dispatch after it take 4 bytes together") {
    for (const EventKind leave : {EventKind::Preempt, EventKind::Exit}) {
        const int kind = static_cast<int>(leave);
        CAPTURE(kind);
        EventLog log;
        const std::vector<Event> events{{0, 10, TaskId{0}, CpuId{0}, EventKind::Dispatch},
                                        {10, 0, TaskId{0}, CpuId{0}, leave},
                                        {10, 10, TaskId{1}, CpuId{0}, EventKind::Dispatch}};
        for (const Event& e : events) log.push_back(e);
        CHECK(log.bytes() == 8);
        CHECK(decoded(log) == events);
    }
}

TEST_CASE("a leave and a dispatch that do not fit a pair record keep their own records") {
    const Event running{0, 0, TaskId{1}, CpuId{0}, EventKind::Dispatch};
    const Event yield{5, 0, TaskId{1}, CpuId{0}, EventKind::Yield};
    const Event dispatch{5, 0, TaskId{2}, CpuId{0}, EventKind::Dispatch};
    const std::vector<std::vector<Event>> cases{
        {running, {5, 0, TaskId{3}, CpuId{0}, EventKind::Yield}, dispatch},     // Not the runner.
        {running, {5, 0, TaskId{1}, CpuId{0}, EventKind::Block}, dispatch},     // Not a join kind.
        {running, {5, 1, TaskId{1}, CpuId{0}, EventKind::Yield}, dispatch},     // A detail.
        {running, yield, {6, 0, TaskId{2}, CpuId{0}, EventKind::Dispatch}},     // Later.
        {running, yield, {5, 0, TaskId{2}, CpuId{1}, EventKind::Dispatch}},     // Elsewhere.
        {running, yield, {5, 256, TaskId{2}, CpuId{0}, EventKind::Dispatch}},   // Long detail.
        {running, yield, {5, 0, TaskId{4096}, CpuId{0}, EventKind::Dispatch}},  // Long task.
        {yield, dispatch},  // Nothing dispatched yet: task 1 is not running.
    };
    for (const std::vector<Event>& events : cases) {
        EventLog log;
        for (const Event& e : events) log.push_back(e);
        CHECK(decoded(log) == events);
        CHECK(log.bytes() >= 4 * events.size());
    }
}

TEST_CASE("an event log gives back a scheduler's events exactly, most pairs in 4 bytes") {
    const std::vector<Event> events = scheduler_events(100'000);
    EventLog log;
    for (const Event& e : events) log.push_back(e);
    CHECK(log.size() == events.size());
    CHECK(decoded(log) == events);
    CHECK(log.bytes() < 4 * events.size());
    // A copy goes on joining where the original would have.
    EventLog copy = log;
    const Event yield{events.back().tick, 0, events.back().task, CpuId{0}, EventKind::Yield};
    const Event dispatch{yield.tick, 7, TaskId{9}, CpuId{0}, EventKind::Dispatch};
    for (EventLog* l : {&log, &copy}) {
        l->push_back(yield);
        l->push_back(dispatch);
    }
    CHECK(copy == log);
    CHECK(copy.bytes() == log.bytes());
    const std::vector<Event> grown = decoded(copy);
    CHECK(std::vector<Event>(grown.end() - 2, grown.end()) == std::vector<Event>{yield, dispatch});
}

TEST_CASE("an iterator stops at each half of a pair record") {
    EventLog log;
    log.push_back({0, 0, TaskId{0}, CpuId{0}, EventKind::Dispatch});
    log.push_back({3, 0, TaskId{0}, CpuId{0}, EventKind::Yield});
    log.push_back({3, 0, TaskId{1}, CpuId{0}, EventKind::Dispatch});
    auto it = log.begin();
    const auto dispatch0 = it++;
    const auto yield = it++;
    const auto dispatch1 = it++;
    CHECK(it == log.end());
    CHECK(dispatch0 != yield);
    CHECK(yield != dispatch1);
    CHECK(yield->kind == EventKind::Yield);
    CHECK(dispatch1->task == TaskId{1});
}

TEST_CASE("an event log keeps events just past the short form's limits exactly") {
    // Each event is one past a limit of the 4-byte form (tick delta 127, task 4095,
    // detail 255, cpu 0), next to one just inside it.
    const std::vector<Event> events{
        {127, 255, TaskId{4095}, CpuId{0}, EventKind::Dispatch},
        {255, 255, TaskId{4095}, CpuId{0}, EventKind::Dispatch},
        {383, 255, TaskId{4096}, CpuId{0}, EventKind::Dispatch},
        {510, 256, TaskId{4095}, CpuId{0}, EventKind::Dispatch},
        {637, 255, TaskId{4095}, CpuId{1}, EventKind::Dispatch},
        {637, 0, TaskId{0}, CpuId{0}, EventKind::Stop},
    };
    EventLog log;
    for (const Event& e : events) log.push_back(e);
    CHECK(decoded(log) == events);
    CHECK(log.bytes() ==
          4 + (3 + 1 + 2 + 1) + (3 + 1 + 2 + 1) + (3 + 1 + 2 + 2) + (3 + 2 + 1 + 1 + 1) + 4);
}

}  // namespace timeslice::test
