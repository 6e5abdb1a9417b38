#!/usr/bin/env bash
# A throwaway MariaDB server for the MySQL connector tests.
#
#   scripts/mariadb-test-server.sh start DIR   # fresh data directory in DIR, prints the port
#   scripts/mariadb-test-server.sh stop DIR    # shuts the server of DIR down
#   scripts/mariadb-test-server.sh resume DIR  # starts a stopped server again (same data, port)
#
# start wipes DIR/data, runs mariadb-install-db into it and starts mariadbd (never the system
# service) on 127.0.0.1 with a random free port; socket, pid file and error log live in DIR.
# It creates the user `pond` (password below, host '%', '127.0.0.1' and 'localhost') with all
# privileges and the database `pond_test`, then writes DIR/port, DIR/user, DIR/password and
# DIR/database. Works as root (mariadbd --user=root) and as an ordinary user, without a
# terminal. stop removes nothing; the next start reuses DIR.
set -euo pipefail

readonly kUser=pond
readonly kPassword=pond-test-password
readonly kDatabase=pond_test

die() {
  echo "mariadb-test-server: $*" >&2
  exit 1
}

find_tool() {
  local name
  for name in "$@"; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return
    fi
    for dir in /usr/sbin /usr/bin /usr/local/sbin /usr/local/bin; do
      [[ -x $dir/$name ]] && { echo "$dir/$name"; return; }
    done
  done
  die "none of '$*' found: install mariadb-server (scripts/setup.sh does)"
}

# The socket path must fit in sun_path (108 bytes); deep build trees get a short one in /tmp,
# recorded in DIR/socket-dir so that stop can remove it.
socket_path() {
  local dir=$1
  if [[ -f $dir/socket-dir ]]; then
    echo "$(cat "$dir/socket-dir")/mariadbd.sock"
  elif ((${#dir} < 80)); then
    echo "$dir/mariadbd.sock"
  else
    local short
    short=$(mktemp -d /tmp/pond-mariadb.XXXXXX)
    echo "$short" >"$dir/socket-dir"
    echo "$short/mariadbd.sock"
  fi
}

server_pid() {
  local dir=$1
  [[ -f $dir/mariadbd.pid ]] || return 1
  local pid
  pid=$(cat "$dir/mariadbd.pid")
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# shellcheck source=scripts/test-server-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/test-server-lib.sh"

stop_server() {
  local dir=$1 pid
  if pid=$(server_pid "$dir"); then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 300); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "mariadb-test-server: server $pid did not stop in 30 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$dir/mariadbd.pid"
  if [[ -f $dir/socket-dir ]]; then
    rm -rf "$(cat "$dir/socket-dir")"
    rm -f "$dir/socket-dir"
  fi
}

# Starts mariadbd on $2 and waits until it answers; returns 2 when the port was taken.
launch() {
  local dir=$1 port=$2 socket=$3
  local user_args=()
  [[ $(id -u) -eq 0 ]] && user_args=(--user=root)
  : >"$dir/error.log"
  setsid "$MARIADBD" --no-defaults "${user_args[@]}" \
    --datadir="$dir/data" --tmpdir="$dir/tmp" --socket="$socket" --pid-file="$dir/mariadbd.pid" \
    --port="$port" --bind-address=127.0.0.1 --skip-name-resolve --log-error="$dir/error.log" \
    --innodb-buffer-pool-size=128M --innodb-log-file-size=48M --max-connections=200 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
    </dev/null >>"$dir/error.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 600); do
    if ! kill -0 "$pid" 2>/dev/null; then
      grep -q -i "address already in use" "$dir/error.log" && return 2
      cat "$dir/error.log" >&2
      die "mariadbd exited during startup (log: $dir/error.log)"
    fi
    if "$ADMIN" --no-defaults --socket="$socket" -uroot --connect-timeout=2 ping >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null || true
  die "mariadbd did not answer within 60 s (log: $dir/error.log)"
}

resume_server() {
  local dir=$1
  server_pid "$dir" >/dev/null && return 0
  [[ -f $dir/port && -d $dir/data ]] || die "no stopped server in $dir: start one first"
  launch "$dir" "$(cat "$dir/port")" "$(socket_path "$dir")" || die "cannot restart the server of $dir on its port"
}

start_server() {
  local dir=$1
  stop_server "$dir"
  rm -rf "$dir/data" "$dir/tmp"
  mkdir -p "$dir/data" "$dir/tmp"
  local user_args=()
  [[ $(id -u) -eq 0 ]] && user_args=(--user=root)
  if ! "$INSTALL_DB" --no-defaults "${user_args[@]}" --datadir="$dir/data" \
    --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1; then
    cat "$dir/install.log" >&2
    die "mariadb-install-db failed (log: $dir/install.log)"
  fi
  local socket port status
  socket=$(socket_path "$dir")
  for _ in $(seq 1 5); do
    port=$(random_port)
    status=0
    launch "$dir" "$port" "$socket" || status=$?
    ((status == 0)) && break
    ((status == 2)) || exit "$status"
  done
  ((status == 0)) || die "could not bind a free port"

  "$CLIENT" --no-defaults --socket="$socket" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS \`$kDatabase\` CHARACTER SET utf8mb4;
CREATE USER '$kUser'@'%' IDENTIFIED BY '$kPassword';
CREATE USER '$kUser'@'127.0.0.1' IDENTIFIED BY '$kPassword';
CREATE USER '$kUser'@'localhost' IDENTIFIED BY '$kPassword';
GRANT ALL PRIVILEGES ON *.* TO '$kUser'@'%';
GRANT ALL PRIVILEGES ON *.* TO '$kUser'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO '$kUser'@'localhost';
SQL
  echo "$port" >"$dir/port"
  echo "$kUser" >"$dir/user"
  echo "$kPassword" >"$dir/password"
  echo "$kDatabase" >"$dir/database"
  echo "$port"
}

[[ $# -eq 2 ]] || die "usage: $0 start|stop|resume DIR"
command=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)

case $command in
  start)
    MARIADBD=$(find_tool mariadbd mysqld)
    INSTALL_DB=$(find_tool mariadb-install-db mysql_install_db)
    ADMIN=$(find_tool mariadb-admin mysqladmin)
    CLIENT=$(find_tool mariadb mysql)
    start_server "$dir"
    ;;
  stop) stop_server "$dir" ;;
  resume)
    MARIADBD=$(find_tool mariadbd mysqld)
    ADMIN=$(find_tool mariadb-admin mysqladmin)
    resume_server "$dir"
    ;;
  *) die "usage: $0 start|stop|resume DIR" ;;
esac
