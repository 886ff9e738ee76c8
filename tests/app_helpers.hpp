// Helpers for tests of the timeslice command: run it with captured output, and
// compare output with files checked in beside the sources.
#pragma once

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/app.hpp"

namespace timeslice::test {

/// Output is what one command printed, and its exit code.
struct Output {
    std::string out;
    std::string err;
    ExitCode code;
};

/// source_dir() returns the repository's top directory.
inline std::filesystem::path source_dir() { return TIMESLICE_SOURCE_DIR; }

/// timeslice() runs the command with `args` from the source directory, on a
/// pretend non-terminal 80 columns wide.
inline Output timeslice(const std::vector<std::string>& args, Terminal terminal = {}) {
    const std::filesystem::path previous = std::filesystem::current_path();
    std::filesystem::current_path(source_dir());
    std::ostringstream out;
    std::ostringstream err;
    const ExitCode code = run_app(args, terminal, out, err);
    std::filesystem::current_path(previous);
    return {out.str(), err.str(), code};
}

/// count() returns how many times `what` occurs in `text`, overlaps included.
inline std::size_t count(const std::string& text, std::string_view what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

/// scratch_path() returns a path in the temporary directory that no other test
/// process uses at the same time: `name` prefixed with the process id.
inline std::filesystem::path scratch_path(const std::string& name) {
    return std::filesystem::temp_directory_path() /
           ("timeslice-" + std::to_string(::getpid()) + "-" + name);
}

/// read_file() returns the contents of `path`, or "" if it does not exist.
inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// check_golden() compares `actual` with the file `path`; with the environment
/// variable TIMESLICE_UPDATE_GOLDEN=1 it rewrites the file instead.
inline void check_golden(const std::string& actual, const std::filesystem::path& path) {
    if (const char* update = std::getenv("TIMESLICE_UPDATE_GOLDEN"); update && *update == '1') {
        std::ofstream(path, std::ios::binary) << actual;
        return;
    }
    INFO("golden file: " << path.string() << " (TIMESLICE_UPDATE_GOLDEN=1 rewrites it)");
    CHECK(actual == read_file(path));
}

}  // namespace timeslice::test
