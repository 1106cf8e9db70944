#!/usr/bin/env bash
# Measure our echo example side by side with the anchors (raw epoll, Tokio 1.x, Asio) in one
# run of the anchors' run.sh, then print its tables plus the ratios issue 5 sets goals on.
#
#   tools/bench/compare_echo.sh [options]
#     -b PATH   our echo server (takes the listen address as argv[1])
#               (default: build-release/examples/echo under the repository root)
#     -e CMD    command template instead of "-b": {port} and {workers} are replaced
#               (to test the script against another server, e.g. a copy of echo_asio)
#     -a DIR    built anchors (default ${ANCHORS_DIR:-/tmp/tokio-anchors}; build them with
#               /work/shared/anchors/setup.sh)
#     -d SEC    measured seconds per run (default 3)     -w SEC  warm-up (default 1)
#     -r N      repetitions (default 3)
#     -C LIST   ping-pong connection counts (default 1,16,128,1000), 64-byte messages
#     -B LIST   bulk connection counts (default 1,16), 16 KiB chunks
#     -S LIST   anchor servers (default epoll1,asio1,tokio_ct,tokio_mt1,epoll2,asio2,asio2pool,tokio_mt2)
#     -x ENTRY  more servers for run.sh, "name|threads|command with {port}" (repeatable)
#     -o DIR    output directory (default build-compare/<date> under the repository root)
#
# Our server runs twice: "ours1" with TOKIO_WORKER_THREADS=1 (one thread, `same` placement: server
# and load generator on CPU 1) and "ours2" with TOKIO_WORKER_THREADS=2 (two workers, unpinned, as
# run.sh runs every 2-thread server). The echo example reads TOKIO_WORKER_THREADS: 1 = one thread
# (its fastest one-thread runtime), N >= 2 = N workers. Names with a "2" are compared with
# the 2-thread anchors (run.sh and summarize.py go by the digit).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

BIN="$ROOT/build-release/examples/echo" TEMPLATE="" ANCHORS="${ANCHORS_DIR:-/tmp/tokio-anchors}"
DUR=3 WARM=1 REPS=3 PP_CONNS="1,16,128,1000" BULK_CONNS="1,16"
ANCHOR_SERVERS="epoll1,asio1,tokio_ct,tokio_mt1,epoll2,asio2,asio2pool,tokio_mt2"
EXTRA=() OUT="$ROOT/build-compare/$(date +%Y%m%d-%H%M%S)"
while getopts "b:e:a:d:w:r:C:B:S:x:o:h" o; do
  case $o in
    b) BIN=$OPTARG ;; e) TEMPLATE=$OPTARG ;; a) ANCHORS=$OPTARG ;; d) DUR=$OPTARG ;;
    w) WARM=$OPTARG ;; r) REPS=$OPTARG ;; C) PP_CONNS=$OPTARG ;; B) BULK_CONNS=$OPTARG ;;
    S) ANCHOR_SERVERS=$OPTARG ;; x) EXTRA+=("$OPTARG") ;; o) OUT=$OPTARG ;;
    *) sed -n '2,24p' "$0"; exit 1 ;;
  esac
done

[ -x "$ANCHORS/run.sh" ] && [ -x "$ANCHORS/bin/loadgen" ] || {
  echo "anchors not built in $ANCHORS: run /work/shared/anchors/setup.sh (or pass -a DIR)" >&2
  exit 1
}
if [ -z "$TEMPLATE" ]; then
  [ -x "$BIN" ] || { echo "our echo server $BIN not found: build it or pass -b / -e" >&2; exit 1; }
  BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"  # run.sh runs from its own folder
  # run.sh word-splits the command (no quoting), so the path must not contain spaces.
  TEMPLATE="env TOKIO_WORKER_THREADS={workers} $BIN 127.0.0.1:{port}"
