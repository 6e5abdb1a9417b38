#!/usr/bin/env bash
# The materialize benchmark of docs/benchmarks.md: a 2,000,000-row table in PostgreSQL and in
# SQLite, loaded into a file-backed Pond workspace with MATERIALIZE PERSISTENT, side by side
# with the limit (the least work any reader must do) and with what a user does today (export
# to CSV, then DuckDB's read_csv into a DuckDB file).
#
#   scripts/bench-materialize.sh [options] [build]
#     --rows N     rows in the table (default 2000000, or $POND_BENCH_MATERIALIZE_ROWS)
#     --reps N     measured repetitions after one warm-up round (default 3, or
#                  $POND_BENCH_MATERIALIZE_REPS); medians are reported
#     --smoke      10000 rows, 1 repetition, no warm-up: checks that every contender runs
#                  and that the loaded tables match their sources (the timings mean nothing)
#     --keep       keep the work folder (data files, CSV exports, workspaces)
#
# Each contender is its own process (or two, for the CSV routes) measured with GNU time
# (`/usr/bin/time -f '%e %M %U %S'`): wall seconds, peak RSS, user and system CPU. The rounds
# interleave the contenders, so a busy host slows them alike; ratios are taken within one run.
# A throwaway PostgreSQL cluster is started under <build>/bench-materialize (see
# scripts/pg-test-server.sh) and stopped at exit. Every loaded table is checked against its
# source: row count and sums over every column must be equal, else the script exits 1.
#
# Writes <build>/bench-results/materialize.json (every run) and materialize.txt (the summary,
# also printed). Needs psql, sqlite3, python3, /usr/bin/time and the targets `pond` and
# `pond_bench_sqlite_step`.
set -euo pipefail

rows=${POND_BENCH_MATERIALIZE_ROWS:-2000000}
reps=${POND_BENCH_MATERIALIZE_REPS:-3}
warmup=1
keep=0
build=build
while [[ $# -gt 0 ]]; do
  case $1 in
    --rows) rows=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --smoke) rows=10000; reps=1; warmup=0; shift ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,24p' "$0"; exit 0 ;;
    -*) echo "bench-materialize: unknown option $1" >&2; exit 2 ;;
    *) build=$1; shift ;;
  esac
