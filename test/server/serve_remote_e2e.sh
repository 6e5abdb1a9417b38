#!/usr/bin/env bash
# End-to-end checks of `pond serve` with a PostgreSQL or MySQL source (the throwaway servers of
# the connector tests' fixtures): stopping one query — cancelQuery, --query-timeout, its
# client going away — cancels that query's remote statement only; a query running beside it
# on the same source gets all its rows. And a source whose login was refused at start comes
# back through testConnection once its password is fixed (test_connection_retries_a_refused_login).
#
#   serve_remote_e2e.sh POND postgres|mysql SERVER_DIR CASE
set -u
POND=$1
KIND=$2
SERVER_DIR=$3
CASE=$4
# shellcheck source=serve_lib.sh
source "$(dirname "$(readlink -f "$0")")/serve_lib.sh"

fail() { echo "FAIL [$KIND $CASE]: $*"; [ -f serve.err ] && { echo "--- server stderr"; tail -20 serve.err; }; exit 1; }

HOST=$(cat "$SERVER_DIR/host" 2>/dev/null || echo 127.0.0.1)
PORT=$(cat "$SERVER_DIR/port") || fail "no test server in $SERVER_DIR"
USER_=$(cat "$SERVER_DIR/user")
DATABASE=$(cat "$SERVER_DIR/database")
export POND_E2E_REMOTE_PASSWORD
POND_E2E_REMOTE_PASSWORD=$(cat "$SERVER_DIR/password")

# SLOW never ends by itself within the test; STREAM sends rows slowly for far longer than the
# test; BESIDE takes 4 seconds and returns 3 rows;
# RUNNING counts this run's SLOW and STREAM statements that still run. The cases run side by
# side against one server, so each marks its statements with MARK and counts only those.
MARK="pond_e2e_mark_${CASE}_$$"
if [ "$KIND" = postgres ]; then
  TYPE=POSTGRES
  LOCATION="host=$HOST port=$PORT dbname=$DATABASE"
  SLOW="SELECT 1 AS a, pg_sleep(30)::text AS s, '$MARK' AS m"
  STREAM="SELECT g, CASE WHEN g % 50 = 0 THEN pg_sleep(0.001)::text END AS s, '$MARK' AS m FROM (SELECT generate_series(1, 100000000) AS g) t"
  BESIDE="SELECT g AS n FROM generate_series(1, 3) g, pg_sleep(4)"
  RUNNING="SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() AND query LIKE '%$MARK%'"
  LIST="SELECT pid, state, now() - query_start AS running_for, left(query, 160) AS query FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE '%$MARK%'"
else
  TYPE=MYSQL
  LOCATION="host=$HOST port=$PORT database=$DATABASE"
  SLOW="SELECT 1 AS a, SLEEP(30) AS s, '$MARK' AS m"
  STREAM="SELECT seq AS g, SLEEP(0.0001) AS s, '$MARK' AS m FROM seq_1_to_100000000"
  BESIDE="SELECT n FROM (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3) t, (SELECT SLEEP(4) AS z) s"
  RUNNING="SELECT count(*) AS n FROM information_schema.processlist WHERE id <> CONNECTION_ID() AND command = 'Query' AND info LIKE '%$MARK%'"
  LIST="SELECT id, command, time, state, LEFT(info, 160) AS query FROM information_schema.processlist WHERE id <> CONNECTION_ID() AND info LIKE '%$MARK%'"
fi

sql_json() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }
remote() { echo "SELECT * FROM pond_query('rdb', '$(printf '%s' "$1" | sed "s/'/''/g")')"; }
query_body() { echo "{\"sql\":$(sql_json "$(remote "$1")"),\"queryId\":\"$2\"}"; }

# run_bg NAME BODY: executeQuery in the background; NAME.json gets the body, NAME.status the status,
# and LAST_BG its process id.
run_bg() {
  (curl -sS -o "$1.json" -w '%{http_code}' -X POST "$URL/v1/executeQuery" -d "$2" > "$1.status") &
  LAST_BG=$!
}
# The remote statements still running (0 once a stopped query's statement was cancelled).
still_running() { post executeQuery "{\"sql\":$(sql_json "$(remote "$RUNNING")")}" | json_field '["rows"][0][0]'; }
# wait_active N: until N queries run (materialize and refresh count too).
wait_active() {
  for _ in $(seq 100); do
    [ "$(curl -sS "$URL/healthz" | json_field '["activeQueries"]')" = "$1" ] && return 0
    sleep 0.1
  done
  fail "expected $1 running queries: $(curl -sS "$URL/healthz")"
}
# cancel ID: cancelQuery must find and stop the query.
cancel() {
  local reply
  reply=$(post cancelQuery "{\"queryId\":\"$1\"}")
  echo "$reply" | grep -q '"cancelled":true' || fail "cancelQuery $1 answered $reply; answers so far: $(cat ./*.json 2>/dev/null)"
}
expect_beside_complete() {
  [ "$(cat beside.status)" = 200 ] || fail "the query beside got $(cat beside.status): $(cat beside.json)"
  python3 -c 'import json,sys; d=json.load(open("beside.json")); assert d["status"] == "ok" and d["rowCount"] == 3, d' ||
    fail "the query beside did not get its rows: $(cat beside.json)"
}
expect_no_remote_leftover() {
  for _ in $(seq 50); do
    [ "$(still_running)" = 0 ] && return 0
    sleep 0.1
  done
  fail "the stopped query's remote statement still runs on the $KIND server: $(post executeQuery "{\"sql\":$(sql_json "$(remote "$LIST")")}")"
}

