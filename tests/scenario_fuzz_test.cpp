// Fuzzing the scenario reader: thousands of random mutations of the example
// scenarios and of a few seeds that use [sync], several CPUs, spawn and join.
// Whatever the text, reading it gives a Scenario or a ScenarioError located in
// the file, and a scenario that reads runs to its end or to a small tick limit.
// The generator is seeded (random_scenarios.hpp), so every run tries the same
// inputs.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "app_helpers.hpp"
#include "cli/scenario.hpp"
#include "cli/simulate.hpp"
#include "random_scenarios.hpp"

namespace timeslice::test {
namespace {

/// kSeeds are hand-written scenarios for corners the examples may leave out: every
/// form of [sync], 64 CPUs, spawn and join of quoted names, a deadlock, sjf.
constexpr std::string_view kSeeds[] = {
    R"(title = "Producer and consumer"
[machine]
cores = 2
switch_cost = 1
wakeup_latency = 2

[scheduler]
policy = "round-robin"
quantum = 5

[sync]
locks = ["buffer", { name = "log", inherit = true }]
semaphores = { slots = 2, items = { count = 0, max = 2 } }
conditions = ["changed", "empty"]

[[task]]
name = "producer"
program = """
repeat 5 {
    sem_wait slots
    lock buffer; compute 3; notify changed; unlock buffer
    sem_post items   # one more item
}
"""

[[task]]
name = "consumer"
arrival = 2
program = """
repeat 5 { sem_wait items; lock buffer; wait changed buffer; unlock buffer; sem_post slots }"""
)",
    R"([machine]
cores = 4

[scheduler]
policy = "priority"
preemptive = 1
aging = 3

[sync]
locks = ["L"]

[[task]]
name = "main"
priority = -2
program = 'spawn "worker 1"; spawn w2; compute 4; join "worker 1"; join w2'

[[task]]
name = "worker 1"
start = "spawned"
priority = 3
program = "spin_lock L; compute 5; unlock L"

[[task]]
name = "w2"
start = "spawned"
program = "lock L; io 3; unlock L; fail \"done\""
)",
    R"(# Opposite lock orders on 64 CPUs: a deadlock.
[machine]
cores = 64
wakeup_latency = 1

[scheduler]
policy = "cfs"
latency = 20
min_granularity = 2

[sync]
locks = ["a", "b"]
semaphores = { s = 0 }
conditions = ["never"]

[[task]]
name = "one"
nice = -20
program = "lock a; compute 2; lock b; unlock b; unlock a"

[[task]]
name = "two"
nice = 19
program = "lock b; compute 2; lock a; unlock a; unlock b; notify_all never"

[[task]]
program = "repeat 3 { repeat 2 { tick; yield }; io 1 }; sem_post s; sem_wait s"
)",
    R"([scheduler]
policy = "sjf"
seed = 7

[sync]
semaphores = { s = 1 }

[[task]]
workload = "io-bound"
args = { rounds = 2, burst = 3, io = 4 }

[[task]]
start = "arrival"
tickets = 10000
program = "sem_wait s; repeat 1_000 { compute 0 }; sem_post s"
)",
};

/// kTokens are what insertions add, with kNumbers: pieces of TOML and of the
/// program language. (clang-format would give each token a line.)
// clang-format off
constexpr std::string_view kTokens[] = {
    "]", "[", "\"", "'", "\"\"\"", "'''", "=", "{", "}", ",", ";", "#", "\n", "\r\n", "\\",
    "\\u00e9", "\\n", "é", "1_000", " lock ", " wait ", " unlock ", " spawn ", " join ",
    " repeat forever { ", " repeat 3 { ", " compute ", " io ", " yield ", " fail ", " sem_wait ",
    " notify ", "[[task]]\n", "[sync]\n", "cores = ", "start = \"spawned\"\n", "program = \"",
    "locks = [\"x\"]\n", "conditions = [", "semaphores = {", "name = ", "arrival = ",
    "inherit = true", "max = ", "count = ", "true"};

/// kNumbers replace the numbers of a scenario: each limit, one past it, and the
/// ends of a 64-bit integer.
constexpr std::string_view kNumbers[] = {
    "0", "1", "2", "19", "20", "63", "64", "65", "-1", "-20", "-21", "10000", "10001",
    "1000000000000", "1000000000001", "1000000000000000", "1000000000000001",
    "9223372036854775807", "-9223372036854775808", "18446744073709551616"};
// clang-format on

/// Mutation is one way to change a scenario's text.
enum class Mutation { FlipByte, Delete, Insert, ReplaceNumber, DuplicateLine, Truncate };