done
[[ $rows =~ ^[1-9][0-9]*$ ]] || { echo "bench-materialize: --rows needs a positive integer" >&2; exit 2; }
[[ $reps =~ ^[1-9][0-9]*$ ]] || { echo "bench-materialize: --reps needs a positive integer" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$build" && pwd)
pond=$build/pond
step=$build/bench/pond_bench_sqlite_step
for tool in "$pond" "$step"; do
  [[ -x $tool ]] || { echo "bench-materialize: $tool is missing; build the targets pond and pond_bench_sqlite_step" >&2; exit 1; }
done
for tool in psql sqlite3 python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench-materialize: $tool is missing (scripts/setup.sh installs it)" >&2; exit 1; }
done

work=$build/bench-materialize
out=$build/bench-results
pgdir=$work/pg
rm -rf "$work"
mkdir -p "$work" "$out"
cleanup() {
  "$root/scripts/pg-test-server.sh" stop "$pgdir" >/dev/null 2>&1 || true
  if ((keep == 0)); then rm -rf "$work"; fi
}
trap cleanup EXIT

log() { echo "bench-materialize: $*" >&2; }

# --- PostgreSQL: a throwaway cluster and the table -------------------------------------------
log "starting PostgreSQL"
"$root/scripts/pg-test-server.sh" start "$pgdir" >/dev/null
export PGHOST=127.0.0.1 PGPORT PGUSER PGDATABASE PGPASSWORD
PGPORT=$(cat "$pgdir/port")
PGUSER=$(cat "$pgdir/user")
PGDATABASE=$(cat "$pgdir/database")
PGPASSWORD=$(cat "$pgdir/password")
export POND_BENCH_PGPASS=$PGPASSWORD  # read by the workspace's secret (PASSWORD_ENV)
psql_run() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

# The same deterministic values in both engines; name is 10-30 characters.
readonly letters='abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz'
log "generating $rows rows in PostgreSQL"
psql_run <<SQL
CREATE TABLE bench (id bigint, k integer, price double precision, amount numeric(12,2), name text,
                    flag boolean, d date, ts timestamp);
INSERT INTO bench
SELECT i, (i * 7919 % 100000)::integer, (i * 104729 % 1000003) / 100.0::float8,
       ((i * 15485863 % 100000000) / 100.0)::numeric(12,2),
       substr('$letters', (1 + i * 31 % 40)::integer, (10 + i % 21)::integer),
       i % 3 = 0, date '2000-01-01' + (i % 9000)::integer, timestamp '2020-01-01' + i * interval '1 second'
FROM generate_series(1::bigint, ${rows}::bigint) AS i;
VACUUM ANALYZE bench;
SQL

log "generating $rows rows in SQLite"
sqlite_file=$work/bench.sqlite
sqlite3 "$sqlite_file" <<SQL >/dev/null
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE bench (id INTEGER PRIMARY KEY, k INTEGER, price DOUBLE PRECISION, amount NUMERIC(12,2),
                    name TEXT, flag BOOLEAN, d DATE, ts TIMESTAMP);
INSERT INTO bench
SELECT value, value * 7919 % 100000, (value * 104729 % 1000003) / 100.0, (value * 15485863 % 100000000) / 100.0,
       substr('$letters', 1 + value * 31 % 40, 10 + value % 21),
       value % 3 = 0, date('2000-01-01', '+' || (value % 9000) || ' days'),
       datetime('2020-01-01', '+' || value || ' seconds')
FROM generate_series(1, $rows);
SQL

# --- Checksums: rows and one integer sum per column, equal in all three engines --------------
pg_sum=$(psql_run -At -F, -c "SELECT count(*), sum(id), sum(k), sum(round((price * 100)::numeric)),
  sum(amount * 100), sum(length(name)), count(*) FILTER (WHERE flag), sum(d - date '1970-01-01'),
  sum(extract(epoch FROM ts)::bigint) FROM bench")
sqlite_sum=$(sqlite3 -csv "$sqlite_file" "SELECT count(*), sum(id), sum(k), sum(CAST(round(price * 100) AS INTEGER)),
  sum(CAST(round(amount * 100) AS INTEGER)), sum(length(name)), sum(flag),
  sum(CAST(julianday(d) - 2440587.5 AS INTEGER)), sum(CAST(strftime('%s', ts) AS INTEGER)) FROM bench")
duck_sum() {
  "$pond" -w "$1" query -f csv "SELECT count(*), sum(id), sum(k), sum(round(price * 100))::BIGINT,
    sum(round(amount * 100))::BIGINT, sum(length(name)), count(*) FILTER (WHERE flag::BOOLEAN),
    sum(d - DATE '1970-01-01'), sum(epoch(ts)::BIGINT) FROM bench" | tail -n 1
}
pg_sum=${pg_sum//.00/}
[[ $pg_sum == "$sqlite_sum" ]] || { log "the generated tables differ: PostgreSQL $pg_sum, SQLite $sqlite_sum"; exit 1; }
log "source checksum: $pg_sum"

# --- Contenders -------------------------------------------------------------------------------
# A workspace that knows both sources; every Pond run starts from a fresh copy of it.
template=$work/template.duckdb
"$pond" -w "$template" query "CREATE PERSISTENT SECRET bench_pg (TYPE POSTGRES, USER '$PGUSER', PASSWORD_ENV 'POND_BENCH_PGPASS');
ATTACH 'host=127.0.0.1 port=$PGPORT dbname=$PGDATABASE' AS pg (TYPE POSTGRES, SECRET bench_pg);
ATTACH '$sqlite_file' AS lite (TYPE SQLITE)" >/dev/null

runs=$work/runs.tsv
: >"$runs"
# timed LABEL ROUND COMMAND...: runs COMMAND under GNU time, appends "label round wall rss user sys".
timed() {
  local label=$1 round=$2
  shift 2
  local stats=$work/time.txt
  if ! /usr/bin/time -f '%e %M %U %S' -o "$stats" "$@" >"$work/stdout.txt" 2>"$work/stderr.txt"; then
    log "$label failed: $*"
    cat "$work/stderr.txt" >&2
    exit 1
  fi
  printf '%s\t%s\t%s\n' "$label" "$round" "$(tr ' ' '\t' <"$stats")" >>"$runs"
}

fresh() { rm -f "$1" "$1.wal"; }

check() {  # check LABEL WORKSPACE EXPECTED
  local got
  got=$(duck_sum "$2")
  if [[ $got != "$3" ]]; then
    log "$1: the loaded table does not match its source"
    log "  source: $3"
    log "  loaded: $got"
    exit 1
  fi
}

ws=$work/ws.duckdb
csv_ws=$work/csv.duckdb
csv=$work/bench.csv
pg_limit() { timed pg_limit "$1" psql -X -q -c "COPY bench TO STDOUT (FORMAT binary)"; }
pg_pond() {
  fresh "$ws"
  cp "$template" "$ws"
  timed pg_pond "$1" "$pond" -w "$ws" query "MATERIALIZE PERSISTENT bench FROM pg AS 'SELECT * FROM bench'"
  check pg_pond "$ws" "$pg_sum"
}
pg_csv() {
  rm -f "$csv"
  fresh "$csv_ws"
  timed pg_csv_export "$1" psql -X -q -c "\\copy bench TO '$csv' (FORMAT csv, HEADER)"
  timed pg_csv_load "$1" "$pond" -w "$csv_ws" query "CREATE TABLE bench AS SELECT * FROM read_csv('$csv')"
  check pg_csv "$csv_ws" "$pg_sum"
}
sqlite_limit() {
  timed sqlite_limit "$1" "$step" "$sqlite_file" bench
  grep -q "^rows=$rows " "$work/stdout.txt" || { log "sqlite_limit read $(cat "$work/stdout.txt")"; exit 1; }
}
sqlite_pond() {
  fresh "$ws"
  cp "$template" "$ws"
  timed sqlite_pond "$1" "$pond" -w "$ws" query "MATERIALIZE PERSISTENT bench FROM lite AS 'SELECT * FROM bench'"
  check sqlite_pond "$ws" "$sqlite_sum"
}
sqlite_csv() {
  rm -f "$csv"
  fresh "$csv_ws"
  timed sqlite_csv_export "$1" sh -c 'sqlite3 -csv -header "$1" "SELECT * FROM bench" >"$2"' sh "$sqlite_file" "$csv"
  timed sqlite_csv_load "$1" "$pond" -w "$csv_ws" query "CREATE TABLE bench AS SELECT * FROM read_csv('$csv')"
  check sqlite_csv "$csv_ws" "$sqlite_sum"
}

read -r load_before _ </proc/loadavg
first=$((1 - warmup))
for ((round = first; round <= reps; round++)); do
  if ((round == 0)); then log "warm-up round"; else log "round $round of $reps"; fi
  for contender in pg_limit pg_pond pg_csv sqlite_limit sqlite_pond sqlite_csv; do
    "$contender" "$round"
  done
done
read -r load_after _ </proc/loadavg

python3 - "$runs" "$out" "$rows" "$reps" "$load_before" "$load_after" "$warmup" <<'PY' | tee "$out/materialize.txt"
import datetime, json, os, statistics, sys

runs_path, out, rows, reps, load_before, load_after, warmup = sys.argv[1:]
rows, reps = int(rows), int(reps)
runs = {}
for line in open(runs_path):
    label, rnd, wall, rss, user, system = line.split()
    if int(rnd) == 0:
        continue  # warm-up
    runs.setdefault(label, {})[int(rnd)] = {
        "wall_s": float(wall), "rss_kib": int(rss), "user_s": float(user), "sys_s": float(system)}

# A CSV route is two processes: add their times per round, take the larger peak RSS.
for route in ("pg_csv", "sqlite_csv"):
    export, load = runs.pop(route + "_export"), runs.pop(route + "_load")
    runs[route] = {r: {"wall_s": export[r]["wall_s"] + load[r]["wall_s"],
                       "rss_kib": max(export[r]["rss_kib"], load[r]["rss_kib"]),
                       "user_s": export[r]["user_s"] + load[r]["user_s"],
                       "sys_s": export[r]["sys_s"] + load[r]["sys_s"],
                       "export_wall_s": export[r]["wall_s"], "load_wall_s": load[r]["wall_s"]}
                   for r in export}

def median(label, key):
    return statistics.median(run[key] for run in runs[label].values())

def ratio(label, other):  # how many times faster `label` is than `other`, per round, median
    return statistics.median(runs[other][r]["wall_s"] / runs[label][r]["wall_s"] for r in runs[label])

summary = {}
for label in runs:
    wall = median(label, "wall_s")
    summary[label] = {"wall_s": wall, "rows_per_s": rows / wall, "rss_mib": median(label, "rss_kib") / 1024,
                      "cpu_s": median(label, "user_s") + median(label, "sys_s")}
for engine in ("pg", "sqlite"):
    summary[engine + "_pond"]["speed_vs_limit"] = ratio(engine + "_pond", engine + "_limit")
    summary[engine + "_pond"]["speed_vs_csv"] = ratio(engine + "_pond", engine + "_csv")

with open("/proc/meminfo") as f:
    mem_gib = int(next(l for l in f if l.startswith("MemTotal")).split()[1]) / 1048576
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
print(f"materialize benchmark: {rows} rows, {reps} repetition(s), medians; {now}; "
      f"{os.cpu_count()} cores, {mem_gib:.1f} GiB; load average {load_before} before, {load_after} after")
print()
print("| contender | wall s | rows/s | peak RSS MiB | CPU s (user+sys) | Pond speed vs this |")
print("|---|---:|---:|---:|---:|---:|")
names = {
    "pg_limit": "PostgreSQL limit: psql COPY binary > /dev/null",
    "pg_pond": "**PostgreSQL → Pond MATERIALIZE PERSISTENT**",
    "pg_csv": "PostgreSQL CSV route: psql \\copy csv + read_csv",
    "sqlite_limit": "SQLite limit: sqlite3_step loop",
    "sqlite_pond": "**SQLite → Pond MATERIALIZE PERSISTENT**",
    "sqlite_csv": "SQLite CSV route: sqlite3 -csv + read_csv",
}
for label, name in names.items():
    s = summary[label]
    engine = label.split("_")[0]
    vs = "" if label.endswith("_pond") else f"{ratio(engine + '_pond', label):.2f}x"
    print(f"| {name} | {s['wall_s']:.2f} | {s['rows_per_s']:,.0f} | {s['rss_mib']:.0f} | {s['cpu_s']:.2f} | {vs} |")
print()
pg, lite = summary["pg_pond"], summary["sqlite_pond"]
verdict = lambda ok: "met" if ok else "MISSED"
print(f"target PostgreSQL >= 0.7x the limit's speed: {pg['speed_vs_limit']:.2f}x, {verdict(pg['speed_vs_limit'] >= 0.7)}")
print(f"target PostgreSQL >= 2x faster than the CSV route: {pg['speed_vs_csv']:.2f}x, {verdict(pg['speed_vs_csv'] >= 2)}")
print(f"target SQLite >= 0.7x the limit's speed: {lite['speed_vs_limit']:.2f}x, {verdict(lite['speed_vs_limit'] >= 0.7)}")
peak = max(pg["rss_mib"], lite["rss_mib"])
print(f"target peak RSS under 1 GiB: {peak:.0f} MiB, {verdict(peak < 1024)}")
print(f"(SQLite vs its CSV route: {lite['speed_vs_csv']:.2f}x; ratios are medians of per-round ratios)")
if warmup == "0":
    print("smoke run (no warm-up, tiny table): the timings above say nothing about the targets")

with open(os.path.join(out, "materialize.json"), "w") as f:
    json.dump({"rows": rows, "repetitions": reps, "date": now, "load_before": load_before,
               "load_after": load_after, "runs": runs, "summary": summary}, f, indent=1)
PY
log "results: $out/materialize.txt, $out/materialize.json"
