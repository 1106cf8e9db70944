#!/usr/bin/env bash
# Builds test/consumer/, a tiny user project, against tokio-cpp the two ways a user gets it
# (subprojects/README.md), and runs it:
#   1. subproject: a copy of this repo as subprojects/tokio-cpp, found through
#      `dependency('tokio-cpp', fallback: ['tokio-cpp', 'tokio_cpp_dep'])`;
#   2. installed: tokio-cpp built with tests/examples off, `meson install`ed into a temp
#      prefix, and found through its pkg-config file (fallback disabled).
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
meson setup "$tmp/build-sub" "$consumer" --wrap-mode=nodownload --force-fallback-for=tokio-cpp
ninja -C "$tmp/build-sub" -j"$jobs"
"$tmp/build-sub/consumer"

step "2/2 tokio-cpp installed, found with pkg-config"
meson setup "$tmp/build-lib" "$repo" --prefix="$tmp/prefix" --libdir=lib \
  -Dtests=disabled -Dexamples=disabled --wrap-mode=nodownload
ninja -C "$tmp/build-lib" -j"$jobs"
meson install -C "$tmp/build-lib" --quiet
rm -rf "$consumer/subprojects"
PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}" \
  meson setup "$tmp/build-installed" "$consumer" --wrap-mode=nofallback
ninja -C "$tmp/build-installed" -j"$jobs"
"$tmp/build-installed/consumer"

step "consumer: ok"
