#!/usr/bin/env bash
# kill -9 during a batch of attaches: the workspace must reopen and its registry must list
# only sources that restore (every listed one available, none half-registered).
set -euo pipefail
pond="$1"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
"$pond" -w "$dir/src.duckdb" query "CREATE TABLE t AS SELECT 1 AS x" >/dev/null
script="$dir/batch.sql"
for i in $(seq 1 400); do echo "ATTACH '$dir/src.duckdb' AS s$i (READ_ONLY);" >>"$script"; done
for round in 1 2 3; do
  "$pond" -w "$dir/ws.duckdb" <"$script" >/dev/null 2>&1 &
  pid=$!
  sleep "0.$((RANDOM % 5 + 2))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  out="$("$pond" -w "$dir/ws.duckdb" sources --json)"
  if grep -q '"unavailable' <<<"$out"; then echo "round $round: unavailable source after kill: $out" >&2; exit 1; fi
  n="$("$pond" -w "$dir/ws.duckdb" query --format csv "SELECT count(*) FROM pond_meta.sources" | tail -1)"
  echo "round $round: $n sources registered after kill -9"
  "$pond" -w "$dir/ws.duckdb" query "DETACH s1" >/dev/null 2>&1 || true
  rm -f "$dir/ws.duckdb" "$dir/ws.duckdb.wal"
done
echo "1 passed, 0 failed"
