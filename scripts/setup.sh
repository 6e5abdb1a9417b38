#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test Pond: Debian packages
# (only the missing ones, so a prepared machine pays nothing) and the pinned DuckDB.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config make git ca-certificates
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev libedit-dev nlohmann-json3-dev libyaml-cpp-dev libcpp-httplib-dev
  clang-format ccache time
  libsqlite3-dev sqlite3
  libflatbuffers-dev libhowardhinnant-date-dev tzdata
  libpq-dev postgresql
  libmariadb-dev mariadb-server
  wrk
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

# Node's own distribution ships npm inside the nodejs package; only ask Debian when absent.
command -v npm >/dev/null || missing+=(nodejs npm)

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

"$(dirname "$0")/fetch-duckdb.sh" >/dev/null
