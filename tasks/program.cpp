// A recursive-descent parser for the program language, and its interpreter.
#include "program.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "kernel/api.hpp"

namespace timeslice {
namespace {

/// The deepest nesting of repeats accepted. The interpreter recurses once per level
/// on the task's own stack, which a few thousand levels would overflow.
constexpr int kMaxNesting = 100;

Op make_op(OpKind kind, Tick count = 0) {
    Op op{};
    op.kind = kind;
    op.count = count;
    return op;
}

/// acts() returns whether running `ops` executes an instruction or enters the
/// kernel (yield, io, fail) at least once.
bool acts(const std::vector<Op>& ops) {
    return std::any_of(ops.begin(), ops.end(), [](const Op& op) {
        switch (op.kind) {
            case OpKind::Compute:
                return op.count > 0;
            case OpKind::Repeat:
                return (op.forever || op.count > 0) && !op.inert;
            default:
                return true;
        }
    });
}

/// Nesting is where statements are read: at the top of the program, or in the
/// body of a repeat (which a '}' ends).
enum class Nesting { TopLevel, InRepeat };

/// Parser reads statements from the text, one token at a time.
class Parser {
  public:
    explicit Parser(std::string_view text) : text_(text) {}

    std::vector<Op> statements(Nesting nesting) {
        const bool in_repeat = nesting == Nesting::InRepeat;
        std::vector<Op> ops;
        for (;;) {
            skip_separators();
            if (at_end()) {
                if (in_repeat) fail(pos_, "missing '}' to close 'repeat'");
                return ops;
            }
            if (peek() == '}') {
                if (!in_repeat) fail(pos_, "'}' without a matching 'repeat {'");
                ++pos_;
                return ops;
            }
            ops.push_back(statement());
            expect_separator(nesting);
        }
    }

  private:
    Op statement() {
        const std::size_t start = pos_;
        const std::string_view word = identifier();
        if (word == "compute") return make_op(OpKind::Compute, count("compute"));
        if (word == "io") return make_op(OpKind::Io, count("io"));
        if (word == "tick") return make_op(OpKind::Tick, 1);
        if (word == "yield") return make_op(OpKind::Yield);
        if (word == "fail") return fail_statement();
        if (word == "repeat") return repeat();
        if (word.empty()) fail(start, fmt::format("expected a statement, found '{}'", found()));
        throw ProgramError(start,
                           fmt::format("unknown statement '{}' (expected compute, tick, yield, "
                                       "io, repeat or fail)",
                                       word),
                           std::string(word));
    }

    Op repeat() {
        Op op = make_op(OpKind::Repeat);
        const std::size_t keyword_end = pos_;
        const std::size_t start = keyword_end - std::string_view("repeat").size();
        if (depth_ == kMaxNesting)
            fail(start, fmt::format("repeats nested more than {} deep", kMaxNesting));
        skip_blanks();
        if (identifier_ahead() == "forever") {
            identifier();
            op.forever = true;
        } else {
            pos_ = keyword_end;
            op.count = count("repeat");
        }
        skip_blanks();
        if (at_end() || peek() != '{') fail(pos_, "expected '{' after the repeat count");
        ++pos_;
        ++depth_;
        op.body = statements(Nesting::InRepeat);
        --depth_;
        op.inert = !acts(op.body);
        if (op.forever && op.inert) {
            fail(start,
                 "'repeat forever' around statements that execute nothing would never end "
                 "and never let the clock move");
        }
        return op;
    }

    Op fail_statement() {
        Op op = make_op(OpKind::Fail);
        op.message = "the program failed";
        skip_blanks();
        if (at_end() || peek() != '"') return op;
        const std::size_t start = pos_++;
        const std::size_t close = text_.find('"', pos_);
        if (close == std::string_view::npos) fail(start, "missing '\"' to end the message");
        op.message = std::string(text_.substr(pos_, close - pos_));
        pos_ = close + 1;
        return op;
    }

