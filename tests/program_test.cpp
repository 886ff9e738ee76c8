// The program language: parsing each statement, nesting, comments and numbers;
// CPU demand; syntax errors with their exact messages and byte offsets; and
// running a program through the task API.
#include <doctest/doctest.h>

#include <string>

#include "helpers.hpp"

namespace timeslice::test {

namespace {

/// error_of() returns "OFFSET: MESSAGE" for the ProgramError that parsing `text`
/// throws, or "no error".
std::string error_of(std::string_view text) {
    try {
        parse_program(text);
    } catch (const ProgramError& e) {
        return fmt::format("{}: {}", e.offset(), e.what());
    }
    return "no error";
}

/// only_op() parses `text`, which must hold exactly one statement, and returns it.
Op only_op(std::string_view text) {
    Program program = parse_program(text);
    REQUIRE(program.ops.size() == 1);
    return program.ops[0];
}

}  // namespace

TEST_CASE("compute N parses as a Compute of N ticks") {
    const Op op = only_op("compute 5");
    CHECK(op.kind == OpKind::Compute);
    CHECK(op.count == 5);
}

TEST_CASE("tick parses as a Tick of one tick") {
    const Op op = only_op("tick");
    CHECK(op.kind == OpKind::Tick);
    CHECK(op.count == 1);
}

TEST_CASE("yield parses as a Yield") { CHECK(only_op("yield").kind == OpKind::Yield); }

TEST_CASE("io N parses as an Io of N ticks") {
    const Op op = only_op("io 7");
    CHECK(op.kind == OpKind::Io);
    CHECK(op.count == 7);
}

TEST_CASE("fail without a message parses with the message 'the program failed'") {
    const Op op = only_op("fail");
    CHECK(op.kind == OpKind::Fail);
    CHECK(op.message == "the program failed");
}

TEST_CASE("fail with a quoted message keeps the message without its quotes") {
    CHECK(only_op(R"(fail "disk on fire")").message == "disk on fire");
}

TEST_CASE("repeat N parses its count and its body") {
    const Op op = only_op("repeat 3 { compute 2; yield }");
    CHECK(op.kind == OpKind::Repeat);
    CHECK(op.count == 3);
    CHECK_FALSE(op.forever);
    REQUIRE(op.body.size() == 2);
    CHECK(op.body[0].kind == OpKind::Compute);
    CHECK(op.body[1].kind == OpKind::Yield);
}

TEST_CASE("repeat forever parses as a Repeat marked forever") {
    const Op op = only_op("repeat forever { compute 10; yield }");
    CHECK(op.kind == OpKind::Repeat);
    CHECK(op.forever);
    CHECK(op.body.size() == 2);
}

TEST_CASE("repeats nest, and statements may follow a nested block") {
    const Op op = only_op("repeat 2 {\n  repeat 3 { compute 1 }\n  yield\n}");
    REQUIRE(op.body.size() == 2);
    CHECK(op.body[0].kind == OpKind::Repeat);
    CHECK(op.body[0].count == 3);
    REQUIRE(op.body[0].body.size() == 1);
    CHECK(op.body[0].body[0].kind == OpKind::Compute);
    CHECK(op.body[1].kind == OpKind::Yield);
}

TEST_CASE("statements are separated by semicolons or new lines, and blank ones are skipped") {
    const Program program = parse_program("compute 1;;\n\n tick ;\r\n\tyield\n");
    REQUIRE(program.ops.size() == 3);
    CHECK(program.ops[0].kind == OpKind::Compute);
    CHECK(program.ops[1].kind == OpKind::Tick);
    CHECK(program.ops[2].kind == OpKind::Yield);
}

TEST_CASE("a comment runs from # to the end of the line, after a statement or alone") {
    const Program program = parse_program("# setup\ncompute 1 # the work\n# done\ntick");
    REQUIRE(program.ops.size() == 2);
    CHECK(program.ops[0].count == 1);
    CHECK(program.ops[1].kind == OpKind::Tick);
}

TEST_CASE("an empty program and a program of comments have no statements") {
    CHECK(parse_program("").ops.empty());
    CHECK(parse_program("  # nothing to do\n").ops.empty());
}

TEST_CASE("underscores group the digits of a count") {
    CHECK(only_op("compute 1_000_000").count == 1'000'000);
}

TEST_CASE("cpu_demand sums computes and ticks, multiplies repeats and ignores io and yield") {
    const Program program = parse_program("compute 5; tick; repeat 3 { compute 2; io 100; yield }");
    CHECK(cpu_demand(program) == 12);
}

TEST_CASE("cpu_demand multiplies nested repeats") {
    CHECK(cpu_demand(parse_program("repeat 2 { repeat 3 { compute 4 }; tick }")) == 26);
}

TEST_CASE("cpu_demand of a program that repeats work forever is nothing") {
    CHECK_FALSE(cpu_demand(parse_program("compute 1; repeat forever { compute 10; yield }")));
}

TEST_CASE("cpu_demand of a repeat too large to count is nothing") {
    CHECK_FALSE(cpu_demand(parse_program("repeat 1_000_000 { compute 1_000_000_000_000 }")));
}

TEST_CASE("cpu_demand counts up to the fail that ends the program, also inside repeats") {
    CHECK(cpu_demand(parse_program("compute 5; fail; compute 100")) == 5);
    CHECK(cpu_demand(parse_program("compute 5; repeat 3 { compute 2; fail; tick }; tick")) == 7);
    CHECK(cpu_demand(parse_program("repeat forever { compute 4; fail }")) == 4);
    CHECK(cpu_demand(parse_program("repeat 0 { fail }; compute 6")) == 6);
    CHECK(cpu_demand(parse_program("repeat 2 { repeat 2 { compute 1 }; repeat 1 { fail } }")) == 2);
}

TEST_CASE("cpu_demand of statements whose sum is too large to count is nothing, never wrapped") {
    const std::string max = "compute 1_000_000_000_000_000";
    CHECK(cpu_demand(parse_program(max)) == 1'000'000'000'000'000);
    CHECK_FALSE(cpu_demand(parse_program(max + "; tick")));
    // 18,447 of the largest computes pass 2^64: the sum must not wrap to a small one.
    std::string many;
    for (int i = 0; i < 18'447; ++i) many += max + "\n";
    CHECK_FALSE(cpu_demand(parse_program(many)));
    CHECK_FALSE(cpu_demand(parse_program("repeat 2 { " + max + " }")));
}

TEST_CASE("a ProgramError names the unknown word where a statement was expected, and no other") {
    const auto unknown_of = [](std::string_view text) {
        try {
            parse_program(text);
        } catch (const ProgramError& e) {
            return e.unknown();
        }
        return std::string("(parsed)");
    };
    CHECK(unknown_of("compute 1; yeild") == "yeild");
    CHECK(unknown_of("compute x") == "");
    CHECK(unknown_of("}") == "");
}

TEST_CASE("an unknown statement is an error at its first letter") {
    CHECK(error_of("compute 5; jump 3") ==
          "11: unknown statement 'jump' (expected compute, tick, yield, io, repeat, fail, lock, spin_lock, unlock, sem_wait, sem_post, wait, notify, notify_all, spawn or join)");
}

TEST_CASE("a statement that does not start with a letter is an error at that character") {
    CHECK(error_of("compute 1; 5") == "11: expected a statement, found '5'");
}

TEST_CASE("a negative count is an error at its minus sign") {
    CHECK(error_of("compute -5") == "8: the count after 'compute' must not be negative");
    CHECK(error_of("repeat -1 { tick }") == "7: the count after 'repeat' must not be negative");
}

TEST_CASE("a missing count is an error where the count should be") {
    CHECK(error_of("io") == "2: expected a count (a whole number) after 'io'");
    CHECK(error_of("compute x") == "8: expected a count (a whole number) after 'compute'");
    CHECK(error_of("repeat { tick }") == "7: expected a count (a whole number) after 'repeat'");
}

TEST_CASE("a count above 10^15 is an error at the count") {
    CHECK(error_of("compute 1_000_000_000_000_001") == "8: count too large (max 1000000000000000)");
}

TEST_CASE("a repeat without '{' is an error after its count") {
    CHECK(error_of("repeat 3 tick") == "9: expected '{' after the repeat count");
}

TEST_CASE("a repeat without its '}' is an error at the end of the text") {
    CHECK(error_of("repeat 2 { tick") == "15: missing '}' to close 'repeat'");
    CHECK(error_of("repeat 2 { repeat 3 { tick }") == "28: missing '}' to close 'repeat'");
}

TEST_CASE("a '}' on its own without a repeat is an error at the '}'") {
    CHECK(error_of("}") == "0: '}' without a matching 'repeat {'");
    CHECK(error_of("tick\n}") == "5: '}' without a matching 'repeat {'");
}

TEST_CASE("junk after a statement is an error at the junk") {
    CHECK(error_of("compute 5 x") == "10: expected ';' or a new line, found 'x'");
    CHECK(error_of("yield now") == "6: expected ';' or a new line, found 'n'");
    CHECK(error_of("repeat 2 { tick } tick") == "18: expected ';' or a new line, found 't'");
}

TEST_CASE("a fail message without its closing quote is an error at the opening quote") {
    CHECK(error_of(R"(fail "oops)") == "5: missing '\"' to end the message");
}

/// nested() returns `depth` repeats of `count`, one inside the other, around a tick.
std::string nested(int depth, std::string_view count = "1") {
    std::string text;
    for (int i = 0; i < depth; ++i) text += fmt::format("repeat {} {{ ", count);
    text += "tick";
    for (int i = 0; i < depth; ++i) text += " }";
    return text;
}

TEST_CASE("repeats nest 100 deep, and a repeat deeper than that is an error at its keyword") {
    CHECK(error_of(nested(100)) == "no error");
    CHECK(error_of(nested(101)) == "1100: repeats nested more than 100 deep");
    CHECK(error_of(nested(2000)) == "1100: repeats nested more than 100 deep");
}

TEST_CASE("a repeat forever around statements that execute nothing is an error at its keyword") {
    const std::string message =
        ": 'repeat forever' around statements that execute nothing would never end and never "
        "let the clock move";
    CHECK(error_of("repeat forever { }") == "0" + message);
    CHECK(error_of("tick; repeat forever { compute 0; repeat 9 { } }") == "6" + message);
    CHECK(error_of("repeat forever { repeat 0 { tick } }") == "0" + message);
    CHECK(error_of("repeat forever { repeat 3 { compute 0 } }") == "0" + message);
    CHECK(error_of("repeat forever { io 0 }") == "no error");
    CHECK(error_of("repeat forever { yield }") == "no error");
}

TEST_CASE("run_program executes ticks, computes, yields and io in order") {
    const Run run =
        run_jobs({{"A", 0, "tick; compute 4; yield; io 3; repeat 2 { tick }"}}, "cooperative");
    CHECK(event_log(run.trace) ==
          "0 A arrive\n"
          "0 A dispatch\n"
          "5 A yield\n"
          "5 A dispatch\n"
          "5 A block 3\n"
          "8 A wake\n"
          "8 A dispatch\n"
          "10 A exit\n");
}

TEST_CASE("run_program runs a repeat 0 body never") {
    const Run run = run_jobs({{"A", 0, "repeat 0 { fail }; compute 1"}}, "cooperative");
    CHECK(run.metrics.tasks[0].final_state == TaskState::Done);
    CHECK(run.metrics.tasks[0].cpu == 1);
}

TEST_CASE("run_program skips a repeat that executes nothing, however many rounds it has") {
    const Run run = run_jobs(
        {{"A", 0,
          "repeat 1_000_000_000_000_000 { repeat 1_000_000_000_000_000 { compute 0 } }; tick"}},
        "cooperative");
    CHECK(run.metrics.tasks[0].final_state == TaskState::Done);
    CHECK(run.metrics.tasks[0].cpu == 1);
}

TEST_CASE("run_program runs repeats nested 100 deep on a task's stack") {
    const Run run =
        run_jobs({{"A", 0, nested(100, "2")}}, "cooperative", {}, KernelConfig{.max_ticks = 1'000});
    CHECK(run.metrics.tasks[0].final_state != TaskState::Failed);
    CHECK(run.metrics.tasks[0].cpu == 1'000);
}

TEST_CASE("run_program uses exactly the CPU that cpu_demand predicts") {
    const std::string text = "compute 5; repeat 4 { tick; io 2; repeat 2 { compute 3; yield } }";
    const Run run = run_jobs({{"A", 0, text}}, "round-robin", {{"quantum", 4}});
    CHECK(cpu_demand(parse_program(text)) == 33);
    CHECK(run.metrics.tasks[0].cpu == 33);
}

TEST_CASE("a task that fails uses exactly the CPU cpu_demand predicts up to its fail") {
    const std::string text = "compute 5; repeat 3 { compute 2; yield; repeat 2 { fail }; tick }";
    const Run run = run_jobs({{"A", 0, text}, {"B", 0, "compute 50"}}, "sjf");
    CHECK(cpu_demand(parse_program(text)) == 7);
    CHECK(run.metrics.tasks[0].cpu == 7);
    CHECK(run.metrics.tasks[0].final_state == TaskState::Failed);
    CHECK(run.metrics.tasks[0].finish == 7);  // The shorter job, by its real demand, ran first.
}

}  // namespace timeslice::test

namespace timeslice::test {

TEST_CASE("a count must be separated from its statement by a space") {
    try {
        parse_program("compute5");
        FAIL("compute5 was accepted");
    } catch (const ProgramError& e) {
        CHECK(e.offset() == 7);
        CHECK(std::string(e.what()) == "put a space between 'compute' and its count");
    }
}

TEST_CASE("cpu_demand is unknown for any loop that runs forever, and 0 for a loop run 0 times") {
    CHECK_FALSE(cpu_demand(parse_program("repeat forever { yield }")).has_value());
    CHECK(cpu_demand(parse_program("repeat 0 { repeat forever { compute 1 } }")) == Tick{0});
}

}  // namespace timeslice::test