/// line_around() returns [begin, end) of the line holding byte `at`, its newline
/// included.
std::pair<std::size_t, std::size_t> line_around(const std::string& text, std::size_t at) {
    const std::size_t newline = text.rfind('\n', at == 0 ? 0 : at - 1);
    const std::size_t begin = at == 0 || newline == std::string::npos ? 0 : newline + 1;
    const std::size_t end = text.find('\n', at);
    return {begin, end == std::string::npos ? text.size() : end + 1};
}

/// mutate() changes `text` once, in a way drawn from `draws`.
void mutate(std::string& text, Draws& draws) {
    const auto mutation = static_cast<Mutation>(draws.below(6));
    const std::size_t at = draws.below(text.size() + 1);
    switch (mutation) {
        case Mutation::FlipByte:
            if (at < text.size()) {
                text[at] = draws.below(2) == 0 ? static_cast<char>(text[at] ^ (1 << draws.below(8)))
                                               : static_cast<char>(draws.below(256));
            }
            break;
        case Mutation::Delete:
            text.erase(at, 1 + draws.below(8));
            break;
        case Mutation::Insert:
            text.insert(at, draws.below(3) == 0 ? kNumbers[draws.below(std::size(kNumbers))]
                                                : kTokens[draws.below(std::size(kTokens))]);
            break;
        case Mutation::ReplaceNumber: {
            const std::size_t begin = text.find_first_of("0123456789", at);
            if (begin == std::string::npos) break;
            const std::size_t end =
                std::min(text.find_first_not_of("0123456789_", begin), text.size());
            text.replace(begin, end - begin, kNumbers[draws.below(std::size(kNumbers))]);
            break;
        }
        case Mutation::DuplicateLine: {
            const auto [begin, end] = line_around(text, at);
            const std::string line = text.substr(begin, end - begin);
            text.insert(line_around(text, draws.below(text.size() + 1)).first, line);
            break;
        }
        case Mutation::Truncate:
            text.resize(at);
            break;
    }
}

/// Place is a line and a column in a file, both from 1, the column in characters.
struct Place {
    std::size_t line = 0;
    std::size_t column = 0;
};

/// kByteOrderMark may start a file; it takes no column.
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

/// place_of() returns the place of byte `at` of `text`.
Place place_of(std::string_view text, std::size_t at) {
    Place place{1, 1};
    for (std::size_t i = text.starts_with(kByteOrderMark) ? kByteOrderMark.size() : 0; i < at;
         ++i) {
        if (text[i] == '\n') {
            place = {place.line + 1, 1};
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++place.column;
        }
    }
    return place;
}

/// in_file() returns whether `place` is a character of `text`, or the end of a line.
bool in_file(std::string_view text, Place place) {
    const Place end = place_of(text, text.size());
    if (place.line < 1 || place.line > end.line || place.column < 1) return false;
    std::size_t start = 0;
    for (std::size_t line = 1; line < place.line; ++line) start = text.find('\n', start) + 1;
    const std::size_t newline = std::min(text.find('\n', start), text.size());
    return place.column <= place_of(text, newline).column;
}

/// is_digit() returns whether `c` is 0 to 9.
bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// located() returns whether `message` starts with "PATH: ", or with
/// "PATH:LINE:COLUMN: " and a place in `text`.
bool located(std::string_view message, std::string_view path, std::string_view text) {
    if (!message.starts_with(path)) return false;
    message.remove_prefix(path.size());
    if (message.starts_with(": ")) return true;
    std::size_t numbers[2] = {0, 0};
    for (std::size_t& number : numbers) {
        if (!message.starts_with(':') || message.size() < 2 || !is_digit(message[1])) return false;
        for (message.remove_prefix(1); !message.empty() && is_digit(message[0]);
             message.remove_prefix(1)) {
            number = number * 10 + static_cast<std::size_t>(message[0] - '0');
        }
    }
    return message.starts_with(": ") && in_file(text, {numbers[0], numbers[1]});
}

