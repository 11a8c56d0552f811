#!/usr/bin/env bash
# The HTTP service (tracking and analytics API, dashboard) beside the local stack.
#
#   deploy/local/service.sh start|stop|status|keys
#
# Env:
#   ENGAGEMENT_STACK_DIR   state dir (default <repo>/.stack); this script uses $STACK_DIR/service
#   SERVICE_PORT           HTTP port on 127.0.0.1 (default 8090)
#   KAFKA_PORT, CLICKHOUSE_HTTP_PORT   the stack's ports (defaults 9092, 8123)
#   SERVICE_CLICKHOUSE_PASSWORD        password of the read-only engagement_reader (default: the local stack's)
# The first start makes four random API keys (tracking, admin, creator for creator-1, and catalog for
# the content service's catalogue writes) in
# $STACK_DIR/service/api-keys (mode 600); `keys` prints them.
set -euo pipefail
COMPONENT=service
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SERVICE_PORT="${SERVICE_PORT:-8090}"
SERVICE_HOME="$STACK_DIR/service"
SERVICE_OUT="$SERVICE_HOME/service.out"
KEYS_FILE="$SERVICE_HOME/api-keys"
JAR="$REPO_ROOT/target/engagement-pipeline-0.1.0-SNAPSHOT-service.jar"

make_keys() {
  [[ -s "$KEYS_FILE" ]] && return 0
  mkdir -p "$SERVICE_HOME"
  local k1 k2 k3 k4
  k1="$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
  k2="$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
  k3="$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
  k4="$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
  (umask 077 && printf 'app:%s:tracking,ops:%s:admin,creator-1:%s:creator:creator-1,content-service:%s:catalog\n' \
    "$k1" "$k2" "$k3" "$k4" >"$KEYS_FILE")
}

cmd_keys() {
  make_keys
  tr ',' '\n' <"$KEYS_FILE" | awk -F: '{ printf "  %-10s %-9s %s%s\n", $1, $3, $2, ($4 == "" ? "" : "  (creator " $4 ")") }'
}

cmd_start() {
  if pid="$(running_pid service)"; then
    log "already running (pid $pid) on http://$BIND_HOST:$SERVICE_PORT"
    return 0
  fi
  [[ -f "$JAR" ]] || die "no service jar ($JAR): run ./mvnw -DskipTests package (or deploy/local/demo.sh)"
  if port_listening "$SERVICE_PORT"; then
    die "port $SERVICE_PORT is taken by $(port_owner "$SERVICE_PORT"); set SERVICE_PORT"
  fi
  make_keys
  mkdir -p "$SERVICE_HOME"
  # The -D names the state dir on the command line: how the stack scripts recognise their processes.
  # The analytics reads go as the read-only, bounded engagement_reader of deploy/clickhouse/users.xml.
  ENGAGEMENT_SERVICE_API_KEYS="$(cat "$KEYS_FILE")" \
  ENGAGEMENT_CLICKHOUSE_PASSWORD="${SERVICE_CLICKHOUSE_PASSWORD:-engagement-reader-local}" \
  launch service "$SERVICE_OUT" \
    java -Dengagement.stack="$STACK_DIR" -Dlog4j2.configurationFile="$REPO_ROOT/flink-conf/log4j-cli.properties" \
    -Dlog.file="$SERVICE_HOME/service.log" -jar "$JAR" \
    --service.host "$BIND_HOST" --service.port "$SERVICE_PORT" \
    --kafka.bootstrap-servers "$BIND_HOST:${KAFKA_PORT:-9092}" \
    --kafka.catalog-topic engagement-catalog \
    --clickhouse.user engagement_reader \
    --clickhouse.url "http://$BIND_HOST:${CLICKHOUSE_HTTP_PORT:-8123}"
  wait_for_http "http://$BIND_HOST:$SERVICE_PORT/health" '^ok' 60 "$(read_pid service)" "$SERVICE_OUT"
  log "up: dashboard http://$BIND_HOST:$SERVICE_PORT/dashboard/ (keys: deploy/local/service.sh keys)"
}

cmd_status() {
  if pid="$(running_pid service)"; then
    log "running (pid $pid) on http://$BIND_HOST:$SERVICE_PORT"
  else
    log "not running"
    return 1
  fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) stop_pid service 20 ;;
  status) cmd_status ;;
  keys) cmd_keys ;;
  *)
    echo "usage: $0 start|stop|status|keys" >&2
    exit 2
    ;;
esac
