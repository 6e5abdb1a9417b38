#!/usr/bin/env bash
# Runs every test registered with CTest in the given build folder.
set -euo pipefail
build="${1:-build}"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" --timeout 600
