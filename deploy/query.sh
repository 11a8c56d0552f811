#!/usr/bin/env bash
# Runs an analyst query of sql/queries/ against ClickHouse and prints a table (or CSV with --csv).
#   deploy/query.sh sql/queries/top_content_today.sql
#   deploy/query.sh sql/queries/creator_last_7_days.sql --param creator_id="'creator-7'" --csv
#   deploy/query.sh sql/queries/top_content_today.sql --url http://clickhouse.internal:8123
# Parameters and their defaults are listed in each file's '-- param' header lines.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
JAR=target/engagement-pipeline-0.1.0-SNAPSHOT.jar
[[ -f "$JAR" ]] || ./mvnw -B -q -ntp -DskipTests package
STACK_DIR="${ENGAGEMENT_STACK_DIR:-.stack}"
# slf4j/log4j come from the Flink lib the local stack downloads; without it the tool still runs, silently.
exec java -cp "$JAR:$STACK_DIR/flink/lib/*" io.engagement.pipeline.clickhouse.RunQuery "$@"
