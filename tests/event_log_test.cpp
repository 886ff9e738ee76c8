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

TEST_CASE("a yield and the dispatch after it take 4 bytes each") {
    EventLog log;
    log.push_back({1000, 0, TaskId{3}, CpuId{0}, EventKind::Yield});
    const std::size_t before = log.bytes();
    log.push_back({1001, 0, TaskId{1}, CpuId{0}, EventKind::Yield});
    log.push_back({1001, 100, TaskId{2}, CpuId{0}, EventKind::Dispatch});
    CHECK(log.bytes() - before == 8);
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
