#!/usr/bin/env bash
# README command 1: the main job on the local stack, end to end.
#   1. builds the job jar (if missing or older than the sources)
#   2. starts ClickHouse, Kafka (with topics) and a Flink session cluster on 127.0.0.1
#   3. applies the ClickHouse schema (sql/ddl, idempotent)
#   4. submits the job to the Flink cluster; a previous demo job is first stopped with a savepoint
#      and the new one resumes from it (windows, dedup markers and watermark carry over)
#   5. generates DEMO_SECONDS (default 180) of traffic at DEMO_RATE (default 300) messages/s, with one
#      planted surge on content-surge of creator-1 (a creator alert on a fresh stack, DEMO_SECONDS >= 150)
#   6. prints what landed in ClickHouse and on the DLQ and feedback topics, with the accounting
#      messages = accepted + duplicates + dead letters + too late, and what the numbers mean
#   7. starts the HTTP service (tracking and analytics API, dashboard) and prints the dashboard URL
#      and its API keys
# The stack stays up for you to explore: Flink UI http://127.0.0.1:8081, ClickHouse http://127.0.0.1:8123.
# Stop everything with: deploy/local/stack.sh down
set -euo pipefail
COMPONENT=demo
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DEMO_SECONDS="${DEMO_SECONDS:-180}"
DEMO_RATE="${DEMO_RATE:-300}"
JAR="$REPO_ROOT/target/engagement-pipeline-0.1.0-SNAPSHOT.jar"

cd "$REPO_ROOT"
TOOLS_JAR="$REPO_ROOT/target/engagement-pipeline-0.1.0-SNAPSHOT-tools.jar"
if [[ ! -f "$JAR" ]] || [[ ! -f "$TOOLS_JAR" ]] || [[ -n "$(find core job service tools pom.xml -newer "$JAR" -print -quit)" ]]; then
  log "building the job jar ..."
  ./mvnw -B -q -ntp -DskipTests package
fi

"$LOCAL_DIR/stack.sh" up

# Tools run outside Flink: the tools jar plus the cluster's lib (slf4j/log4j are provided there).
TOOLS_CP="$TOOLS_JAR:$STACK_DIR/flink/lib/*"
CH_HTTP="http://127.0.0.1:${CLICKHOUSE_HTTP_PORT:-8123}"
KAFKA="127.0.0.1:${KAFKA_PORT:-9092}"
java -cp "$TOOLS_CP" io.engagement.pipeline.clickhouse.ApplySchema "$CH_HTTP" sql/ddl

"$LOCAL_DIR/flink.sh" stop-all
SAVEPOINT_FILE="$STACK_DIR/flink/last-savepoint"
if [[ -f "$SAVEPOINT_FILE" ]]; then
  export FLINK_FROM_SAVEPOINT="$(cat "$SAVEPOINT_FILE")"
fi
# trending.min-views-per-hour 10 instead of 100: a few minutes of demo traffic over hundreds of
# contents give no content 100 views an hour over the last 24 h, and the trending list would stay empty.
"$LOCAL_DIR/flink.sh" submit "$JAR" \
  --kafka.bootstrap-servers "$KAFKA" \
  --kafka.catalog-topic engagement-catalog \
  --views.validation on \
  --trending.min-views-per-hour 10 \
  --clickhouse.url "http://127.0.0.1:${CLICKHOUSE_HTTP_PORT:-8123}"

log "generating ${DEMO_SECONDS}s of traffic at ${DEMO_RATE} msg/s ..."
java -Dlog4j2.configurationFile="$REPO_ROOT/flink-conf/log4j-cli.properties" -Dlog.file="$STACK_DIR/demo-tools.log" -cp "$TOOLS_CP" \
  io.engagement.pipeline.loadgen.LoadGenerator \
  --bootstrap-servers "$KAFKA" --topic engagement-events --catalog-topic engagement-catalog \
  --rate "$DEMO_RATE" --duration-seconds "$DEMO_SECONDS" \
  --plant-surge content-surge --plant-surge-creator creator-1

# A window fires when event time (the newest event minus 30 s out-of-orderness) passes its end, so
# windows of the last ~30 s of traffic stay open until more events arrive. Fired rows reach
# ClickHouse within a second and the feedback topic at the next checkpoint (10 s).
log "waiting 20 s for ClickHouse flushes and a checkpoint ..."
sleep 20
"$LOCAL_DIR/stack.sh" report

cat <<MSG

How to read these numbers:
  - Every message on engagement-events has exactly one outcome: accepted (a row of engagement_events),
    a duplicate (a client retry of an event id already seen), a dead letter (rejected by validation;
    the reasons are listed above, the message itself is on engagement-dlq) or too late. So
    engagement_events is smaller than the number of messages by design; the accounting above adds up.
  - The load generator makes some of each on purpose: retries, malformed and late messages.
  - Windows of the last ~30 s of traffic are still open (event time has not passed their end), so the
    newest minute is not in content_metrics yet; the feedback topic advances at each checkpoint (10 s).
MSG

"$LOCAL_DIR/service.sh" start
cat <<MSG

Dashboard         http://127.0.0.1:${SERVICE_PORT:-8090}/dashboard/  (sign in with one of these keys)
$("$LOCAL_DIR/service.sh" keys)
  API             http://127.0.0.1:${SERVICE_PORT:-8090}/openapi.json, docs/api.md

The stack is still running:
  Flink UI        http://127.0.0.1:${FLINK_REST_PORT:-8081}
  ClickHouse      deploy/local/clickhouse.sh query "SELECT count() FROM engagement.engagement_events"
  Analyst query   deploy/query.sh sql/queries/top_content_today.sql
  More traffic    DEMO_SECONDS=60 deploy/local/demo.sh
  Report again    deploy/local/stack.sh report
Stop everything:  deploy/local/stack.sh down
MSG
