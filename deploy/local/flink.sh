#!/usr/bin/env bash
# Flink 2.2.1 standalone session cluster (one JobManager JVM + one TaskManager JVM) from Maven
# Central jars: flink-dist is not published there, its parts are.
#
#   deploy/local/flink.sh start|stop|status
#   deploy/local/flink.sh submit <job.jar> [job args...]   (detached; prints the job id)
#   deploy/local/flink.sh list                             (flink list, via the real CLI)
#   deploy/local/flink.sh cancel-all                       (cancels every non-terminal job via REST)
#   deploy/local/flink.sh stop-all                         (stops every running job with a savepoint;
#                                                           the last path goes to $STACK_DIR/flink/last-savepoint)
#   FLINK_FROM_SAVEPOINT=<path> deploy/local/flink.sh submit ...   (resumes from that savepoint)
#
# Env:
#   ENGAGEMENT_STACK_DIR  state dir (default <repo>/.stack); this script uses $STACK_DIR/flink
#   FLINK_REST_PORT       REST API + Web UI on 127.0.0.1 (default: rest.port of flink-conf/config.yaml, 8081)
#   FLINK_RPC_PORT        JobManager RPC port on 127.0.0.1 (default: jobmanager.rpc.port, 6123)
#   FLINK_MAIN_CLASS      main class for submit (default io.engagement.pipeline.EngagementJob)
#   FLINK_START_TIMEOUT   seconds to wait for a registered TaskManager (default 120)
#   FLINK_TM_SLOTS        task slots of the TaskManager (default: taskmanager.numberOfTaskSlots, 2)
#   FLINK_TM_JAVA_OPTS    extra JVM flags of the TaskManager, e.g. a profiler:
#                         "-XX:StartFlightRecording=filename=/tmp/tm.jfr,settings=profile"
#
# Config: flink-conf/config.yaml (+ log4j*.properties) copied into $STACK_DIR/flink/conf on every
# start, with @STACK_DIR@ replaced by the absolute state dir. Memory flags come from Flink's own
# BashJavaUtils (GET_JM_RESOURCE_PARAMS / GET_TM_RESOURCE_PARAMS), as bin/jobmanager.sh does.
# Jars: deploy/local/flink/pom.xml, copied once into $STACK_DIR/flink/lib (delete it to refresh);
# the Prometheus reporter plugin (deploy/local/flink/metrics-prometheus/pom.xml) into
# $STACK_DIR/flink/plugins/metrics-prometheus. Metrics: http://127.0.0.1:9249/metrics (JobManager),
# :9250 (TaskManager); the first free port of metrics.reporter.prom.port in config.yaml.
set -euo pipefail
COMPONENT=flink
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FLINK_MAIN_CLASS="${FLINK_MAIN_CLASS:-io.engagement.pipeline.EngagementJob}"
FLINK_START_TIMEOUT="${FLINK_START_TIMEOUT:-120}"
CONF_SRC="$REPO_ROOT/flink-conf"

F_HOME="$STACK_DIR/flink"
F_LIB="$F_HOME/lib"
F_CONF="$F_HOME/conf"
F_LOGS="$F_HOME/log"
F_PLUGINS="$F_HOME/plugins"
JM_LOG="$F_LOGS/jobmanager.log"
JM_OUT="$F_LOGS/jobmanager.out"
TM_LOG="$F_LOGS/taskmanager.log"
TM_OUT="$F_LOGS/taskmanager.out"
CLI_LOG="$F_LOGS/flink-cli.log"
TM_ID_FILE="$F_HOME/taskmanager.id"

