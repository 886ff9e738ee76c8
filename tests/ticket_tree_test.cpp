// The ticket tree under the lottery policy: it finds each ticket's holder exactly as
// walking the tasks in id order does, through inserts, removals and growth.
#include "kernel/policies/ticket_tree.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

namespace timeslice::test {
namespace {

/// next_random() is a fixed linear congruential generator, so the test data is the
/// same on every platform.
std::uint64_t next_random(std::uint64_t& state) {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return state >> 33;
}

/// WalkedTickets is the obvious reference: each task's tickets by id, 0 when it is
/// not ready, and the holder found by walking the tasks in id order.
struct WalkedTickets {
    std::vector<std::uint32_t> held;

    std::uint64_t total() const {
        std::uint64_t sum = 0;
        for (const std::uint32_t tickets : held) sum += tickets;
        return sum;
    }
    TaskId holder(std::uint64_t ticket) const {
        std::uint32_t task = 0;
        while (ticket >= held[task]) ticket -= held[task++];
        return TaskId{task};
    }
};

/// check_every_boundary() checks the tree against the walk at the first and last
/// ticket of every task that holds some.
void check_every_boundary(const TicketTree& tree, const WalkedTickets& walk) {
    REQUIRE(tree.total() == walk.total());
    CHECK(tree.empty() == (walk.total() == 0));
    std::uint64_t first = 0;
    for (std::uint32_t task = 0; task < walk.held.size(); ++task) {
        if (walk.held[task] == 0) continue;
        const std::uint64_t last = first + walk.held[task] - 1;
        CHECK(tree.holder(first) == TaskId{task});
        CHECK(tree.holder(last) == TaskId{task});
        first = last + 1;
    }
}

}  // namespace

TEST_CASE("a ticket tree gives tickets 0-74 to a task with 75 and 75-99 to the next with 25") {
    TicketTree tree;
    CHECK(tree.empty());
    tree.insert(TaskId{0}, 75);
    tree.insert(TaskId{1}, 25);
    CHECK(tree.total() == 100);
    CHECK(tree.holder(0) == TaskId{0});
    CHECK(tree.holder(74) == TaskId{0});
    CHECK(tree.holder(75) == TaskId{1});
    CHECK(tree.holder(99) == TaskId{1});
}

TEST_CASE("a ticket tree skips absent tasks and keeps its tasks when a larger id makes it grow") {
    TicketTree tree;
    tree.insert(TaskId{2}, 10);
    tree.insert(TaskId{0}, 5);
    tree.insert(TaskId{1000}, 1);
    tree.insert(TaskId{3}, 4);
    tree.erase(TaskId{2});
    CHECK(tree.total() == 10);
    CHECK(tree.holder(4) == TaskId{0});
    CHECK(tree.holder(5) == TaskId{3});
    CHECK(tree.holder(8) == TaskId{3});
    CHECK(tree.holder(9) == TaskId{1000});
    tree.erase(TaskId{0});
    tree.erase(TaskId{3});
    tree.erase(TaskId{1000});
    CHECK(tree.empty());
}

TEST_CASE("a ticket tree counts tickets past 2^32 when tasks hold the most tickets there are") {
    TicketTree tree;
    for (std::uint32_t task = 0; task < 3; ++task) tree.insert(TaskId{task}, UINT32_MAX);
    CHECK(tree.total() == 3 * std::uint64_t{UINT32_MAX});
    CHECK(tree.holder(std::uint64_t{UINT32_MAX} - 1) == TaskId{0});
    CHECK(tree.holder(std::uint64_t{UINT32_MAX}) == TaskId{1});
    CHECK(tree.holder(3 * std::uint64_t{UINT32_MAX} - 1) == TaskId{2});
}

TEST_CASE("a ticket tree finds the same holders as a walk in id order, over random changes") {
    std::uint64_t state = 1;
    for (int round = 0; round < 40; ++round) {
        const std::uint32_t ids = 1 + static_cast<std::uint32_t>(next_random(state) % 300);
        TicketTree tree;
        WalkedTickets walk{std::vector<std::uint32_t>(ids, 0)};
        for (int step = 0; step < 2000; ++step) {
            const std::uint32_t task = static_cast<std::uint32_t>(next_random(state) % ids);
            if (walk.held[task] == 0) {
                walk.held[task] = 1 + static_cast<std::uint32_t>(next_random(state) % 200);
                tree.insert(TaskId{task}, walk.held[task]);
            } else {
                walk.held[task] = 0;
                tree.erase(TaskId{task});
            }
            REQUIRE(tree.total() == walk.total());
            if (walk.total() == 0) continue;
            const std::uint64_t ticket = next_random(state) % walk.total();
            CHECK(tree.holder(ticket) == walk.holder(ticket));
            if (step % 100 == 0) check_every_boundary(tree, walk);
        }
        check_every_boundary(tree, walk);
    }
}

}  // namespace timeslice::test
