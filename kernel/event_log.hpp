// EventLog: the trace's list of events, built for appending millions of them.
// Events are delta-encoded into a byte stream, as tracers such as ftrace and
// Perfetto do: a record holds only the bytes its numbers need, 4 for a common
// event where an Event takes 24. On a virtual machine the memory a growing log
// touches for the first time is the dearest part of an append, so fewer bytes
// make a faster kernel, and a long run fits in memory. Room for a whole run is
// reserved up front (nothing is copied as it grows) and backed by the OS 2 MiB at
// a time, ahead of the writes.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>

#include "hot_path.hpp"
#include "ids.hpp"

namespace timeslice {

/// EventKind says what happened. Arrive, Dispatch, Yield, Preempt, Block, Wait,
/// Wake, Exit and Fail change the task's state; the others leave it as it is.
/// Where the detail names a synchronization object, it is a packed SyncRef.
enum class EventKind : std::uint8_t {
    Arrive,    ///< new → ready.
    Dispatch,  ///< ready → running. detail: the time slice granted (0 for none).
    Switch,    ///< The CPU spends `detail` ticks switching to `task` (only when they are > 0).
    Yield,     ///< running → ready, voluntarily.
    Preempt,   ///< running → ready, involuntarily (time slice used up, or a better task).
    Renew,     ///< Still running, with a fresh slice of another length. detail: its length.
    Block,     ///< running → blocked on I/O. detail: the I/O time in ticks.
    Wake,      ///< blocked → ready.
    Exit,      ///< running → done.
    Fail,      ///< running → failed. detail: index of the message in Trace::messages.
    Stop,      ///< The run was stopped early. detail: a StopReason.
    // Synchronization (kinds from here on take long records).
    Acquire,    ///< The running task took a lock, or a semaphore's unit. detail: the object.
    Release,    ///< The running task gave a lock or a semaphore's unit back. detail: the object.
    Wait,       ///< running → blocked on a lock, semaphore, condition or task. detail: it.
    Spin,       ///< The running task spins on a lock another holds. detail: the lock.
    Handoff,    ///< A blocked task got what it waited for: it wakes up soon. detail: the object.
    Notify,     ///< The running task notified a condition. detail: the condition.
    NotifyAll,  ///< The running task notified every waiter of a condition. detail: it.
    Spawn,      ///< The running task started another, which arrives soon. detail: its TaskId.
    Inherit,    ///< A task's effective priority changed (priority inheritance). detail: it, zigzag.
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

/// EventLog holds events in the order they were appended, each as a record of one of
/// two forms; bit 0 of a record's first byte tells which. The tick is stored as its
/// delta from the previous event's tick, taken modulo 2^64, so any sequence of ticks
/// decodes exactly. The same events always give the same bytes.
///
/// A short record is one little-endian 32-bit word, for an event on cpu 0 whose
/// numbers are small (a yield, a dispatch or a preemption, nearly always):
///   bit 0 = 0, bits 1–4 the kind (< kPairCode), 5–11 the tick's delta (< 128),
///   bits 12–23 the task (< 4096), bits 24–31 the detail (< 256).
/// A pair record is a short record that holds two events, the way Linux's
/// sched_switch records the task leaving a CPU and the task coming in: bits 1–4 are
/// kPairCode plus which of Yield, Preempt or Exit (detail 0) the task running on
/// cpu 0 made, and the rest is a Dispatch on cpu 0 at the same tick. The task that
/// left is not stored: it is the task of the last dispatch on cpu 0 before it. The
/// dispatch that follows such a short record rewrites it in place as a pair record.
/// A long record holds any event:
///   byte 0   bit 0 = 1, bits 1–7 the kind
///   byte 1   bits 0–3: bytes of the tick's delta (0–8), bits 4–7: bytes of the detail (0–8)
///   byte 2   bits 0–2: bytes of the task (0–4), bits 3–4: bytes of the cpu (0–2)
/// followed by the tick's delta, the task, the cpu and the detail, little-endian, each
/// in as many bytes as bytes 1 and 2 say; a zero takes none.
class EventLog {
  public:
    /// kMaxRecord is the most bytes one record takes.
    static constexpr std::size_t kMaxRecord = 3 + 8 + 4 + 2 + 8;

