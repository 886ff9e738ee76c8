// The timeslice executable: a thin shell around run_app().
#include <iostream>

#include "app.hpp"

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    return static_cast<int>(
        timeslice::run_app(args, timeslice::detect_terminal(), std::cout, std::cerr));
}
