#!/usr/bin/env bash
# Installs the npm package apache-arrow at an exact version into a folder (for the Arrow
# cross-check tests): fetch-apache-arrow.sh <version> <folder>. Does nothing when that version
# is already there; npm's own cache makes a reinstall work offline.
set -euo pipefail

version="${1:?usage: fetch-apache-arrow.sh <version> <folder>}"
dest="${2:?usage: fetch-apache-arrow.sh <version> <folder>}"
installed="$dest/node_modules/apache-arrow/package.json"

if [[ -f "$installed" ]] && grep -q "\"version\": \"$version\"" "$installed"; then
  exit 0
fi
command -v npm >/dev/null || { echo "fetch-apache-arrow: npm is required (apt-get install npm)" >&2; exit 1; }
mkdir -p "$dest"
npm install --prefix "$dest" --no-save --no-audit --no-fund --prefer-offline "apache-arrow@$version" >&2
grep -q "\"version\": \"$version\"" "$installed" || {
  echo "fetch-apache-arrow: apache-arrow@$version did not install into $dest" >&2; exit 1; }
