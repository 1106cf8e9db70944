#!/usr/bin/env bash
# Alternating A/B runs of echo servers, for differences of a few per cent that a
# single compare_echo.sh run cannot settle on a noisy machine (docs/performance.md).
#
#   tools/bench/ab_echo.sh [options] NAME=COMMAND [NAME=COMMAND ...]
#     COMMAND   a server command line; {port} is replaced by the port
#     -n N      rounds (default 6); each round runs every server once, the first server
#               of round i being server i mod count, so no server always runs first
#     -c N      connections (default 128)      -s BYTES  message size (default 64)
#     -d SEC    measured seconds per run (default 2)
#     -m MODE   loadgen mode: pingpong (default) or bulk
#     -u CPU    the CPU that server and load generator share (default 1: `same` placement);
#               `none` runs both unpinned (for multi-threaded servers, as run.sh does)
#     -p PORT   port (default 7150)
#     -a DIR    built anchors (default ${ANCHORS_DIR:-/tmp/tokio-anchors})
#
# Each run prints msgs/s (MB/s in bulk mode) and the server's CPU time per message (all its
# threads, from /proc/<pid>/task/*/schedstat, over the load generator's whole run). At the
# end: per server, the sorted ratios to the first server's figure in the same round, and
# their median.
#
# Example: ours against the raw epoll loop and Tokio current_thread, C=1000
#   tools/bench/ab_echo.sh -c 1000 epoll='/tmp/tokio-anchors/bin/echo_epoll -p {port}' \
#     ours='env TOKIO_WORKER_THREADS=1 build-release/examples/echo 127.0.0.1:{port}' \
#     tokio_ct='/tmp/tokio-anchors/bin/echo_tokio -p {port} -r ct'
set -euo pipefail

ROUNDS=6 CONNS=128 SIZE=64 DUR=2 MODE=pingpong CPU=1 PORT=7150 ANCHORS="${ANCHORS_DIR:-/tmp/tokio-anchors}"
while getopts "n:c:s:d:m:u:p:a:h" o; do
  case $o in
    n) ROUNDS=$OPTARG ;; c) CONNS=$OPTARG ;; s) SIZE=$OPTARG ;; d) DUR=$OPTARG ;;
    m) MODE=$OPTARG ;; u) CPU=$OPTARG ;; p) PORT=$OPTARG ;; a) ANCHORS=$OPTARG ;;
    *) sed -n '2,24p' "$0"; exit 1 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { sed -n '2,24p' "$0"; exit 1; }
LOADGEN="$ANCHORS/bin/loadgen"
[ -x "$LOADGEN" ] || { echo "no load generator at $LOADGEN: run /work/shared/anchors/setup.sh (or pass -a DIR)" >&2; exit 1; }

NAMES=() COMMANDS=()
for spec in "$@"; do
  [[ $spec == *=* ]] || { echo "not NAME=COMMAND: $spec" >&2; exit 1; }
  NAMES+=("${spec%%=*}")
  COMMANDS+=("${spec#*=}")
done
COUNT=${#NAMES[@]}

PIN=(taskset -c "$CPU")
[ "$CPU" = none ] && PIN=()

cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {print s + 0}'; }

wait_listening() {  # up to 5 s for the server to accept on the port
  for _ in $(seq 50); do
    (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# run_one INDEX: prints "figure cpu_ns_per_message"
run_one() {
  local cmd=${COMMANDS[$1]//\{port\}/$PORT}
  # shellcheck disable=SC2086  # the command is split into words on purpose
  "${PIN[@]}" $cmd >/dev/null 2>&1 &
  local pid=$!
  wait_listening || { kill "$pid" 2>/dev/null; echo "${NAMES[$1]} did not listen on $PORT" >&2; exit 1; }
  local c0 out c1
  c0=$(cpu_ns "$pid")
  out=$("${PIN[@]}" "$LOADGEN" -p "$PORT" -c "$CONNS" -s "$SIZE" -m "$MODE" -d "$DUR" -w 0 2>&1 | grep RESULT)
  c1=$(cpu_ns "$pid")
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  local key=msgs_per_s
  [ "$MODE" = bulk ] && key=mb_per_s
  local figure msgs
  figure=$(tr ' ' '\n' <<<"$out" | grep "^$key=" | cut -d= -f2)
  msgs=$(tr ' ' '\n' <<<"$out" | grep "^msgs_per_s=" | cut -d= -f2)
  awk -v f="$figure" -v m="$msgs" -v c=$((c1 - c0)) -v d="$DUR" 'BEGIN {printf "%s %.0f\n", f, (m > 0 ? c / (m * d) : 0)}'
}

placement="CPU $CPU shared"
[ "$CPU" = none ] && placement="unpinned"
echo "# $MODE c=$CONNS s=$SIZE d=$DUR, $placement, $ROUNDS rounds; figure / server CPU ns per message"
declare -A FIG
for ((r = 0; r < ROUNDS; r++)); do
  line="round $((r + 1)):"
  for ((k = 0; k < COUNT; k++)); do
    i=$(((r + k) % COUNT))
    read -r figure cpu < <(run_one "$i")
    FIG[$r,$i]=$figure
    line+="  ${NAMES[$i]} $figure / ${cpu} ns"
  done
  echo "$line"
done

echo "# ratio to ${NAMES[0]} in the same round, sorted; median"
for ((i = 1; i < COUNT; i++)); do
  ratios=$(for ((r = 0; r < ROUNDS; r++)); do
    awk -v a="${FIG[$r,$i]}" -v b="${FIG[$r,0]}" 'BEGIN {if (b > 0) printf "%.3f\n", a / b}'
  done | sort -n)
  median=$(awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}' <<<"$ratios")
  echo "${NAMES[$i]} / ${NAMES[0]}: $(tr '\n' ' ' <<<"$ratios")| median $median"
done
