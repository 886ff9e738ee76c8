// MinHeap: the ready set of the ordered policies (sjf, stcf, priority, stride,
// cfs). A binary heap in one vector: push and pop are O(log n) and allocate
// nothing once the vector has grown, unlike a tree that allocates a node per
// insertion. Keys are unique (they end with the task's id), so the order of equal
// keys never arises and runs stay deterministic.
#pragma once

#include <functional>
#include <queue>
#include <vector>

namespace timeslice {

template <class Key>
class MinHeap {
  public:
    bool empty() const { return heap_.empty(); }
    /// top() returns the smallest key; the heap must not be empty.
    const Key& top() const { return heap_.top(); }
    void push(Key key) { heap_.push(std::move(key)); }
    /// pop() removes and returns the smallest key; the heap must not be empty.
    Key pop() {
        Key key = heap_.top();
        heap_.pop();
        return key;
    }

  private:
    std::priority_queue<Key, std::vector<Key>, std::greater<Key>> heap_;
};

}  // namespace timeslice
