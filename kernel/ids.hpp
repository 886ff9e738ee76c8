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

/// TaskId numbers tasks 0, 1, 2... in the order they were spawned (scenario order).
enum class TaskId : std::uint32_t {};

/// CpuId numbers the emulated CPUs 0, 1, 2...
enum class CpuId : std::uint16_t {};

/// index() returns the position of `id` in spawn order, for indexing vectors.
constexpr std::uint32_t index(TaskId id) { return static_cast<std::uint32_t>(id); }
constexpr std::uint32_t index(CpuId id) { return static_cast<std::uint16_t>(id); }

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