fi
case $OUT in /*) ;; *) OUT="$PWD/$OUT" ;; esac
mkdir -p "$OUT"

ours() { echo "$1|$2|${TEMPLATE//\{workers\}/$2}"; }
EXTRA_SERVERS="$(ours ours1 1);$(ours ours2 2)"
for e in "${EXTRA[@]+"${EXTRA[@]}"}"; do EXTRA_SERVERS+=";$e"; done
SERVERS="$ANCHOR_SERVERS,ours1,ours2"
for e in "${EXTRA[@]+"${EXTRA[@]}"}"; do SERVERS+=",${e%%|*}"; done
export EXTRA_SERVERS

echo "# compare_echo: servers=$SERVERS"
echo "# EXTRA_SERVERS=$EXTRA_SERVERS"
# -P same: 1-thread servers share CPU 1 with the load generator (the only stable placement
# on these 2-CPU machines, see the anchors' README); 2-thread servers always run unpinned.
"$ANCHORS/run.sh" -m -P same -d "$DUR" -w "$WARM" -r "$REPS" -C "$PP_CONNS" -B "$BULK_CONNS" \
  -S "$SERVERS" -o "$OUT"

python3 - "$OUT/echo.csv" <<'EOF' | tee "$OUT/ratios.md"
# Ratios issue 5 sets goals on, from run.sh's echo.csv (medians over repetitions):
#   ours / raw epoll with the same thread count, ours / the better of Tokio and Asio.
import csv, statistics, sys
from collections import defaultdict

rows = list(csv.DictReader(open(sys.argv[1])))
hwm = defaultdict(list)
by_rep = defaultdict(dict)  # (server, mode, conns) -> {repetition: figure}
failed = defaultdict(int)
for r in rows:
    k = (r["server"], r["mode"], int(r["conns"]))
    if r["errors"] not in ("0", ""):
        failed[k] += 1
        continue
    fig = r["msgs_per_s"] if r["mode"] == "pingpong" else r["mb_per_s"]
    by_rep[k][r["rep"]] = float(fig)
    if float(r["vmhwm_kb"]) > 0:
        hwm[k].append(float(r["vmhwm_kb"]))
vals = {k: list(figs.values()) for k, figs in by_rep.items()}  # (server, mode, conns) -> [figure]

def med(k, d=vals):
    return statistics.median(d[k]) if d.get(k) else None

GROUPS = [  # (ours, raw epoll, Tokio and Asio with the same thread count, label, goal)
    # Issue 5's goals: >= 0.98 x raw epoll with one thread, >= the better of Tokio and
    # Asio with two workers.
    ("ours1", "epoll1", ["tokio_ct", "tokio_mt1", "asio1"], "1 thread [same]", "epoll >= 0.98"),
    ("ours2", "epoll2", ["tokio_mt2", "asio2", "asio2pool"], "2 workers [nopin]", "best >= 1.00"),
]
SIZE = {"pingpong": "64 B", "bulk": "16 KiB"}
def ratio(a, b):
    return f"{a / b:.2f}" if a and b else "-"
def verdict(got, goal):  # got: the ratio the goal is about, or None
    return "-" if got is None else ("met" if got >= float(goal.split()[-1]) else "MISSED")

print("\n### Ours against the anchors (ratios of medians; ping-pong msgs/s, bulk MB/s)\n")
print("| workload | ours | ours figure | ours / raw epoll | ours / best of Tokio, Asio (which) | goal |")
print("|---|---|---|---|---|---|")
for mode in ("pingpong", "bulk"):
    conns = sorted({k[2] for k in list(vals) + list(failed) if k[1] == mode})
    for c in conns:
        for ours, epoll, rivals, label, goal in GROUPS:
            mine = med((ours, mode, c))
            if mine is None and not failed.get((ours, mode, c)):
                continue
            best = max(((med((s, mode, c)), s) for s in rivals if med((s, mode, c))), default=(None, "-"))
            fig = "FAILED" if mine is None else (f"{mine:,.0f}" if mode == "pingpong" else f"{mine:,.1f}")
            if failed.get((ours, mode, c)):
                fig += f" ({failed[(ours, mode, c)]} failed)"
            vs_epoll, vs_best = ratio(mine, med((epoll, mode, c))), ratio(mine, best[0])
            got = vs_epoll if goal.startswith("epoll") else vs_best
            print(f"| {mode} {SIZE[mode]} C={c} | {label} | {fig} | {vs_epoll} | {vs_best} ({best[1]}) | "
                  f"{goal}: {verdict(None if got == '-' else float(got), goal)} |")

# The machine switches speed within a run, so a ratio of medians can pair a fast run of
# one server with a slow run of another. run.sh runs every server once per repetition,
# one after the other: the ratio within each repetition, then the median of those, is
# less exposed to that. Tokio's own ratio to raw epoll is printed beside ours.
def paired(a, b_list, mode, c):
    out = []
    for rep, mine in by_rep.get((a, mode, c), {}).items():
        ref = [by_rep[(b, mode, c)][rep] for b in b_list if rep in by_rep.get((b, mode, c), {})]
        if ref:
            out.append(mine / max(ref))
    return out

def show(rs):
    return f"{statistics.median(rs):.2f} [{min(rs):.2f}-{max(rs):.2f}]" if rs else "-"

print("\n### Paired ratios (per repetition, then the median [range] over repetitions)\n")
print("| workload | ours | ours / raw epoll | Tokio / raw epoll | ours / best of Tokio, Asio | goal |")
print("|---|---|---|---|---|---|")
for mode in ("pingpong", "bulk"):
    conns = sorted({k[2] for k in by_rep if k[1] == mode})
    for c in conns:
        for ours, epoll, rivals, label, goal in GROUPS:
            if (ours, mode, c) not in by_rep:
                continue
            vs_epoll = paired(ours, [epoll], mode, c)
            tokio = paired(rivals[0], [epoll], mode, c)
            vs_best = paired(ours, rivals, mode, c)
            got = vs_epoll if goal.startswith("epoll") else vs_best
            print(f"| {mode} {SIZE[mode]} C={c} | {label} | {show(vs_epoll)} | {show(tokio)} ({rivals[0]}) | "
                  f"{show(vs_best)} | {goal}: {verdict(statistics.median(got) if got else None, goal)} |")

c_max = max((k[2] for k in vals if k[1] == "pingpong"), default=None)
if c_max:
    print(f"\n### Peak RSS (VmHWM) of the server at ping-pong C={c_max}, median kB\n")
    print("| server | VmHWM kB |")
    print("|---|---|")
    for s in sorted({k[0] for k in hwm if k[1] == "pingpong" and k[2] == c_max}):
        print(f"| {s} | {med((s, 'pingpong', c_max), hwm):,.0f} |")
    # Goal: ours <= Asio's with the same thread count.
    for ours, asio in (("ours1", "asio1"), ("ours2", "asio2")):
        a, b = med((ours, "pingpong", c_max), hwm), med((asio, "pingpong", c_max), hwm)
        if a and b:
            print(f"\n{ours} / {asio} peak RSS: {a / b:.2f} (goal <= 1.00: {'met' if a <= b else 'MISSED'})")
EOF
echo "results in $OUT (summary.md: run.sh's tables, ratios.md: ours against the anchors)"