# conf_value <key>: value of a flattened top-level key in config.yaml: the generated copy while the
# cluster runs (so status/submit find a cluster started with port overrides), else the source.
conf_value() {
  local file="$CONF_SRC/config.yaml"
  if [[ -f "$F_CONF/config.yaml" ]] && running_pid flink-jobmanager >/dev/null; then
    file="$F_CONF/config.yaml"
  fi
  local key=${1//./\\.}
  sed -n -E "s/^$key:[[:space:]]*([^#[:space:]]+).*/\1/p" "$file" | tail -n1
}

REST_PORT="${FLINK_REST_PORT:-$(conf_value rest.port)}"
REST_PORT="${REST_PORT:-8081}"
RPC_PORT="${FLINK_RPC_PORT:-$(conf_value jobmanager.rpc.port)}"
RPC_PORT="${RPC_PORT:-6123}"
REST_URL="http://$BIND_HOST:$REST_PORT"

write_config() {
  [[ -f "$CONF_SRC/config.yaml" ]] || die "missing $CONF_SRC/config.yaml"
  [[ "$STACK_DIR" != *[\|\&]* ]] || die "state dir must not contain '|' or '&': $STACK_DIR"
  mkdir -p "$F_CONF" "$F_LOGS" "$F_PLUGINS" "$F_HOME/tmp" "$F_HOME/web" \
    "$F_HOME/checkpoints" "$F_HOME/savepoints"
  sed -e "s|@STACK_DIR@|$STACK_DIR|g" \
      -e "s|^rest\.port:.*|rest.port: $REST_PORT|" \
      -e "s|^jobmanager\.rpc\.port:.*|jobmanager.rpc.port: $RPC_PORT|" \
      ${FLINK_TM_SLOTS:+-e "s|^taskmanager\.numberOfTaskSlots:.*|taskmanager.numberOfTaskSlots: $FLINK_TM_SLOTS|"} \
      "$CONF_SRC/config.yaml" >"$F_CONF/config.yaml"
  cp "$CONF_SRC/log4j.properties" "$CONF_SRC/log4j-cli.properties" "$F_CONF/"
}

# flink_java_args <log file> <log4j config file name>: the JVM flags every Flink JVM gets (JDK 17
# opens, temp dir -- Flink extracts its RPC jar there --, log file, log4j config, classpath), one per
# line (for mapfile).
flink_java_args() {
  local logfile=$1 log4j=$2
  printf '%s\n' "${FLINK_JAVA_OPENS_ARR[@]}" \
    "-Djava.io.tmpdir=$F_HOME/tmp" \
    "-Dlog.file=$logfile" \
    "-Dlog4j.configurationFile=file:$F_CONF/$log4j" \
    -cp "$F_LIB/*"
}

# resource_params JM|TM: sets RP_JVM (heap/direct/metaspace flags) and RP_DYN (-D key=value ...)
# from BashJavaUtils, exactly like Flink's bin/config.sh.
resource_params() {
  local kind=$1 out lines
  local args=()
  mapfile -t args < <(flink_java_args "$F_LOGS/bash-java-utils.log" log4j-cli.properties)
  if ! out="$(java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "${args[@]}" \
      org.apache.flink.runtime.util.bash.BashJavaUtils \
      "GET_${kind}_RESOURCE_PARAMS" --configDir "$F_CONF" 2>&1)"; then
    printf '%s\n' "$out" | tail -n 30 >&2
    die "BashJavaUtils GET_${kind}_RESOURCE_PARAMS failed (check the memory settings in config.yaml)"
  fi
  lines="$(grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$out" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')"
  [[ "$(wc -l <<<"$lines")" == 2 ]] || { printf '%s\n' "$out" | tail -n 30 >&2; die "unexpected BashJavaUtils output"; }
  RP_JVM="$(head -n1 <<<"$lines")"
  RP_DYN="$(tail -n1 <<<"$lines")"
}

# launch_flink <pid name> <out file> <log file> <kind JM|TM> <entrypoint class> [-D key=value...]
launch_flink() {
  local name=$1 out=$2 logfile=$3 kind=$4 cls=$5 extra_opts=
  shift 5
  [[ "$kind" == TM ]] && extra_opts="${FLINK_TM_JAVA_OPTS:-}"
  resource_params "$kind"
  local args=()
  mapfile -t args < <(flink_java_args "$logfile" log4j.properties)
  [[ -f "$logfile" ]] && mv -f "$logfile" "$logfile.prev"
  : >"$out"
  # RP_JVM / RP_DYN are unquoted on purpose: space-separated flags, no spaces inside values.
  # shellcheck disable=SC2086
  (
    cd "$F_HOME"
    launch "$name" "$out" env FLINK_CONF_DIR="$F_CONF" FLINK_PLUGINS_DIR="$F_PLUGINS" \
      java $RP_JVM -XX:+UseG1GC ${extra_opts:-} "${args[@]}" "$cls" --configDir "$F_CONF" $RP_DYN "$@"
  )
}

# REST helpers -----------------------------------------------------------------------------
overview() { curl -fsS --max-time 3 "$REST_URL/overview" 2>/dev/null; }
json_num() { grep -o "\"$1\":[0-9]*" | head -n1 | cut -d: -f2; }
# Ready = the REST API answers and OUR TaskManager (resource id recorded at its launch) is
# registered. Checking only "taskmanagers >= 1" would accept a TaskManager that was just killed
# but is still listed until its heartbeat times out (50 s).
cluster_ready() {
  local tms id
  tms="$(overview | json_num taskmanagers)" || return 1
  [[ -n "$tms" ]] && (( tms >= 1 )) || return 1
  id="$(cat "$TM_ID_FILE" 2>/dev/null || true)"
  [[ -z "$id" ]] || curl -fsS --max-time 3 "$REST_URL/taskmanagers" 2>/dev/null | grep -qF "\"id\":\"$id\""
}

cmd_start() {
  local jm tm start
  jm="$(running_pid flink-jobmanager || true)"
  tm="$(running_pid flink-taskmanager || true)"
  if [[ -n "$jm" && -n "$tm" ]] && cluster_ready; then
    log "already running (JobManager pid $jm, TaskManager pid $tm), REST $REST_URL"
    return 0
  fi
  require_java
  require_cmd curl
  require_port "$REST_PORT" FLINK_REST_PORT
  require_port "$RPC_PORT" FLINK_RPC_PORT
  if [[ -z "$jm" ]]; then
    ensure_port_free "$REST_PORT" "Flink REST/Web UI, FLINK_REST_PORT"
    ensure_port_free "$RPC_PORT" "Flink JobManager RPC, FLINK_RPC_PORT"
  fi
  fetch_libs "$LOCAL_DIR/flink/pom.xml" "$F_LIB"
  # Plugins get their own class loader (FLINK_PLUGINS_DIR), as in the official image's /opt/flink/plugins.
  fetch_libs "$LOCAL_DIR/flink/metrics-prometheus/pom.xml" "$F_PLUGINS/metrics-prometheus"
  start="$(now_ms)"
  if [[ -z "$jm" ]]; then
    write_config
    launch_flink flink-jobmanager "$JM_OUT" "$JM_LOG" JM \
      org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
    jm="$(read_pid flink-jobmanager)"
    log "JobManager started (pid $jm)"
  else
    log "JobManager already running (pid $jm)"
  fi
  # The TaskManager retries its registration until the JobManager is up: start both at once.
  if [[ -z "$tm" ]]; then
    [[ -f "$F_CONF/config.yaml" ]] || write_config
    # Working dirs of earlier TaskManagers (each run gets a new resource id, so they are never reused).
    rm -rf "$F_HOME"/tmp/tm_local-tm-*
    local tm_id
    tm_id="local-tm-$(date +%Y%m%d-%H%M%S)"
    printf '%s\n' "$tm_id" >"$TM_ID_FILE"
    launch_flink flink-taskmanager "$TM_OUT" "$TM_LOG" TM \
      org.apache.flink.runtime.taskexecutor.TaskManagerRunner -D "taskmanager.resource-id=$tm_id"
    tm="$(read_pid flink-taskmanager)"
    log "TaskManager started (pid $tm)"
  else
    log "TaskManager already running (pid $tm)"
  fi
  if ! wait_until "$FLINK_START_TIMEOUT" "$jm $tm" "$REST_URL/overview to report a TaskManager" cluster_ready \
      -- "$JM_OUT" "$JM_LOG" "$TM_OUT" "$TM_LOG"; then
    stop_pid flink-taskmanager 10 >/dev/null
    stop_pid flink-jobmanager 10 >/dev/null
    die "Flink did not start (logs: $JM_LOG, $TM_LOG, *.out)"
  fi
  log "ready in $(elapsed_s "$start") s: REST/Web UI $REST_URL, RPC $BIND_HOST:$RPC_PORT, $(overview | json_num slots-total) slots"
}

cmd_stop() {
  stop_pid flink-taskmanager 30
  stop_pid flink-jobmanager 30
}

cmd_status() {
  local jm tm ov rc=0
  jm="$(running_pid flink-jobmanager || true)"
  tm="$(running_pid flink-taskmanager || true)"
  if [[ -z "$jm" && -z "$tm" ]]; then
    log "stopped (REST port $REST_PORT, RPC port $RPC_PORT)"
    return 3
  fi
  log "JobManager: $([[ -n "$jm" ]] && echo "running (pid $jm)" || echo stopped); TaskManager: $([[ -n "$tm" ]] && echo "running (pid $tm)" || echo stopped)"
  if ov="$(overview)"; then
    log "REST $REST_URL: taskmanagers=$(json_num taskmanagers <<<"$ov") slots=$(json_num slots-total <<<"$ov") free=$(json_num slots-available <<<"$ov") jobs running=$(json_num jobs-running <<<"$ov") finished=$(json_num jobs-finished <<<"$ov") cancelled=$(json_num jobs-cancelled <<<"$ov") failed=$(json_num jobs-failed <<<"$ov")"
    cluster_ready || rc=1
  else
    log "REST $REST_URL does not answer"
    rc=1
  fi
  [[ -n "$jm" && -n "$tm" ]] || rc=1
  return $rc
}

require_running() {
  running_pid flink-jobmanager >/dev/null || die "Flink is not running; run: deploy/local/flink.sh start"
  [[ -f "$F_CONF/config.yaml" ]] || die "no generated config in $F_CONF"
}

# cli <args...>: the real Flink CLI (org.apache.flink.client.cli.CliFrontend) against this cluster.
cli() {
  local args=()
  mapfile -t args < <(flink_java_args "$CLI_LOG" log4j-cli.properties)
  FLINK_CONF_DIR="$F_CONF" FLINK_PLUGINS_DIR="$F_PLUGINS" \
    java -Xmx512m "${args[@]}" org.apache.flink.client.cli.CliFrontend "$@"
}

cmd_submit() {
  [[ $# -ge 1 ]] || die "usage: $0 submit <job.jar> [args...]"
  local jar=$1
  shift
  [[ -f "$jar" ]] || die "no such jar: $jar"
  jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"
  require_running
  local restore=()
  if [[ -n "${FLINK_FROM_SAVEPOINT:-}" ]]; then
    # --allowNonRestoredState: a newer jar may have dropped an operator; its state is then skipped.
    restore=(-s "$FLINK_FROM_SAVEPOINT" --allowNonRestoredState)
    log "resuming from savepoint $FLINK_FROM_SAVEPOINT"
  fi
  log "submitting $jar (main class $FLINK_MAIN_CLASS) to $REST_URL"
  local out rc=0 id
  out="$(cli run -d "${restore[@]}" -c "$FLINK_MAIN_CLASS" "$jar" "$@" 2>&1)" || rc=$?
  printf '%s\n' "$out"
  id="$(grep -oE 'JobID [0-9a-f]{32}' <<<"$out" | head -n1 | cut -d' ' -f2 || true)"
  if [[ $rc -ne 0 || -z "$id" ]]; then
    print_log_tail "$CLI_LOG"
    die "submission failed (exit $rc); CLI log: $CLI_LOG"
  fi
  log "job id: $id  (Web UI: $REST_URL/#/job/running/$id/overview)"
}

cmd_list() {
  require_running
  cli list -a
}

# Non-terminal jobs as "id status" lines, from GET /jobs.
active_jobs() {
  curl -fsS --max-time 5 "$REST_URL/jobs" | grep -oE '"id":"[0-9a-f]{32}","status":"[A-Z_]+"' |
    sed -E 's/"id":"([0-9a-f]+)","status":"([A-Z_]+)"/\1 \2/' |
    grep -vE ' (FINISHED|CANCELED|FAILED)$' || true
}

cmd_cancel_all() {
  require_running
  local jobs id status n=0
  jobs="$(active_jobs)"
  if [[ -z "$jobs" ]]; then
    log "no running jobs"
    return 0
  fi
  while read -r id status; do
    [[ -n "$id" ]] || continue
    curl -fsS --max-time 10 -X PATCH "$REST_URL/jobs/$id?mode=cancel" >/dev/null ||
      die "cancel of $id failed"
    log "cancelling $id (was $status)"
    n=$((n + 1))
  done <<<"$jobs"
  local deadline=$(( $(date +%s) + 60 ))
  while [[ -n "$(active_jobs)" ]]; do
    (( $(date +%s) < deadline )) || die "jobs still not cancelled after 60 s: $(active_jobs | tr '\n' ' ')"
    sleep 0.5
  done
  log "cancelled $n job(s)"
}

# Stops each running job with a savepoint (flink stop: the sources stop, a savepoint is taken, the
# job finishes), so a resubmitted job resumes with its windows, dedup markers and watermark instead
# of starting without state.
cmd_stop_all() {
  require_running
  local jobs id status out path n=0
  rm -f "$F_HOME/last-savepoint"
  jobs="$(active_jobs)"
  if [[ -z "$jobs" ]]; then
    log "no running jobs"
    return 0
  fi
  while read -r id status; do
    [[ -n "$id" ]] || continue
    [[ "$status" == RUNNING ]] || die "job $id is $status, not RUNNING: cannot take a savepoint (cancel it with: $0 cancel-all)"
    log "stopping $id with a savepoint into $F_HOME/savepoints ..."
    out="$(cli stop -p "file://$F_HOME/savepoints" "$id" 2>&1)" || { printf '%s\n' "$out" | tail -n 20 >&2; die "stop-with-savepoint of $id failed; CLI log: $CLI_LOG"; }
    path="$(grep -oE 'Savepoint completed\. Path: [^ ]+' <<<"$out" | sed 's/.*Path: //' | head -n1)"
    [[ -n "$path" ]] || { printf '%s\n' "$out" | tail -n 20 >&2; die "no savepoint path in the CLI output for $id"; }
    printf '%s\n' "$path" >"$F_HOME/last-savepoint"
    log "savepoint of $id: $path"
    n=$((n + 1))
  done <<<"$jobs"
  log "stopped $n job(s) with a savepoint"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  submit) shift; cmd_submit "$@" ;;
  list) cmd_list ;;
  cancel-all) cmd_cancel_all ;;
  stop-all) cmd_stop_all ;;
  *)
    echo "usage: $0 start|stop|status|submit <jar> [args...]|list|cancel-all|stop-all" >&2
    exit 2
    ;;
esac
