// KeyedPolicy: the shape that sjf, stcf and priority share. The ready task with
// the smallest key runs next, for as long as it likes (no time slice); the key
// ends with the task's id, so no two tasks tie. A subclass gives
// the key, and says when a task that becomes ready preempts the running one.
#pragma once

#include <tuple>

#include "../policy.hpp"
#include "min_heap.hpp"

namespace timeslice {

/// task_of() returns the task a key ranks.
inline TaskId task_of(const TaskRank& key) { return key.task(); }
template <class... Fields>
TaskId task_of(const std::tuple<Fields...>& key) {
    return std::get<TaskId>(key);
}

template <class Key>
class KeyedPolicy : public Policy {
  public:
    void enqueue(const TaskInfo& task, ReadyReason) override { ready_.push(key(task)); }

    OptionalTask pick(CpuId) override {
        if (ready_.empty()) return std::nullopt;
        return task_of(ready_.pop());
    }

    OptionalTask peek() const override {
        if (ready_.empty()) return std::nullopt;
        return task_of(ready_.top());
    }

    Tick time_slice(const TaskInfo&) const override { return kForever; }

  protected:
    /// key() returns where `task` stands in the ready queue: smallest runs first.
    virtual Key key(const TaskInfo& task) const = 0;

    /// rekey() ranks `task`, which is in the ready queue, by its key now.
    void rekey(const TaskInfo& task) {
        if (ready_.erase_first([&](const Key& k) { return task_of(k) == task.id; })) {
            ready_.push(key(task));
        }
    }

  private:
    MinHeap<Key> ready_;
};

}  // namespace timeslice
