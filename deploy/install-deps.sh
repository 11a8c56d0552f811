#!/usr/bin/env bash
# Installs what the project needs beyond JDK 17 (the Maven wrapper fetches Maven 3.9 and every jar
# from Maven Central), from Debian's packages:
#   - ClickHouse server and client: used by the tests and the local stack;
#   - promtool (package prometheus): checks and unit-tests the alert rules of deploy/prometheus/;
#   - ZooKeeper (package zookeeper, the jars only; never started as a service): the coordination
#     service of the two-server ClickHouse cluster in ClickHouseClusterITCase;
#   - Chromium and its WebDriver (packages chromium, chromium-driver): the dashboard's browser tests
#     (DashboardBrowserITCase, Selenium, headless);
#   - chDB, the current ClickHouse engine as a library (deploy/install-chdb.sh, cached): the
#     engine-level check of the schema and queries on a current release.
# Safe to run twice: installs only what is missing.
set -euo pipefail

CH_BIN="${CLICKHOUSE_SERVER_BIN:-/usr/sbin/clickhouse-server}"
PROMTOOL_BIN="${PROMTOOL:-/usr/bin/promtool}"
packages=()
[[ -x "$CH_BIN" ]] || packages+=(clickhouse-server clickhouse-client)
[[ -x "$PROMTOOL_BIN" ]] || packages+=(prometheus)
ZK_JAR=/usr/share/java/zookeeper.jar
[[ -r "$ZK_JAR" ]] || packages+=(zookeeper)
CHROMIUM_BIN="${CHROMIUM_BIN:-/usr/bin/chromium}"
CHROMEDRIVER_BIN="${CHROMEDRIVER_BIN:-/usr/bin/chromedriver}"
[[ -x "$CHROMIUM_BIN" && -x "$CHROMEDRIVER_BIN" ]] || packages+=(chromium chromium-driver)
if [[ ${#packages[@]} -eq 0 ]]; then
  exec "$(dirname "${BASH_SOURCE[0]}")/install-chdb.sh"
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "install-deps: missing ${packages[*]}; as root run: apt-get install -y --no-install-recommends ${packages[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${packages[*]} (Debian packages) ..."
# policy-rc.d, present in most containers, keeps the packages from starting their own services; the
# project always starts its own ClickHouse with its own config and runs no Prometheus server.
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
[[ -x "$CH_BIN" ]] || { echo "install-deps: installation did not provide $CH_BIN" >&2; exit 1; }
[[ -x "$PROMTOOL_BIN" ]] || { echo "install-deps: installation did not provide $PROMTOOL_BIN" >&2; exit 1; }
[[ -r "$ZK_JAR" ]] || { echo "install-deps: installation did not provide $ZK_JAR" >&2; exit 1; }
[[ -x "$CHROMEDRIVER_BIN" ]] || { echo "install-deps: installation did not provide $CHROMEDRIVER_BIN" >&2; exit 1; }
echo "install-deps: $("$CH_BIN" --version 2>/dev/null | head -1 || echo clickhouse-server installed); $("$PROMTOOL_BIN" --version 2>&1 | head -1)"
exec "$(dirname "${BASH_SOURCE[0]}")/install-chdb.sh"
