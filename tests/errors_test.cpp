// Bad input: each mistake exits with code 2, prints nothing on standard output,
// and says where the mistake is (file, line, column) and what was expected.
#include "app_helpers.hpp"

namespace timeslice::test {
namespace {

/// run_text() writes `text` to a scenario file and runs it.
Output run_text(const std::string& text, std::vector<std::string> extra = {}) {
    const std::filesystem::path path =
        scratch_path(std::to_string(std::hash<std::string>{}(text)) + ".toml");
    std::ofstream(path, std::ios::binary) << text;
    std::vector<std::string> args = {"run", path.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    Output out = timeslice(args);
    const std::string prefix = path.string();
    if (out.err.starts_with("timeslice: error: " + prefix)) {
        out.err = "timeslice: error: bad.toml" + out.err.substr(18 + prefix.size());
    }
    return out;
}

void check_rejected(const Output& out, const std::string& message) {
    CHECK(out.code == ExitCode::BadInput);
    CHECK(out.out.empty());
    CHECK(out.err == "timeslice: error: " + message + "\n");
}

constexpr const char* kTask = "[[task]]\nprogram = \"compute 10\"\n";

}  // namespace

TEST_CASE("malformed TOML is reported at its line and column") {
    check_rejected(run_text("[scheduler\npolicy = 1\n"),
                   "bad.toml:1:11: Error while parsing table header: expected ']', saw '\\n'");
}

TEST_CASE("an unknown key is reported with the keys that are allowed") {
    check_rejected(run_text(std::string("[machine]\nspeed = 3\n") + kTask),
                   "bad.toml:2:1: unknown key 'speed' in [machine] (expected cores, switch_cost, wakeup_latency)");
}

TEST_CASE("an unknown key in [scheduler] lists every policy's parameters, once each") {
    check_rejected(run_text(std::string("[scheduler]\ncolour = 3\n") + kTask),
                   "bad.toml:2:1: unknown key 'colour' in [scheduler] (expected policy, seed, "
                   "quantum, preemptive, aging, levels, allotment, boost, latency, "
                   "min_granularity)");
}

TEST_CASE("an unknown policy lists the valid ones") {
    check_rejected(run_text(std::string("[scheduler]\npolicy = \"edf\"\n") + kTask),
                   "bad.toml:2:10: unknown policy 'edf' (valid: cooperative, round-robin, fifo, "
                   "sjf, stcf, priority, mlfq, lottery, stride, cfs)");
    const Output cli = timeslice({"run", "--policy", "edf"});
    check_rejected(cli,
                   "unknown policy 'edf' (valid: cooperative, round-robin, fifo, sjf, stcf, "
                   "priority, mlfq, lottery, stride, cfs)");
}

TEST_CASE("a misspelt policy, workload or key is answered with the name it is closest to") {
    const std::string policies =
        "cooperative, round-robin, fifo, sjf, stcf, priority, mlfq, lottery, stride, cfs";
    check_rejected(
        timeslice({"run", "--policy", "round_robin"}),
        "unknown policy 'round_robin' (valid: " + policies + "); did you mean 'round-robin'?");
    check_rejected(
        timeslice({"run", "--policy", "Cooperative"}),
        "unknown policy 'Cooperative' (valid: " + policies + "); did you mean 'cooperative'?");
    check_rejected(timeslice({"compare", "--policies", "fifo,stfc"}),
                   "unknown policy 'stfc' (valid: " + policies + "); did you mean 'stcf'?");
    check_rejected(run_text("[[task]]\nworkload = \"hgo\"\n"),
                   "bad.toml:2:12: unknown workload 'hgo' (valid: hog, interactive, io-bound, "
                   "count); did you mean 'hog'?");
    check_rejected(run_text(std::string("[scheduler]\nquantm = 3\n") + kTask),
                   "bad.toml:2:1: unknown key 'quantm' in [scheduler] (expected policy, seed, "
                   "quantum, preemptive, aging, levels, allotment, boost, latency, "
                   "min_granularity); did you mean 'quantum'?");
    check_rejected(run_text("[[task]]\nprogram = \"compute 5; yeild\"\n"),
                   "bad.toml:2:23: unknown statement 'yeild' (expected compute, tick, yield, io, "
                   "repeat, fail, lock, spin_lock, unlock, sem_wait, sem_post, wait, notify, "
                   "notify_all, spawn or join); did you mean 'yield'?");
    check_rejected(run_text("[[task]]\nprogramme = \"tick\"\n"),
                   "bad.toml:2:1: unknown key 'programme' in [[task]] (expected name, arrival, "
                   "start, priority, tickets, nice, program, workload, args); did you mean 'program'?");
}

TEST_CASE("a guess counts characters, not bytes, and is not made between two names as close") {
    check_rejected(timeslice({"run", "--policy", "fïfo"}),
                   "unknown policy 'fïfo' (valid: cooperative, round-robin, fifo, sjf, stcf, "
                   "priority, mlfq, lottery, stride, cfs); did you mean 'fifo'?");
    const Output tie = timeslice({"run", "--policy", "stf"});  // sjf and stcf: one edit each.
    CHECK(tie.code == ExitCode::BadInput);
    CHECK(tie.err.find("did you mean") == std::string::npos);
}

TEST_CASE("a program error quotes a whole character, never a byte of one") {
    check_rejected(run_text("[[task]]\nprogram = \"tick é\"\n"),
                   "bad.toml:2:17: expected ';' or a new line, found 'é'");
}

TEST_CASE("a policy name far from every one gets no guess") {
    for (const char* name : {"rr", "edf", "lifo2", "x"}) {
        CAPTURE(name);
        const Output out = timeslice({"run", "--policy", name});
        CHECK(out.code == ExitCode::BadInput);
        CHECK(out.err.find("did you mean") == std::string::npos);
    }
}

TEST_CASE("a quantum of 0 is rejected in a file and on the command line") {
    check_rejected(run_text(std::string("[scheduler]\nquantum = 0\n") + kTask),
                   "bad.toml:2:11: 'quantum' must be at least 1, not 0");
    CHECK(timeslice({"run", "--quantum", "0"}).code == ExitCode::BadInput);
}

TEST_CASE("an unknown statement in a program is located inside the string") {
    check_rejected(run_text("[[task]]\nprogram = \"compute 10; jump 3\"\n"),
                   "bad.toml:2:24: unknown statement 'jump' (expected compute, tick, yield, io, "
                   "repeat, fail, lock, spin_lock, unlock, sem_wait, sem_post, wait, notify, "
                   "notify_all, spawn or join)");
}

TEST_CASE("an error in a multi-line program is located on its own line") {
    check_rejected(
        run_text("[[task]]\nprogram = \"\"\"\ncompute 10\nrepeat 3 {\n  io -5\n}\n\"\"\"\n"),
        "bad.toml:5:6: the count after 'io' must not be negative");
}

TEST_CASE("a negative arrival is rejected") {
    check_rejected(run_text("[[task]]\narrival = -1\nprogram = \"compute 1\"\n"),
                   "bad.toml:2:11: 'arrival' must be at least 0, not -1");
}

TEST_CASE("a task needs exactly one of program and workload") {
    check_rejected(run_text("[[task]]\nname = \"x\"\n"),
                   "bad.toml:1:1: task 'x' needs exactly one of 'program' or 'workload'");
}

TEST_CASE("a workload's argument out of range is an error at its value") {
    check_rejected(run_text("[[task]]\nworkload = \"count\"\nargs = { n = -3 }\n"),
                   "bad.toml:3:14: 'n' must be at least 0, not -3");
    check_rejected(
        run_text("[[task]]\nworkload = \"hog\"\nargs = { ticks = 1_000_000_000_000_001 }\n"),
        "bad.toml:3:18: 'ticks' must be at most 1000000000000000, not 1000000000000001");
}

TEST_CASE("an unknown workload lists the valid ones") {
    check_rejected(run_text("[[task]]\nworkload = \"spin\"\n"),
                   "bad.toml:2:12: unknown workload 'spin' (valid: hog, interactive, io-bound, "
                   "count)");
}

TEST_CASE("a scenario without tasks is rejected") {
    check_rejected(run_text("[machine]\ncores = 1\n"),
                   "bad.toml:1:1: no tasks: add at least one [[task]] table");
}

TEST_CASE("a missing scenario file is reported") {
    check_rejected(timeslice({"run", "nowhere.toml"}), "nowhere.toml: cannot open the file");
}

TEST_CASE("a directory given as the scenario is reported as one") {
    const std::string dir = scratch_path("a-directory").string();
    std::filesystem::create_directories(dir);
    check_rejected(timeslice({"run", dir}), dir + ": cannot open the file: it is a directory");
}

TEST_CASE("an empty task name is rejected") {
    check_rejected(run_text("[[task]]\nname = \"\"\nprogram = \"tick\"\n"),
                   "bad.toml:2:8: 'name' must not be empty");
}

TEST_CASE("a repeat nested too deeply is rejected at its keyword, not run into a crash") {
    std::string program;
    for (int i = 0; i < 1500; ++i) program += "repeat 1 { ";
    program += "tick";
    for (int i = 0; i < 1500; ++i) program += " }";
    check_rejected(run_text("[[task]]\nprogram = \"" + program + "\"\n"),
                   "bad.toml:2:1112: repeats nested more than 100 deep");
}

TEST_CASE("--quantum with a policy that has no time slice is rejected") {
    check_rejected(timeslice({"run", "--policy", "cooperative", "--quantum", "5"}),
                   "--quantum: policy 'cooperative' has no parameter 'quantum'");
}

TEST_CASE("an unknown option is rejected with exit code 2") {
    const Output out = timeslice({"run", "--speed", "3"});
    CHECK(out.code == ExitCode::BadInput);
    CHECK(out.out.empty());
}

}  // namespace timeslice::test

namespace timeslice::test {

TEST_CASE("columns count characters, not bytes, before and inside a program string") {
    check_rejected(run_text("[[task]]\nprogram = \"fail \\\"\u00e9\u00e9\\\"; jump\"\n"),
                   "bad.toml:2:25: unknown statement 'jump' (expected compute, tick, yield, io, "
                   "repeat, fail, lock, spin_lock, unlock, sem_wait, sem_post, wait, notify, "
                   "notify_all, spawn or join)");
    check_rejected(run_text("task = [ { name = \"\u00e9\u00e9\", program = \"tick; jump\" } ]\n"),
                   "bad.toml:1:42: unknown statement 'jump' (expected compute, tick, yield, io, "
                   "repeat, fail, lock, spin_lock, unlock, sem_wait, sem_post, wait, notify, "
                   "notify_all, spawn or join)");
}

TEST_CASE("an error after an escape in a program string is located in the file's columns") {
    check_rejected(run_text("[[task]]\nprogram = \"fail \\\"x\\\"; bad\"\n"),
                   "bad.toml:2:24: unknown statement 'bad' (expected compute, tick, yield, io, "
                   "repeat, fail, lock, spin_lock, unlock, sem_wait, sem_post, wait, notify, "
                   "notify_all, spawn or join)");
}

TEST_CASE("a priority outside the supported range is rejected") {
    check_rejected(run_text("[[task]]\npriority = 3000000000\nprogram = \"compute 1\"\n"),
                   "bad.toml:2:12: 'priority' must be at most 1000000, not 3000000000");
}

TEST_CASE("a negative --switch-cost is rejected") {
    const Output out = timeslice({"run", "--switch-cost", "-1"});
    CHECK(out.code == ExitCode::BadInput);
    CHECK(out.out.empty());
}

}  // namespace timeslice::test

namespace timeslice::test {

TEST_CASE("a policy that needs CPU demands rejects a task that may run forever") {
    check_rejected(timeslice({"run", "examples/forever.toml", "--policy", "sjf"}),
                   "examples/forever.toml:14:11: policy 'sjf' needs each task's CPU demand in "
                   "advance, but task 'server' has "
                   "none (it repeats forever, or runs too long to count)");
}

TEST_CASE("tickets and nice are checked against their ranges") {
    check_rejected(run_text("[[task]]\ntickets = 0\nprogram = \"compute 1\"\n"),
                   "bad.toml:2:11: 'tickets' must be at least 1, not 0");
    check_rejected(run_text("[[task]]\nnice = 20\nprogram = \"compute 1\"\n"),
                   "bad.toml:2:8: 'nice' must be at most 19, not 20");
}

TEST_CASE("a policy parameter on the command line must belong to a chosen policy") {
    check_rejected(timeslice({"run", "--policy", "round-robin", "--aging", "5"}),
                   "--aging: policy 'round-robin' has no parameter 'aging'");
    check_rejected(timeslice({"compare", "--policies", "fifo,sjf", "--quantum", "5"}),
                   "--quantum: none of the policies takes it");
}

TEST_CASE("--seed is rejected unless a chosen policy draws random numbers") {
    check_rejected(timeslice({"run", "--policy", "round-robin", "--seed", "5"}),
                   "--seed: policy 'round-robin' has no parameter 'seed'");
    check_rejected(timeslice({"sweep", "--quantum", "1,2", "--seed", "5"}),
                   "--seed: policy 'round-robin' has no parameter 'seed'");
    check_rejected(timeslice({"compare", "--policies", "fifo,sjf", "--seed", "5"}),
                   "--seed: none of the policies takes it");
    CHECK(timeslice({"compare", "--policies", "fifo,lottery", "--seed", "5"}).code == ExitCode::Ok);
}

}  // namespace timeslice::test
