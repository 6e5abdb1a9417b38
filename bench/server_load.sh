#!/usr/bin/env bash
# The 30-second, 64-client load test of pond serve (CTest runs a 10-second variant):
# small queries, large results and cancels, every response checked, RSS compared.
# Usage: bench/server_load.sh BUILD_DIR [SECONDS] [CLIENTS]
set -euo pipefail
BUILD=$(cd "$1" && pwd)
exec "$BUILD/test/server/pond_server_load" --pond "$BUILD/pond" --seconds "${2:-30}" --clients "${3:-64}"
