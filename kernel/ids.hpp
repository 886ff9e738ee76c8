// Ids and time: the vocabulary types every part of timeslice shares.
// Time is virtual: a Tick is one emulated instruction, never a wall-clock unit.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <limits>

namespace timeslice {

/// Tick counts emulated instructions; one CPU executes one instruction per tick.
using Tick = std::uint64_t;

/// kForever is the time slice of a policy that never preempts, and "no deadline".
inline constexpr Tick kForever = std::numeric_limits<Tick>::max();

/// later() returns `at` + `ticks`, or kForever when that is past the end of time.
constexpr Tick later(Tick at, Tick ticks) { return ticks > kForever - at ? kForever : at + ticks; }

/// TaskId numbers tasks 0, 1, 2... in the order they were spawned (scenario order).
enum class TaskId : std::uint32_t {};

/// CpuId numbers the emulated CPUs 0, 1, 2...
enum class CpuId : std::uint16_t {};

/// LockId, SemaphoreId and ConditionId number a run's synchronization objects
/// 0, 1, 2... in the order the scenario declares them.
enum class LockId : std::uint32_t {};
enum class SemaphoreId : std::uint32_t {};
enum class ConditionId : std::uint32_t {};

/// index() returns the position of `id` in spawn or declaration order, for
/// indexing vectors.
constexpr std::uint32_t index(TaskId id) { return static_cast<std::uint32_t>(id); }
constexpr std::uint32_t index(CpuId id) { return static_cast<std::uint16_t>(id); }
constexpr std::uint32_t index(LockId id) { return static_cast<std::uint32_t>(id); }
constexpr std::uint32_t index(SemaphoreId id) { return static_cast<std::uint32_t>(id); }
constexpr std::uint32_t index(ConditionId id) { return static_cast<std::uint32_t>(id); }

/// SyncKind is the kind of thing a task can wait for besides I/O.
enum class SyncKind : std::uint8_t {
    Lock,       ///< A mutex: blocking (lock) or spinning (spin_lock).
    Semaphore,  ///< A counting semaphore.
    Condition,  ///< A condition variable.
    Task,       ///< Another task's end (join).
};

/// SyncRef names one synchronization object, or a task that is joined. In a trace
/// event it is the detail, packed as index × 4 + kind, so that a small one takes
/// one byte.
struct SyncRef {
    SyncKind kind = SyncKind::Lock;
    std::uint32_t index = 0;

    constexpr SyncRef() = default;
    constexpr SyncRef(SyncKind k, std::uint32_t i) : kind(k), index(i) {}
    constexpr SyncRef(LockId id) : SyncRef(SyncKind::Lock, timeslice::index(id)) {}
    constexpr SyncRef(SemaphoreId id) : SyncRef(SyncKind::Semaphore, timeslice::index(id)) {}
    constexpr SyncRef(ConditionId id) : SyncRef(SyncKind::Condition, timeslice::index(id)) {}
    constexpr SyncRef(TaskId id) : SyncRef(SyncKind::Task, timeslice::index(id)) {}

    /// packed() returns the ref as an event's detail; unpack() reads it back.
    constexpr std::uint64_t packed() const {
        return std::uint64_t{index} << 2 | static_cast<std::uint64_t>(kind);
    }
    static constexpr SyncRef unpack(std::uint64_t detail) {
        return {static_cast<SyncKind>(detail & 3), static_cast<std::uint32_t>(detail >> 2)};
    }
    friend constexpr bool operator==(SyncRef, SyncRef) = default;
};

}  // namespace timeslice

/// Prints a TaskId the way people count tasks: the first one is "#1".
template <>
struct fmt::formatter<timeslice::TaskId> : fmt::formatter<std::uint32_t> {
    auto format(timeslice::TaskId id, fmt::format_context& ctx) const {
        return fmt::format_to(ctx.out(), "#{}", timeslice::index(id) + 1);
    }
};

/// Prints a CpuId as "cpu0", "cpu1"...
template <>
struct fmt::formatter<timeslice::CpuId> : fmt::formatter<std::uint32_t> {
    auto format(timeslice::CpuId id, fmt::format_context& ctx) const {
        return fmt::format_to(ctx.out(), "cpu{}", timeslice::index(id));
    }
};
