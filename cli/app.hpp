// The `timeslice` command line: parses arguments, runs scenarios, prints reports.
// Kept apart from main() so the tests can run it with captured output.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace timeslice {

/// Terminal is what the app knows of where its output goes.
struct Terminal {
    bool is_tty = false;      ///< Standard output is a terminal.
    int width = 80;           ///< Its width in columns (80 when not a terminal).
    bool no_color = false;    ///< NO_COLOR is set to a non-empty value.
    bool err_is_tty = false;  ///< Standard error is a terminal (for progress bars).
};

/// ExitCode is the exit status of the timeslice command.
enum class ExitCode {
    Ok = 0,          ///< Every task ended.
    TaskFailed = 1,  ///< A task's code threw; the others ran on.
    BadInput = 2,    ///< Bad arguments or a malformed scenario; nothing was printed.
    Stopped = 3,     ///< A limit (--max-ticks) stopped the run; what ran was printed.
};

/// run_app() runs the command `args` (without the program name), writing the
/// report to `out` and messages to `err`, and returns the exit code.
ExitCode run_app(const std::vector<std::string>& args, const Terminal& terminal, std::ostream& out,
                 std::ostream& err);

/// detect_terminal() looks at the real standard output and environment.
Terminal detect_terminal();

}  // namespace timeslice
