// Lottery scheduling: draw a ticket, find its holder in the ticket tree.
#include "lottery.hpp"

namespace timeslice {

// SplitMix64 (Steele, Lea and Flood), as in java.util.SplittableRandom.
std::uint64_t Lottery::next_random() {
    std::uint64_t z = (rng_state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void Lottery::enqueue(const TaskInfo& task, ReadyReason) {
    TS_CHECK(task.tickets >= 1, "lottery needs every task to hold a ticket");
    ready_.insert(task.id, task.tickets);
}

// The winning ticket is drawn without modulo bias: draws past the largest
// multiple of the ticket count are thrown away.
OptionalTask Lottery::pick(CpuId) {
    if (ready_.empty()) return std::nullopt;
    const std::uint64_t tickets = ready_.total();
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % tickets;
    std::uint64_t draw = next_random();
    while (draw >= limit) draw = next_random();
    const TaskId winner = ready_.holder(draw % tickets);
    ready_.erase(winner);
    return winner;
}

}  // namespace timeslice
