// MinHeap: the ready set of the ordered policies (sjf, stcf, priority, stride,
// cfs). A 4-ary heap in one vector: push and pop are O(log n), allocate nothing
// once the vector has grown, and with 10,000 ready tasks a pop walks 7 levels
// instead of a binary heap's 14. Keys are unique (they end with the task's id),
// so the order of equal keys never arises and runs stay deterministic.
//
// TaskRank is the key for policies whose order fits in 96 bits: packed into one
// 128-bit integer, two keys compare without a branch, so choosing the smallest of
// four children costs no mispredicted jumps (docs/benchmark.md).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "../ids.hpp"

namespace timeslice {

/// TaskRank orders ready tasks by (major, minor), then by task id.
class TaskRank {
  public:
    TaskRank() = default;
    /// TaskRank() ranks `task` at (major, minor): smaller runs first.
    TaskRank(std::uint32_t major, std::uint64_t minor, TaskId task)
        : bits_(Bits{major} << 96 | Bits{minor} << 32 | static_cast<std::uint32_t>(task)) {}

    std::uint64_t minor() const { return static_cast<std::uint64_t>(bits_ >> 32); }
    TaskId task() const { return TaskId{static_cast<std::uint32_t>(bits_)}; }
    friend bool operator<(TaskRank a, TaskRank b) { return a.bits_ < b.bits_; }

  private:
    __extension__ typedef unsigned __int128 Bits;
    Bits bits_ = 0;
};

/// sortable() maps a signed number to an unsigned one in the same order.
constexpr std::uint64_t sortable(std::int64_t x) {
    return static_cast<std::uint64_t>(x) ^ (std::uint64_t{1} << 63);
}
constexpr std::uint32_t sortable(std::int32_t x) {
    return static_cast<std::uint32_t>(x) ^ (std::uint32_t{1} << 31);
}

template <class Key>
class MinHeap {
  public:
    bool empty() const { return keys_.empty(); }
    std::size_t size() const { return keys_.size(); }
    /// top() returns the smallest key; the heap must not be empty.
    const Key& top() const { return keys_.front(); }

    /// push() adds `key`: it rises from the bottom while smaller than its parent.
    /// `key` is taken by value: it may be a key of this heap, such as top().
    void push(Key key) {
        std::size_t hole = keys_.size();
        keys_.push_back(key);
        while (hole > 0) {
            const std::size_t parent = (hole - 1) / kArity;
            if (!(key < keys_[parent])) break;
            keys_[hole] = keys_[parent];
            hole = parent;
        }
        keys_[hole] = key;
    }

    /// erase_first() removes the first key (in storage order) `matches` accepts and
    /// returns whether there was one. It walks the heap: O(n), for rare changes.
    template <class Matches>
    bool erase_first(Matches matches) {
        std::size_t at = 0;
        while (at < keys_.size() && !matches(keys_[at])) ++at;
        if (at == keys_.size()) return false;
        std::vector<Key> rest(keys_.begin(), keys_.end());
        rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(at));
        keys_.clear();
        for (const Key& key : rest) push(key);
        return true;
    }

    /// pop() removes and returns the smallest key; the heap must not be empty.
    Key pop() {
        const Key smallest = keys_.front();
        const Key last = keys_.back();
        keys_.pop_back();
        if (!keys_.empty()) sink_from_top(last);
        return smallest;
    }

  private:
    static constexpr std::size_t kArity = 4;

    // Puts `key` at the top, then moves it down past every smaller child.
    void sink_from_top(const Key& key) {
        const std::size_t n = keys_.size();
        std::size_t hole = 0;
        for (;;) {
            const std::size_t first = hole * kArity + 1;
            if (first >= n) break;
            const std::size_t end = std::min(first + kArity, n);
            std::size_t least = first;
            for (std::size_t c = first + 1; c < end; ++c) {
                least = keys_[c] < keys_[least] ? c : least;
            }
            if (!(keys_[least] < key)) break;
            keys_[hole] = keys_[least];
            hole = least;
        }
        keys_[hole] = key;
    }

    std::vector<Key> keys_;
};

}  // namespace timeslice
