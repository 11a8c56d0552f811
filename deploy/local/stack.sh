#!/usr/bin/env bash
# The whole local stack: ClickHouse, Kafka (+ topics), Flink session cluster. 127.0.0.1 only.
#
#   deploy/local/stack.sh up       start clickhouse, kafka, create topics, start flink (in that order)
#   deploy/local/stack.sh down     stop the HTTP service (if demo.sh started it), flink, kafka, clickhouse
#   deploy/local/stack.sh status   state and ports of every component (exit 0 only if all are up)
#   deploy/local/stack.sh report   what the job produced: ClickHouse rows, topics, and the accounting
#                                  messages = accepted + duplicates + dead letters + too late
#
# Every component script honours ENGAGEMENT_STACK_DIR (default <repo>/.stack) and its own port
# variables (CLICKHOUSE_HTTP_PORT, CLICKHOUSE_TCP_PORT, KAFKA_PORT, KAFKA_CONTROLLER_PORT,
# FLINK_REST_PORT, FLINK_RPC_PORT); see the header of each script.
set -euo pipefail
COMPONENT=stack
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd_up() {
  local start
  start="$(now_ms)"
  "$LOCAL_DIR/clickhouse.sh" start
  "$LOCAL_DIR/kafka.sh" start
  "$LOCAL_DIR/kafka.sh" create-topics
  "$LOCAL_DIR/flink.sh" start
  log "up in $(elapsed_s "$start") s (state dir $STACK_DIR)"
  log "ClickHouse http://$BIND_HOST:${CLICKHOUSE_HTTP_PORT:-8123} | Kafka $BIND_HOST:${KAFKA_PORT:-9092} | Flink http://$BIND_HOST:${FLINK_REST_PORT:-8081}"
}

cmd_down() {
  # Try every component even if one fails to stop; report failure at the end.
  local rc=0
  "$LOCAL_DIR/service.sh" stop || rc=1
  "$LOCAL_DIR/flink.sh" stop || rc=1
  "$LOCAL_DIR/kafka.sh" stop || rc=1
  "$LOCAL_DIR/clickhouse.sh" stop || rc=1
  return $rc
}

cmd_status() {
  local rc=0
  "$LOCAL_DIR/clickhouse.sh" status || rc=1
  "$LOCAL_DIR/kafka.sh" status || rc=1
  "$LOCAL_DIR/flink.sh" status || rc=1
  return $rc
}

cmd_report() {
  local jar="$REPO_ROOT/target/engagement-pipeline-0.1.0-SNAPSHOT-tools.jar"
  [[ -f "$jar" ]] || die "no tools jar: run ./mvnw -DskipTests package (or deploy/local/demo.sh)"
  cd "$REPO_ROOT"
  java -Dlog4j2.configurationFile="$REPO_ROOT/flink-conf/log4j-cli.properties" -Dlog.file="$STACK_DIR/demo-tools.log" \
    -cp "$jar:$STACK_DIR/flink/lib/*" io.engagement.pipeline.report.StackReport \
    "http://$BIND_HOST:${CLICKHOUSE_HTTP_PORT:-8123}" "$BIND_HOST:${KAFKA_PORT:-9092}"
}

case "${1:-}" in
  up) cmd_up ;;
  report) cmd_report ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 up|down|status|report" >&2
    exit 2
    ;;
esac