    /// const_iterator decodes the records one after another; a pair record gives
    /// two events.
    class const_iterator {
      public:
        using iterator_category = std::input_iterator_tag;
        using value_type = Event;
        using difference_type = std::ptrdiff_t;
        using pointer = const Event*;
        using reference = const Event&;

        const_iterator() = default;
        const Event& operator*() const { return event_; }
        const Event* operator->() const { return &event_; }
        const_iterator& operator++() {
            if (pair_) {
                pair_ = false;
                event_ = dispatch_;
                running_ = index(event_.task);
            } else {
                at_ = next_;
                if (at_ != end_) read();
            }
            return *this;
        }
        const_iterator operator++(int) {
            const_iterator before = *this;
            ++*this;
            return before;
        }
        bool operator==(const const_iterator& other) const {
            return at_ == other.at_ && pair_ == other.pair_;
        }

      private:
        friend class EventLog;
        const_iterator(const std::byte* at, const std::byte* end) : at_(at), end_(end) {
            if (at_ != end_) read();
        }
        /// read() decodes the record at at_ into event_ (and dispatch_, for a pair
        /// record), its tick a delta from event_'s.
        void read() {
            std::uint32_t word;
            std::memcpy(&word, at_, 4);
            if (is_pair(word)) {
                decode_pair(word, TaskId{running_}, event_, dispatch_);
                pair_ = true;
                next_ = at_ + 4;
                return;
            }
            next_ = decode(at_, event_.tick, event_);
            if (event_.kind == EventKind::Dispatch && event_.cpu == CpuId{0}) {
                running_ = index(event_.task);
            }
        }
        const std::byte* at_ = nullptr;    ///< The record event_ was decoded from.
        const std::byte* next_ = nullptr;  ///< The record after it.
        const std::byte* end_ = nullptr;
        Event event_{};
        Event dispatch_{};                 ///< The second event of a pair record...
        bool pair_ = false;                ///< ...when event_ is its first.
        std::uint32_t running_ = kNoTask;  ///< The task of the last dispatch on cpu 0.
    };

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
    /// push_back() appends `e`. A dispatch may rewrite the record before it into a
    /// pair record (see above): the events read back are the same either way.
    TS_ON_HOT_PATH void push_back(const Event& e) {
        if (end_ >= ready_end_) [[unlikely]]
            make_room();
        if (e.kind == EventKind::Dispatch) {
            push_dispatch(e);
        } else {
            encode(e);
        }
        last_tick_ = e.tick;
        ++size_;
    }

