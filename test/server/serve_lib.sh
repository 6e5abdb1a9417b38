# Shared by the pond serve end-to-end scripts (serve_e2e.sh, serve_remote_e2e.sh): sourced,
# not run. The caller sets POND and defines fail(); this makes a temporary work folder (the
# current folder from then on, removed at exit with any server still running) and gives
# start_server / stop_server, post and json_field.

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  [ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK" || exit 1

# start_server ARGS... : starts pond serve, sets URL and SERVER_PID
start_server() {
  "$POND" -w ws.duckdb serve --listen 127.0.0.1:0 "$@" > serve.out 2> serve.err &
  SERVER_PID=$!
  for _ in $(seq 100); do
    URL=$(grep -o 'http://127.0.0.1:[0-9]*' serve.out 2>/dev/null | head -1)
    [ -n "$URL" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || fail "pond serve exited: $(cat serve.err)"
    sleep 0.1
  done
  fail "pond serve did not start"
}

# stop_server: SIGTERM, expect exit 0 within 20 s
stop_server() {
  kill -TERM "$SERVER_PID"
  for _ in $(seq 200); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      wait "$SERVER_PID"; local code=$?
      SERVER_PID=
      [ "$code" = 0 ] || fail "pond serve exited with $code after SIGTERM"
      return 0
    fi
    sleep 0.1
  done
  fail "pond serve did not stop within 20 s of SIGTERM"
}

post() { curl -sS -X POST "$URL/v1/$1" -H 'Content-Type: application/json' -d "$2"; }
json_field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d$1)"; }
