#!/usr/bin/env bash
# Builds test/consumer/, a tiny user project, against tokio-cpp the two ways a user gets it
# (subprojects/README.md), and runs it:
#   1. subproject: a copy of this repo as subprojects/tokio-cpp, found through
#      `dependency('tokio-cpp', fallback: ['tokio-cpp', 'tokio_cpp_dep'])`;
#   2. installed: the subproject build of step 1 `meson install`ed into a temp prefix
#      (headers, static libraries, pkg-config file), and found through pkg-config with
#      the fallback disabled. Reusing step 1's build compiles the library once, not twice.
# Everything happens in a temp dir that is removed at the end; nothing is downloaded.
#
#   tools/consumer_test.sh [REPO_ROOT]     (registered as meson test `consumer`)
set -euo pipefail

repo="$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")/..}" && pwd)"
export CC="${CC:-gcc}" CXX="${CXX:-g++}"
jobs=2

tmp="$(mktemp -d "${TMPDIR:-/tmp}/tokio-cpp-consumer.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

step() { printf '==> %s\n' "$*"; }

consumer="$tmp/consumer"
mkdir -p "$consumer/subprojects/tokio-cpp"
cp -a "$repo/test/consumer/." "$consumer/"
# The copy a user would drop into subprojects/: the repo without build dirs or .git.
(cd "$repo" && tar --exclude='./build*' --exclude='./.git' -cf - .) |
  tar -xf - -C "$consumer/subprojects/tokio-cpp"

step "1/2 tokio-cpp as a subproject (fallback)"
# buildtype plain (no -O, no -g) and the libraries as unity files: this checks that the
# build and the install work, not the code, and compiles in a third of the default's time.
meson setup "$tmp/build-sub" "$consumer" --wrap-mode=nodownload --force-fallback-for=tokio-cpp \
  --prefix="$tmp/prefix" --libdir=lib --buildtype=plain -Dtokio-cpp:unity_lib=true
ninja -C "$tmp/build-sub" -j"$jobs"
"$tmp/build-sub/consumer"

step "2/2 tokio-cpp installed, found with pkg-config"
meson install -C "$tmp/build-sub" --quiet
rm -rf "$consumer/subprojects"
PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}" \
  meson setup "$tmp/build-installed" "$consumer" --wrap-mode=nofallback --buildtype=plain
ninja -C "$tmp/build-installed" -j"$jobs"
"$tmp/build-installed/consumer"

step "consumer: ok"
