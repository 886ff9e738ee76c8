// TicketTree: the tickets of lottery's ready tasks, in a Fenwick tree (a binary
// indexed tree, Fenwick 1994) indexed by task id. Tickets are numbered through the
// tasks in id order, each task holding a run of consecutive numbers as long as its
// tickets; finding the holder of a number, adding a task and removing one each take
// O(log n) steps, where walking the tasks to the holder takes O(n).
//
// Node k (counting from 1) holds the tickets of the tasks k - span(k) to k - 1,
// span(k) being k's lowest set bit, so a task is counted in about log n nodes.
// holder() starts from the block of all tasks and halves it at each step, skipping
// every block whose tickets all come before the number.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "../check.hpp"
#include "../ids.hpp"

namespace timeslice {

class TicketTree {
  public:
    /// empty() tells whether no task is in the tree.
    bool empty() const { return total_ == 0; }
    /// total() returns the tickets of all the tasks in the tree.
    std::uint64_t total() const { return total_; }

    /// insert() adds `task`, holding `tickets` (≥ 1). `task` must not be in the tree;
    /// the tree grows to hold any id.
    void insert(TaskId task, std::uint32_t tickets) {
        TS_CHECK(tickets >= 1, "a task in the ticket tree holds at least one ticket");
        if (index(task) >= held_.size()) grow(index(task) + std::size_t{1});
        TS_CHECK(held_[index(task)] == 0, "a task is in the ticket tree twice");
        change(index(task), tickets);
    }

    /// erase() removes `task`, which must be in the tree.
    void erase(TaskId task) {
        TS_CHECK(index(task) < held_.size() && held_[index(task)] != 0,
                 "a task left the ticket tree without being in it");
        change(index(task), 0);
    }

    /// holder() returns the task holding ticket number `ticket`, which must be below
    /// total(): the first task in id order whose tickets and those of the tasks
    /// before it add up to more than `ticket`.
    TaskId holder(std::uint64_t ticket) const {
        TS_CHECK(ticket < total_, "a ticket number past the tickets in the tree");
        std::size_t before = 0;  // Tasks known to come before the holder.
        for (std::size_t block = held_.size(); block > 0; block /= 2) {
            if (sums_[before + block] <= ticket) {
                before += block;
                ticket -= sums_[before];
            }
        }
        return TaskId{static_cast<std::uint32_t>(before)};
    }

  private:
    // Returns how many tasks node `node` sums: its lowest set bit.
    static std::size_t span(std::size_t node) { return node & (~node + 1); }

    // Sets the tickets of the task at `slot` to `tickets`, in each node counting it.
    void change(std::size_t slot, std::uint32_t tickets) {
        const std::uint32_t before = held_[slot];
        for (std::size_t node = slot + 1; node < sums_.size(); node += span(node)) {
            sums_[node] = sums_[node] - before + tickets;
        }
        total_ = total_ - before + tickets;
        held_[slot] = tickets;
    }

    // Makes room for `slots` tasks, rounded up to a power of two so that holder()
    // can start from one block covering all of them, and rebuilds every node in one
    // pass: each node passes its sum on to the next node counting its tasks. Room at
    // least doubles, so growing costs O(1) per task over a run.
    void grow(std::size_t slots) {
        held_.resize(std::bit_ceil(slots), 0);
        sums_.assign(held_.size() + 1, 0);
        for (std::size_t node = 1; node < sums_.size(); ++node) {
            sums_[node] += held_[node - 1];
            const std::size_t next = node + span(node);
            if (next < sums_.size()) sums_[next] += sums_[node];
        }
    }

    std::vector<std::uint32_t> held_;  ///< Each task's tickets by id, 0 when not in the tree.
    std::vector<std::uint64_t> sums_;  ///< The nodes, from 1: sums_[0] is unused.
    std::uint64_t total_ = 0;
};

}  // namespace timeslice
