#!/usr/bin/env bash
# Runs Pond's benchmarks from a build folder (`make bench` calls `scripts/run-bench.sh build`),
# writes Google Benchmark JSON to <build>/bench-results/<name>.json and prints a summary of the
# ratios that docs/benchmarks.md reports (also saved as <build>/bench-results/summary.txt).
# Then it compares a 1M-row Arrow result converted in-process with the same result delivered
# by `pond serve` over loopback (bench/arrow_loopback_bench.cpp; results in
# <build>/bench-results/arrow_loopback.txt), unless POND_BENCH_SKIP_LOOPBACK=1. Then it runs
# the materialize benchmark (scripts/bench-materialize.sh: 2M rows from PostgreSQL and SQLite;
# results in <build>/bench-results/materialize.txt), unless POND_BENCH_SKIP_MATERIALIZE=1.
#
# Usage: scripts/run-bench.sh [build] [Google Benchmark flags...]
#   e.g. scripts/run-bench.sh build --benchmark_filter='sources:(10|100)/'
set -euo pipefail

build="${1:-build}"
[[ $# -gt 0 ]] && shift
out="$build/bench-results"
mkdir -p "$out"

# The open-workspace benchmark writes ~520 MB of small DuckDB files; keep them in a folder that
# is removed even when the run is interrupted.
if [[ -z "${POND_BENCH_DIR:-}" ]]; then
  POND_BENCH_DIR="$(mktemp -d -t pond-bench.XXXXXX)"
  trap 'rm -rf "$POND_BENCH_DIR"' EXIT
  export POND_BENCH_DIR
fi

for name in open_workspace statement_cache arrow_stream pg_copy_decode; do
  bin="$build/bench/pond_bench_$name"
  if [[ ! -x "$bin" ]]; then
    echo "run-bench: $bin is missing; configure with -DPOND_BUILD_BENCH=ON and build" >&2
    exit 1
  fi
  echo "== $name"
  rm -f "$out/$name.json"  # a filter that matches nothing must not leave an old result behind
  "$bin" --benchmark_out="$out/$name.json" --benchmark_out_format=json "$@"
done

python3 - "$out" <<'PY' | tee "$out/summary.txt"
import json, os, re, statistics, sys

out = sys.argv[1]
SCALE = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}  # to milliseconds


def load(name):
    path = os.path.join(out, name + ".json")
    if not os.path.exists(path):
        return {}, {}
    with open(path) as f:
        text = f.read()
    if not text.strip():  # the filter matched none of this program's benchmarks
        return {}, {}
    data = json.loads(text)
    # run_name -> (real ms, cpu ms): the median aggregate when there are repetitions, else the
    # median of the plain runs.
    runs, medians = {}, {}
    for b in data.get("benchmarks", []):
        if b.get("error_occurred"):
            continue
        scale = SCALE[b.get("time_unit", "ns")]
        point = (b["real_time"] * scale, b["cpu_time"] * scale)
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                medians[b["run_name"]] = point
        else:
            runs.setdefault(b["run_name"], []).append(point)
    result = {}
    for run_name, points in runs.items():
        result[run_name] = medians.get(run_name) or (
            statistics.median(p[0] for p in points), statistics.median(p[1] for p in points))
    return data.get("context", {}), result


def ratio(a, b):
    return f"{a / b:.2f}x" if a and b else "n/a"


def ms(value):
    return f"{value:.1f}" if value is not None else "n/a"


context, open_runs = load("open_workspace")
cache_context, cache_runs = load("statement_cache")
arrow_context, arrow_runs = load("arrow_stream")
context = context or cache_context or arrow_context

mem_gib = "?"
if os.path.exists("/proc/meminfo"):
    with open("/proc/meminfo") as f:
        kib = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
    mem_gib = f"{kib / 1048576:.1f}"
load_avg = context.get("load_avg", [])
print()
print("== summary")
print(f"date {context.get('date', '?')}, {os.cpu_count()} cores, {mem_gib} GiB memory, "
      f"load average {' '.join(f'{x:.2f}' for x in load_avg) or '?'}")
print("times are medians of the repetitions, shown as wall / process CPU")

table = {}
for run_name, point in open_runs.items():
    m = re.match(r"^(BM_\w+(?:/(?:duckdb|mixed))?)/sources:(\d+)", run_name)
    if m:
        table[(m.group(1), int(m.group(2)))] = point

if table:
    print()
    print("Open workspace (restore N sources + first query + close), milliseconds")
    print(f"{'sources':>8} {'workspace':>17} {'mixed':>17} {'bare open':>17} {'bare+1 attach':>17} "
          f"{'restore cost':>13} {'ws/bare':>8}")
    sizes = sorted({n for _, n in table})
    for n in sizes:
        ws = table.get(("BM_OpenWorkspace/duckdb", n))
        mixed = table.get(("BM_OpenWorkspace/mixed", n))
        bare = table.get(("BM_OpenBare", n))
        one = table.get(("BM_OpenBareAttachOne", n))
        cell = lambda p: f"{ms(p[0])} / {ms(p[1])}" if p else "n/a"
        restore = ms(ws[0] - bare[0]) if ws and bare else "n/a"
        print(f"{n:>8} {cell(ws):>17} {cell(mixed):>17} {cell(bare):>17} {cell(one):>17} {restore:>13} "
              f"{ratio(ws and ws[0], bare and bare[0]):>8}")
    if len(sizes) > 1:
        print("growth of the workspace open (wall / CPU):")
    for a, b in zip(sizes, sizes[1:]):
        wa, wb = table.get(("BM_OpenWorkspace/duckdb", a)), table.get(("BM_OpenWorkspace/duckdb", b))
        if wa and wb:
            print(f"  {b}/{a} sources: {ratio(wb[0], wa[0])} / {ratio(wb[1], wa[1])}")
    ws100 = table.get(("BM_OpenWorkspace/duckdb", 100))
    if ws100:
        verdict = "met" if ws100[0] < 150 else "MISSED"
        print(f"target: open + first query with 100 sources under 150 ms wall: {ms(ws100[0])} ms, {verdict}")

pairs = {}
for run_name, point in cache_runs.items():
    m = re.match(r"^BM_(\w+)/(cached|prepared_each_time)", run_name)
    if m:
        pairs.setdefault(m.group(1), {})[m.group(2)] = point
if pairs:
    print()
    print("Statement cache, microseconds per execution")
    print(f"{'query':>16} {'cached':>17} {'prepared each time':>19} {'speedup wall':>13} {'speedup CPU':>12}")
    for query, p in pairs.items():
        c, r = p.get("cached"), p.get("prepared_each_time")
        cell = lambda x: f"{x[0] * 1e3:.0f} / {x[1] * 1e3:.0f}" if x else "n/a"
        print(f"{query:>16} {cell(c):>17} {cell(r):>19} {ratio(r and r[0], c and c[0]):>13} "
              f"{ratio(r and r[1], c and c[1]):>12}")

if arrow_runs:
    rows = 1_000_000
    ipc_bytes = None
    with open(os.path.join(out, "arrow_stream.json")) as f:
        for b in json.load(f).get("benchmarks", []):
            if b.get("run_type") != "aggregate" and b.get("ipc_bytes"):
                ipc_bytes = b["ipc_bytes"]
    print()
    print("Arrow IPC, 1M-row mixed-type result (rates by wall / by CPU time)")
    print(f"{'benchmark':>20} {'ms':>17} {'M rows/s':>13} {'MB/s':>13}")
    for name in ("BM_ChunksToArrowIpc", "BM_QueryToArrowIpc", "BM_QueryOnly"):
        p = next((v for k, v in arrow_runs.items() if k.startswith(name)), None)
        if not p:
            continue
        rate = lambda t: f"{rows / t / 1e3:.2f}"
        mb = lambda t: f"{ipc_bytes / t / 1e3:.0f}" if ipc_bytes and name != "BM_QueryOnly" else "-"
        print(f"{name[3:]:>20} {ms(p[0]) + ' / ' + ms(p[1]):>17} {rate(p[0]) + ' / ' + rate(p[1]):>13} "
              f"{mb(p[0]) + ' / ' + mb(p[1]):>13}")
    if ipc_bytes:
        print(f"stream size: {ipc_bytes / 1e6:.1f} MB ({ipc_bytes / rows:.1f} bytes per row)")
PY
echo "results: $out/open_workspace.json, $out/statement_cache.json, $out/arrow_stream.json, $out/pg_copy_decode.json, $out/summary.txt"

if [[ ${POND_BENCH_SKIP_LOOPBACK:-0} != 1 ]]; then
  echo "== arrow_loopback"
  "$build/bench/pond_bench_arrow_loopback" --pond "$build/pond" --repetitions 7 | tee "$out/arrow_loopback.txt"
fi

if [[ ${POND_BENCH_SKIP_MATERIALIZE:-0} != 1 ]]; then
  echo "== materialize"
  "$(dirname "$0")/bench-materialize.sh" "$build"
fi
