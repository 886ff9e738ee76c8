// Tests of the timeslice command as a user meets it: the demo, the examples and
// their checked-in output, JSON, colour, width, and exit codes.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "app_helpers.hpp"
#include "cli/text.hpp"

namespace timeslice::test {
namespace {

/// The exit code each example is expected to end with.
const std::map<std::string, ExitCode> kExampleExitCodes = {
    {"convoy", ExitCode::Ok},       {"count", ExitCode::Ok},
    {"demo", ExitCode::Ok},         {"failure", ExitCode::TaskFailed},
    {"forever", ExitCode::Stopped}, {"switch-cost", ExitCode::Ok},
    {"same-tick", ExitCode::Ok},    {"io-fairness", ExitCode::Ok},
    {"stcf", ExitCode::Ok},         {"mlfq", ExitCode::Ok},
    {"tickets", ExitCode::Stopped}, {"nice", ExitCode::Stopped},
    {"aging", ExitCode::Stopped},   {"parallel", ExitCode::Ok},
    {"deadlock", ExitCode::Stopped}, {"lock-order", ExitCode::Ok},
    {"producer-consumer", ExitCode::Ok}, {"priority-inversion", ExitCode::Ok},
    {"priority-inheritance", ExitCode::Ok}, {"spin-lock", ExitCode::Ok},
    {"mutex", ExitCode::Ok},
};

/// lesson_command() returns the command an example's "# Run: timeslice ..." line
/// gives, without the program's name; without one, `run` on the example.
std::vector<std::string> lesson_command(const std::filesystem::path& path) {
    std::istringstream text(read_file(path));
    for (std::string line; std::getline(text, line);) {
        constexpr std::string_view kRun = "# Run: timeslice ";
        if (!line.starts_with(kRun)) continue;
        std::istringstream words(line.substr(kRun.size()));
        std::vector<std::string> args;
        for (std::string word; words >> word;) args.push_back(word);
        return args;
    }
    return {"run", "examples/" + path.filename().string()};
}

std::vector<std::filesystem::path> examples() {
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "examples")) {
        if (entry.path().extension() == ".toml") paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    return paths;
}

/// run_scenario() writes `text` to a scenario file `name` and runs it with `args`.
Output run_scenario(const std::string& name, const std::string& text,
                    const std::vector<std::string>& args) {
    const std::filesystem::path path = scratch_path(name);
    std::ofstream(path, std::ios::binary) << text;
    std::vector<std::string> command = {"run", path.string()};
    command.insert(command.end(), args.begin(), args.end());
    return timeslice(command);
}

std::size_t widest_line(const std::string& text) {
    std::size_t widest = 0;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) widest = std::max(widest, line.size());
    return widest;
}

}  // namespace

TEST_CASE("every example prints its checked-in output and exit code") {
    REQUIRE(!examples().empty());
    for (const std::filesystem::path& path : examples()) {
        const std::string name = path.stem().string();
        CAPTURE(name);
        const Output run = timeslice(lesson_command(path));
        check_golden(run.out, source_dir() / "examples" / "expected" / (name + ".txt"));
        REQUIRE(kExampleExitCodes.contains(name));
        CHECK(run.code == kExampleExitCodes.at(name));
    }
}

TEST_CASE("the demo shows Task 1, 2 and 3 under cooperative and round-robin, explained") {
    const Output demo = timeslice({});
    CHECK(demo.code == ExitCode::Ok);
    check_golden(demo.out, source_dir() / "tests" / "golden" / "demo.txt");
    CHECK(demo.out.find("cooperative\n") != std::string::npos);
    CHECK(demo.out.find("round-robin, quantum 100\n") != std::string::npos);
    CHECK(demo.out.find("What to look at:") != std::string::npos);
}

TEST_CASE("the README shows the demo's exact output") {
    const std::string readme = read_file(source_dir() / "README.md");
    CHECK(readme.find(timeslice({}).out) != std::string::npos);
}

TEST_CASE("the README shows the several-CPU comparison and the deadlock report exactly") {
    const std::string readme = read_file(source_dir() / "README.md");
    for (const char* name : {"parallel.txt", "deadlock.txt"}) {
        CHECK_MESSAGE(readme.find(read_file(source_dir() / "examples" / "expected" / name)) !=
                          std::string::npos,
                      name);
    }
}

