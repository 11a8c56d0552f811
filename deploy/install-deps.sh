#!/usr/bin/env bash
# Installs what the project needs beyond JDK 17 (the Maven wrapper fetches Maven 3.9 and every jar
# from Maven Central): Debian's ClickHouse server and client, used by the tests and the local stack.
# Safe to run twice: does nothing when ClickHouse is already installed.
set -euo pipefail

CH_BIN="${CLICKHOUSE_SERVER_BIN:-/usr/sbin/clickhouse-server}"
if [[ -x "$CH_BIN" ]]; then
  exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "install-deps: $CH_BIN is missing; as root run: apt-get install -y clickhouse-server clickhouse-client" >&2
  exit 1
fi
echo "install-deps: installing clickhouse-server and clickhouse-client (Debian package) ..."
# policy-rc.d, present in most containers, keeps the package from starting its own service; the
# project always starts its own server with its own config.
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clickhouse-server clickhouse-client >/dev/null
[[ -x "$CH_BIN" ]] || { echo "install-deps: installation did not provide $CH_BIN" >&2; exit 1; }
echo "install-deps: $("$CH_BIN" --version 2>/dev/null | head -1 || echo clickhouse-server installed)"
