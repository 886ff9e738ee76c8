// EventLog: the trace's list of events, built for appending millions of them.
// It reserves address space for a whole run up front (nothing is copied as it
// grows), and asks the OS for memory 2 MiB at a time ahead of the writes, so an
// append is one compare and one 24-byte store.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ids.hpp"

namespace timeslice {

/// EventKind says what happened; each kind but Switch, Renew and Stop is one state change.
enum class EventKind : std::uint8_t {
    Arrive,    ///< new → ready.
    Dispatch,  ///< ready → running. detail: the time slice granted (0 for none).
    Switch,    ///< The CPU spends `detail` ticks switching to `task` (only when they are > 0).
    Yield,     ///< running → ready, voluntarily.
    Preempt,   ///< running → ready, involuntarily (time slice used up, or a better task).
    Renew,     ///< Still running, with a fresh slice of another length. detail: its length.
    Block,     ///< running → blocked. detail: the I/O time in ticks.
    Wake,      ///< blocked → ready.
    Exit,      ///< running → done.
    Fail,      ///< running → failed. detail: index of the message in Trace::messages.
    Stop,      ///< The run was stopped early. detail: a StopReason.
};

/// Event is one entry of the trace: at `tick`, on `cpu`, `task` did `kind`.
struct Event {
    Tick tick;
    std::uint64_t detail;
    TaskId task;
    CpuId cpu;
    EventKind kind;
    bool operator==(const Event&) const = default;
};
static_assert(sizeof(Event) == 24);

class EventLog {
  public:
    EventLog() = default;
    EventLog(const EventLog& other);
    EventLog(EventLog&& other) noexcept;
    EventLog& operator=(EventLog other) noexcept;
    ~EventLog();

    /// release_spare() returns to the OS the memory a finished log left for the
    /// next one, so that the next log starts on fresh pages, as in a new process.
    static void release_spare() noexcept;

    /// reserve() makes room for at least `n` events without moving them again.
    void reserve(std::size_t n);
    /// push_back() appends `e`.
    void push_back(const Event& e) {
        if (end_ == ready_end_) [[unlikely]]
            make_room();
        *end_++ = e;
    }

    const Event* begin() const { return begin_; }
    const Event* end() const { return end_; }
    const Event* data() const { return begin_; }
    std::size_t size() const { return static_cast<std::size_t>(end_ - begin_); }
    bool empty() const { return end_ == begin_; }
    const Event& operator[](std::size_t i) const { return begin_[i]; }
    const Event& back() const { return end_[-1]; }
    bool operator==(const EventLog& other) const;

  private:
    void make_room();
    void swap(EventLog& other) noexcept;

    Event* begin_ = nullptr;
    Event* end_ = nullptr;
    Event* ready_end_ = nullptr;  ///< End of the room backed by memory already.
    Event* room_end_ = nullptr;   ///< End of the reserved room.
};

}  // namespace timeslice