/// one_line() returns whether `message` holds no control character: none that
/// would break its line, or end it early (NUL).
bool one_line(std::string_view message) {
    return std::none_of(message.begin(), message.end(),
                        [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
}

/// Outcome is what became of one scenario: it ran, or it was rejected.
enum class Outcome { Ran, Rejected };

/// check_scenario() reads `text` and, when it reads, runs it for at most 2000
/// ticks: every error must be a ScenarioError located in the file.
Outcome check_scenario(const std::string& text) {
    constexpr std::string_view kPath = "fuzz.toml";
    INFO("the scenario:\n" << text);
    try {
        Scenario scenario = parse_scenario(text, std::string(kPath));
        scenario.max_ticks = std::min<Tick>(scenario.max_ticks, 2000);
        (void)simulate(scenario);
        return Outcome::Ran;
    } catch (const ScenarioError& e) {
        if (!located(e.what(), kPath, text) || !one_line(e.what()))
            FAIL_CHECK("an error without its place, or not on one line: " << std::string(e.what()));
    } catch (const std::exception& e) {
        FAIL_CHECK("not a ScenarioError: " << std::string(e.what()));
    }
    return Outcome::Rejected;
}

/// seeds() returns the example scenarios, in the order of their names, and kSeeds.
std::vector<std::string> seeds() {
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "examples")) {
        if (entry.path().extension() == ".toml") paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    std::vector<std::string> texts;
    for (const auto& path : paths) texts.push_back(read_file(path));
    texts.insert(texts.end(), std::begin(kSeeds), std::end(kSeeds));
    return texts;
}

/// Quoting is how a TOML string is written.
enum class Quoting { Basic, Literal, MultiLineBasic, MultiLineLiteral };

/// separator() returns a separator of two statements, as a string quoted so
/// holds it in a file whose lines end with `eol`: comments, escapes, blank lines
/// and the "\" that ends a line, all that puts a place in the value elsewhere in
/// the file.
std::string separator(Quoting quoting, std::string_view eol, Draws& draws) {
    const std::string line_end(eol);
    switch (quoting) {
        case Quoting::Basic: {
            const std::string choices[] = {"; ",       "\\n",         "\\t;\\t",
                                           "\\u003B ", "\\U0000003B", "; # \\u00e9 \\\" \\n",
                                           "\\r\\n"};
            return choices[draws.below(std::size(choices))];
        }
        case Quoting::Literal:
            return draws.below(2) == 0 ? "; " : "\t;";
        case Quoting::MultiLineBasic: {
            const std::string choices[] = {line_end,
                                           "; \\" + line_end + "   ",
                                           "\\n",
                                           "# \u00e9 \\\\ \\\" \U0001F600" + line_end,
                                           line_end + "\t" + line_end,
                                           " \\ " + line_end + line_end + "  ;"};
            return choices[draws.below(std::size(choices))];
        }
        case Quoting::MultiLineLiteral: {
            const std::string choices[] = {line_end, "; ", "# \u00e9 \\ \"" + line_end,
                                           line_end + line_end};
            return choices[draws.below(std::size(choices))];
        }
    }
    return "; ";
}

/// statement() returns a statement as a string quoted so holds it: in a basic
/// string, one of its first two letters may be an escape.
std::string statement(Quoting quoting, Draws& draws) {
    const std::string_view choices[] = {"compute 5", "tick", "yield", "io 2", "repeat 2 { tick }"};
    std::string text(choices[draws.below(std::size(choices))]);
    const bool basic = quoting == Quoting::Basic || quoting == Quoting::MultiLineBasic;
    if (basic && draws.below(3) == 0) {
        const std::size_t at = draws.below(2);
        text.replace(at, 1, fmt::format("\\u{:04X}", static_cast<int>(text[at])));
    }
    return text;
}

/// marked_program() returns a scenario whose one program goes wrong at a '@' in
/// the file, drawn from `draws`: the program's quoting, the file's line ends, a
/// byte order mark, wide characters and escapes before the '@'.
std::string marked_program(Draws& draws) {
    const auto quoting = static_cast<Quoting>(draws.below(4));
    const std::string_view eol = draws.below(2) == 0 ? "\n" : "\r\n";
    const std::string_view quotes[] = {"\"", "'", "\"\"\"", "'''"};
    const std::string_view quote = quotes[static_cast<int>(quoting)];
    std::string text = draws.below(4) == 0 ? std::string(kByteOrderMark) : "";
    if (draws.below(2) == 0)
        text += fmt::format("title = \"\u00fcn\u00efc\u00f6d\u00e9 \U0001F600\"{}", eol);
    const bool inline_table = draws.below(2) == 0;
    text += inline_table ? fmt::format("task = [{{ name = \"\u00e9\", program = {}", quote)
                         : fmt::format("[[task]]{}program = {}", eol, quote);
    if (quote.size() == 3 && draws.below(2) == 0) text += eol;
    for (std::size_t n = draws.below(4); n > 0; --n) {
        text += statement(quoting, draws) + separator(quoting, eol, draws);
    }
    text += fmt::format("@ tick{}{}{}", quote, inline_table ? " }]" : "", eol);
    return text;
}

}  // namespace

