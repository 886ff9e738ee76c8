// The program language of scenario files: a task's code written without a compiler.
//
//   program := [statement] { (";" | newline) [statement] }
//   statement := "compute" N | "tick" | "yield" | "io" N
//              | "repeat" (N | "forever") "{" program "}" | "fail" ["\"message\""]
//
// N is a non-negative integer (underscores allowed: 1_000). "#" starts a comment
// that runs to the end of the line. Repeats nest at most 100 deep, and a repeat
// forever must execute something. docs/scenarios.md documents every statement.
#pragma once

#include <cstddef>
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
enum class OpKind { Compute, Tick, Yield, Io, Repeat, Fail };

/// Op is one statement; a Repeat holds its body.
struct Op {
    OpKind kind;
    Tick count = 0;        ///< Compute and Io: ticks; Repeat: times (unless forever).
    bool forever = false;  ///< Repeat forever.
    std::vector<Op> body;  ///< Repeat's statements.
    bool inert = false;    ///< Repeat: its body executes nothing (only compute 0 and such).
    std::string message;   ///< Fail's message.
};

/// Program is a parsed program: its statements, run in order.
struct Program {
    std::vector<Op> ops;
};

/// kStatements are the statements' keywords, in the order errors list them.
inline constexpr std::string_view kStatements[] = {"compute", "tick",   "yield",
                                                   "io",      "repeat", "fail"};

/// ProgramError is a syntax error at byte `offset` of the program text.
class ProgramError : public std::runtime_error {
  public:
    ProgramError(std::size_t offset, const std::string& what, std::string unknown = "")
        : std::runtime_error(what), offset_(offset), unknown_(std::move(unknown)) {}
    std::size_t offset() const { return offset_; }
    /// unknown() returns the word read where a statement was expected, when the
    /// error is that it is none of kStatements; else "".
    const std::string& unknown() const { return unknown_; }

  private:
    std::size_t offset_;
    std::string unknown_;
};

/// parse_program() parses `text`; throws ProgramError on the first error.
Program parse_program(std::string_view text);

/// cpu_demand() returns the ticks `program` executes in all, up to a `fail` that
/// ends it, or nothing when it repeats forever or runs too long to count.
std::optional<Tick> cpu_demand(const Program& program);

/// run_program() executes `program` through the task API; call it from a task.
/// A `fail` statement throws std::runtime_error with its message.
void run_program(const Program& program);

}  // namespace timeslice
