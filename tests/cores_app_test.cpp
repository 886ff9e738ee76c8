// The command line on several CPUs and with locks: --cores on run, compare and
// sweep, --speedup, the deadlock report in text and JSON, and `timeslice examples`.
#include <nlohmann/json.hpp>

#include "app_helpers.hpp"

namespace timeslice::test {
namespace {

/// write_scenario() writes `text` to a scratch scenario file and returns its path.
std::string write_scenario(const std::string& name, const std::string& text) {
    const std::filesystem::path path = scratch_path(name);
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
}

constexpr const char* kThreeEqual =
    "[[task]]\nprogram = \"compute 300\"\n"
    "[[task]]\nprogram = \"compute 300\"\n"
    "[[task]]\nprogram = \"compute 300\"\n";

constexpr const char* kDeadlock =
    "[scheduler]\npolicy = \"round-robin\"\nquantum = 5\n"
    "[sync]\nlocks = [\"a\", \"b\"]\n"
    "[[task]]\nname = \"A\"\nprogram = \"lock a; compute 10; lock b; unlock b; unlock a\"\n"
    "[[task]]\nname = \"B\"\nprogram = \"lock b; compute 10; lock a; unlock a; unlock b\"\n";

}  // namespace

TEST_CASE("run --cores 3 runs three equal tasks at once, with a lane per CPU") {
    const std::string file = write_scenario("three.toml", kThreeEqual);
    const Output out = timeslice({"run", file, "--cores", "3", "--speedup"});
    CHECK(out.code == ExitCode::Ok);
    CHECK(out.out.find("round-robin, quantum 100, 3 CPUs\n") != std::string::npos);
    CHECK(out.out.find("\nCPU0 ") != std::string::npos);
    CHECK(out.out.find("\nCPU2 ") != std::string::npos);
    CHECK(out.out.find("parallelism 3 (most tasks running at once)  concurrency 3") !=
          std::string::npos);
    CHECK(out.out.find("utilization by CPU: cpu0 100.0% cpu1 100.0% cpu2 100.0%\n") !=
          std::string::npos);
    CHECK(out.out.find("speedup 3.00 (makespan 900 on 1 CPU, 300 here)\n") != std::string::npos);
}

TEST_CASE("compare --cores stacks the runs on each number of CPUs, fewest first") {
    const std::string file = write_scenario("three-compare.toml", kThreeEqual);
    const Output out =
        timeslice({"compare", file, "--policies", "round-robin", "--cores", "1,3", "--json"});
    const auto doc = nlohmann::ordered_json::parse(out.out);
    REQUIRE(doc["runs"].size() == 2);
    CHECK(doc["runs"][0]["cores"] == 1);
    CHECK(doc["runs"][0]["makespan"] == 900);
    CHECK(doc["runs"][0]["max_running"] == 1);
    CHECK(doc["runs"][1]["cores"] == 3);
    CHECK(doc["runs"][1]["makespan"] == 300);
    CHECK(doc["runs"][1]["max_running"] == 3);
    CHECK(doc["runs"][1]["max_in_progress"] == 3);
    const std::string text =
        timeslice({"compare", file, "--policies", "round-robin", "--cores", "1,3"}).out;
    CHECK(text.find("                          1 CPU       3 CPUs\n") != std::string::npos);
    CHECK(text.find("max running                  1            3\n") != std::string::npos);
}

TEST_CASE("sweep --cores puts the number of CPUs on the x axis") {
    const std::string file = write_scenario("three-sweep.toml", kThreeEqual);
    const Output out = timeslice({"sweep", file, "--cores", "1..3"});
    CHECK(out.code == ExitCode::Ok);
    CHECK(out.out.find("round-robin (quantum 100) over cores 1, 2, 3") != std::string::npos);
    CHECK(out.out.find("900\n") != std::string::npos);
    CHECK(out.out.find("300\n") != std::string::npos);
}

TEST_CASE("a deadlock exits with code 3 and explains its cycle, in text and in JSON") {
    const std::string file = write_scenario("deadlock.toml", kDeadlock);
    const Output text = timeslice({"run", file});
    CHECK(text.code == ExitCode::Stopped);
    CHECK(text.out.find("deadlock at tick 20: every unfinished task waits for another\n"
                        "  a cycle: A -> B -> A\n"
                        "    A holds lock 'a' (since tick 0) and waits for lock 'b' (since tick "
                        "15), held\n"
                        "      by B\n") != std::string::npos);
    const Output json = timeslice({"run", file, "--json"});
    CHECK(json.code == ExitCode::Stopped);
    const auto doc = nlohmann::ordered_json::parse(json.out);
    CHECK(doc["stop"] == "deadlock");
    CHECK(doc["deadlock"]["cycles"] == nlohmann::ordered_json::parse(R"([["A", "B"]])"));
    CHECK(doc["deadlock"]["waiting"][1]["waits_for"]["holder"] == "A");
    CHECK(json.err.find("deadlock at tick 20") != std::string::npos);
}

TEST_CASE("a deadlock on a lock whose holder ended says so, and compare never calls it best") {
    const std::string file =
        write_scenario("ended.toml",
                       "[sync]\nlocks = [\"a\"]\n"
                       "[[task]]\nname = \"A\"\nprogram = \"lock a; compute 5\"\n"
                       "[[task]]\nname = \"B\"\nprogram = \"compute 1; lock a; unlock a\"\n");
    const Output run = timeslice({"run", file});
    CHECK(run.code == ExitCode::Stopped);
    CHECK(run.out.find("  B waits for lock 'a' (since tick 6), held by A, which ended holding "
                       "it\n") != std::string::npos);
    // Deadlocked at 6 and at 5, neither makespan is comparable: each covers only
    // the run so far, "~", and neither is the best.
    const Output compare =
        timeslice({"compare", file, "--policies", "cooperative", "--cores", "1,2"});
    CHECK(compare.out.find("makespan                     6~           5~\n") != std::string::npos);
    CHECK(compare.out.find("best value") == std::string::npos);
    CHECK(compare.out.find("~ covers only the run so far") != std::string::npos);
}

TEST_CASE("timeslice examples lists each lesson with its title") {
    const Output out = timeslice({"examples"});
    CHECK(out.code == ExitCode::Ok);
    CHECK(out.out.find("demo.toml ") != std::string::npos);
    CHECK(out.out.find("Task 1, 2 and 3 on one CPU\n") != std::string::npos);
    for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "examples")) {
        if (entry.path().extension() != ".toml") continue;
        CHECK_MESSAGE(out.out.find(entry.path().filename().string()) != std::string::npos,
                      entry.path());
    }
}

}  // namespace timeslice::test
