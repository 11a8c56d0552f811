#!/usr/bin/env bash
# Installs chDB, the current ClickHouse engine as a shared library (npm package
# @chdb/lib-linux-x64-gnu; 178 MB download, 566 MB unpacked), into a cache directory, once. The tests
# run the project's schema, migrations and analyst queries against it through a small HTTP front
# (job/src/test/chdb/chdb_http.py, python3 + ctypes): an engine-level check of a current ClickHouse,
# beside the real-server checks on Debian's clickhouse-server 18.16.
#   ENGAGEMENT_CHDB_DIR  cache directory (default ~/.cache/engagement-chdb)
# Prints nothing when the library is already there. Needs npm (or an existing tarball) and python3.
set -euo pipefail

CHDB_PACKAGE="@chdb/lib-linux-x64-gnu"
CHDB_VERSION="26.7.3-stable.1"   # ClickHouse engine 26.7.2.1 (SELECT version())
DIR="${ENGAGEMENT_CHDB_DIR:-$HOME/.cache/engagement-chdb}"
LIB="$DIR/package/libchdb.so"
STAMP="$DIR/package/.version"

if [[ -r "$LIB" && "$(cat "$STAMP" 2>/dev/null)" == "$CHDB_VERSION" ]]; then
  exit 0
fi
if [[ "$(uname -m)" != x86_64 ]]; then
  echo "install-chdb: $CHDB_PACKAGE is built for x86_64 Linux, this machine is $(uname -m)" >&2
  exit 1
fi
if ! command -v python3 >/dev/null || ! python3 -c 'import ctypes, http.server' 2>/dev/null; then
  if [[ "$(id -u)" == 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 >/dev/null
  else
    echo "install-chdb: python3 is missing; as root run: apt-get install -y python3" >&2
    exit 1
  fi
fi
mkdir -p "$DIR"
tarball="$DIR/chdb-lib-linux-x64-gnu-$CHDB_VERSION.tgz"
if [[ ! -s "$tarball" ]]; then
  if ! command -v npm >/dev/null; then
    if [[ "$(id -u)" == 0 ]]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
    else
      echo "install-chdb: npm is missing (it downloads $CHDB_PACKAGE); as root run: apt-get install -y npm" >&2
      exit 1
    fi
  fi
  echo "install-chdb: downloading $CHDB_PACKAGE@$CHDB_VERSION (178 MB) ..."
  (cd "$DIR" && npm pack --silent "$CHDB_PACKAGE@$CHDB_VERSION" >/dev/null)
  packed="$DIR/chdb-lib-linux-x64-gnu-$CHDB_VERSION.tgz"
  [[ -s "$packed" ]] || { echo "install-chdb: npm pack did not produce $packed" >&2; exit 1; }
fi
rm -rf "$DIR/package.tmp"
mkdir -p "$DIR/package.tmp"
tar -xzf "$tarball" -C "$DIR/package.tmp" --strip-components=1
[[ -r "$DIR/package.tmp/libchdb.so" ]] || { echo "install-chdb: $tarball holds no libchdb.so" >&2; exit 1; }
echo "$CHDB_VERSION" > "$DIR/package.tmp/.version"
rm -rf "$DIR/package"
mv "$DIR/package.tmp" "$DIR/package"
echo "install-chdb: chDB $CHDB_VERSION in $DIR/package"