TEST_CASE("every seed of the fuzzing reads and runs") {
    const std::vector<std::string> texts = seeds();
    REQUIRE(texts.size() > std::size(kSeeds));
    for (const std::string& text : texts) {
        INFO("the scenario:\n" << text);
        Scenario scenario;
        CHECK_NOTHROW(scenario = parse_scenario(text, "seed.toml"));
        scenario.max_ticks = std::min<Tick>(scenario.max_ticks, 2000);
        CHECK_NOTHROW((void)simulate(scenario));
    }
}

TEST_CASE("a mutated scenario reads, or is rejected at a place in the file, and runs") {
    const std::vector<std::string> texts = seeds();
    Draws draws(2024);
    constexpr int kRounds = 5000;
    int ran = 0;
    for (int round = 0; round < kRounds; ++round) {
        std::string text = texts[draws.below(texts.size())];
        for (std::size_t n = 1 + draws.below(4); n > 0; --n) mutate(text, draws);
        if (check_scenario(text) == Outcome::Ran) ++ran;
    }
    CAPTURE(ran);
    CHECK(ran > kRounds / 10);
}

TEST_CASE("an error in a program is reported at its character in the file, however it is quoted") {
    Draws draws(7);
    for (int round = 0; round < 1000; ++round) {
        const std::string text = marked_program(draws);
        const Place marker = place_of(text, text.find('@'));
        INFO("the scenario:\n" << text);
        CHECK_THROWS_WITH_AS(parse_scenario(text, "fuzz.toml"),
                             fmt::format("fuzz.toml:{}:{}: expected a statement, found '@'",
                                         marker.line, marker.column)
                                 .c_str(),
                             ScenarioError);
    }
}

TEST_CASE("what the fuzzing found is rejected at its place, on one line") {
    const std::pair<std::string_view, std::string_view> cases[] = {
        // toml++ puts the end of the file past the new line that ends the last line.
        {"title = '''abc\n",
         "fuzz.toml:2:1: Error while parsing literal string: encountered end-of-file"},
        // toml++ quotes what it saw as it was, new lines too.
        {"m = t\n", "fuzz.toml:1:6: Error while parsing boolean: expected 'true', saw 't\\n'"},
        // A "\r\n" in a multi-line string is one "\n" in the program.
        {"[[task]]\r\nprogram = \"\"\"\r\ncompute 1\r\nyeild\"\"\"\r\n",
         "fuzz.toml:4:1: unknown statement 'yeild'"},
        // A "\" that ends a line stands for nothing, nor do the blanks after it.
        {"[[task]]\nprogram = \"\"\"\ncompute 1 \\\n    yeild\"\"\"\n",
         "fuzz.toml:4:5: expected ';' or a new line, found 'y'"},
        // toml++ counts no column for a byte order mark.
        {"\xEF\xBB\xBFtask = [{ program = \"\\tyeild\" }]\n", "fuzz.toml:1:24: unknown statement"},
        // A control character would cut the message short (NUL), or break its line.
        {"[[task]]\nprogram = \"compute 1 \\u0000\"\n",
         "fuzz.toml:2:22: 'program' cannot hold the control character U+0000"},
        {"[[task]]\nname = \"a\\nb\"\nprogram = \"tick\"\n",
         "fuzz.toml:2:10: 'name' cannot hold the control character U+000A: only a program may "
         "hold tabs and new lines"},
        {"[machine]\n\"\\u0007\" = 1\n",
         "fuzz.toml:2:1: a key cannot hold the control character U+0007"},
        {"[sync]\nlocks = [\"a\"]\n[[task]]\nprogram = \"\"\"\nlock\ntick\"\"\"\n",
         "fuzz.toml:5:5: expected the name of a lock after 'lock', found '\\n'"},
        {"[sync]\nlocks = [\"a\"]\n[[task]]\nprogram = \"\"\"\nlock \"a\nb\" \"\"\"\n",
         "fuzz.toml:5:6: missing '\"' to end the name on its line"},
        {"[[task]]\nname = \"w 1\"\nprogram = 'join \"w\t1\"'\n",
         "fuzz.toml:3:17: unknown task 'w\\t1' (the scenario declares w 1)"},
    };
    for (const auto& [text, message] : cases) {
        INFO("the scenario:\n" << text);
        std::string error = "no error";
        try {
            (void)parse_scenario(text, "fuzz.toml");
        } catch (const ScenarioError& e) {
            error = e.what();
        }
        CHECK(error.starts_with(message));
        CHECK(one_line(error));
    }
}

}  // namespace timeslice::test
