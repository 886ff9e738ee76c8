// The program language of scenario files: a task's code written without a compiler.
//
//   program := [statement] { (";" | newline) [statement] }
//   statement := "compute" N | "tick" | "yield" | "io" N
//              | "repeat" (N | "forever") "{" program "}" | "fail" ["\"message\""]
//              | ("lock" | "spin_lock" | "unlock") LOCK
//              | ("sem_wait" | "sem_post") SEMAPHORE
//              | "wait" CONDITION LOCK | ("notify" | "notify_all") CONDITION
//              | ("spawn" | "join") TASK
//
// N is a non-negative integer (underscores allowed: 1_000). A name is a word of
// letters, digits, '_', '-' and '.', or any text in double quotes ("Task 2"); it
// must be declared by the scenario. "#" starts a comment that runs to the end of
// the line. Repeats nest at most 100 deep, and a repeat forever must execute
// something. docs/scenarios.md documents every statement.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kernel/ids.hpp"

namespace timeslice {

/// kMaxCount is the largest count a program or a workload's parameter accepts: far
/// beyond any run, and far from overflow when a few are summed.
inline constexpr Tick kMaxCount = 1'000'000'000'000'000;

/// OpKind is a statement of the program language.
enum class OpKind {
    Compute,
    Tick,
    Yield,
    Io,
    Repeat,
    Fail,
    Lock,
    SpinLock,
    Unlock,
    SemWait,
    SemPost,
    Wait,
    Notify,
    NotifyAll,
    Spawn,
    Join,
};

/// Op is one statement; a Repeat holds its body.
struct Op {
    OpKind kind;
    Tick count = 0;        ///< Compute and Io: ticks; Repeat: times (unless forever).
    bool forever = false;  ///< Repeat forever.
    std::vector<Op> body;  ///< Repeat's statements.
    bool inert = false;    ///< Repeat: its body executes nothing (only compute 0 and such).
    std::string message;   ///< Fail's message.
    std::uint32_t object = 0;  ///< The lock, semaphore, condition or task a statement names.
    std::uint32_t lock = 0;    ///< Wait: the lock it gives up and takes again.
    std::size_t offset = 0;    ///< Where in the text the name of `object` starts.
};

/// Program is a parsed program: its statements, run in order.
struct Program {
    std::vector<Op> ops;
};

/// kStatements are the statements' keywords, in the order errors list them.
inline constexpr std::string_view kStatements[] = {
    "compute", "tick",     "yield", "io",     "repeat",     "fail",  "lock",
    "spin_lock", "unlock", "sem_wait", "sem_post", "wait", "notify", "notify_all",
    "spawn",   "join"};

/// Names are what statements may name: the scenario's locks, semaphores, condition
/// variables and tasks, each list in the order declared, so that a name's place in
/// its list is the id the kernel knows it by.
struct Names {
    std::vector<std::string> locks;
    std::vector<std::string> semaphores;
    std::vector<std::string> conditions;
    std::vector<std::string> tasks;
};

/// ProgramError is a syntax error at byte `offset` of the program text.
class ProgramError : public std::runtime_error {
  public:
    /// ProgramError() is the error `what` at `offset`; where the error is a word that
    /// is none of the words allowed there, it keeps `unknown` and the `candidates`.
    ProgramError(std::size_t offset, const std::string& what, std::string unknown = "",
                 std::vector<std::string> candidates = {})
        : std::runtime_error(what),
          offset_(offset),
          unknown_(std::move(unknown)),
          candidates_(std::move(candidates)) {}
    std::size_t offset() const { return offset_; }
    /// unknown() returns the word read where a statement or a declared name was
    /// expected, when that is the error; else "".
    const std::string& unknown() const { return unknown_; }
    /// candidates() returns what unknown() should have been one of: kStatements, or
    /// the names declared for its kind.
    const std::vector<std::string>& candidates() const { return candidates_; }

  private:
    std::size_t offset_;
    std::string unknown_;
    std::vector<std::string> candidates_;
};

/// parse_program() parses `text`, whose statements may name what `names` holds;
/// throws ProgramError on the first error.
Program parse_program(std::string_view text, const Names& names = {});

/// spawns() returns the `spawn` statements of `program`, wherever they are nested.
std::vector<const Op*> spawns(const Program& program);

/// cpu_demand() returns the ticks `program` executes in all, up to a `fail` that
/// ends it, or nothing when it repeats forever or runs too long to count.
std::optional<Tick> cpu_demand(const Program& program);

/// run_program() executes `program` through the task API; call it from a task.
/// A `fail` statement throws std::runtime_error with its message.
void run_program(const Program& program);

}  // namespace timeslice
