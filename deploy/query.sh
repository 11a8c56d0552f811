#!/usr/bin/env bash
# Runs an analyst query of sql/queries/ against ClickHouse: read-only (readonly=1), the password from
# $CLICKHOUSE_PASSWORD in a Basic auth header, values bound by type, one-line errors.
#   deploy/query.sh sql/queries/top_content_today.sql
#   deploy/query.sh sql/queries/creator_last_7_days.sql --param creator_id=creator-7 --format csv
#   CLICKHOUSE_PASSWORD=... deploy/query.sh sql/queries/top_content_today.sql --url http://clickhouse.internal:8123 --user analyst
#   deploy/query.sh sql/queries/creator_dashboard.sql --help      (the file's parameters, types, defaults)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
JAR=target/engagement-pipeline-0.1.0-SNAPSHOT.jar
[[ -f "$JAR" ]] || ./mvnw -B -q -ntp -DskipTests package
STACK_DIR="${ENGAGEMENT_STACK_DIR:-.stack}"
# slf4j/log4j come from the Flink lib the local stack downloads; without it the tool still runs, silently.
exec java -cp "$JAR:$STACK_DIR/flink/lib/*" io.engagement.pipeline.clickhouse.RunQuery "$@"
