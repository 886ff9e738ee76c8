// Implements EventLog on whole mappings from the OS. A finished log's mapping is
// kept for the next log of the same size: a process that runs many simulations
// (compare, sweeps, tests, the benchmark) then writes into memory the OS has
// already backed, instead of paying a page fault, on a virtual machine often a
// host fault too, every 1,000 or so events.
#include "event_log.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>
#include <stdexcept>
#include <utility>

namespace timeslice {
namespace {

constexpr std::size_t kPage = 4096;
constexpr std::size_t kBatch = 2u << 20;  ///< Bytes backed per make_room().

/// Spare is the mapping the last finished log gave back.
struct Spare {
    void* p = nullptr;
    std::size_t bytes = 0;
    ~Spare() {
        if (p != nullptr) ::munmap(p, bytes);
    }
};
thread_local Spare spare;

std::size_t round_to_pages(std::size_t bytes) { return (bytes + kPage - 1) / kPage * kPage; }

std::byte* map_events(std::size_t bytes) {
    if (spare.p != nullptr && spare.bytes == bytes) {
        spare.bytes = 0;
        return static_cast<std::byte*>(std::exchange(spare.p, nullptr));
    }
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    return static_cast<std::byte*>(p);
}

// Keeps the larger of the spare and the mapping given back; unmaps the other.
void unmap_events(void* p, std::size_t bytes) noexcept {
    if (p == nullptr) return;
    if (bytes < spare.bytes) {
        ::munmap(p, bytes);
        return;
    }
    if (spare.p != nullptr) ::munmap(spare.p, spare.bytes);
    spare.p = p;  // Field by field: a temporary Spare would unmap `p` as it dies.
    spare.bytes = bytes;
}

/// Asks the OS to back [from, to) now, in one call rather than a fault per page.
void prefault(std::byte* from, std::byte* to) noexcept {
#if defined(MADV_POPULATE_WRITE)
    const std::uintptr_t start = reinterpret_cast<std::uintptr_t>(from) & ~(kPage - 1);
    const std::uintptr_t end = reinterpret_cast<std::uintptr_t>(to);
    // Linux 5.14 and later; earlier kernels refuse, and pages fault in as usual.
    ::madvise(reinterpret_cast<void*>(start), end - start, MADV_POPULATE_WRITE);
#else
    (void)from;
    (void)to;
#endif
}

}  // namespace

void EventLog::release_spare() noexcept {
    if (spare.p != nullptr) ::munmap(spare.p, spare.bytes);
    spare.p = nullptr;
    spare.bytes = 0;
}

EventLog::EventLog(const EventLog& other) {
    if (other.empty()) return;
    reserve(other.size());
    std::memcpy(begin_, other.begin_, other.bytes());
    end_ = ready_end_ = begin_ + other.bytes();
    last_tick_ = other.last_tick_;
    size_ = other.size_;
    running_ = other.running_;
    pair_word_ = other.pair_word_;
}

EventLog::EventLog(EventLog&& other) noexcept { swap(other); }

EventLog& EventLog::operator=(EventLog other) noexcept {
    swap(other);
    return *this;
}

EventLog::~EventLog() {
    if (begin_ != nullptr) unmap_events(begin_, static_cast<std::size_t>(room_end_ - begin_));
}

void EventLog::swap(EventLog& other) noexcept {
    std::swap(begin_, other.begin_);
    std::swap(end_, other.end_);
    std::swap(ready_end_, other.ready_end_);
    std::swap(room_end_, other.room_end_);
    std::swap(last_tick_, other.last_tick_);
    std::swap(size_, other.size_);
    std::swap(running_, other.running_);
    std::swap(pair_word_, other.pair_word_);
}

// Room is counted in records of the largest size, so that `n` events always fit.
void EventLog::reserve(std::size_t n) {
    if (n > (std::numeric_limits<std::size_t>::max() - kPage - kSlack) / kMaxRecord) {
        throw std::length_error("EventLog::reserve: more events than memory can hold");
    }
    const std::size_t bytes = round_to_pages(n * kMaxRecord + kSlack);
    if (bytes <= static_cast<std::size_t>(room_end_ - begin_)) return;
    std::byte* const fresh = map_events(bytes);
    const std::size_t used = this->bytes();
    if (used > 0) std::memcpy(fresh, begin_, used);
    EventLog old;
    old.begin_ = begin_;
    old.room_end_ = room_end_;
    begin_ = fresh;
    end_ = ready_end_ = fresh + used;
    room_end_ = fresh + bytes;
}

// Called when end_ reached ready_end_: makes sure the mapping has room for a record
// and its slack, then backs the next kBatch bytes.
void EventLog::make_room() {
    if (static_cast<std::size_t>(room_end_ - end_) < kMaxRecord + kSlack) {
        reserve(std::max(2 * size_, size_ + kBatch / kMaxRecord));
    }
    ready_end_ = end_ + std::min(kBatch, static_cast<std::size_t>(room_end_ - kSlack - end_));
    prefault(end_, ready_end_ + kSlack);
}

// The same events always give the same bytes.
bool EventLog::operator==(const EventLog& other) const {
    return size_ == other.size_ && bytes() == other.bytes() &&
           (bytes() == 0 || std::memcmp(begin_, other.begin_, bytes()) == 0);
}

}  // namespace timeslice
