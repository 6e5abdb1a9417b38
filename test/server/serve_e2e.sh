#!/usr/bin/env bash
# End-to-end checks of `pond serve` with curl: serve_e2e.sh POND CASE
# Each case starts its own server on a free loopback port in a temporary folder.
set -u
POND=$1
CASE=$2
# shellcheck source=serve_lib.sh
source "$(dirname "$(readlink -f "$0")")/serve_lib.sh"

fail() { echo "FAIL [$CASE]: $*"; [ -f serve.err ] && { echo "--- server stderr"; tail -20 serve.err; }; exit 1; }

status_of() { curl -sS -o /dev/null -w '%{http_code}' -X POST "$URL/v1/$1" -H 'Content-Type: application/json' -d "$2"; }
active_queries() { curl -sS "$URL/healthz" | json_field '["activeQueries"]'; }

wait_until_idle() {
  for _ in $(seq 100); do
    [ "$(active_queries)" = 0 ] && return 0
    sleep 0.1
  done
  fail "queries still active: $(curl -sS "$URL/healthz")"
}

LONG='{"sql":"SELECT count(*) FROM range(1000000000000) a","queryId":"long-query-0001"}'

case "$CASE" in
  cancel_running_query)
    start_server
    (curl -sS -o long.json -w '%{http_code}' -X POST "$URL/v1/executeQuery" -d "$LONG" > long.status) &
    CLIENT=$!
    sleep 0.7
    [ "$(active_queries)" = 1 ] || fail "the long query is not running"
    reply=$(post cancelQuery '{"queryId":"long-query-0001"}')
    echo "$reply" | grep -q '"cancelled":true' || fail "cancelQuery answered $reply"
    wait $CLIENT
    [ "$(cat long.status)" = 409 ] || fail "the cancelled client got status $(cat long.status): $(cat long.json)"
    grep -q '"code":"cancelled"' long.json || fail "the cancelled client got $(cat long.json)"
    wait_until_idle
    stop_server ;;

  client_disconnect_mid_stream)
    start_server
    # 50M rows stream for far longer than the client waits.
    curl -sS -o /dev/null --max-time 1 -X POST "$URL/v1/executeQuery" -d '{"sql":"SELECT range, range * 2 FROM range(50000000)"}'
    [ $? = 28 ] || fail "curl was expected to time out mid-stream"
    wait_until_idle
    curl -sS "$URL/metrics" | grep -q '^pond_client_disconnects_total [1-9]' || fail "disconnect not counted"
    # The server still answers.
    post executeQuery '{"sql":"SELECT 41 + 1 AS x"}' | grep -q '"rows":\[\[42\]\]' || fail "server broken after disconnect"
    stop_server ;;

  slow_client_gets_every_row)
    start_server
    curl -sS --limit-rate 400k -o slow.json -X POST "$URL/v1/executeQuery" -d '{"sql":"SELECT range AS r, repeat(chr(65), 10) AS s FROM range(60000)"}'
    tail -c 60 slow.json | grep -q '"rowCount":60000,"status":"ok"' || fail "slow client got $(tail -c 200 slow.json)"
    [ "$(python3 -c 'import json; d=json.load(open("slow.json")); print(sum(r[0] for r in d["rows"]))')" = 1799970000 ] || fail "rows wrong"
    stop_server ;;

  busy_beyond_max_queries)
    start_server --max-queries 1
    (curl -sS -o /dev/null -X POST "$URL/v1/executeQuery" -d "$LONG") &
    CLIENT=$!
    sleep 0.7
    code=$(curl -sS -o busy.json -w '%{http_code}' -X POST "$URL/v1/executeQuery" -d '{"sql":"SELECT 1"}')
    [ "$code" = 503 ] && grep -q '"code":"busy"' busy.json || fail "second query got $code $(cat busy.json)"
    post cancelQuery '{"queryId":"long-query-0001"}' > /dev/null
    wait $CLIENT
    wait_until_idle
    post executeQuery '{"sql":"SELECT 1 AS x"}' | grep -q '"rows":\[\[1\]\]' || fail "slot not released"
    stop_server ;;

  sigterm_cancels_after_grace)
    start_server --grace-period 1
    (curl -sS -o long.json -w '%{http_code}' -X POST "$URL/v1/executeQuery" -d "$LONG" > long.status) &
    CLIENT=$!
    sleep 0.7
    start=$(date +%s%N)
    stop_server
    elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    wait $CLIENT
    [ "$(cat long.status)" = 503 ] || fail "the running query got $(cat long.status): $(cat long.json)"
    grep -q '"code":"shutting_down"' long.json || fail "the running query got $(cat long.json)"
    [ "$elapsed_ms" -ge 900 ] || fail "stopped after ${elapsed_ms} ms, before the grace period"
    grep -q 'pond serve: stopped' serve.out || fail "no stop message"
    grep -q 'SIGTERM received' serve.err || fail "no signal message" ;;

  sigint_with_idle_server_exits_cleanly)
    start_server
    kill -INT "$SERVER_PID"
    for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    wait "$SERVER_PID"; code=$?; SERVER_PID=
    [ "$code" = 0 ] || fail "exit code $code after SIGINT" ;;

  non_loopback_needs_token)
    "$POND" serve --listen 0.0.0.0:0 > out.txt 2> err.txt
    [ $? = 2 ] || fail "expected a usage error (exit 2) without a token"
    grep -q 'needs a bearer token' err.txt || fail "message: $(cat err.txt)"
    printf 'short\n' > short.token
    "$POND" serve --listen 0.0.0.0:0 --token-file short.token > out.txt 2> err.txt
    [ $? != 0 ] || fail "a short token was accepted"
    grep -q 'short' err.txt && ! grep -q "'short'" err.txt || fail "message: $(cat err.txt)"
    "$POND" serve --token-file missing.token > out.txt 2> err.txt
    [ $? != 0 ] && grep -q 'missing.token' err.txt || fail "missing token file: $(cat err.txt)"
    "$POND" serve --listen nonsense > out.txt 2> err.txt
    [ $? = 2 ] || fail "--listen nonsense was accepted"
    "$POND" serve --root /no/such/folder > out.txt 2> err.txt
    [ $? = 2 ] && grep -q '/no/such/folder' err.txt || fail "missing root: $(cat err.txt)" ;;

  token_required_and_never_printed)
    TOKEN=e2e-secret-token-9f8e7d6c5b4a
    printf '%s\n' "$TOKEN" > t.token
    start_server --token-file t.token --log-requests
    [ "$(status_of executeQuery '{"sql":"SELECT 1"}')" = 401 ] || fail "no token was accepted"
    code=$(curl -sS -o ok.json -w '%{http_code}' -X POST "$URL/v1/executeQuery" -H "Authorization: Bearer $TOKEN" -d '{"sql":"SELECT 1 AS x"}')
    [ "$code" = 200 ] || fail "the right token got $code"
    curl -sS -o /dev/null -X POST "$URL/v1/executeQuery" -H "Authorization: Bearer $TOKEN" -d '{"sql":"SELECT '"'"'password=hunter2'"'"' AS p"}'
    curl -sS -o pg.json -X POST "$URL/v1/attach" -H "Authorization: Bearer $TOKEN" -d '{"location":"host=127.0.0.1 port=1 user=u password=hunter2 connect_timeout=1","alias":"pg","type":"postgres"}'
    grep -q hunter2 pg.json && fail "the password is in a response: $(cat pg.json)"
    stop_server
    grep -q "$TOKEN" serve.out serve.err && fail "the token was printed"
    grep -q hunter2 serve.out serve.err && fail "a secret was logged"
    grep -q 'POST /v1/executeQuery 200' serve.err || fail "requests were not logged: $(cat serve.err)" ;;

  query_command_uses_server)
    start_server
    out=$("$POND" query --server "$URL" -f csv "SELECT 42 AS x, 'a,b' AS s; SELECT 1.50::DECIMAL(4,2) AS d")
    [ "$out" = "$(printf 'x,s\n42,"a,b"\n\nd\n1.50')" ] || [ "$out" = "$(printf 'x,s\n42,"a,b"\n\nd\n1.5')" ] || fail "pond query --server printed: $out"
    "$POND" query --server "$URL" "SELECT * FROM nope" > out.txt 2> err.txt
    [ $? = 1 ] && grep -q 'nope' err.txt || fail "error: $(cat err.txt)"
    stop_server
    "$POND" query --server "$URL" "SELECT 1" > out.txt 2> err.txt
    [ $? = 1 ] && grep -q 'cannot reach the server' err.txt || fail "unreachable: $(cat err.txt)" ;;

  held_result_paged_to_the_end)
    start_server --page-rows 5000
    Q=$(post executeQuery '{"sql":"SELECT range AS r FROM range(12345)","hold":true}' | json_field '["queryId"]')
    total=0; pages=0
    while :; do
      page=$(curl -sS -X POST "$URL/v1/fetchArrow" -H 'Accept: application/json' -d "{\"queryId\":\"$Q\"}")
      n=$(echo "$page" | json_field '["rowCount"]'); done_=$(echo "$page" | json_field '["done"]')
      total=$((total + n)); pages=$((pages + 1))
      [ "$done_" = True ] && break
      [ $pages -lt 10 ] || fail "too many pages"
    done
    [ $total = 12345 ] || fail "paged $total rows"
    [ "$(status_of fetchArrow "{\"queryId\":\"$Q\"}")" = 404 ] || fail "a finished result is still held"
    [ "$(curl -sS "$URL/healthz" | json_field '["heldResults"]')" = 0 ] || fail "held result leaked"
    stop_server ;;

  arrow_stream_decodes)
    # serve_e2e.sh POND arrow_stream_decodes NODE_MODULES_DIR DECODER: the npm apache-arrow
    # package (installed by the Arrow tests' fixture) decodes what the server streams.
    MODULES=$3; DECODER=$4
    start_server --page-rows 3000
    code=$(curl -sS -o rows.arrow -w '%{http_code} %{content_type}' -X POST "$URL/v1/executeQuery" \
      -H 'Accept: application/vnd.apache.arrow.stream' \
      -d '{"sql":"SELECT range AS id, (range * 0.5)::DECIMAL(10,2) AS half, CASE WHEN range % 3 = 0 THEN NULL ELSE '"'"'r'"'"' || range END AS label, DATE '"'"'2024-01-01'"'"' + range::INTEGER AS day FROM range(5000)"}')
    [ "$code" = "200 application/vnd.apache.arrow.stream" ] || fail "executeQuery as Arrow: $code"
    node "$DECODER" "$MODULES" rows.arrow > rows.json || fail "apache-arrow could not decode the stream"
    python3 - <<'PY' || fail "decoded values differ: $(head -c 600 rows.json)"
