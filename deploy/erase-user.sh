#!/usr/bin/env bash
# Erases one user from every ClickHouse table that holds user ids and reports the rows removed
# (docs/clickhouse.md#erasing-a-user). The password comes from $CLICKHOUSE_PASSWORD.
#   deploy/erase-user.sh user-42 --dry-run       (what would be removed)
#   CLICKHOUSE_PASSWORD=... deploy/erase-user.sh user-42 --url http://clickhouse.internal:8123 --database engagement
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
JAR=target/engagement-pipeline-0.1.0-SNAPSHOT.jar
[[ -f "$JAR" ]] || ./mvnw -B -q -ntp -DskipTests package
STACK_DIR="${ENGAGEMENT_STACK_DIR:-.stack}"
exec java -cp "$JAR:$STACK_DIR/flink/lib/*" io.engagement.pipeline.clickhouse.EraseUser "$@"
