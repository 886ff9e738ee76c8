#!/usr/bin/env bash
# The one entry point for setting up, building and checking timeslice on Debian 12.
#   bash scripts/dev.sh demo    install what is missing, build, run the demo
#   bash scripts/dev.sh test    install what is missing, build, run every test
#   bash scripts/dev.sh asan    the tests built with AddressSanitizer and UBSan
#   bash scripts/dev.sh bench [--quick]   build and run the benchmark
# Installing uses apt-get for the packages that are missing and nothing else.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BUILD_PACKAGES=(g++ cmake ninja-build libboost-context1.81-dev libfmt-dev doctest-dev
                libcli11-dev libtomlplusplus-dev nlohmann-json3-dev)
BENCH_PACKAGES=(libboost-fiber1.81-dev)

# install PACKAGE... installs those of the packages that are not installed yet.
install() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

# build PRESET [TARGET] configures and builds with a CMake preset.
build() {
    cmake --preset "$1" >/dev/null && cmake --build --preset "$1" ${2:+--target "$2"}
}

# quiet_build() is build() that shows the build's output only when it fails.
quiet_build() {
    local log
    if ! log=$(build "$@" 2>&1); then
        printf '%s\n' "$log" >&2
        return 1
    fi
}

case "${1:-}" in
    demo)
        install "${BUILD_PACKAGES[@]}"
        quiet_build release timeslice
        ./build/release/cli/timeslice
        ;;
    test)
        install "${BUILD_PACKAGES[@]}"
        build release
        ctest --preset release
        ;;
    asan)
        install "${BUILD_PACKAGES[@]}"
        build asan
        ctest --preset asan
        ;;
    bench)
        install "${BUILD_PACKAGES[@]}" "${BENCH_PACKAGES[@]}"
        quiet_build bench timeslice_bench
        shift
        ./build/bench/bench/timeslice_bench "$@"
        ;;
    *)
        echo "usage: bash scripts/dev.sh demo|test|asan|bench [--quick]" >&2
        exit 2
        ;;
esac