TEST_CASE("the built-in demo and examples/demo.toml print the same timeline and metrics") {
    const std::string builtin = timeslice({"run"}).out;
    const std::string file = timeslice({"run", "examples/demo.toml"}).out;
    const auto body = [](const std::string& text) { return text.substr(text.find('\n')); };
    CHECK(body(builtin) == body(file));
}

TEST_CASE("two runs of the same scenario print identical bytes") {
    for (const std::filesystem::path& path : examples()) {
        const std::string file = "examples/" + path.filename().string();
        CHECK(timeslice({"run", file, "--json"}).out == timeslice({"run", file, "--json"}).out);
        CHECK(timeslice({"compare", file}).out == timeslice({"compare", file}).out);
    }
}

TEST_CASE("wrap_words breaks at spaces, keeps runs of spaces within a line, and indents") {
    CHECK(wrap_words("makespan 600  CPU 88.7%", 80) == "makespan 600  CPU 88.7%\n");
    CHECK(wrap_words("aa bb  cc\tdd\nee", 8, 1, 2) == " aa bb\n   cc dd\n   ee\n");
    CHECK(wrap_words("  ", 10).empty());
}

TEST_CASE("every line of the demo fits an 80-column terminal") {
    CHECK(widest_line(timeslice({}).out) <= 80);
    CHECK(widest_line(timeslice({"run", "examples/forever.toml"}).out) <= 80);
}

TEST_CASE("every line of the demo, a run and a comparison fits a narrower --width") {
    for (const char* width : {"40", "50", "60"}) {
        CAPTURE(width);
        CHECK(widest_line(timeslice({"--width", width}).out) <= std::stoul(width));
        CHECK(widest_line(timeslice({"run", "--width", width}).out) <= std::stoul(width));
        CHECK(widest_line(timeslice({"compare", "examples/nice.toml", "--width", width}).out) <=
              std::stoul(width));
        CHECK(widest_line(timeslice({"compare", "examples/convoy.toml", "--policies", "all",
                                     "--width", width})
                              .out) <= std::stoul(width));
    }
}

TEST_CASE("every command's --help fits an 80-column terminal") {
    for (const char* command : {"", "run", "compare", "sweep", "policies", "workloads"}) {
        CAPTURE(command);
        std::vector<std::string> args = {"--help"};
        if (*command != '\0') args.insert(args.begin(), command);
        const Output help = timeslice(args);
        CHECK(help.code == ExitCode::Ok);
        CHECK(widest_line(help.out) <= 80);
    }
}

TEST_CASE("the lists of policies and workloads fit an 80-column terminal") {
    for (const char* command : {"policies", "workloads"}) {
        CAPTURE(command);
        const Output list = timeslice({command});
        CHECK(list.code == ExitCode::Ok);
        CHECK(count(list.out, "\n") >= 4);
        CHECK(widest_line(list.out) <= 80);
    }
}

TEST_CASE("run --json gives a failed task its error message") {
    const Output run = timeslice({"run", "examples/failure.toml", "--json"});
    CHECK(run.code == ExitCode::TaskFailed);
    CHECK(run.out.find("\"error\": \"disk on fire\"") != std::string::npos);
    CHECK(count(run.out, "\"error\"") == 1);
}

TEST_CASE("names in UTF-8 are shortened by characters, never split, and keep columns aligned") {
    const Output run = run_scenario(
        "utf8.toml",
        "title = \"éééééééééé éééééééééé éééééééééé ééééééé\"\n"
        "[[task]]\nname = \"Tâche très longue à faire\"\nprogram = \"compute 30; yield\"\n"
        "[[task]]\nname = \"élan\"\nprogram = \"compute 20\"\n",
        {"--width", "40"});
    CHECK(run.code == ExitCode::Ok);
    CHECK(run.out.find("1 Tâche très lo~ ") != std::string::npos);
    CHECK(run.out.find("\nTâche très~      0     0") != std::string::npos);
    CHECK(run.out.find("\nélan             0    30") != std::string::npos);
    const auto characters = [](const std::string& line) {
        return std::count_if(line.begin(), line.end(), [](char byte) {
            return (static_cast<unsigned char>(byte) & 0xC0) != 0x80;
        });
    };
    std::istringstream lines(run.out);
    for (std::string line; std::getline(lines, line);) CHECK(characters(line) <= 40);
    // The title wraps by characters: its 40 fill the first line (in 77 bytes).
    CHECK(run.out.starts_with("éééééééééé éééééééééé éééééééééé ééééééé\n("));
}

