#!/usr/bin/env bash
# Builds and tests tokio-cpp under the sanitizers (STYLE 5.9).
#
#   tools/sanitize.sh asan   build-asan/: AddressSanitizer + UBSan; every suite but model
#   tools/sanitize.sh tsan   build-tsan/: ThreadSanitizer (gcc 12 + libtsan2); unit suite
#   tools/sanitize.sh all    both
#   extra arguments after the mode go to `meson test` (e.g. --suite integration)
#
# Reports stop the test (halt_on_error), so a finding is a failing test. TSan suppressions
# live in tools/tsan.supp, each with the reason it is not a bug. Boost.Context fibers
# confuse both sanitizers (Debian's Boost uses fcontext), so these builds set
# -Dfibers=disabled; they also set -Dwerror=false, because gcc 12's sanitizer
# instrumentation raises false -Wmaybe-uninitialized warnings (the plain build keeps
# -Werror). The summary line `N passed, N failed` comes last.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
JOBS=2

mode="${1:-}"
shift || true
case "$mode" in
  asan | tsan | all) ;;
  *)
    echo "usage: $0 asan|tsan|all [meson test args...]" >&2
    exit 2
    ;;
esac

log() { printf '==> %s\n' "$*"; }

# prepare DIR OPTIONS...: configure (or re-apply options to) DIR and build it; sets
# `names` to the tests to run (empty = all). A failed configure returns 1; a failed build
# writes meson-logs/build-failed (counted as a failure by tools/count_tests.py) and keeps
# only the tests whose programs did build (tools/runnable_tests.py).
names=()
prepare() {
  local dir="$1"
  shift
  names=()
  rm -f "$dir/meson-logs/testlog.json" "$dir/meson-logs/build-failed"
  if [[ -f "$dir/meson-private/coredata.dat" ]]; then
    meson setup --reconfigure "$dir" --wrap-mode=nodownload "$@" >/dev/null || return 1
  else
    CC=gcc CXX=g++ meson setup "$dir" --wrap-mode=nodownload "$@" || return 1
  fi
  if ! ninja -C "$dir" -j"$JOBS" -k 0; then
    log "build of $dir FAILED; running the tests that did build"
    echo "ninja -C $dir failed" >"$dir/meson-logs/build-failed"
    mapfile -t names < <(python3 tools/runnable_tests.py "$dir")
    ((${#names[@]} > 0)) || return 1
  fi
}

dirs=()

run_asan() {
  log "AddressSanitizer + UndefinedBehaviorSanitizer in build-asan"
  if prepare build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dfibers=disabled \
    -Dwerror=false; then
    UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}" \
    ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_init_order=1}" \
      meson test -C build-asan --no-rebuild --no-suite model --print-errorlogs \
      --timeout-multiplier 3 "$@" "${names[@]}" || true
  fi
  dirs+=(build-asan)
}

run_tsan() {
  log "ThreadSanitizer in build-tsan (unit suite)"
  if prepare build-tsan -Db_sanitize=thread -Db_lundef=false -Dfibers=disabled \
    -Dwerror=false; then
    local suites=(--suite unit)
    if (($# > 0)); then
      suites=()
    fi
    TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1 second_deadlock_stack=1 suppressions=$root/tools/tsan.supp}" \
      meson test -C build-tsan --no-rebuild "${suites[@]}" --print-errorlogs \
      --timeout-multiplier 5 "$@" "${names[@]}" || true
  fi
  dirs+=(build-tsan)
}

case "$mode" in
  asan) run_asan "$@" ;;
  tsan) run_tsan "$@" ;;
  all)
    run_asan "$@"
    run_tsan "$@"
    ;;
esac

log "summary"
python3 tools/count_tests.py "${dirs[@]}"
