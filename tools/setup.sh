#!/usr/bin/env bash
# Sets up, builds and tests tokio-cpp on Debian 12. Idempotent: run it as often as you like.
#
#   tools/setup.sh          install missing Debian packages only
#   tools/setup.sh demo     ... then build `build-release/` and run the demo: the echo
#                           example under the load generator for a few seconds
#   tools/setup.sh test     ... then build `build/` and `build-asan/` (ASan+UBSan), run
#                           `meson test` in both (all suites but stress; the model suite only in build/,
#                           the futures-layer and I/O API tests only in build-asan/), and
#                           print `N passed, N failed` as the last line
#
# Packages come from Debian's archive only (apt-get; sudo when not root). Builds use
# `--wrap-mode=nodownload`: nothing is fetched from WrapDB.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PACKAGES=(meson ninja-build g++ pkg-config libboost-context-dev libspdlog-dev libgtest-dev
          libgmock-dev libcli11-dev libfmt-dev relacy-dev python3)
JOBS=2
TEST_ARGS=(--no-suite stress --print-errorlogs)

log() { printf '==> %s\n' "$*"; }

install_packages() {
  local missing=() pkg
  for pkg in "${PACKAGES[@]}"; do
    if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" != "install ok installed" ]]; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  local sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    sudo=(sudo)
  fi
  log "installing: ${missing[*]}"
  "${sudo[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends \
    "${missing[@]}"
}

# configure DIR [meson options...]: sets DIR up, or re-applies the options to an existing
# configured DIR (wiping it if meson cannot reconfigure it, e.g. after a meson upgrade).
configure() {
  local dir="$1"
  shift
  if [[ -f "$dir/meson-private/coredata.dat" ]]; then
    # `meson configure` first: meson 1.0's `setup --reconfigure` ignores -D base options
    # such as b_lto.
    { meson configure "$dir" "$@" >/dev/null &&
      meson setup --reconfigure "$dir" --wrap-mode=nodownload "$@" >/dev/null; } ||
      CC=gcc CXX=g++ meson setup --wipe "$dir" --wrap-mode=nodownload "$@"
  else
    CC=gcc CXX=g++ meson setup "$dir" --wrap-mode=nodownload "$@"
  fi
}

# build DIR: `-k 0` builds everything that can be built, so one broken file does not keep
# the other tests from running.
build() {
  ninja -C "$1" -j"$JOBS" -k 0
}

# The plain test build: -O1 (compiles 1.3x faster than -O2; the release build of the demo
# and benchmarks is -O3) with line tables only (-g1: full -g doubles the compile time of
# the template-heavy tests, and line tables are all a backtrace needs). unity_tests: the
# futures-layer test executables compile as a few unity files each.
TEST_BUILD_OPTS="-Doptimization=1 -Dcpp_args=-g1 -Dunity_tests=true -Dunity_lib=true"

# Sanitizer builds: fibers off (Boost.Context's fcontext confuses the sanitizers) and
# warnings not fatal: gcc 12's sanitizer instrumentation raises false -Wmaybe-uninitialized
# warnings, and the plain build already enforces -Werror. Cut for CI time (the sanitizer
# build is most of it; futures_unit's largest unity file, seconds: -O1 -g1 >120, -O0 -g1
# 88, -O0 -g0 76): -O0, and no debug info (a report names functions; rebuild with
# -Ddebug=true for file:line). The examples are not built: they run in build/, and what
# they call is covered by the tests here.
ASAN_OPTS="-Db_sanitize=address,undefined -Db_lundef=false -Dfibers=disabled -Dwerror=false -Doptimization=0 -Ddebug=false -Dcpp_args= -Dexamples=disabled -Dunity_tests=true -Dunity_lib=true"

# configure_and_test DIR "MESON OPTIONS" [meson test args...]: configures and builds DIR
# and runs its tests. A failed configure leaves no test log, and a failed build writes
# meson-logs/build-failed; tools/count_tests.py counts either as a failure. After a failed
# build the tests whose programs did build still run (tools/runnable_tests.py).
configure_and_test() {
  local dir="$1" opts="$2"
  shift 2
  rm -f "$dir/meson-logs/testlog.json" "$dir/meson-logs/build-failed"
  # shellcheck disable=SC2086 # opts is a list of words
  if ! configure "$dir" $opts; then
    log "configuring $dir FAILED"
    return 0
  fi
  local names=()
  if ! build "$dir"; then
    log "build of $dir FAILED; running the tests that did build"
    echo "ninja -C $dir failed" >"$dir/meson-logs/build-failed"
    mapfile -t names < <(python3 tools/runnable_tests.py "$dir")
    if ((${#names[@]} == 0)); then
      return 0
    fi
  fi
  meson test -C "$dir" --no-rebuild "${TEST_ARGS[@]}" "$@" "${names[@]}" || true
}

cmd="${1:-}"
case "$cmd" in
  "")
    install_packages
    ;;
  demo)
    install_packages
    # A release build of just what the demo needs (a broken test file elsewhere does not
    # stop it): the echo example and the load generator. Link-time optimisation, as the
    # anchors' Rust builds have (lto = "thin"): the reactor, pool and socket calls in lib/
    # inline into the per-message path (docs/performance.md, "Release builds use LTO").
    configure build-release -Dbuildtype=release -Db_lto=true -Dtests=disabled
    ninja -C build-release -j"$JOBS" examples/echo tools/loadgen/loadgen
    demo_addr="127.0.0.1:${DEMO_PORT:-6142}"
    log "running examples/echo on $demo_addr under tools/loadgen/loadgen (16 connections, 64-byte ping-pong, 3 s)"
    ./build-release/examples/echo "$demo_addr" >build-release/echo-demo.log 2>&1 &
    echo_pid=$!
    trap 'kill "$echo_pid" 2>/dev/null || true' EXIT
    ./build-release/tools/loadgen/loadgen "$demo_addr" -c 16 -s 64 -d 3
    log "and 16 KiB bulk on 4 connections (2 s)"
    ./build-release/tools/loadgen/loadgen "$demo_addr" -c 4 -s 16384 --bulk -d 2
    kill "$echo_pid" 2>/dev/null || true
    wait "$echo_pid" 2>/dev/null || true
    log "the server's output: build-release/echo-demo.log (first lines below)"
    head -3 build-release/echo-demo.log
    ;;
  test)
    install_packages
    # The plain build also builds and runs the Relacy model tests (suite model). The
    # futures-layer tests (the longest to compile) and the I/O API tests run once, in
    # build-asan/ only.
    configure_and_test build "$TEST_BUILD_OPTS -Drelacy=enabled -Dfutures_layer_tests=false -Dio_api_tests=false"
    # UBSan only reports unless told to stop; make each report fail the test.
    UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}" \
    ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_init_order=1}" \
      configure_and_test build-asan "$ASAN_OPTS" --timeout-multiplier 3
    log "summary"
    # Its last line is the summary; its status is ours.
    python3 tools/count_tests.py build build-asan
    ;;
  *)
    echo "usage: $0 [demo|test]" >&2
    exit 2
    ;;
esac
