// A recursive-descent parser for the program language, and its interpreter.
#include "program.hpp"

#include <fmt/format.h>

#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <iterator>

#include "kernel/api.hpp"
#include "kernel/printable.hpp"

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

/// NameKind says what a name in a statement stands for.
enum class NameKind { Lock, Semaphore, Condition, Task };

/// Parser reads statements from the text, one token at a time.
class Parser {
  public:
    Parser(std::string_view text, const Names& names) : text_(text), names_(names) {}

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
        if (const std::optional<Op> op = sync_statement(word)) return *op;
        if (word.empty()) fail(start, fmt::format("expected a statement, found '{}'", found()));
        std::string expected = fmt::format("{}", fmt::join(kStatements, ", "));
        expected.replace(expected.rfind(", "), 2, " or ");
        throw ProgramError(start,
                           fmt::format("unknown statement '{}' (expected {})", word, expected),
                           std::string(word),
                           std::vector<std::string>(std::begin(kStatements), std::end(kStatements)));
    }

    /// sync_statement() reads the rest of a statement that names a lock, semaphore,
    /// condition or task, when `word` starts one.
    std::optional<Op> sync_statement(std::string_view word) {
        struct Form {
            std::string_view keyword;
            OpKind kind;
            NameKind names;
        };
        static constexpr Form kForms[] = {
            {"lock", OpKind::Lock, NameKind::Lock},
            {"spin_lock", OpKind::SpinLock, NameKind::Lock},
            {"unlock", OpKind::Unlock, NameKind::Lock},
            {"sem_wait", OpKind::SemWait, NameKind::Semaphore},
            {"sem_post", OpKind::SemPost, NameKind::Semaphore},
            {"wait", OpKind::Wait, NameKind::Condition},
            {"notify", OpKind::Notify, NameKind::Condition},
            {"notify_all", OpKind::NotifyAll, NameKind::Condition},
            {"spawn", OpKind::Spawn, NameKind::Task},
            {"join", OpKind::Join, NameKind::Task},
        };
        for (const Form& form : kForms) {
            if (form.keyword != word) continue;
            Op op = make_op(form.kind);
            op.object = declared(form.names, word, &op.offset);
            if (form.kind == OpKind::Wait) op.lock = declared(NameKind::Lock, word);
            return op;
        }
        return std::nullopt;
    }

    /// declared() reads the next name, which must be one `names_` declares for
    /// `kind`, and returns its place there (and where it starts, in `at`).
    std::uint32_t declared(NameKind kind, std::string_view keyword, std::size_t* at = nullptr) {
        const std::size_t keyword_end = pos_;
        skip_blanks();
        const std::size_t start = pos_;
        if (at != nullptr) *at = start;
        const std::string_view noun = kind_noun(kind);
        if (start == keyword_end && !at_end() && peek() != ';' && peek() != '\n')
            fail(start, fmt::format("put a space between '{}' and the {}", keyword, noun));
        const std::string name = name_token(keyword, noun);
        const std::vector<std::string>& known = known_names(kind);
        for (std::size_t i = 0; i < known.size(); ++i) {
            if (known[i] == name) return static_cast<std::uint32_t>(i);
        }
        const std::string where = kind == NameKind::Task ? "scenario" : "[sync] table";
        throw ProgramError(
            start,
            known.empty()
                ? fmt::format("unknown {} '{}': the {} declares none", noun, printable(name), where)
                : fmt::format("unknown {} '{}' (the {} declares {})", noun, printable(name), where,
                              fmt::join(known, ", ")),
            name, known);
    }

    /// name_token() reads a name: a word, or text in double quotes.
    std::string name_token(std::string_view keyword, std::string_view noun) {
        const std::size_t start = pos_;
        if (!at_end() && peek() == '"') {
            const std::size_t close = text_.find_first_of("\"\n", pos_ + 1);
            if (close == std::string_view::npos || text_[close] != '"')
                fail(start, "missing '\"' to end the name on its line");
            pos_ = close + 1;
            return std::string(text_.substr(start + 1, close - start - 1));
        }
        while (!at_end() && is_name_char(peek())) ++pos_;
        if (pos_ == start) {
            fail(start, fmt::format("expected the name of a {} after '{}'{}", noun, keyword,
                                    at_end() ? std::string() : fmt::format(", found '{}'", found())));
        }
        return std::string(text_.substr(start, pos_ - start));
    }

    static bool is_name_char(char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    }

    static std::string_view kind_noun(NameKind kind) {
        switch (kind) {
            case NameKind::Lock:
                return "lock";
            case NameKind::Semaphore:
                return "semaphore";
            case NameKind::Condition:
                return "condition";
            case NameKind::Task:
                return "task";
        }
        return "?";
    }

    const std::vector<std::string>& known_names(NameKind kind) const {
        switch (kind) {
            case NameKind::Lock:
                return names_.locks;
            case NameKind::Semaphore:
                return names_.semaphores;
            case NameKind::Condition:
                return names_.conditions;
            case NameKind::Task:
                break;
        }
        return names_.tasks;
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
        while (end < text_.size() &&
               (std::isalpha(static_cast<unsigned char>(text_[end])) || text_[end] == '_')) {
            ++end;
        }
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
    std::string found() const {
        std::size_t end = pos_ + 1;
        while (end < text_.size() && (static_cast<unsigned char>(text_[end]) & 0xC0) == 0x80) ++end;
        return printable(text_.substr(pos_, end - pos_));
    }
    [[noreturn]] void fail(std::size_t at, const std::string& what) {
        throw ProgramError(at, what);
    }

    std::string_view text_;
    const Names& names_;
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

void run_sync(const Op& op);

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
            default:
                run_sync(op);
        }
    }
}

void run_sync(const Op& op) {
    switch (op.kind) {
        case OpKind::Lock:
            return lock(LockId{op.object});
        case OpKind::SpinLock:
            return spin_lock(LockId{op.object});
        case OpKind::Unlock:
            return unlock(LockId{op.object});
        case OpKind::SemWait:
            return sem_wait(SemaphoreId{op.object});
        case OpKind::SemPost:
            return sem_post(SemaphoreId{op.object});
        case OpKind::Wait:
            return wait(ConditionId{op.object}, LockId{op.lock});
        case OpKind::Notify:
            return notify(ConditionId{op.object});
        case OpKind::NotifyAll:
            return notify_all(ConditionId{op.object});
        case OpKind::Spawn:
            return spawn(TaskId{op.object});
        case OpKind::Join:
            return join(TaskId{op.object});
        default:
            break;
    }
}

void collect_spawns(const std::vector<Op>& ops, std::vector<const Op*>& out) {
    for (const Op& op : ops) {
        if (op.kind == OpKind::Spawn) out.push_back(&op);
        collect_spawns(op.body, out);
    }
}

}  // namespace

Program parse_program(std::string_view text, const Names& names) {
    return {Parser(text, names).statements(Nesting::TopLevel)};
}

std::vector<const Op*> spawns(const Program& program) {
    std::vector<const Op*> found;
    collect_spawns(program.ops, found);
    return found;
}

std::optional<Tick> cpu_demand(const Program& program) {
    const std::optional<Demand> demand = demand_of(program.ops);
    if (!demand || demand->ticks > kMaxCount) return std::nullopt;
    return demand->ticks;
}

void run_program(const Program& program) { run(program.ops); }

}  // namespace timeslice