    const_iterator begin() const { return {begin_, end_}; }
    const_iterator end() const { return {end_, end_}; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    /// bytes() returns how many bytes the events take.
    std::size_t bytes() const { return static_cast<std::size_t>(end_ - begin_); }
    bool operator==(const EventLog& other) const;

  private:
    /// A push writes up to 8 bytes past its record, and a decode reads up to 8 past
    /// it: the room ends this far short of the memory behind it.
    static constexpr std::size_t kSlack = kMaxRecord + 16;
    /// kPairCode + 0, 1, 2 in a short record's kind bits mark a pair record
    /// whose first event is a Yield, a Preempt or an Exit. Events of a kind from
    /// kPairCode on (kinds added after Stop) take long records.
    static constexpr std::uint32_t kPairCode = static_cast<std::uint32_t>(EventKind::Stop) + 1;
    static constexpr EventKind kPairFirsts[] = {EventKind::Yield, EventKind::Preempt,
                                                EventKind::Exit};
    static_assert(kPairCode + std::size(kPairFirsts) <= 16, "a short record has 4 bits of kind");
    /// kNoTask is the running task before any dispatch: no short record holds it.
    static constexpr std::uint32_t kNoTask = 0xFFFF'FFFF;

    /// encode() writes `e` at end_ as a record of its own, its tick a delta from the
    /// last event's, and notes whether a dispatch appended next may join it.
    TS_ON_HOT_PATH void encode(const Event& e) {
        const std::uint64_t delta = e.tick - last_tick_;
        const auto kind = static_cast<std::uint32_t>(e.kind);
        const std::uint32_t task = index(e.task);
        if (((delta >> 7) | (task >> 12) | (e.detail >> 8) | index(e.cpu)) == 0 &&
            kind < kPairCode) {
            const std::uint32_t word = kind << 1 | static_cast<std::uint32_t>(delta) << 5 |
                                       task << 12 | static_cast<std::uint32_t>(e.detail) << 24;
            std::memcpy(end_, &word, 4);
            end_ += 4;
            const std::uint32_t code = pair_code(e.kind);
            const bool joinable = code != 0 && task == running_ && e.detail == 0;
            pair_word_ = joinable ? code << 1 | (word & kDeltaBits) : 0;
            return;
        }
        end_ = encode_long(end_, delta, e.kind, task, index(e.cpu), e.detail);
        pair_word_ = 0;
    }
    /// push_dispatch() appends the dispatch `e`: as a pair record in place of the
    /// short record before it when the two fit one, else as a record of its own.
    TS_ON_HOT_PATH void push_dispatch(const Event& e) {
        const std::uint32_t task = index(e.task);
        const bool joins = pair_word_ != 0 && ((e.tick - last_tick_) | (task >> 12) |
                                               (e.detail >> 8) | index(e.cpu)) == 0;
        if (joins) [[likely]] {
            const std::uint32_t word =
                pair_word_ | task << 12 | static_cast<std::uint32_t>(e.detail) << 24;
            std::memcpy(end_ - 4, &word, 4);
            pair_word_ = 0;
        } else {
            encode(e);
        }
        if (e.cpu == CpuId{0}) running_ = task;
    }
    /// pair_code() returns the pair code of a record that starts with `kind`, or
    /// 0 when no pair record starts with it.
    static constexpr std::uint32_t pair_code(EventKind kind) {
        for (std::uint32_t i = 0; i < std::size(kPairFirsts); ++i) {
            if (kPairFirsts[i] == kind) return kPairCode + i;
        }
        return 0;
    }
    static constexpr std::uint32_t kDeltaBits = 127u << 5;
    /// is_pair() returns whether the record starting with `word` is a pair record.
    static bool is_pair(std::uint32_t word) {
        return (word & 1) == 0 && code_of(word) >= kPairCode;
    }
    /// decode_pair() reads the pair record `word` into its two events, `first`
    /// made by `running` (the task running on cpu 0) and `dispatch`; the tick is a
    /// delta from first's tick on entry.
    static void decode_pair(std::uint32_t word, TaskId running, Event& first, Event& dispatch) {
        dispatch = decode_short(word, first.tick);
        first = {dispatch.tick, 0, running, CpuId{0}, kPairFirsts[code_of(word) - kPairCode]};
        dispatch.kind = EventKind::Dispatch;
    }
    /// code_of() returns the kind bits of the short record `word`: its kind, or a
    /// pair code.
    static std::uint32_t code_of(std::uint32_t word) { return word >> 1 & 15; }
    /// decode_short() returns the event in the short record `word`, its tick a delta
    /// from `previous`. Its kind is the code bits, as they are.
    static Event decode_short(std::uint32_t word, Tick previous) {
        return {previous + (word >> 5 & 127), word >> 24, TaskId{word >> 12 & 4095}, CpuId{0},
                static_cast<EventKind>(code_of(word))};
    }
    /// encode_long() writes an event, whose tick is `delta` after the previous event's,
    /// as a long record at `at`, and returns the end of the record. It takes the
    /// event's fields one by one, so that calling it does not make the caller build
    /// an Event in memory.
    static std::byte* encode_long(std::byte* at, std::uint64_t delta, EventKind kind,
                                  std::uint32_t task, std::uint32_t cpu_index,
                                  std::uint64_t detail) {
        const auto cpu = static_cast<std::uint16_t>(cpu_index);
        const unsigned n_tick = bytes_of(delta);
        const unsigned n_detail = bytes_of(detail);
        const unsigned n_task = bytes_of(task);
        const unsigned n_cpu = bytes_of(cpu);
        // Each field is stored whole and the pointer moves on by its length only:
        // the next field overwrites the rest.
        const std::uint32_t header = (static_cast<std::uint32_t>(kind) << 1 | 1) |
                                     (n_tick | n_detail << 4) << 8 | (n_task | n_cpu << 3) << 16;
        std::memcpy(at, &header, 4);
        at += 3;
        std::memcpy(at, &delta, 8);
        at += n_tick;
        std::memcpy(at, &task, 4);
        at += n_task;
        std::memcpy(at, &cpu, 2);
        at += n_cpu;
        std::memcpy(at, &detail, 8);
        return at + n_detail;
    }
    /// decode() reads the record at `at` into `e`, its tick a delta from `previous`,
    /// and returns the record after it.
    static const std::byte* decode(const std::byte* at, Tick previous, Event& e) {
        std::uint32_t word;
        std::memcpy(&word, at, 4);
        if ((word & 1) == 0) {
            e = decode_short(word, previous);
            return at + 4;
        }
        const auto n_tick = static_cast<unsigned>(at[1]) & 15;
        const auto n_detail = static_cast<unsigned>(at[1]) >> 4;
        const auto n_task = static_cast<unsigned>(at[2]) & 7;
        const auto n_cpu = static_cast<unsigned>(at[2]) >> 3;
        e.kind = static_cast<EventKind>(static_cast<unsigned>(at[0]) >> 1);
        at += 3;
        e.tick = previous + load(at, n_tick);
        at += n_tick;
        e.task = TaskId{static_cast<std::uint32_t>(load(at, n_task))};
        at += n_task;
        e.cpu = CpuId{static_cast<std::uint16_t>(load(at, n_cpu))};
        at += n_cpu;
        e.detail = load(at, n_detail);
        return at + n_detail;
    }
    /// bytes_of() returns how many bytes `x` needs: 0 for 0.
    static unsigned bytes_of(std::uint64_t x) { return (std::bit_width(x) + 7) / 8; }
    /// load() reads the `n`-byte little-endian number at `at`.
    static std::uint64_t load(const std::byte* at, unsigned n) {
        std::uint64_t x;
        std::memcpy(&x, at, 8);
        return n == 0 ? 0 : x & (~std::uint64_t{0} >> (64 - 8 * n));
    }
    static_assert(std::endian::native == std::endian::little, "records are stored as is");
    static_assert(static_cast<unsigned>(EventKind::Inherit) < 128,
                  "a long record has 7 bits of kind");

    void make_room();
    void swap(EventLog& other) noexcept;

    std::byte* begin_ = nullptr;
    std::byte* end_ = nullptr;
    std::byte* ready_end_ = nullptr;  ///< A push from here on must make room first.
    std::byte* room_end_ = nullptr;   ///< End of the reserved room.
    Tick last_tick_ = 0;              ///< The tick of the last event.
    std::size_t size_ = 0;
    std::uint32_t running_ = kNoTask;  ///< The task of the last dispatch on cpu 0.
    /// The pair record the last record would become if the next event joined it,
    /// without the dispatch's task and detail; 0 when it cannot be joined. Kept
    /// here rather than read back from the log, so that the dispatch after a yield
    /// need not wait for the yield's store.
    std::uint32_t pair_word_ = 0;
};

}  // namespace timeslice
