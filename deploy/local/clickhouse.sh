#!/usr/bin/env bash
# Local ClickHouse server (Debian's clickhouse-server package), run without systemd.
#
#   deploy/local/clickhouse.sh start|stop|status
#   deploy/local/clickhouse.sh query "SQL"      (or SQL on stdin: ... query < file.sql)
#
# Env:
#   ENGAGEMENT_STACK_DIR      state dir (default <repo>/.stack); this script uses $STACK_DIR/clickhouse
#   CLICKHOUSE_HTTP_PORT      HTTP interface on 127.0.0.1 (default 8123)
#   CLICKHOUSE_TCP_PORT       native protocol on 127.0.0.1 (default 9000)
#   CLICKHOUSE_START_TIMEOUT  seconds to wait for /ping (default 30)
#
# Config: deploy/clickhouse/config.xml + users.xml are copied into $STACK_DIR/clickhouse/conf on every
# start, with their /tmp/engagement-clickhouse/ paths rewritten to the state dir; the ports are passed
# as per-run overrides after "--" (the same mechanism the Java test harness uses).
# The package is installed by deploy/install-deps.sh only if /usr/sbin/clickhouse-server is missing.
set -euo pipefail
COMPONENT=clickhouse
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# While the server runs, unset port variables default to the ports it was started with (read from
# its command line), so that status/query find a server started with overrides.
if CH_RUNNING_PID="$(running_pid clickhouse)"; then
  CH_RUNNING_ARGS="$(tr '\0' '\n' <"/proc/$CH_RUNNING_PID/cmdline" 2>/dev/null || true)"
  : "${CLICKHOUSE_HTTP_PORT:=$(sed -n 's/^--http_port=//p' <<<"$CH_RUNNING_ARGS")}"
  : "${CLICKHOUSE_TCP_PORT:=$(sed -n 's/^--tcp_port=//p' <<<"$CH_RUNNING_ARGS")}"
fi
CLICKHOUSE_HTTP_PORT="${CLICKHOUSE_HTTP_PORT:-8123}"
CLICKHOUSE_TCP_PORT="${CLICKHOUSE_TCP_PORT:-9000}"
CLICKHOUSE_START_TIMEOUT="${CLICKHOUSE_START_TIMEOUT:-30}"
CH_BIN="${CLICKHOUSE_SERVER_BIN:-/usr/sbin/clickhouse-server}"

CH_HOME="$STACK_DIR/clickhouse"
CH_CONF="$CH_HOME/conf"
CH_LOGS="$CH_HOME/log"
CH_OUT="$CH_LOGS/clickhouse.out"
CH_LOG="$CH_LOGS/clickhouse-server.log"
CH_ERR="$CH_LOGS/clickhouse-server.err.log"
CH_URL="http://$BIND_HOST:$CLICKHOUSE_HTTP_PORT"
TEMPLATE_DIR="$REPO_ROOT/deploy/clickhouse"

ensure_installed() {
  "$REPO_ROOT/deploy/install-deps.sh"
}

write_config() {
  mkdir -p "$CH_CONF" "$CH_LOGS" "$CH_HOME/data" "$CH_HOME/tmp" "$CH_HOME/user_files" "$CH_HOME/format_schemas"
  local f
  for f in config.xml users.xml; do
    [[ -f "$TEMPLATE_DIR/$f" ]] || die "missing template $TEMPLATE_DIR/$f"
    # '|' as sed delimiter: paths contain '/'. The state dir must not contain '|' or '&'.
    sed "s|/tmp/engagement-clickhouse/|$CH_HOME/|g" "$TEMPLATE_DIR/$f" >"$CH_CONF/$f"
  done
}

ch_ready() { http_body_matches "$CH_URL/ping" '^Ok\.$' && port_listening "$CLICKHOUSE_TCP_PORT"; }

