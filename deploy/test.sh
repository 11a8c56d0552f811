#!/usr/bin/env bash
# Runs every test: installs the ClickHouse server if missing, then the Maven build with all unit,
# operator-harness, topology and integration tests (real Kafka in the test JVM, real ClickHouse
# started by the tests on free loopback ports). This is the README's test command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
deploy/install-deps.sh
exec ./mvnw -B -ntp verify "$@"
