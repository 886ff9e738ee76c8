// WaitQueue: the tasks blocked on one synchronization object (a lock, a semaphore,
// a condition variable, or a task others join), in the order they came. Every
// object shares this one type, so every hand-off follows the same rule: first come,
// first served, unless the object serves the most important waiter first (a lock
// with priority inheritance), and then first come among equals.
#pragma once

#include <algorithm>
#include <cstddef>
#include <deque>
#include <functional>

#include "../ids.hpp"

namespace timeslice {

class WaitQueue {
  public:
    /// empty() returns whether no task waits.
    bool empty() const { return tasks_.empty(); }
    /// size() returns how many tasks wait.
    std::size_t size() const { return tasks_.size(); }

    /// push() adds `task` at the back.
    void push(TaskId task) { tasks_.push_back(task); }

    /// pop() removes and returns the task that came first; there must be one.
    TaskId pop() {
        const TaskId first = tasks_.front();
        tasks_.pop_front();
        return first;
    }

    /// pop_best() removes and returns the waiter with the largest `rank`, the one
    /// that came first among equals; there must be one.
    template <class Rank>
    TaskId pop_best(Rank rank) {
        auto best = tasks_.begin();
        for (auto it = tasks_.begin(); it != tasks_.end(); ++it) {
            if (rank(*it) > rank(*best)) best = it;
        }
        const TaskId chosen = *best;
        tasks_.erase(best);
        return chosen;
    }

    /// best_rank() returns the largest `rank` among the waiters, or `none` when
    /// there are none.
    template <class Rank, class Value>
    Value best_rank(Rank rank, Value none) const {
        Value best = none;
        for (TaskId task : tasks_) best = std::max<Value>(best, rank(task));
        return best;
    }

    auto begin() const { return tasks_.begin(); }
    auto end() const { return tasks_.end(); }

  private:
    std::deque<TaskId> tasks_;
};

}  // namespace timeslice
