#!/usr/bin/env bash
# pond serve against a fresh-DuckDB-per-request peer, side by side, with wrk on loopback:
# requests/s and p50/p99 latency at 1, 8 and 64 connections for SELECT 1 and a 10,000-row
# result (JSON, and Arrow from pond serve). Usage: bench/server_bench.sh BUILD_DIR [SECONDS]
set -euo pipefail
BUILD=$(cd "$1" && pwd)
SECONDS_PER_RUN=${2:-5}
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

SQL_ONE="SELECT 1"
SQL_10K="SELECT id, v, id * 2 AS w FROM s0.t, range(10) r(k)"
printf '%-34s %5s %12s %10s %10s\n' "case" "conns" "req/s" "p50" "p99"
for c in 1 8 64; do
  lua "$SQL_ONE" application/json
  read -r a b d e <<< "$(run "$POND_URL" $c)"; printf '%-34s %5s %12s %10s %10s %s\n' "pond serve SELECT 1 (JSON)" $c "$a" "$b" "$d" "$e"
  read -r a b d e <<< "$(run "$PEER_URL" $c)"; printf '%-34s %5s %12s %10s %10s %s\n' "fresh DuckDB SELECT 1 (JSON)" $c "$a" "$b" "$d" "$e"
  lua "$SQL_10K" application/json
  read -r a b d e <<< "$(run "$POND_URL" $c)"; printf '%-34s %5s %12s %10s %10s %s\n' "pond serve 10k rows (JSON)" $c "$a" "$b" "$d" "$e"
  read -r a b d e <<< "$(run "$PEER_URL" $c)"; printf '%-34s %5s %12s %10s %10s %s\n' "fresh DuckDB 10k rows (JSON)" $c "$a" "$b" "$d" "$e"
  lua "$SQL_10K" application/vnd.apache.arrow.stream
  read -r a b d e <<< "$(run "$POND_URL" $c)"; printf '%-34s %5s %12s %10s %10s %s\n' "pond serve 10k rows (Arrow)" $c "$a" "$b" "$d" "$e"
done