TEST_CASE("wide characters take two columns in labels and tables, as in a terminal") {
    const std::string out = run_scenario("wide.toml",
                                         "[[task]]\nname = \"漢字漢字漢字漢字\"\n"
                                         "program = \"compute 30\"\n"
                                         "[[task]]\nname = \"🎉🎉\"\nprogram = \"compute 20\"\n"
                                         "[[task]]\nname = \"B\"\nprogram = \"compute 20\"\n",
                                         {"--width", "60"})
                                .out;
    // A name 16 columns wide shortens to whole characters and '~'; emoji pad as 2.
    // Every lane starts at column 17.
    CHECK(out.find("\n1 漢字漢字漢字~  #") != std::string::npos);
    CHECK(out.find("\n2 🎉🎉           .") != std::string::npos);
    CHECK(out.find("\n3 B              .") != std::string::npos);
    CHECK(out.find("\n漢字漢字漢~      0     0") != std::string::npos);
    CHECK(out.find("\n🎉🎉             0    30") != std::string::npos);
    CHECK(out.find("\nB                0    50") != std::string::npos);
}

TEST_CASE("a task table too wide for --width is split into tables that fit") {
    const std::string out = timeslice({"run", "--width", "60"}).out;
    CHECK(widest_line(out) <= 60);
    CHECK(out.find("task        arrive first finish  cpu wait block resp turn\n") !=
          std::string::npos);
    CHECK(out.find("task         pre  yld maxwait\n") != std::string::npos);
}

TEST_CASE("run --json prints the documented keys in a stable order") {
    const Output run = timeslice({"run", "examples/convoy.toml", "--json"});
    check_golden(run.out, source_dir() / "examples" / "expected" / "convoy.json");
    const auto doc = nlohmann::ordered_json::parse(run.out);
    std::vector<std::string> keys;
    for (const auto& item : doc.items()) keys.push_back(item.key());
    const std::vector<std::string> expected = {
        "schema_version", "scenario",        "policy",         "quantum",
        "params",         "cores",           "switch_cost",    "wakeup_latency",
        "seed",           "max_ticks",       "stop",           "makespan",
        "max_running",    "max_in_progress", "speedup",        "utilization",
        "cpus",           "context_switches", "fairness",      "fairness_window",
        "averages",       "tasks",           "segments",       "sync",
        "deadlock"};
    CHECK(keys == expected);
    const auto& task = doc["tasks"][1];
    for (const char* key :
         {"name", "arrival", "first_run", "finish", "cpu", "wait", "blocked", "blocked_io",
          "blocked_sync", "spin", "response", "turnaround", "preemptions", "yields",
          "longest_wait"}) {
        CHECK_MESSAGE(task.contains(key), key);
    }
    CHECK(doc["averages"]["turnaround"] == 110.0);
    CHECK(doc["segments"][0]["end_reason"] == "exit");
}

TEST_CASE("compare --json holds one run object per policy") {
    const Output out = timeslice({"compare", "examples/convoy.toml", "--json", "--quantum", "10"});
    const auto doc = nlohmann::ordered_json::parse(out.out);
    REQUIRE(doc["runs"].size() == 2);
    CHECK(doc["runs"][0]["policy"] == "cooperative");
    CHECK(doc["runs"][0]["quantum"].is_null());
    CHECK(doc["runs"][1]["quantum"] == 10);
    CHECK(doc["schema_version"] == 2);
}

