#!/usr/bin/env bash
# pond serve against a fresh-DuckDB-per-request peer, side by side, with wrk on loopback:
# requests/s and p50/p99 latency at 1, 8 and 64 connections for SELECT 1 and a 10,000-row
# result (JSON, and Arrow from pond serve). Usage: bench/server_bench.sh BUILD_DIR [SECONDS [REPS]]
# Each case runs REPS times (default 3, pond and the peer taking turns); the table gives the
# medians and the range of p99, since one wrk run's tail on a shared 2-core host is noise.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
SECONDS_PER_RUN=${2:-5}
REPS=${3:-3}
POND=$BUILD/pond
PEER=$BUILD/bench/pond_bench_fresh_duckdb_peer
WORK=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
cd "$WORK"

# Ten DuckDB source files, registered once in the pond workspace.
for i in $(seq 0 9); do
  "$POND" -w ws.duckdb query "ATTACH 'src$i.duckdb' AS s$i; CREATE TABLE s$i.t AS SELECT range AS id, range % 97 AS v FROM range(1000)" > /dev/null
done
"$POND" -w ws.duckdb serve --listen 127.0.0.1:0 --workers 72 --max-queries 128 > serve.out 2> serve.err &
PIDS+=($!)
# The peer gets copies: pond serve holds the originals open.
for i in $(seq 0 9); do cp "src$i.duckdb" "peer$i.duckdb"; done
"$PEER" 7991 "$WORK"/peer{0,1,2,3,4,5,6,7,8,9}.duckdb > peer.out 2> peer.err &
PIDS+=($!)
for _ in $(seq 100); do grep -q listening serve.out 2>/dev/null && grep -q listening peer.out 2>/dev/null && break; sleep 0.1; done
POND_URL=$(grep -o 'http://127.0.0.1:[0-9]*' serve.out)
PEER_URL=http://127.0.0.1:7991

lua() {  # lua SQL ACCEPT
  cat > "$WORK/req.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"sql": "$1"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "$2"
LUA
}

# run URL CONNECTIONS -> "req/s p50 p99"
run() {
  local out
  out=$(wrk -t "$(( $2 < 2 ? 1 : 2 ))" -c "$2" -d "${SECONDS_PER_RUN}s" --latency -s "$WORK/req.lua" "$1/v1/executeQuery")
  local rps p50 p99 errors
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | grep -E 'Non-2xx|Socket errors' | tr '\n' ' ' || true)
  echo "$rps $p50 $p99 $errors"
}

# wrk's latency text (411.00us, 2.41ms, 1.41s) in microseconds, and back.
to_us() { awk -v t="$1" 'BEGIN { v = t + 0; if (t ~ /us$/) print v; else if (t ~ /ms$/) print v * 1000; else if (t ~ /s$/) print v * 1000000; else print v }'; }
fmt_us() { awk -v v="$1" 'BEGIN { if (v < 1000) printf "%.0fus", v; else if (v < 1000000) printf "%.2fms", v / 1000; else printf "%.2fs", v / 1000000 }'; }
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# case_row LABEL URL CONNECTIONS: REPS runs, medians of req/s, p50 and p99, and p99's range.
case_row() {
  local rps=() p50=() p99=() errors="" a b d e
  for _ in $(seq "$REPS"); do
    read -r a b d e <<< "$(run "$2" "$3")"
    rps+=("$a"); p50+=("$(to_us "$b")"); p99+=("$(to_us "$d")"); errors+="$e"
  done
  local lo hi
  lo=$(printf '%s\n' "${p99[@]}" | sort -g | head -1)
  hi=$(printf '%s\n' "${p99[@]}" | sort -g | tail -1)
  printf '%-34s %5s %12s %10s %10s %20s %s\n' "$1" "$3" "$(printf '%s\n' "${rps[@]}" | median)" \
    "$(fmt_us "$(printf '%s\n' "${p50[@]}" | median)")" "$(fmt_us "$(printf '%s\n' "${p99[@]}" | median)")" \
    "$(fmt_us "$lo")-$(fmt_us "$hi")" "$errors"
}

# After the peer's runs: wrk's timed-out requests are still being served (a fresh DuckDB each,
# seconds at 64 connections); wait until the peer is idle so they do not land on pond's runs.
settle() {
  local peer_pid=${PIDS[1]} before after
  for _ in $(seq 100); do
    before=$(awk '{print $14 + $15}' "/proc/$peer_pid/stat")
    sleep 0.3
    after=$(awk '{print $14 + $15}' "/proc/$peer_pid/stat")
    [ "$((after - before))" -le 1 ] && return 0
  done
}

SQL_ONE="SELECT 1"
SQL_10K="SELECT id, v, id * 2 AS w FROM s0.t, range(10) r(k)"
echo "pond serve vs a fresh DuckDB per request; medians of $REPS runs of ${SECONDS_PER_RUN} s; load average $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
printf '%-34s %5s %12s %10s %10s %20s\n' "case" "conns" "req/s" "p50" "p99" "p99 range"
for c in 1 8 64; do
  lua "$SQL_ONE" application/json
  case_row "pond serve SELECT 1 (JSON)" "$POND_URL" $c
  case_row "fresh DuckDB SELECT 1 (JSON)" "$PEER_URL" $c
  settle
  lua "$SQL_10K" application/json
  case_row "pond serve 10k rows (JSON)" "$POND_URL" $c
  case_row "fresh DuckDB 10k rows (JSON)" "$PEER_URL" $c
  settle
  lua "$SQL_10K" application/vnd.apache.arrow.stream
  case_row "pond serve 10k rows (Arrow)" "$POND_URL" $c
done