# The workspace: a secret naming the password's variable, and the source, set up through the
# API (the secret through the CLI: secrets are not created over HTTP).
"$POND" -w ws.duckdb query "CREATE PERSISTENT SECRET rdb_secret (TYPE $TYPE, USER '$USER_', PASSWORD_ENV 'POND_E2E_REMOTE_PASSWORD')" > /dev/null ||
  fail "cannot create the secret"
start_server

attach=$(post attach "{\"location\":\"$LOCATION\",\"alias\":\"rdb\",\"type\":\"$(echo "$TYPE" | tr A-Z a-z)\",\"options\":{\"secret\":\"rdb_secret\"}}")
echo "$attach" | grep -q '"attached":true' || fail "attach: $attach"
stop_server

case "$CASE" in
  cancel_stops_only_that_query)
    start_server
    run_bg slow "$(query_body "$SLOW" remote-slow-0001)"; SLOW_PID=$LAST_BG
    sleep 0.5
    run_bg beside "$(query_body "$BESIDE" remote-beside-01)"; BESIDE_PID=$LAST_BG
    wait_active 2
    sleep 0.5
    start=$(date +%s%N)
    cancel remote-slow-0001
    wait $SLOW_PID
    elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    [ "$(cat slow.status)" = 409 ] && grep -q '"code":"cancelled"' slow.json || fail "the cancelled query got $(cat slow.status) $(cat slow.json)"
    [ "$elapsed_ms" -lt 5000 ] || fail "the cancelled query took ${elapsed_ms} ms to end"
    wait $BESIDE_PID
    expect_beside_complete
    expect_no_remote_leftover
    stop_server ;;

  timeout_stops_only_that_query)
    start_server --query-timeout 5
    run_bg slow "$(query_body "$SLOW" remote-slow-0002)"; SLOW_PID=$LAST_BG
    sleep 2
    run_bg beside "$(query_body "$BESIDE" remote-beside-02)"; BESIDE_PID=$LAST_BG
    wait $SLOW_PID
    [ "$(cat slow.status)" = 504 ] && grep -q '"code":"timeout"' slow.json || fail "the slow query got $(cat slow.status) $(cat slow.json)"
    wait $BESIDE_PID
    expect_beside_complete
    expect_no_remote_leftover
    stop_server ;;

  disconnect_stops_only_that_query)
    start_server
    run_bg beside "$(query_body "$BESIDE" remote-beside-03)"; BESIDE_PID=$LAST_BG
    sleep 0.3
    curl -sS -o /dev/null --max-time 2 -X POST "$URL/v1/executeQuery" -d "$(query_body "$STREAM" remote-stream-01)"
    [ $? = 28 ] || fail "the streaming query was expected to outlast the client"
    wait $BESIDE_PID
    expect_beside_complete
    expect_no_remote_leftover
    curl -sS "$URL/metrics" | grep -q '^pond_client_disconnects_total [1-9]' || fail "disconnect not counted"
    stop_server ;;

  materialize_cancel_and_timeout)
    start_server --query-timeout 6  # room for the polling below on a loaded machine
    (curl -sS -o mat.json -w '%{http_code}' -X POST "$URL/v1/materialize" \
      -d "{\"name\":\"slow_copy\",\"source\":\"rdb\",\"query\":$(sql_json "$SLOW"),\"queryId\":\"remote-mat-0001\"}" > mat.status) &
    MAT_PID=$!
    wait_active 1
    sleep 0.5
    cancel remote-mat-0001
    wait $MAT_PID
    [ "$(cat mat.status)" = 409 ] && grep -q '"code":"cancelled"' mat.json || fail "the materialize got $(cat mat.status) $(cat mat.json)"
    expect_no_remote_leftover
    code=$(curl -sS -o mat2.json -w '%{http_code}' -X POST "$URL/v1/materialize" \
      -d "{\"name\":\"slow_copy\",\"source\":\"rdb\",\"query\":$(sql_json "$SLOW")}")
    [ "$code" = 504 ] && grep -q '"code":"timeout"' mat2.json || fail "the materialize got $code $(cat mat2.json)"
    expect_no_remote_leftover
    # Nothing was created; a quick one works and reports its id.
    post executeQuery '{"sql":"SELECT count(*) FROM duckdb_tables() WHERE table_name = '"'"'slow_copy'"'"'"}' | grep -q '"rows":\[\[0\]\]' ||
      fail "a cancelled materialize left a table"
    out=$(post materialize "{\"name\":\"quick_copy\",\"source\":\"rdb\",\"query\":\"SELECT 7 AS n\"}")
    echo "$out" | grep -q '"rows":1' && echo "$out" | grep -q '"queryId":"q' || fail "materialize: $out"
    out=$(post refresh '{"name":"quick_copy","queryId":"refresh-quick-01"}')
    echo "$out" | grep -q '"queryId":"refresh-quick-01"' || fail "refresh: $out"
    stop_server ;;

  test_connection_retries_a_refused_login)
    # A source whose login is refused when the server starts is not retried on use; fixing the
    # password (here: the file its secret reads) and testing the connection makes it usable.
    RIGHT=$POND_E2E_REMOTE_PASSWORD
    WRONG="Wr0ng-pw-$$-'\";"
    umask 077
    printf '%s' "$RIGHT" > pw
    "$POND" -w ws.duckdb query "CREATE PERSISTENT SECRET file_secret (TYPE $TYPE, USER '$USER_', PASSWORD_FILE '$WORK/pw')" > /dev/null ||
      fail "cannot create the file secret"
    "$POND" -w ws.duckdb query "ATTACH '$LOCATION' AS fdb (TYPE $TYPE, SECRET file_secret)" > /dev/null ||
      fail "cannot attach with the right password"
    printf '%s' "$WRONG" > pw
    start_server
    REMOTE_N="{\"sql\":\"SELECT * FROM pond_query('fdb', 'SELECT 41 + 1 AS n')\"}"
    # Nothing but a test of the connection tries a refused login again: until then pond_query
    # on the source says it is unavailable and not retried.
    expect_unusable() {
      local out
      out=$(post executeQuery "$REMOTE_N")
      echo "$out" | grep -q "source 'fdb' is unavailable and is not retried" || fail "$1: the source should not be usable: $out"
    }
    post listConnections '{}' > list.json
    python3 - list.json <<'PY' || fail "fdb should be listed unavailable: $(cat list.json)"
