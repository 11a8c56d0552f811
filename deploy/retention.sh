#!/usr/bin/env bash
# Removes raw events, late and duplicate events and dead letters older than the retention period
# (default 90 days; docs/clickhouse.md#retention). ClickHouse 18.16 has no TTL: run this daily.
#   deploy/retention.sh --dry-run
#   CLICKHOUSE_PASSWORD=... deploy/retention.sh --days 90 --url http://clickhouse.internal:8123
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
JAR=target/engagement-pipeline-0.1.0-SNAPSHOT.jar
[[ -f "$JAR" ]] || ./mvnw -B -q -ntp -DskipTests package
STACK_DIR="${ENGAGEMENT_STACK_DIR:-.stack}"
exec java -cp "$JAR:$STACK_DIR/flink/lib/*" io.engagement.pipeline.clickhouse.ApplyRetention "$@"
