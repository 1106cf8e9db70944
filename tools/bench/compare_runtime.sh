#!/usr/bin/env bash
# Runs the anchors' rt_tokio and rt_asio (../shared/anchors) and our bench_runtime one
# after the other with the same settings, and prints a markdown table of ns/op with the
# ratios ours/Tokio, ours/Asio and ours/best (the better of the two), per runtime
# (ct = current_thread, mtN = N workers). A ratio at or below 1.00 meets the goal.
#
#   tools/bench/compare_runtime.sh [-b bench_runtime] [-a anchors_bin_dir] [-T ms]
#                                  [-t threads] [-r mt|ct|both] [-n rounds]
#                                  [-f ns_per_op|min_ns_per_op] [-o raw_output_file]
#                                  [-i raw_input_file]
#
# -n rounds: every round runs the three programs in turn; each cell is the best (lowest)
# value of -f over the rounds, which filters out the other load of a shared machine.
# -o keeps the BENCH lines; -i prints the table from such a file without running anything.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bench="$here/../../build/tools/bench/bench_runtime"
anchors=/tmp/tokio-anchors/bin
target_ms=1000
threads=2
runtime=both
rounds=1
field=ns_per_op
raw=""
input=""

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

while getopts "b:a:T:t:r:n:f:o:i:h" opt; do
  case "$opt" in
    b) bench=$OPTARG ;;
    a) anchors=$OPTARG ;;
    T) target_ms=$OPTARG ;;
    t) threads=$OPTARG ;;
    r) runtime=$OPTARG ;;
    n) rounds=$OPTARG ;;
    f) field=$OPTARG ;;
    o) raw=$OPTARG ;;
    i) input=$OPTARG ;;
    h) usage 0 ;;
    *) usage 1 ;;
  esac
done

out=$(mktemp)
trap 'rm -f "$out"' EXIT
if [[ -n "$input" ]]; then
  grep '^BENCH' "$input" >"$out"
  rounds=0
else
  for prog in "$anchors/rt_tokio" "$anchors/rt_asio" "$bench"; do
    [[ -x "$prog" ]] || { echo "compare_runtime.sh: $prog is missing (build it first)" >&2; exit 1; }
  done
fi
for ((round = 1; round <= rounds; round++)); do
  echo "round $round/$rounds (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  "$anchors/rt_tokio" -r "$runtime" -t "$threads" -T "$target_ms" | grep '^BENCH' >>"$out"
  "$anchors/rt_asio" -r "$runtime" -t "$threads" -T "$target_ms" | grep '^BENCH' >>"$out"
  "$bench" -r "$runtime" -t "$threads" -T "$target_ms" | grep '^BENCH' >>"$out"
done
[[ -z "$raw" ]] || cp "$out" "$raw"

# The BENCH lines are `key=value` words: keep the lowest `field` per (impl, rt, name).
awk -v field="$field" -v runtime="$runtime" -v threads="$threads" '
  function ratio(a, b) { return (a == "" || b == "") ? "–" : sprintf("%.2f", a / b) }
  function cell(v) { return v == "" ? "–" : sprintf("%.0f", v) }
  /^BENCH/ {
    delete kv
    for (i = 2; i <= NF; i++) { split($i, p, "="); kv[p[1]] = p[2] }
    key = kv["impl"] SUBSEP kv["rt"] SUBSEP kv["name"]
    if (!(key in best) || kv[field] + 0 < best[key]) best[key] = kv[field] + 0
    if (!(kv["name"] in seen)) { seen[kv["name"]] = 1; names[++n] = kv["name"] }
  }
  END {
    nrt = 0
    if (runtime == "ct" || runtime == "both") rts[++nrt] = "ct"
    if (runtime == "mt" || runtime == "both") rts[++nrt] = "mt" threads
    printf "%s per op (best of the rounds); ratios: ours / anchor (<= 1.00 meets the goal)\n\n", field
    head = "| case |"; rule = "|---|"
    for (r = 1; r <= nrt; r++) {
      rt = rts[r]
      head = head sprintf(" Tokio %s | Asio %s | ours %s | ours/Tokio | ours/Asio | ours/best |", rt, rt, rt)
      rule = rule "---:|---:|---:|---:|---:|---:|"
    }
    print head; print rule
    for (i = 1; i <= n; i++) {
      name = names[i]; line = "| " name " |"
      for (r = 1; r <= nrt; r++) {
        rt = rts[r]
        t = (("tokio" SUBSEP rt SUBSEP name) in best) ? best["tokio" SUBSEP rt SUBSEP name] : ""
        a = (("asio" SUBSEP rt SUBSEP name) in best) ? best["asio" SUBSEP rt SUBSEP name] : ""
        o = (("ours" SUBSEP rt SUBSEP name) in best) ? best["ours" SUBSEP rt SUBSEP name] : ""
        b = t
        if (a != "" && (b == "" || a < b)) b = a
        line = line sprintf(" %s | %s | %s | %s | %s | %s |", cell(t), cell(a), cell(o), ratio(o, t), ratio(o, a), ratio(o, b))
      }
      print line
    }
  }
' "$out"
