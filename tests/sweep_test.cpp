// Tests of sweeps (cli/sweep.hpp, cli/chart.hpp) and of `timeslice sweep`: the
// VALUES syntax, figures checked by hand on examples/switch-cost.toml, the CSV
// and SVG files, bad input, and the progress bar.
#include "cli/sweep.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app_helpers.hpp"
#include "cli/chart.hpp"

namespace timeslice::test {
namespace {

using Values = std::vector<std::int64_t>;

Values quantum_values(std::string_view text) {
    return parse_values(text, "quantum", 1, 1'000'000'000'000);
}

std::filesystem::path temp_file(const std::string& name) {
    const std::filesystem::path path = scratch_path(name);
    std::filesystem::remove(path);
    return path;
}

const std::vector<std::string> kSwitchCostSweep = {
    "sweep", "examples/switch-cost.toml", "--quantum", "5,10,20", "--switch-cost", "0,1"};

}  // namespace

TEST_CASE("parse_values reads a value, a list, a range and a stepped range") {
    CHECK(quantum_values("7") == Values{7});
    CHECK(quantum_values("20,5,10,5") == Values{5, 10, 20});
    CHECK(quantum_values("1..5") == Values{1, 2, 3, 4, 5});
    CHECK(quantum_values("10..100:30") == Values{10, 40, 70, 100});
    CHECK(quantum_values("1..10:4") == Values{1, 5, 9, 10});  // B ends it, on the step or not.
    CHECK(quantum_values("50, 1..3") == Values{1, 2, 3, 50});
    CHECK(parse_values("0..2", "switch-cost", 0, 10) == Values{0, 1, 2});
}

TEST_CASE("a range of more than 50 values takes about 40, evenly spaced, both ends included") {
    const Values values = quantum_values("1..200");
    REQUIRE(values.size() == 41);
    CHECK(values.front() == 1);
    CHECK(values[1] == 6);
    CHECK(values[39] == 196);
    CHECK(values.back() == 200);
    CHECK(quantum_values("1..50").size() == 50);
}

TEST_CASE("parse_values rejects malformed values with a message naming the option") {
    const auto message = [](std::string_view text) {
        try {
            quantum_values(text);
        } catch (const ScenarioError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string expected = " (expected N, A..B, A..B:STEP or a list such as 5,10,20)";
    CHECK(message("1..x") == "--quantum: 'x' is not a whole number" + expected);
    CHECK(message("") == "--quantum: an empty value in ''" + expected);
    CHECK(message("5,,10") == "--quantum: an empty value in '5,,10'" + expected);
    CHECK(message("5,") == "--quantum: an empty value in '5,'" + expected);
    CHECK(message("1..") == "--quantum: a number is missing in '1..'" + expected);
    CHECK(message("..5") == "--quantum: a number is missing in '..5'" + expected);
    CHECK(message("1...5") == "--quantum: '.5' is not a whole number" + expected);
    CHECK(message("200..1") == "--quantum: the range '200..1' goes down; write it 1..200");
    CHECK(message("1..10:0") ==
          "--quantum: the step in '1..10:0' must be a whole number, at least 1");
    CHECK(message("1..10:") ==
          "--quantum: the step in '1..10:' must be a whole number, at least 1");
    CHECK(message("0..10") ==
          "--quantum: 0 is out of range: it must be between 1 and 1000000000000");
    CHECK(message("-5") == "--quantum: -5 is out of range: it must be between 1 and 1000000000000");
    CHECK(message("99999999999999999999") == "--quantum: 99999999999999999999 is too large");
    CHECK(message("1..5000:1") ==
          "--quantum: '1..5000:1' gives 5000 values; a sweep takes at most 1000");
}

// Round-robin on jobs of 100, 10 and 10 ticks. Quantum 10, switch cost 1: A runs
// 0-10, a switch, B 11-21, a switch, C 22-32, a switch, A 33-123. Finishes 123,
// 21 and 32: turnaround 176/3 = 58.7, response (0+11+22)/3 = 11, three switches.
TEST_CASE("a sweep of quantum and switch cost prints figures that can be checked by hand") {
    const Output sweep = timeslice(kSwitchCostSweep);
    CHECK(sweep.code == ExitCode::Ok);
    CHECK(sweep.err.empty());
    CHECK(sweep.out ==
          "Round-robin with a context-switch cost (examples/switch-cost.toml)\n"
          "\n"
          "round-robin over quantum 5, 10, 20; switch cost 0, 1\n"
          "\n"
          "         switch       avg         avg   avg   context\n"
          "quantum    cost  response  turnaround  wait  switches  makespan\n"
          "      5       0       5.0        58.3  18.3         6       120\n"
          "     10       0      10.0        56.7  16.7         3       120\n"
          "     20       0      16.7        63.3  23.3         3       120\n"
          "\n"
          "      5       1       6.0        63.3  23.3         6       126\n"
          "     10       1      11.0        58.7  18.7         3       123\n"
          "     20       1      17.7        65.3  25.3         3       123\n");
}

TEST_CASE("sweep --csv writes a header line and a line per run") {
    const std::filesystem::path csv = temp_file("ts-sweep.csv");
    std::vector<std::string> args = kSwitchCostSweep;
    args.insert(args.end(), {"--csv", csv.string()});
    const Output sweep = timeslice(args);
    CHECK(sweep.code == ExitCode::Ok);
    CHECK(sweep.out == timeslice(kSwitchCostSweep).out);
    CHECK(read_file(csv) ==
          "quantum,switch_cost,avg_response,avg_turnaround,avg_wait,context_switches,makespan\n"
          "5,0,5.00,58.33,18.33,6,120\n"
          "10,0,10.00,56.67,16.67,3,120\n"
          "20,0,16.67,63.33,23.33,3,120\n"
          "5,1,6.00,63.33,23.33,6,126\n"
          "10,1,11.00,58.67,18.67,3,123\n"
          "20,1,17.67,65.33,25.33,3,123\n");
}

TEST_CASE("sweep --svg writes a self-contained chart, the same bytes on every run") {
    const std::filesystem::path first = temp_file("ts-sweep-1.svg");
    const std::filesystem::path second = temp_file("ts-sweep-2.svg");
    for (const auto& path : {first, second}) {
        std::vector<std::string> args = kSwitchCostSweep;
        args.insert(args.end(), {"--svg", path.string()});
        REQUIRE(timeslice(args).code == ExitCode::Ok);
    }
    const std::string svg = read_file(first);
    CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
    CHECK(svg.ends_with("</svg>\n"));
    CHECK(svg == read_file(second));
    CHECK(count(svg, "<polyline") == 6);  // Three panels, a line per switch cost.
    CHECK(count(svg, "<circle") == 18);   // A dot per run in each panel.
    for (const char* text :
         {">average response (ticks)<", ">average turnaround (ticks)<", ">context switches<",
          ">switch cost 0<", ">switch cost 1<", ">quantum<", "(examples/switch-cost.toml)<"}) {
        CHECK_MESSAGE(svg.find(text) != std::string::npos, text);
    }
    CHECK(svg.find("href") == std::string::npos);  // Nothing outside the file.
}

TEST_CASE("a sweep of the switch cost alone puts it on the x axis") {
    const Output sweep = timeslice({"sweep", "examples/switch-cost.toml", "--switch-cost", "0..2"});
    CHECK(sweep.code == ExitCode::Ok);
    CHECK(sweep.out.find("round-robin (quantum 10) over switch cost 0, 1, 2\n") !=
          std::string::npos);
    CHECK(sweep.out.find("                  avg         avg   avg   context\n"
                         "switch cost  response  turnaround  wait  switches  makespan\n"
                         "          0      10.0        56.7  16.7         3       120\n"
                         "          1      11.0        58.7  18.7         3       123\n"
                         "          2      12.0        60.7  20.7         3       126\n") !=
          std::string::npos);
}

TEST_CASE("bad sweep input exits with 2, prints nothing on stdout and writes no file") {
    const std::filesystem::path csv = temp_file("ts-sweep-bad.csv");
    const std::vector<std::vector<std::string>> bad = {
        {"sweep", "--quantum", "1..x"},
        {"sweep", "--quantum", "200..1"},
        {"sweep", "--quantum", "0,5", "--csv", csv.string()},
        {"sweep"},
        {"sweep", "--quantum", "10"},
        {"sweep", "--aging", "1,2"},
        {"sweep", "--policy", "priority", "--aging", "1,2", "--preemptive", "0,1"},
        {"sweep", "--quantum", "1,2", "--switch-cost", "0..20"},
        {"sweep", "--policy", "bogus", "--quantum", "1,2"},
        {"sweep", "--quantum", "1,2", "--csv", "/nonexistent-dir/sweep.csv"},
        {"sweep", "examples/no-such-file.toml", "--quantum", "1,2"},
    };
    for (const auto& args : bad) {
        CAPTURE(args.back());
        const Output out = timeslice(args);
        CHECK(out.code == ExitCode::BadInput);
        CHECK(out.out.empty());
        CHECK(out.err.rfind("timeslice: error: ", 0) == 0);
    }
    CHECK_FALSE(std::filesystem::exists(csv));
    CHECK(timeslice({"sweep"}).err ==
          "timeslice: error: sweep: give one parameter several values, e.g. --quantum 1..200 or "
          "--switch-cost 0..10\n");
}

TEST_CASE("a sweep whose --svg cannot be written leaves --csv untouched") {
    const std::filesystem::path csv = temp_file("ts-sweep-untouched.csv");
    const Output out = timeslice({"sweep", "--quantum", "1,2", "--csv", csv.string(), "--svg",
                                  "/nonexistent-dir/sweep.svg"});
    CHECK(out.code == ExitCode::BadInput);
    CHECK_FALSE(std::filesystem::exists(csv));
}

TEST_CASE("a sweep keeps an existing --csv as it was when --svg cannot be written") {
    const std::filesystem::path csv = temp_file("ts-sweep-kept.csv");
    std::ofstream(csv) << "kept\n";
    const Output out = timeslice({"sweep", "--quantum", "1,2", "--csv", csv.string(), "--svg",
                                  "/nonexistent-dir/sweep.svg"});
    CHECK(out.code == ExitCode::BadInput);
    std::ifstream in(csv);
    std::string line;
    std::getline(in, line);
    CHECK(line == "kept");
}

TEST_CASE("sweep refuses --csv and --svg naming the same file") {
    const std::filesystem::path path = temp_file("ts-sweep-same.out");
    const Output out =
        timeslice({"sweep", "--quantum", "1,2", "--csv", path.string(), "--svg", path.string()});
    CHECK(out.code == ExitCode::BadInput);
    CHECK(out.err.find("--csv and --svg name the same file") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("a sweep whose runs reach --max-ticks exits with 3 and names those runs") {
    const Output sweep = timeslice(
        {"sweep", "examples/switch-cost.toml", "--quantum", "5,10", "--max-ticks", "100"});
    CHECK(sweep.code == ExitCode::Stopped);
    CHECK(sweep.out.find("\nquantum 5: stopped at tick 100") != std::string::npos);
    CHECK(sweep.out.find("\nquantum 10: stopped at tick 100") != std::string::npos);
}

TEST_CASE("a sweep's table fits 80 columns, its long description wrapped") {
    const Output sweep = timeslice({"sweep", "--quantum", "1..200", "--switch-cost", "0,1,5"});
    CHECK(sweep.code == ExitCode::Ok);
    CHECK(count(sweep.out, "\n") == 4 + 2 + 3 * 41 + 2);  // Heading, header, rows, gaps.
    const Output mlfq = timeslice({"sweep", "examples/convoy.toml", "--policy", "mlfq",
                                   "--allotment", "5..200", "--switch-cost", "0,2,4,6,8"});
    CHECK(mlfq.out.find("mlfq (levels 3, quantum 10, boost 1000) over allotment 5 to 200 (40 "
                        "values);\n  switch cost 0, 2, 4, 6, 8\n") != std::string::npos);
    for (const Output& out : {sweep, mlfq}) {
        std::istringstream lines(out.out);
        for (std::string line; std::getline(lines, line);) CHECK(line.size() <= 80);
    }
}

TEST_CASE("a sweep's table too wide for --width is split into tables that fit") {
    const Output sweep = timeslice({"sweep", "examples/switch-cost.toml", "--quantum", "1,5",
                                    "--switch-cost", "0,1", "--width", "40"});
    CHECK(sweep.code == ExitCode::Ok);
    std::istringstream lines(sweep.out);
    for (std::string line; std::getline(lines, line);) CHECK(line.size() <= 40);
    CHECK(sweep.out.find("         switch       avg         avg\n"
                         "quantum    cost  response  turnaround\n"
                         "      1       0       1.0        59.7\n") != std::string::npos);
    CHECK(sweep.out.find("         switch\n"
                         "quantum    cost  makespan\n"
                         "      1       0       120\n"
                         "      5       0       120\n"
                         "\n"
                         "      1       1       150\n") != std::string::npos);
}

TEST_CASE("a split sweep table leaves out a header line its part leaves blank") {
    const Output sweep =
        timeslice({"sweep", "examples/switch-cost.toml", "--quantum", "1,5", "--width", "50"});
    CHECK(sweep.code == ExitCode::Ok);
    CHECK(sweep.out.find("\n\n\n") == std::string::npos);
    CHECK(sweep.out.find("\n\nquantum  makespan\n      1       150\n      5       126\n") !=
          std::string::npos);
}

TEST_CASE("the progress bar shows only on a terminal, after its delay, and clears itself") {
    std::ostringstream quick;
    {
        ProgressBar bar(quick, true, std::chrono::hours(1));
        bar.update(1, 4);
    }
    CHECK(quick.str().empty());
    std::ostringstream not_a_terminal;
    ProgressBar(not_a_terminal, false, std::chrono::milliseconds(0)).update(1, 4);
    CHECK(not_a_terminal.str().empty());
    std::ostringstream slow;
    ProgressBar bar(slow, true, std::chrono::milliseconds(0));
    bar.update(1, 4);
    CHECK(slow.str() == "\rsweep [#######.......................] 1/4");
    bar.clear();
    CHECK(slow.str().ends_with("\r" + std::string(60, ' ') + "\r"));
}

TEST_CASE("a chart breaks a line where a value is missing and starts each y axis at 0") {
    LineChart chart;
    chart.title = "a <b> & c";
    chart.x = {1, 2, 3, 4};
    chart.series = {"only"};
    chart.panels = {{"figure", {{1.0, std::nullopt, 3.0, 4.0}}}};
    const std::string svg = render_svg(chart);
    CHECK(count(svg, "<polyline") == 2);
    CHECK(count(svg, "<circle") == 3);
    CHECK(svg.find("<title>a &lt;b&gt; &amp; c</title>") != std::string::npos);
    CHECK(svg.find("text-anchor=\"end\">0</text>") != std::string::npos);
    CHECK(svg.find(">-0<") == std::string::npos);
}

}  // namespace timeslice::test
