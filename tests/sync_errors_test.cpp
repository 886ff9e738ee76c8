// Bad input about CPUs, task names and synchronization: each mistake exits with
// code 2, prints nothing on standard output, and says where it is and what was
// expected, with a guess when a name is misspelt.
#include "app_helpers.hpp"

namespace timeslice::test {
namespace {

/// run_text() writes `text` to a scenario file and runs it with `extra` options;
/// the file's path in messages reads bad.toml.
Output run_text(const std::string& text, std::vector<std::string> extra = {}) {
    const std::filesystem::path path =
        scratch_path("sync-" + std::to_string(std::hash<std::string>{}(text)) + ".toml");
    std::ofstream(path, std::ios::binary) << text;
    std::vector<std::string> args = {"run", path.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    Output out = timeslice(args);
    for (std::string* stream : {&out.err, &out.out}) {
        for (auto at = stream->find(path.string()); at != std::string::npos;
             at = stream->find(path.string())) {
            stream->replace(at, path.string().size(), "bad.toml");
        }
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

TEST_CASE("cores must be a whole number from 1 to 64") {
    check_rejected(run_text(std::string("[machine]\ncores = 0\n") + kTask),
                   "bad.toml:2:9: 'cores' must be at least 1, not 0");
    check_rejected(run_text(std::string("[machine]\ncores = 65\n") + kTask),
                   "bad.toml:2:9: 'cores' must be at most 64, not 65");
    check_rejected(run_text(std::string("[machine]\ncores = 2.5\n") + kTask),
                   "bad.toml:2:9: 'cores' must be a whole number");
    check_rejected(run_text(kTask, {"--cores", "0"}),
                   "--cores: 0 is out of range: it must be between 1 and 64");
    check_rejected(run_text(kTask, {"--cores", "1,2"}),
                   "--cores: run takes one number of CPUs; compare takes several");
}

TEST_CASE("two tasks with one name are reported at the second, naming the first's line") {
    check_rejected(run_text("[[task]]\nname = \"A\"\nprogram = \"tick\"\n"
                            "[[task]]\nname = \"A\"\nprogram = \"tick\"\n"),
                   "bad.toml:5:8: two tasks are named 'A': this one and task 1 at line 2; "
                   "programs name tasks to spawn and join them");
}

TEST_CASE("a lock a program uses must be declared, and a misspelt one gets a guess") {
    check_rejected(run_text("[sync]\nlocks = [\"fork\"]\n[[task]]\nprogram = \"lock frok\"\n"),
                   "bad.toml:4:17: unknown lock 'frok' (the [sync] table declares fork); did "
                   "you mean 'fork'?");
    check_rejected(run_text("[[task]]\nprogram = \"compute 1; unlock a\"\n"),
                   "bad.toml:2:30: unknown lock 'a': the [sync] table declares none");
}

TEST_CASE("semaphores, conditions and tasks named in programs must exist too") {
    check_rejected(run_text("[sync]\nsemaphores = { slots = 2 }\n[[task]]\nprogram = "
                            "\"sem_wait slot\"\n"),
                   "bad.toml:4:21: unknown semaphore 'slot' (the [sync] table declares slots); "
                   "did you mean 'slots'?");
    check_rejected(run_text("[sync]\nlocks = [\"m\"]\nconditions = [\"ready\"]\n[[task]]\n"
                            "program = \"lock m; wait redy m\"\n"),
                   "bad.toml:5:25: unknown condition 'redy' (the [sync] table declares ready); "
                   "did you mean 'ready'?");
    check_rejected(run_text("[[task]]\nname = \"main\"\nprogram = \"join worker\"\n"),
                   "bad.toml:3:17: unknown task 'worker' (the scenario declares main)");
}

TEST_CASE("a semaphore's count cannot be negative, nor above its maximum") {
    check_rejected(run_text(std::string("[sync]\nsemaphores = { s = -1 }\n") + kTask),
                   "bad.toml:2:20: 's' must be at least 0, not -1");
    check_rejected(
        run_text(std::string("[sync]\nsemaphores = { s = { count = 3, max = 2 } }\n") + kTask),
        "bad.toml:2:39: 'max' must be at least the count, 3");
}

TEST_CASE("two objects of [sync] cannot share a name") {
    check_rejected(
        run_text(std::string("[sync]\nlocks = [\"a\"]\nconditions = [\"a\"]\n") + kTask),
        "bad.toml:3:15: 'a' is declared twice: it is already the lock at line 2");
}

TEST_CASE("only a task that starts spawned can be spawned, and it has no arrival") {
    check_rejected(
        run_text("[[task]]\nname = \"A\"\nprogram = \"spawn B\"\n[[task]]\nname = \"B\"\n"
                 "program = \"tick\"\n"),
        "bad.toml:3:18: task 'B' starts by itself: give it start = \"spawned\" to spawn it");
    check_rejected(run_text("[[task]]\nstart = \"spawned\"\narrival = 5\nprogram = \"tick\"\n"),
                   "bad.toml:3:11: a task with start = \"spawned\" arrives when it is spawned: it "
                   "has no 'arrival'");
    check_rejected(run_text("[[task]]\nstart = \"spawnd\"\nprogram = \"tick\"\n"),
                   "bad.toml:2:9: 'start' must be \"arrival\" or \"spawned\", not 'spawnd'; did "
                   "you mean 'spawned'?");
}

TEST_CASE("a task that starts spawned but that nothing spawns is worth a warning, not an error") {
    const Output out = run_text(
        "[[task]]\nname = \"A\"\nprogram = \"tick\"\n[[task]]\nname = \"B\"\nstart = "
        "\"spawned\"\nprogram = \"tick\"\n");
    CHECK(out.code == ExitCode::Ok);
    CHECK(out.err ==
          "bad.toml:5: warning: task 'B' starts spawned, but no program spawns it: it will "
          "never run\n");
}

}  // namespace timeslice::test
