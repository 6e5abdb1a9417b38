#!/usr/bin/env bash
# Fetches DuckDB 1.4.4 (shared library + C header) from npm, verifies the pinned sha512 of
# each package and unpacks them into a cache outside the build tree, so rebuilds and fresh
# build directories never download again. Prints the cache folder on stdout.
set -euo pipefail

readonly DUCKDB_VERSION=1.4.4
readonly LIB_PKG="@duckdb/node-bindings-linux-x64@1.4.4-r.4"
readonly LIB_SHA512="8c14cbfd6bdfc312d3a056bfa551df4fa7a532d96d2469dcdf04aec590fd39f325b62b7d614755152dfbbc1150cd7313d59f0e5a3b528cc87eccf2b13b01cb1c"
readonly HDR_PKG="duckdb@1.4.4"
readonly HDR_SHA512="844249e61c9517454b8f776638ba6c5ab411d1bddde1892ab72826ea25178c72430e74aa83f5122b171be6abcdace84560f824b5ac94e9d5c2b603ea7269a9a2"

cache_root="${POND_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pond}"
dest="$cache_root/duckdb-$DUCKDB_VERSION"
stamp="$dest/.verified"

if [[ -f "$stamp" && -f "$dest/lib/libduckdb.so" && -f "$dest/include/duckdb.h" ]] &&
   [[ "$(cat "$stamp")" == "$LIB_SHA512 $HDR_SHA512" ]]; then
  echo "$dest"
  exit 0
fi

command -v npm >/dev/null || { echo "fetch-duckdb: npm is required (apt-get install npm)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fetch() { # package spec, expected sha512 -> path of verified tarball
  local spec="$1" want="$2" tgz got
  tgz="$(cd "$work" && npm pack --silent "$spec" 2>"$work/npm.log" | tail -n 1)" || {
    echo "fetch-duckdb: 'npm pack $spec' failed:" >&2; cat "$work/npm.log" >&2; exit 1; }
  got="$(sha512sum "$work/$tgz" | cut -d' ' -f1)"
  if [[ "$got" != "$want" ]]; then
    echo "fetch-duckdb: checksum mismatch for $spec (got $got, want $want); refusing to use it" >&2
    exit 1
  fi
  echo "$work/$tgz"
}

echo "fetch-duckdb: downloading DuckDB $DUCKDB_VERSION into $dest" >&2
lib_tgz="$(fetch "$LIB_PKG" "$LIB_SHA512")"
hdr_tgz="$(fetch "$HDR_PKG" "$HDR_SHA512")"

mkdir -p "$work/out/lib" "$work/out/include"
tar -xzf "$lib_tgz" -C "$work" package/libduckdb.so
mv "$work/package/libduckdb.so" "$work/out/lib/"
tar -xzf "$hdr_tgz" -C "$work" package/src/duckdb/src/include/duckdb.h
mv "$work/package/src/duckdb/src/include/duckdb.h" "$work/out/include/"
echo "$LIB_SHA512 $HDR_SHA512" >"$work/out/.verified"

mkdir -p "$cache_root"
rm -rf "$dest.tmp" && mv "$work/out" "$dest.tmp"
rm -rf "$dest" && mv "$dest.tmp" "$dest"
echo "$dest"