TEST_CASE("colour appears only on a terminal, never with NO_COLOR, always on request") {
    const auto has_escape = [](const Output& o) { return o.out.find('\x1b') != std::string::npos; };
    CHECK_FALSE(has_escape(timeslice({"run"})));
    CHECK(has_escape(timeslice({"run"}, Terminal{true, 80, false})));
    CHECK_FALSE(has_escape(timeslice({"run"}, Terminal{true, 80, true})));
    CHECK(has_escape(timeslice({"run", "--color", "always"})));
    CHECK_FALSE(has_escape(timeslice({"run", "--color", "never"}, Terminal{true, 80, false})));
}

TEST_CASE("the timeline takes the terminal's width when it is a terminal") {
    CHECK(widest_line(timeslice({"run"}, Terminal{true, 120, true}).out) > 80);
    CHECK(widest_line(timeslice({"run"}, Terminal{true, 120, true}).out) <= 120);
}

TEST_CASE("--max-ticks stops a run that never ends and still prints what ran") {
    const Output out = timeslice({"run", "examples/forever.toml", "--max-ticks", "100"});
    CHECK(out.code == ExitCode::Stopped);
    CHECK(out.out.find("stopped at tick 100") != std::string::npos);
    CHECK(out.out.find("1 server") != std::string::npos);
}

TEST_CASE("policies lists every policy with its parameters") {
    const Output out = timeslice({"policies"});
    CHECK(out.code == ExitCode::Ok);
    CHECK(out.out.find("cooperative") != std::string::npos);
    CHECK(out.out.find("--quantum N (default 100") != std::string::npos);
}

TEST_CASE("command-line options override the scenario file") {
    const auto doc = nlohmann::json::parse(timeslice({"run", "examples/switch-cost.toml", "--json",
                                                      "--switch-cost", "0", "--quantum", "10"})
                                               .out);
    CHECK(doc["switch_cost"] == 0);
    CHECK(doc["tasks"][0]["finish"] == 120);
    const auto coop = nlohmann::json::parse(
        timeslice({"run", "examples/switch-cost.toml", "--json", "--policy", "cooperative"}).out);
    CHECK(coop["policy"] == "cooperative");
}

}  // namespace timeslice::test

namespace timeslice::test {

TEST_CASE("compare exits with 1 when a task failed, even if another run was stopped") {
    const std::filesystem::path path = scratch_path("mixed.toml");
    std::ofstream(path) << "[limits]\nmax_ticks = 50\n"
                           "[[task]]\nprogram = 'compute 10; fail \"boom\"'\n"
                           "[[task]]\nprogram = 'repeat forever { compute 5; yield }'\n";
    const Output out = timeslice({"compare", path.string()});
    CHECK(out.code == ExitCode::TaskFailed);
    CHECK(out.out.find("cooperative: Task 1 failed at tick 10: boom") != std::string::npos);
    CHECK(out.out.rfind(path.string() + "\n\n", 0) == 0);  // No title: the path alone.
}

}  // namespace timeslice::test

namespace timeslice::test {

TEST_CASE("the docs show the examples' exact output") {
    const auto expected = [](const char* name) {
        return read_file(source_dir() / "examples" / "expected" / name);
    };
    const std::string kernel = read_file(source_dir() / "docs" / "kernel.md");
    const std::string metrics = read_file(source_dir() / "docs" / "metrics.md");
    CHECK(kernel.find(expected("same-tick.txt")) != std::string::npos);
    CHECK(metrics.find(expected("convoy.txt")) != std::string::npos);
    CHECK(metrics.find(expected("io-fairness.txt")) != std::string::npos);
}

TEST_CASE("docs/json.md shows the convoy example's exact JSON") {
    const std::string doc = read_file(source_dir() / "docs" / "json.md");
    CHECK(doc.find(read_file(source_dir() / "examples" / "expected" / "convoy.json")) !=
          std::string::npos);
}

}  // namespace timeslice::test

namespace timeslice::test {

TEST_CASE("compare marks the best value of each row, and ties are all best") {
    const std::string out =
        timeslice({"compare", "examples/convoy.toml", "--policies", "fifo,sjf,cooperative"}).out;
    CHECK(out.find("avg turnaround           110.0         50.0*       110.0\n") !=
          std::string::npos);
    CHECK(out.find("makespan                   120*         120*         120*\n") !=
          std::string::npos);
    CHECK(out.find("* the best value of its row\n") != std::string::npos);
}

}  // namespace timeslice::test
