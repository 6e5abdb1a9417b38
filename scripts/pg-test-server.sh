#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the PostgreSQL connector tests.
#
#   scripts/pg-test-server.sh start DIR   # fresh cluster for DIR, prints the port
#   scripts/pg-test-server.sh stop DIR    # shuts it down and removes the cluster
#   scripts/pg-test-server.sh pause DIR   # shuts it down, keeping the cluster (failure tests)
#   scripts/pg-test-server.sh resume DIR  # starts a paused cluster again on the same port
#
# start initdb's a new cluster (never the system's default one) and starts it with pg_ctl on
# 127.0.0.1 with a random free port. TCP connections need the password (scram-sha-256);
# connections over the unix socket (inside the cluster) are trusted. The superuser is `pond`
# with the password below, and the database `pond_test` exists. It writes DIR/port,
# DIR/host, DIR/socket-dir, DIR/user, DIR/password and DIR/database.
#
# PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` system user
# (created when missing). When that user cannot reach DIR (a build tree under /root) or DIR is
# too deep for a unix socket path, the cluster lives in a directory under /tmp recorded in
# DIR/cluster-dir. Works without a terminal; PG_BINDIR overrides where initdb and pg_ctl are.
set -euo pipefail

readonly kUser=pond
readonly kPassword=pond-test-password
readonly kDatabase=pond_test
readonly kServerUser=postgres

die() {
  echo "pg-test-server: $*" >&2
  exit 1
}

# Debian keeps the server binaries in /usr/lib/postgresql/<version>/bin; take the newest.
find_bindir() {
  if [[ -n ${PG_BINDIR:-} ]]; then
    [[ -x $PG_BINDIR/initdb ]] || die "no initdb in PG_BINDIR=$PG_BINDIR"
    echo "$PG_BINDIR"
    return
  fi
  local dir
  dir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  if [[ -n $dir && -x $dir/initdb ]]; then
    echo "$dir"
  elif command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  else
    die "initdb not found: install postgresql (scripts/setup.sh does)"
  fi
}

# Runs a command as the user that owns the cluster, from / (it may not enter the caller's
# directory).
as_server() {
  if [[ $(id -u) -eq 0 ]]; then
    (cd / && runuser -u "$kServerUser" -- "$@")
  else
    "$@"
  fi
}

ensure_server_user() {
  [[ $(id -u) -eq 0 ]] || return 0
  id "$kServerUser" >/dev/null 2>&1 && return 0
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$kServerUser" ||
    die "cannot create the '$kServerUser' user to run the server as"
}

# Where the cluster of DIR lives: DIR/cluster when the server user can use it and the socket
# path fits in sun_path (108 bytes), else a fresh directory under /tmp.
make_cluster_dir() {
  local dir=$1 cluster=$1/cluster
  if ((${#cluster} < 80)); then
    mkdir -p "$cluster"
    [[ $(id -u) -eq 0 ]] && chown "$kServerUser:" "$cluster"
    if as_server test -w "$cluster" 2>/dev/null; then
      echo "$cluster"
      return
    fi
    rm -rf "$cluster"
  fi
  cluster=$(mktemp -d /tmp/pond-pg.XXXXXX)
  [[ $(id -u) -eq 0 ]] && chown "$kServerUser:" "$cluster"
  echo "$cluster" >"$dir/cluster-dir"
  echo "$cluster"
}

cluster_dir() {
  local dir=$1
  if [[ -f $dir/cluster-dir ]]; then
    cat "$dir/cluster-dir"
  else
    echo "$dir/cluster"
  fi
}

# shellcheck source=scripts/test-server-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/test-server-lib.sh"

stop_server() {
  local dir=$1 cluster
  cluster=$(cluster_dir "$dir")
  if [[ -f $cluster/data/postmaster.pid ]]; then
    as_server "$BINDIR/pg_ctl" -D "$cluster/data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
      as_server "$BINDIR/pg_ctl" -D "$cluster/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$cluster"
  rm -f "$dir/cluster-dir" "$dir/port"
}

# Shuts the server down (connected clients are disconnected) and keeps its data.
pause_server() {
  local dir=$1 cluster
  cluster=$(cluster_dir "$dir")
  [[ -f $cluster/data/postmaster.pid ]] || return 0
  as_server "$BINDIR/pg_ctl" -D "$cluster/data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
    as_server "$BINDIR/pg_ctl" -D "$cluster/data" -m immediate -w -t 30 stop >/dev/null 2>&1 ||
    die "cannot stop the server of $dir"
}

resume_server() {
  local dir=$1 cluster
  cluster=$(cluster_dir "$dir")
  [[ -f $dir/port && -d $cluster/data ]] || die "no paused server in $dir: start one first"
  [[ -f $cluster/data/postmaster.pid ]] && return 0
  launch "$dir" "$cluster" "$(cat "$dir/port")" || die "cannot restart the server of $dir on its port"
}

# Starts the cluster on port $3; returns 2 when the port was taken meanwhile.
launch() {
  local dir=$1 cluster=$2 port=$3
  if as_server "$BINDIR/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
    -o "-p $port -k $cluster -c listen_addresses=127.0.0.1" start </dev/null >/dev/null 2>&1; then
    return 0
  fi
  cat "$cluster/server.log" >"$dir/server.log" 2>/dev/null || true
  grep -q -i "address already in use" "$dir/server.log" && return 2
  cat "$dir/server.log" >&2
  die "the server did not start (log: $dir/server.log)"
}

start_server() {
  local dir=$1 cluster
  stop_server "$dir"
  ensure_server_user
  cluster=$(make_cluster_dir "$dir")

  local pwfile=$cluster/pwfile
  echo "$kPassword" >"$pwfile"
  [[ $(id -u) -eq 0 ]] && chown "$kServerUser:" "$pwfile"
  chmod 600 "$pwfile"
  if ! as_server "$BINDIR/initdb" -D "$cluster/data" -U "$kUser" --pwfile="$pwfile" -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    die "initdb failed (log: $dir/initdb.log)"
  fi
  rm -f "$pwfile"
  as_server tee -a "$cluster/data/postgresql.conf" >/dev/null <<CONF
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
log_min_messages = warning
CONF

  local port status
  for _ in $(seq 1 5); do
    port=$(random_port)
    status=0
    launch "$dir" "$cluster" "$port" || status=$?
    ((status == 0)) && break
    ((status == 2)) || exit "$status"
  done
  ((status == 0)) || die "could not bind a free port"

  "$BINDIR/psql" -X -q -h "$cluster" -p "$port" -U "$kUser" -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE $kDatabase" >/dev/null || die "cannot create the database $kDatabase"
  echo "$port" >"$dir/port"
  echo "127.0.0.1" >"$dir/host"
  echo "$cluster" >"$dir/socket-dir"
  echo "$kUser" >"$dir/user"
  echo "$kPassword" >"$dir/password"
  echo "$kDatabase" >"$dir/database"
  echo "$port"
}

[[ $# -eq 2 ]] || die "usage: $0 start|stop|pause|resume DIR"
command=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
BINDIR=$(find_bindir)

case $command in
  start) start_server "$dir" ;;
  stop) stop_server "$dir" ;;
  pause) pause_server "$dir" ;;
  resume) resume_server "$dir" ;;
  *) die "usage: $0 start|stop|pause|resume DIR" ;;
esac
