// Implements the benchmark's repetitions: take_turns() in this process, and in a
// forked child that sends its figures back through a pipe.
#include "turns.hpp"

#include <fmt/format.h>
#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <stdexcept>

#include "bench.hpp"

namespace timeslice::bench {
namespace {

/// run_child() is a forked child's whole life: it takes the turns, writes every
/// value to `out` and ends the process without returning.
[[noreturn]] void run_child(int out, int repetitions,
                            const std::vector<Measurement>& measurements) {
    int status = 0;
    try {
        for (const Series& s : take_turns(repetitions, measurements)) {
            const auto bytes = static_cast<ssize_t>(s.size() * sizeof(double));
            if (::write(out, s.data(), static_cast<std::size_t>(bytes)) != bytes) status = 1;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "timeslice_bench: in the child process: %s\n", e.what());
        status = 1;
    }
    ::_exit(status);
}

/// read_all() reads exactly `size` bytes from `fd` into `out`; returns whether it could.
bool read_all(int fd, void* out, std::size_t size) {
    char* p = static_cast<char*>(out);
    while (size > 0) {
        const ssize_t got = ::read(fd, p, size);
        if (got <= 0) return false;
        p += got;
        size -= static_cast<std::size_t>(got);
    }
    return true;
}

}  // namespace

void use_memory(Memory memory) {
    fresh_traces = memory == Memory::Fresh;
    if (memory == Memory::Fresh) {
        ::mallopt(M_MMAP_THRESHOLD, 128 * 1024);
        ::mallopt(M_TRIM_THRESHOLD, 128 * 1024);
    } else {
        ::mallopt(M_MMAP_MAX, 0);
        ::mallopt(M_TRIM_THRESHOLD, 1 << 30);
    }
}

std::vector<Series> take_turns(int repetitions, const std::vector<Measurement>& measurements) {
    for (const Measurement& measure : measurements) measure();
    std::vector<Series> series(measurements.size());
    for (int round = 0; round < repetitions; ++round) {
        for (std::size_t i = 0; i < measurements.size(); ++i) {
            series[i].push_back(measurements[i]());
        }
    }
    return series;
}

ChildRun take_turns_in_child(int repetitions, const std::vector<Measurement>& measurements,
                             Memory memory) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe() failed");
    std::fflush(nullptr);
    const pid_t child = ::fork();
    if (child < 0) throw std::runtime_error("fork() failed");
    if (child == 0) {
        ::close(fds[0]);
        use_memory(memory);
        run_child(fds[1], repetitions, measurements);
    }
    ::close(fds[1]);
    ChildRun run{std::vector<Series>(measurements.size(), Series(repetitions)), 0};
    bool complete = true;
    for (Series& s : run.series)
        complete = complete && read_all(fds[0], s.data(), s.size() * sizeof(double));
    ::close(fds[0]);
    int status = 0;
    rusage usage{};
    if (::wait4(child, &status, 0, &usage) != child) throw std::runtime_error("wait4() failed");
    if (!complete || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw std::runtime_error(
            fmt::format("the child process failed (wait status {:#x})", status));
    }
    run.peak_rss_kib = static_cast<std::uint64_t>(usage.ru_maxrss);
    return run;
}

}  // namespace timeslice::bench
