// The ready-queue structures under the policies: RingQueue keeps order through
// growth, MinHeap pops in sorted order, and TaskRank sorts as its fields do.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <tuple>
#include <vector>

#include "kernel/policies/min_heap.hpp"
#include "kernel/policies/ring_queue.hpp"

namespace timeslice::test {
namespace {

/// next_random() is a fixed linear congruential generator, so the test data is the
/// same on every platform.
std::uint64_t next_random(std::uint64_t& state) {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return state >> 33;
}

}  // namespace

TEST_CASE("a ring queue keeps first-in first-out order while it grows and wraps") {
    RingQueue<int> queue;
    std::vector<int> popped;
    int pushed = 0;
    for (int round = 0; round < 100; ++round) {
        for (int i = 0; i < round % 7 + 3; ++i) queue.push(pushed++);
        for (int i = 0; i < round % 5 + 1 && !queue.empty(); ++i) popped.push_back(queue.pop());
    }
    while (!queue.empty()) popped.push_back(queue.pop());
    REQUIRE(popped.size() == static_cast<std::size_t>(pushed));
    for (int i = 0; i < pushed; ++i) CHECK(popped[static_cast<std::size_t>(i)] == i);
}

TEST_CASE("a min-heap pops every key in ascending order, with pushes in between") {
    MinHeap<std::tuple<std::uint64_t, TaskId>> heap;
    std::vector<std::tuple<std::uint64_t, TaskId>> expected;
    std::vector<std::tuple<std::uint64_t, TaskId>> popped;
    std::uint64_t state = 1;
    for (std::uint32_t i = 0; i < 5000; ++i) {
        const std::tuple key{next_random(state) % 100, TaskId{i}};
        heap.push(key);
        expected.push_back(key);
        if (i % 3 == 0) {
            popped.push_back(heap.pop());
            const auto least = std::min_element(expected.begin(), expected.end());
            CHECK(*least == popped.back());
            expected.erase(least);
        }
    }
    std::sort(expected.begin(), expected.end());
    for (const auto& key : expected) CHECK(heap.pop() == key);
    CHECK(heap.empty());
}

TEST_CASE("a task rank sorts by major, then minor, then task id, over their full ranges") {
    constexpr std::uint64_t kMax64 = std::numeric_limits<std::uint64_t>::max();
    const std::vector<TaskRank> ascending = {
        {0, 0, TaskId{0}}, {0, 0, TaskId{7}},
        {0, 1, TaskId{0}}, {0, kMax64, TaskId{0xffffffff}},
        {1, 0, TaskId{0}}, {0xffffffff, kMax64, TaskId{0xffffffff}},
    };
    for (std::size_t i = 0; i + 1 < ascending.size(); ++i) {
        CHECK(ascending[i] < ascending[i + 1]);
        CHECK_FALSE(ascending[i + 1] < ascending[i]);
    }
    CHECK(ascending[3].minor() == kMax64);
    CHECK(ascending[3].task() == TaskId{0xffffffff});
}

TEST_CASE("sortable() keeps the order of signed numbers, negatives first") {
    CHECK(sortable(std::int64_t{-5}) < sortable(std::int64_t{-1}));
    CHECK(sortable(std::int64_t{-1}) < sortable(std::int64_t{0}));
    CHECK(sortable(std::numeric_limits<std::int64_t>::min()) == 0);
    CHECK(sortable(std::int32_t{-1}) < sortable(std::int32_t{3}));
    CHECK(~sortable(std::int32_t{9}) < ~sortable(std::int32_t{2}));  // Higher priority first.
}

}  // namespace timeslice::test