import json, sys
s = {x["alias"]: x for x in json.load(open(sys.argv[1]))["sources"]}["fdb"]
assert s["available"] is False, s
assert "authentication failed" in s["reason"] or "access denied" in s["reason"], s
PY
    expect_unusable "after start"
    # A statement that names the source says why, and makes no login attempt.
    out=$(post executeQuery '{"sql":"SELECT * FROM fdb.no_such_table"}')
    echo "$out" | grep -q "source 'fdb' is unavailable and is not retried" || fail "a query naming fdb: $out"
    echo "$out" | grep -q '"code":"connector"' || fail "a query naming fdb: $out"
    # A test with the password still wrong: ok false, the refusal named, the mark kept.
    post testConnection '{"alias":"fdb"}' > test1.json
    python3 - test1.json <<'PY' || fail "a failing test should say why: $(cat test1.json)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is False and d["error"]["code"] == "connector", d
m = d["error"]["message"]
assert "source 'fdb' is unavailable" in m and ("authentication failed" in m or "access denied" in m), m
assert "not retried on use until a test of its connection succeeds" in m, m
PY
    expect_unusable "after a failing test"
    # The right password is back: a use still does not try; a test does and clears the mark.
    printf '%s' "$RIGHT" > pw
    expect_unusable "before the test"
    post testConnection '{"alias":"fdb"}' > test2.json
    grep -q '"ok":true' test2.json || fail "the test with the right password failed: $(cat test2.json)"
    out=$(post executeQuery "$REMOTE_N")
    echo "$out" | grep -q '"rows":\[\[42\]\]' || fail "the source is not usable after a good test: $out"
    post listConnections '{}' > list2.json
    python3 -c 'import json,sys; s={x["alias"]:x for x in json.load(open(sys.argv[1]))["sources"]}["fdb"]; assert s["available"], s' \
      list2.json || fail "fdb should be available now: $(cat list2.json)"
    # No answer and no log line ever holds a password.
    for f in list.json list2.json test1.json test2.json serve.out serve.err; do
      grep -qF -- "$WRONG" "$f" && fail "$f holds the wrong password"
      grep -qF -- "$RIGHT" "$f" && fail "$f holds the password"
    done
    stop_server ;;

  *) fail "unknown case" ;;
esac
echo "ok [$KIND $CASE]"