cmd_start() {
  local pid
  if pid="$(running_pid clickhouse)"; then
    log "already running (pid $pid), http $CH_URL, tcp $BIND_HOST:$CLICKHOUSE_TCP_PORT"
    return 0
  fi
  require_cmd curl
  require_port "$CLICKHOUSE_HTTP_PORT" CLICKHOUSE_HTTP_PORT
  require_port "$CLICKHOUSE_TCP_PORT" CLICKHOUSE_TCP_PORT
  ensure_installed
  ensure_port_free "$CLICKHOUSE_HTTP_PORT" "ClickHouse HTTP, CLICKHOUSE_HTTP_PORT"
  ensure_port_free "$CLICKHOUSE_TCP_PORT" "ClickHouse native TCP, CLICKHOUSE_TCP_PORT"
  write_config

  local start
  start="$(now_ms)"
  # Keep one previous run's logs; the tail shown on failure is then this run's only.
  local f
  for f in "$CH_LOG" "$CH_ERR"; do
    [[ -f "$f" ]] && mv -f "$f" "$f.prev"
  done
  : >"$CH_OUT"
  # Run from the state dir: nothing may be written relative to the caller's cwd.
  (
    cd "$CH_HOME"
    launch clickhouse "$CH_OUT" "$CH_BIN" --config-file="$CH_CONF/config.xml" -- \
      --http_port="$CLICKHOUSE_HTTP_PORT" --tcp_port="$CLICKHOUSE_TCP_PORT" \
      --path="$CH_HOME/data/" --tmp_path="$CH_HOME/tmp/" \
      --user_files_path="$CH_HOME/user_files/" --format_schema_path="$CH_HOME/format_schemas/" \
      --logger.log="$CH_LOG" --logger.errorlog="$CH_ERR"
  )
  pid="$(read_pid clickhouse)"
  if ! wait_until "$CLICKHOUSE_START_TIMEOUT" "$pid" "$CH_URL/ping and tcp port $CLICKHOUSE_TCP_PORT" ch_ready -- "$CH_OUT" "$CH_ERR" "$CH_LOG"; then
    kill -TERM "$pid" 2>/dev/null || true
    rm -f "$(pid_file clickhouse)"
    die "ClickHouse did not start (logs: $CH_ERR, $CH_LOG, $CH_OUT)"
  fi
  log "started (pid $pid), http $CH_URL, tcp $BIND_HOST:$CLICKHOUSE_TCP_PORT, version $(ch_query 'SELECT version()'), ready in $(elapsed_s "$start") s"
}

cmd_stop() {
  stop_pid clickhouse 30
}

cmd_status() {
  local pid
  if pid="$(running_pid clickhouse)"; then
    if ch_ready; then
      log "running (pid $pid), http $CH_URL, tcp $BIND_HOST:$CLICKHOUSE_TCP_PORT"
    else
      log "process running (pid $pid) but $CH_URL/ping does not answer"
      return 1
    fi
  else
    log "stopped (http port $CLICKHOUSE_HTTP_PORT, tcp port $CLICKHOUSE_TCP_PORT)"
    return 3
  fi
}

# ch_query <sql>: POST over HTTP, print the body; fail with the server's message on error.
# No HTTP compression: Debian's 18.16 build answers an empty body when ClickHouse compression is on.
ch_query() {
  local sql=$1 out code
  out="$(mktemp)"
  code="$(curl -sS -o "$out" -w '%{http_code}' --data-binary "$sql" "$CH_URL/")" || {
    rm -f "$out"
    die "cannot reach ClickHouse at $CH_URL (is it running? deploy/local/clickhouse.sh start)"
  }
  if [[ "$code" != 200 ]]; then
    cat "$out" >&2
    rm -f "$out"
    die "query failed (HTTP $code)"
  fi
  cat "$out"
  rm -f "$out"
}

cmd_query() {
  local sql
  if [[ $# -gt 0 ]]; then
    sql="$*"
  elif [[ ! -t 0 ]]; then
    sql="$(cat)"
  else
    die "usage: $0 query \"SQL\"   (or SQL on stdin)"
  fi
  [[ -n "${sql//[[:space:]]/}" ]] || die "empty query"
  ch_query "$sql"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  query) shift; cmd_query "$@" ;;
  *)
    echo "usage: $0 start|stop|status|query \"SQL\"" >&2
    exit 2
    ;;
esac