import json, datetime
d = json.load(open("rows.json"))
assert [f["name"] for f in d["fields"]] == ["id", "half", "label", "day"], d["fields"]
assert [f["typeId"] for f in d["fields"]] == ["Int", "Decimal", "Utf8", "Date"], d["fields"]
assert d["batches"] == 3, d["batches"]  # 2048 + 2048 + 904 rows: one batch per chunk
rows = d["rows"]
assert len(rows) == 5000
for i, r in enumerate(rows):
    assert r[0] == str(i), r
    assert r[1] == str(i * 50), r                      # DECIMAL(10,2) unscaled
    assert r[2] == (None if i % 3 == 0 else "r%d" % i), r
    assert r[3] == str((datetime.date(2024, 1, 1) - datetime.date(1970, 1, 1)).days + i), r
PY
    # A held result paged as Arrow: each page is a whole stream; the pages add up.
    Q=$(post executeQuery '{"sql":"SELECT range AS id FROM range(7000)","hold":true}' | json_field '["queryId"]')
    total=0
    for page in 1 2 3; do
      curl -sS -D headers.txt -o page.arrow -X POST "$URL/v1/fetchArrow" -d "{\"queryId\":\"$Q\"}"
      node "$DECODER" "$MODULES" page.arrow > page.json || fail "page $page does not decode"
      n=$(python3 -c 'import json; print(len(json.load(open("page.json"))["rows"]))')
      grep -qi "pond-row-count: $n" headers.txt || fail "Pond-Row-Count differs from the rows decoded ($n)"
      total=$((total + n))
      grep -qi 'pond-result-done: true' headers.txt && break
    done
    [ $total = 7000 ] || fail "Arrow pages held $total rows"
    # The stream of a query stopped mid-way ends without its end marker: readers fail.
    curl -sS --limit-rate 1M -o cut.arrow --max-time 20 -X POST "$URL/v1/executeQuery" -H 'Accept: application/vnd.apache.arrow.stream' \
      -d '{"sql":"SELECT range FROM range(3000000000)","queryId":"arrow-cut-0001"}' &
    CLIENT=$!
    sleep 1
    post cancelQuery '{"queryId":"arrow-cut-0001"}' > /dev/null
    wait $CLIENT
    [ -s cut.arrow ] || fail "no bytes before the cancel"
    tail -c 8 cut.arrow | od -An -tx1 | grep -q 'ff ff ff ff 00 00 00 00' && fail "a cancelled stream ended like a complete one"
    wait_until_idle
    stop_server ;;

  materialize_cancel_queue_and_timeout)
    # The timeout leaves room for the polling below on a loaded machine.
    start_server --query-timeout 8 --root .
    printf 'a\n1\n' > t.csv
    post attach '{"location":"t.csv","alias":"t"}' | grep -q '"attached":true' || fail "attach t.csv"
    MAT='"source":"t","query":"SELECT count(*) AS n FROM range(1000000000000)"'
    (curl -sS -o a.json -w '%{http_code}' -X POST "$URL/v1/materialize" -d "{\"name\":\"big_a\",$MAT,\"queryId\":\"mat-long-a01\"}" > a.status) &
    A=$!
    for _ in $(seq 50); do [ "$(active_queries)" = 1 ] && break; sleep 0.1; done
    # B waits for the primary connection; cancelling it must not touch A.
    (curl -sS -o b.json -w '%{http_code}' -X POST "$URL/v1/materialize" -d "{\"name\":\"big_b\",$MAT,\"queryId\":\"mat-long-b01\"}" > b.status) &
    B=$!
    for _ in $(seq 50); do [ "$(active_queries)" = 2 ] && break; sleep 0.1; done
    [ "$(active_queries)" = 2 ] || fail "the two materializations are not both running"
    post cancelQuery '{"queryId":"mat-long-b01"}' | grep -q '"cancelled":true' || fail "cancel B"
    wait $B
    [ "$(cat b.status)" = 409 ] && grep -q '"code":"cancelled"' b.json || fail "B got $(cat b.status) $(cat b.json)"
    [ "$(active_queries)" = 1 ] || fail "cancelling the waiting materialize stopped the running one"
    wait $A
    [ "$(cat a.status)" = 504 ] && grep -q '"code":"timeout"' a.json || fail "A got $(cat a.status) $(cat a.json)"
    wait_until_idle
    # A refresh that runs too long times out the same way; a quick one works.
    post materialize '{"name":"small","source":"t","query":"SELECT * FROM t"}' | grep -q '"rows":1' || fail "small materialize"
    post refresh '{"name":"small","queryId":"refresh-small-1"}' | grep -q '"queryId":"refresh-small-1"' || fail "refresh"
    stop_server ;;

  file_sandbox_defaults_and_restored_sources)
    printf 'a\n1\n2\n' > outside.csv
    mkdir data && printf 'v\n7\n' > data/in.csv
    "$POND" -w ws.duckdb attach outside.csv --as outside_csv > /dev/null || fail "CLI attach of outside.csv"
    "$POND" -w other.duckdb query "CREATE TABLE t AS SELECT 1 AS x" > /dev/null || fail "create other.duckdb"
    "$POND" -w ws.duckdb attach other.duckdb --as other > /dev/null || fail "CLI attach of other.duckdb"
    q() { curl -sS -o q.json -w '%{http_code}' -X POST "$URL/v1/executeQuery" -d "$(python3 -c 'import json,sys; print(json.dumps({"sql": sys.argv[1]}))' "$1")"; }
    # Without --root: SQL gets no files, file sources cannot be attached; restored sources work.
    start_server
    for _ in $(seq 20); do grep -q 'pond serve: .*--root\|may use the files' serve.out && break; sleep 0.1; done
    grep -q 'no --root given' serve.out || fail "the start message does not say that no files are served: $(cat serve.out)"
    [ "$(q "SELECT count(*) FROM outside_csv")" = 200 ] && grep -q '"rows":\[\[2\]\]' q.json || fail "restored file source: $(cat q.json)"
    [ "$(q "INSERT INTO other.t VALUES (2)")" = 200 ] || fail "restored DuckDB file: $(cat q.json)"
    [ "$(q "SELECT * FROM read_csv('$WORK/data/in.csv')")" = 403 ] && grep -q -- '--root' q.json || fail "read without roots: $(cat q.json)"
    [ "$(q "COPY (SELECT 1 AS x) TO '$WORK/data/w.csv'")" = 403 ] || fail "write without roots: $(cat q.json)"
    [ -e data/w.csv ] && fail "COPY TO wrote a file although the server has no roots"
    "$POND" query --server "$URL" "SELECT * FROM read_csv('/etc/passwd')" > out.txt 2> err.txt
    [ $? = 1 ] && grep -q -- '--root' err.txt || fail "pond query --server: $(cat err.txt)"
    code=$(curl -sS -o a.json -w '%{http_code}' -X POST "$URL/v1/attach" -d '{"location":"data/in.csv","alias":"inn"}')
    [ "$code" = 403 ] && grep -q '"code":"forbidden"' a.json && grep -q -- '--root' a.json || fail "attach without roots: $code $(cat a.json)"
    stop_server
    # With --root data: inside it SQL reads and writes, outside it nothing.
    start_server --root data
    for _ in $(seq 20); do grep -q 'pond serve: .*--root\|may use the files' serve.out && break; sleep 0.1; done
    grep -q "may use the files in: data" serve.out || fail "the start message does not name the root: $(cat serve.out)"
    [ "$(q "SELECT * FROM read_csv('$WORK/data/in.csv')")" = 200 ] && grep -q '"rows":\[\[7\]\]' q.json || fail "read inside: $(cat q.json)"
    [ "$(q "COPY (SELECT 5 AS x) TO '$WORK/data/w.csv'")" = 200 ] && [ -s data/w.csv ] || fail "write inside: $(cat q.json)"
    [ "$(q "COPY (SELECT 5 AS x) TO '$WORK/w2.csv'")" = 403 ] && [ ! -e w2.csv ] || fail "write outside: $(cat q.json)"
    printf 'b\n3\n' > outside2.csv
    [ "$(q "SELECT * FROM read_csv('$WORK/outside2.csv')")" = 403 ] || fail "read outside by path: $(cat q.json)"
    [ "$(q "SELECT count(*) FROM outside_csv")" = 200 ] || fail "restored file source with a root: $(cat q.json)"
    post attach '{"location":"data/in.csv","alias":"inn"}' | grep -q '"attached":true' || fail "attach inside"
    [ "$(q "SELECT v FROM inn")" = 200 ] && grep -q '"rows":\[\[7\]\]' q.json || fail "query the attached source: $(cat q.json)"
    [ "$(q "SELECT count(*) FROM other.t")" = 200 ] && grep -q '"rows":\[\[2\]\]' q.json || fail "restored DuckDB file: $(cat q.json)"
    stop_server ;;

  unavailable_source_comes_back_on_use)
    # A source whose file is missing when the server starts: a query naming it says so (not
    # DuckDB's "does not exist"), and once the file is back the next query restores it.
    "$POND" -w lake.duckdb query "CREATE TABLE t AS SELECT 5 AS x" > /dev/null || fail "create lake.duckdb"
    printf 'v\n7\n8\n' > sales.csv
    "$POND" -w ws.duckdb attach lake.duckdb --as lake > /dev/null || fail "CLI attach of lake.duckdb"
    "$POND" -w ws.duckdb attach sales.csv --as sales > /dev/null || fail "CLI attach of sales.csv"
    mv lake.duckdb lake.away && mv sales.csv sales.away
    start_server
    q() { curl -sS -o q.json -w '%{http_code}' -X POST "$URL/v1/executeQuery" -d "$(python3 -c 'import json,sys; print(json.dumps({"sql": sys.argv[1]}))' "$1")"; }
    [ "$(q "SELECT x FROM lake.t")" = 404 ] && grep -q "source 'lake' is unavailable (" q.json ||
      fail "a query naming the missing DuckDB file: $(cat q.json)"
    [ "$(q "SELECT sum(v) FROM sales")" = 404 ] && grep -q "source 'sales' is unavailable (" q.json ||
      fail "a query naming the missing file source: $(cat q.json)"
    [ "$(q "SELECT 1 AS one")" = 200 ] || fail "a query naming no source: $(cat q.json)"
    mv lake.away lake.duckdb && mv sales.away sales.csv
    sleep 1.2  # the first retry waits 1 s
    [ "$(q "SELECT x FROM lake.t")" = 200 ] && grep -q '"rows":\[\[5\]\]' q.json ||
      fail "the DuckDB file is back but the source is not: $(cat q.json)"
    [ "$(q "SELECT sum(v) FROM sales")" = 200 ] && grep -q '"rows":\[\[15\]\]' q.json ||
      fail "the CSV file is back but the source is not: $(cat q.json)"
    post listConnections '{}' | python3 -c 'import json,sys; d=json.load(sys.stdin); assert all(s["available"] for s in d["sources"]), d' ||
      fail "every source should be available again"
    stop_server ;;

  file_sandbox_symlinks_made_after_start)
    mkdir -p data/sub secret/deeper && printf 'v\n7\n' > data/in.csv && printf 's\n4242\n' > secret/s.csv
    printf 's\n4343\n' > secret/deeper/d.csv
    q() { curl -sS -o q.json -w '%{http_code}' -X POST "$URL/v1/executeQuery" -d "$(python3 -c 'import json,sys; print(json.dumps({"sql": sys.argv[1]}))' "$1")"; }
    start_server --root data
    [ "$(q "SELECT * FROM read_csv('$WORK/data/in.csv')")" = 200 ] || fail "read inside: $(cat q.json)"
    # Every link below is made after the server started.
    ln -s "$WORK/secret/s.csv" data/late.csv              # to a file outside
    ln -s "$WORK/secret" data/latedir                     # to a folder outside
    ln -s "$WORK/data/chain2" data/chain1 && ln -s ../secret/s.csv data/chain2   # a chain
    ln -s "$WORK/secret/deeper" data/sub/up               # '..' after it leads to secret/
    for path in data/late.csv data/latedir/s.csv data/chain1 data/sub/up/../s.csv data/latedir/deeper/d.csv; do
      [ "$(q "SELECT * FROM read_csv('$WORK/$path')")" = 403 ] || fail "$path: $(cat q.json)"
      grep -q '"code":"forbidden"' q.json && grep -q -- '--root' q.json && grep -qF "$WORK/$path" q.json || fail "$path: $(cat q.json)"
      grep -q '424[23]' q.json && fail "$path leaked the secret: $(cat q.json)"
    done
    # Globs match only what is really inside.
    [ "$(q "SELECT count(*) FROM read_csv('$WORK/data/latedir/*.csv')")" = 403 ] || fail "glob in a link: $(cat q.json)"
    [ "$(q "SELECT sum(v) AS total, count(*) AS n FROM read_csv('$WORK/data/*.csv', union_by_name = true)")" = 200 ] || fail "glob: $(cat q.json)"
    grep -q '"rows":\[\[7,1\]\]' q.json || fail "the glob read more than data/in.csv: $(cat q.json)"
    [ "$(q "SELECT count(*) FROM read_text('$WORK/data/**')")" = 200 ] && grep -q '"rows":\[\[1\]\]' q.json || fail "recursive glob: $(cat q.json)"
    [ "$(q "SELECT count(*) FROM glob('$WORK/data/latedir/*')")" = 200 ] && grep -q '"rows":\[\[0\]\]' q.json || fail "glob() listed outside: $(cat q.json)"
    # No writes through them either.
    [ "$(q "COPY (SELECT 1 AS x) TO '$WORK/data/latedir/w.csv'")" = 403 ] && [ ! -e secret/w.csv ] || fail "write through a link: $(cat q.json)"
    q "COPY (SELECT 1 AS x) TO '$WORK/data/late.csv'" > /dev/null
    [ "$(cat secret/s.csv)" = "$(printf 's\n4242')" ] || fail "COPY TO overwrote the file outside: $(cat secret/s.csv)"
    # A file inside replaced by a link after start.
    rm data/in.csv && ln -s "$WORK/secret/s.csv" data/in.csv
    [ "$(q "SELECT * FROM read_csv('$WORK/data/in.csv')")" = 403 ] || fail "a file swapped for a link: $(cat q.json)"
    # The remote CLI shows the refusal.
    "$POND" query --server "$URL" "SELECT * FROM read_csv('$WORK/data/late.csv')" > out.txt 2> err.txt
    [ $? = 1 ] && grep -q 'late.csv' err.txt && grep -q -- '--root' err.txt || fail "pond query --server: $(cat out.txt err.txt)"
    stop_server ;;

  duckdb_threads_option)
    threads_of() { post executeQuery '{"sql":"SELECT current_setting(\u0027threads\u0027) AS t"}' | json_field '["rows"][0][0]'; }
    # Default: half the cores, at least one; the start message says how many.
    start_server
    want=$(( $(nproc) / 2 )); [ "$want" -ge 1 ] || want=1
    [ "$(threads_of)" = "$want" ] || fail "default threads $(threads_of), expected $want"
    grep -q "up to $want DuckDB thread" serve.out || fail "the start message does not give the threads: $(cat serve.out)"
    # A client cannot change it.
    code=$(status_of executeQuery '{"sql":"SET threads = 8"}')
    [ "$code" = 403 ] || fail "SET threads by a client answered $code"
    stop_server
    start_server --threads 3
    [ "$(threads_of)" = 3 ] || fail "--threads 3 gave $(threads_of)"
    stop_server
    # --setting threads=N before the command is kept as it is.
    "$POND" -w ws.duckdb --setting threads=2 serve --listen 127.0.0.1:0 > serve.out 2> serve.err &
    SERVER_PID=$!
    for _ in $(seq 100); do URL=$(grep -o 'http://127.0.0.1:[0-9]*' serve.out | head -1); [ -n "$URL" ] && break; sleep 0.1; done
    [ "$(threads_of)" = 2 ] || fail "--setting threads=2 gave $(threads_of)"
    stop_server
    # Wrong input: a clear usage error, no server.
    for bad in "serve --threads 0" "serve --threads many" "serve --threads -1" "--setting threads=2 serve --threads 4"; do
      # shellcheck disable=SC2086
      timeout 10 "$POND" -w ws.duckdb $bad --listen 127.0.0.1:0 > bad.out 2> bad.err
      code=$?
      [ "$code" = 2 ] || fail "'pond $bad' exited with $code: $(cat bad.err)"
      grep -q -- "--threads" bad.err || fail "'pond $bad' does not name --threads: $(cat bad.err)"
    done
    grep -q "not both" bad.err || fail "--threads with --setting threads: $(cat bad.err)"
    ;;

  remote_query_streams_with_bounded_memory)
    # 5 million rows: about 170 MB of JSON, many times that as a parsed document; the client
    # must print them as they come with bounded memory.
    start_server
    /usr/bin/time -f %M -o rss.txt "$POND" query --server "$URL" -f csv \
      "SELECT range AS i, range * 2 AS j, 'row ' || range AS s FROM range(5000000)" > big.csv 2> big.err \
      || fail "pond query --server: $(cat big.err)"
    rss_kb=$(tail -1 rss.txt)
    head -1 big.csv | grep -qx 'i,j,s' || fail "header: $(head -1 big.csv)"
    [ "$(sed -n 2p big.csv)" = "0,0,row 0" ] || fail "first row: $(sed -n 2p big.csv)"
    [ "$(tail -1 big.csv)" = "4999999,9999998,row 4999999" ] || fail "last row: $(tail -1 big.csv)"
    check=$(awk -F, 'NR > 1 { n++; si += $1; sj += $2; if ($3 != "row " $1) bad++ } END { printf "%d %.0f %.0f %d", n, si, sj, bad }' big.csv)
    [ "$check" = "5000000 12499997500000 24999995000000 0" ] || fail "rows, sums, bad rows: $check"
    echo "client max RSS: ${rss_kb} KB for $(stat -c %s big.csv) bytes of CSV"
    [ "$rss_kb" -lt 204800 ] || fail "the client used ${rss_kb} KB (cap 200 MB)"
    # The table format with every row: its widths need them all; they wait in a temporary file.
    /usr/bin/time -f %M -o rss.txt "$POND" query --server "$URL" -f table --max-rows 0 \
      "SELECT range AS i, 'row ' || range AS s FROM range(2000000)" > big.txt 2> big.err \
      || fail "pond query --server -f table: $(cat big.err)"
    rss_kb=$(tail -1 rss.txt)
    [ "$(wc -l < big.txt)" = $((2000000 + 5)) ] || fail "table lines: $(wc -l < big.txt)"
    grep -qxF '│ 1999999 │ row 1999999 │' big.txt || fail "table last row: $(tail -2 big.txt)"
    echo "client max RSS: ${rss_kb} KB for $(stat -c %s big.txt) bytes of table"
    [ "$rss_kb" -lt 204800 ] || fail "the client used ${rss_kb} KB for the table (cap 200 MB)"
    stop_server ;;

  *) fail "unknown case" ;;
esac
echo "ok [$CASE]"
