#!/usr/bin/env bash
# Runs every test registered with CTest in the given build folder.
set -euo pipefail
build="${1:-build}"
# Expected TIMESTAMP WITH TIME ZONE text is written in UTC; DuckDB's default zone is the machine's.
export TZ=UTC
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" --timeout 600