    Tick count(std::string_view after) {
        const std::size_t keyword_end = pos_;
        skip_blanks();
        const std::size_t start = pos_;
        if (start == keyword_end && !at_end() && std::isdigit(static_cast<unsigned char>(peek()))) {
            fail(start, fmt::format("put a space between '{}' and its count", after));
        }
        if (!at_end() && peek() == '-') {
            fail(start, fmt::format("the count after '{}' must not be negative", after));
        }
        Tick value = 0;
        bool digits = false;
        while (!at_end() && (std::isdigit(static_cast<unsigned char>(peek())) || peek() == '_')) {
            if (peek() != '_') {
                value = value * 10 + static_cast<Tick>(peek() - '0');
                digits = true;
                if (value > kMaxCount)
                    fail(start, fmt::format("count too large (max {})", kMaxCount));
            }
            ++pos_;
        }
        if (!digits)
            fail(start, fmt::format("expected a count (a whole number) after '{}'", after));
        return value;
    }

    void expect_separator(Nesting nesting) {
        skip_blanks();
        if (at_end() || peek() == ';' || peek() == '\n' || peek() == '#') return;
        if (nesting == Nesting::InRepeat && peek() == '}') return;
        fail(pos_, fmt::format("expected ';' or a new line, found '{}'", found()));
    }

    void skip_blanks() {
        while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\r')) ++pos_;
    }

    void skip_separators() {
        for (;;) {
            skip_blanks();
            if (at_end()) return;
            if (peek() == '#') {
                while (!at_end() && peek() != '\n') ++pos_;
            } else if (peek() == ';' || peek() == '\n') {
                ++pos_;
            } else {
                return;
            }
        }
    }

    std::string_view identifier_ahead() const {
        std::size_t end = pos_;
        while (end < text_.size() && std::isalpha(static_cast<unsigned char>(text_[end]))) ++end;
        return text_.substr(pos_, end - pos_);
    }

    std::string_view identifier() {
        const std::string_view word = identifier_ahead();
        pos_ += word.size();
        return word;
    }

    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return text_[pos_]; }
    /// found() returns the whole character at pos_ (all the bytes of a UTF-8 one),
    /// for a message that quotes what was found.
    std::string_view found() const {
        std::size_t end = pos_ + 1;
        while (end < text_.size() && (static_cast<unsigned char>(text_[end]) & 0xC0) == 0x80) ++end;
        return text_.substr(pos_, end - pos_);
    }
    [[noreturn]] void fail(std::size_t at, const std::string& what) {
        throw ProgramError(at, what);
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    int depth_ = 0;  ///< How many repeats enclose the statement being read.
};

/// Demand is what some statements execute: `ticks` of CPU, up to a `fail` that
/// ends the task when `fails`.
struct Demand {
    Tick ticks = 0;
    bool fails = false;
};

// A fail ends the task, so nothing after it counts: a repeat whose body fails
// runs its body once, up to the fail, even a repeat forever. Every addend is at
// most kMaxCount and so is the total before it, so no sum overflows before it
// is found too long.
std::optional<Demand> demand_of(const std::vector<Op>& ops) {
    Tick total = 0;
    for (const Op& op : ops) {
        if (op.kind == OpKind::Compute || op.kind == OpKind::Tick) total += op.count;
        if (op.kind == OpKind::Fail) return Demand{total, true};
        if (op.kind == OpKind::Repeat && (op.forever || op.count > 0)) {
            const std::optional<Demand> body = demand_of(op.body);
            if (!body) return std::nullopt;
            if (body->fails) return Demand{total + body->ticks, true};
            if (op.forever || body->ticks > kMaxCount / op.count) return std::nullopt;
            total += body->ticks * op.count;
        }
        if (total > kMaxCount) return std::nullopt;
    }
    return Demand{total, false};
}

void run(const std::vector<Op>& ops) {
    for (const Op& op : ops) {
        switch (op.kind) {
            case OpKind::Compute:
                compute(op.count);
                break;
            case OpKind::Tick:
                tick();
                break;
            case OpKind::Yield:
                yield();
                break;
            case OpKind::Io:
                io(op.count);
                break;
            case OpKind::Fail:
                throw std::runtime_error(op.message);
            case OpKind::Repeat:
                if (op.inert) break;  // Its 10^15 rounds would take days and do nothing.
                for (Tick i = 0; op.forever || i < op.count; ++i) run(op.body);
                break;
        }
    }
}

}  // namespace

Program parse_program(std::string_view text) {
    return {Parser(text).statements(Nesting::TopLevel)};
}

std::optional<Tick> cpu_demand(const Program& program) {
    const std::optional<Demand> demand = demand_of(program.ops);
    if (!demand || demand->ticks > kMaxCount) return std::nullopt;
    return demand->ticks;
}

void run_program(const Program& program) { run(program.ops); }

}  // namespace timeslice
