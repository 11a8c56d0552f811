# shellcheck shell=bash
# Shared helpers for the local stack scripts (kafka.sh, clickhouse.sh, flink.sh, stack.sh).
# Source it; do not run it. Every component:
#   * binds to 127.0.0.1 only,
#   * keeps everything it writes (jars, data, logs, pid files) under $STACK_DIR,
#   * is started detached (own session) with a pid file, and `start` returns only once it is ready.
set -euo pipefail

LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$LOCAL_DIR/../.." && pwd)"
STACK_DIR="${ENGAGEMENT_STACK_DIR:-$REPO_ROOT/.stack}"
# Absolute, so that pid-file markers and generated configs never depend on the caller's cwd.
mkdir -p "$STACK_DIR"
STACK_DIR="$(cd "$STACK_DIR" && pwd)"
RUN_DIR="$STACK_DIR/run"
BIND_HOST=127.0.0.1

# Flink's JDK 17 module flags, as shipped in flink-dist's default config.yaml (env.java.opts.all).
# Needed on every Flink JVM: JobManager, TaskManager, CLI (fails without java.util opened) and
# BashJavaUtils. Keep in sync with env.java.opts.all in flink-conf/config.yaml.
FLINK_JAVA_OPENS="--add-exports=java.base/sun.net.util=ALL-UNNAMED \
--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED \
--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED \
--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED \
--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED \
--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED \
--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED \
--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED \
--add-opens=java.base/java.lang=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED \
--add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
--add-opens=java.base/java.text=ALL-UNNAMED \
--add-opens=java.base/java.time=ALL-UNNAMED \
--add-opens=java.base/java.util=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"
# As an array, for "${FLINK_JAVA_OPENS_ARR[@]}" (used by flink.sh).
# shellcheck disable=SC2034
read -r -a FLINK_JAVA_OPENS_ARR <<<"$FLINK_JAVA_OPENS"

# Component name used as message prefix; each script sets it.
COMPONENT="${COMPONENT:-stack}"

log()  { printf '[%s] %s\n' "$COMPONENT" "$*"; }
warn() { printf '[%s] WARNING: %s\n' "$COMPONENT" "$*" >&2; }
die()  { printf '[%s] ERROR: %s\n' "$COMPONENT" "$*" >&2; exit 1; }

now_ms() { date +%s%3N; }
# elapsed_s <start_ms> -> "3.2"
elapsed_s() { local d=$(( $(now_ms) - $1 )); printf '%d.%d' $((d / 1000)) $(((d % 1000) / 100)); }

require_cmd() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || die "required command '$c' not found"
  done
}

require_java() {
  require_cmd java
  local v
  v="$(java -version 2>&1 | head -n1 | sed -E 's/.*version "([0-9]+).*/\1/')"
  if [[ "$v" =~ ^[0-9]+$ ]] && (( v < 17 )); then
    die "Java 17+ required, found: $(java -version 2>&1 | head -n1)"
  fi
}

# ---------------------------------------------------------------------------------------------
# Logs
# ---------------------------------------------------------------------------------------------

# print_log_tail <file>... : last 30 lines of every existing, non-empty file, to stderr.
print_log_tail() {
  local f
  for f in "$@"; do
    [[ -s "$f" ]] || continue
    printf -- '----- last 30 lines of %s -----\n' "$f" >&2
    tail -n 30 "$f" >&2
    printf -- '----- end of %s -----\n' "$f" >&2
  done
}

# ---------------------------------------------------------------------------------------------
# Ports
# ---------------------------------------------------------------------------------------------

# port_listening <port>: true if anything on this host listens on TCP <port> (any address:
# a listener on 0.0.0.0:<port> blocks 127.0.0.1:<port> too).
port_listening() {
  local port=$1
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]]
  else
    (exec 3<>"/dev/tcp/$BIND_HOST/$port") 2>/dev/null
  fi
}

# port_owner <port>: "pid=<pid> <cmdline>" of the listener if ss can tell, else "unknown process".
port_owner() {
  local port=$1 pid=""
  if command -v ss >/dev/null 2>&1; then
    pid="$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2 || true)"
  fi
  if [[ -n "$pid" && -r "/proc/$pid/cmdline" ]]; then
    printf 'pid=%s %s' "$pid" "$(tr '\0' ' ' <"/proc/$pid/cmdline" | cut -c1-200)"
  else
    printf 'unknown process'
  fi
}

# require_port <value> <env var name>: a TCP port number 1..65535 (some servers silently wrap others).
require_port() {
  if ! [[ "$1" =~ ^[0-9]+$ ]] || (( $1 < 1 || $1 > 65535 )); then
    die "$2=$1 is not a valid TCP port"
  fi
}

# ensure_port_free <port> <what>: fail with a clear message when a foreign process holds the port.
ensure_port_free() {
  local port=$1 what=$2
  if port_listening "$port"; then
    die "port $port ($what) is already taken by a foreign process: $(port_owner "$port"). Stop it, or choose another port (see the env overrides in the script header)."
  fi
}

# ---------------------------------------------------------------------------------------------
# Pid files. A process counts as "ours" only if it is alive AND its command line mentions
# $STACK_DIR (every component gets a config path under it), which guards against pid reuse.
# ---------------------------------------------------------------------------------------------

pid_file() { printf '%s/%s.pid' "$RUN_DIR" "$1"; }

# read_pid <name>: prints the pid recorded for <name> (empty if none).
read_pid() {
  local f
  f="$(pid_file "$1")"
  if [[ -s "$f" ]]; then
    tr -dc '0-9' <"$f"
  fi
}

pid_is_ours() {
  local pid=$1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null &&
    [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$STACK_DIR"
}

# running_pid <name>: prints the pid if <name> is running, returns 1 otherwise (and removes a
# stale pid file).
running_pid() {
  local name=$1 pid
  pid="$(read_pid "$name")"
  if [[ -n "$pid" ]] && pid_is_ours "$pid"; then
    printf '%s' "$pid"
    return 0
  fi
  rm -f "$(pid_file "$name")"
  return 1
}

# launch <name> <stdout-log> <cmd> [args...]: start <cmd> detached in its own session (so that it
# survives the calling shell and a Ctrl-C there), stdout+stderr to <stdout-log>, pid to the pid file.
# The child writes its own pid before exec'ing, so the pid file names the real process.
launch() {
  local name=$1 out=$2
  shift 2
  local pf
  pf="$(pid_file "$name")"
  mkdir -p "$RUN_DIR" "$(dirname "$out")"
  rm -f "$pf"
  # shellcheck disable=SC2016
  nohup setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pf" "$@" </dev/null >>"$out" 2>&1 &
  local tries=50
  while (( tries-- > 0 )); do
    [[ -s "$pf" ]] && return 0
    sleep 0.1
  done
  die "could not start $name (no pid file after 5 s)"
}

# stop_pid <name> [timeout_s]: TERM, wait, then KILL. Succeeds if nothing is running.
stop_pid() {
  local name=$1 timeout=${2:-30} pid start
  if ! pid="$(running_pid "$name")"; then
    log "$name is not running"
    return 0
  fi
  start="$(now_ms)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$(( $(date +%s) + timeout ))
  while kill -0 "$pid" 2>/dev/null; do
    if (( $(date +%s) >= deadline )); then
      warn "$name (pid $pid) did not stop within ${timeout}s; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  rm -f "$(pid_file "$name")"
  log "$name stopped (pid $pid, $(elapsed_s "$start") s)"
}

# ---------------------------------------------------------------------------------------------
# Readiness. Each wait_* takes the component's pid and the logs to show when it dies or times out.
# ---------------------------------------------------------------------------------------------

# wait_until <timeout_s> <pids> <description> <check-function-and-args...> -- <log files...>
# Polls the check until it succeeds. Fails (printing the logs' tails) as soon as one of <pids>
# (space-separated) has died, or on timeout.
wait_until() {
  local timeout=$1 pids=$2 what=$3
  shift 3
  local check=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do check+=("$1"); shift; done
  [[ $# -gt 0 ]] && shift
  local logs=("$@")
  local deadline=$(( $(date +%s) + timeout )) p
  while true; do
    if "${check[@]}"; then
      return 0
    fi
    for p in $pids; do
      if ! kill -0 "$p" 2>/dev/null; then
        printf '[%s] ERROR: process %s died while waiting for %s\n' "$COMPONENT" "$p" "$what" >&2
        print_log_tail "${logs[@]}"
        return 1
      fi
    done
    if (( $(date +%s) >= deadline )); then
      printf '[%s] ERROR: timed out after %ss waiting for %s (pids %s still alive)\n' \
        "$COMPONENT" "$timeout" "$what" "$pids" >&2
      print_log_tail "${logs[@]}"
      return 1
    fi
    sleep 0.3
  done
}

# http_body_matches <url> <extended-regex>: true if GET <url> answers 2xx and the body matches.
http_body_matches() {
  local body
  body="$(curl -fsS --max-time 2 "$1" 2>/dev/null)" || return 1
  grep -Eq -- "$2" <<<"$body"
}

# wait_for_port <port> <timeout_s> <pid> <log files...>
wait_for_port() {
  local port=$1 timeout=$2 pid=$3
  shift 3
  wait_until "$timeout" "$pid" "port $BIND_HOST:$port" port_listening "$port" -- "$@"
}

# wait_for_http <url> <regex> <timeout_s> <pid> <log files...>
wait_for_http() {
  local url=$1 re=$2 timeout=$3 pid=$4
  shift 4
  wait_until "$timeout" "$pid" "$url to answer /$re/" http_body_matches "$url" "$re" -- "$@"
}

# file_contains <file> <fixed string>
file_contains() { [[ -f "$1" ]] && grep -qF -- "$2" "$1"; }

# ---------------------------------------------------------------------------------------------
# Jars from Maven Central
# ---------------------------------------------------------------------------------------------

# fetch_libs <pom> <lib dir>: copy the runtime dependencies of <pom> into <lib dir>, only if
# <lib dir> does not exist yet or was fetched for another version of <pom> (its checksum is kept in
# <lib dir>/.pom.sha256). Downloads into a temp dir first so that a failed or interrupted
# download never leaves a half-filled lib dir behind. Delete <lib dir> to force a refresh.
fetch_libs() {
  local pom=$1 lib=$2 sum
  sum="$(sha256sum "$pom" | cut -d' ' -f1)"
  if [[ -d "$lib" ]]; then
    if [[ ! -f "$lib/.pom.sha256" || "$(cat "$lib/.pom.sha256")" == "$sum" ]]; then
      return 0
    fi
    log "$pom changed since $lib was fetched: fetching again"
    rm -rf "$lib"
  fi
  local tmp="$lib.tmp.$$" start
  start="$(now_ms)"
  log "fetching jars for $(basename "$(dirname "$pom")") from Maven Central into $lib (once) ..."
  rm -rf "$tmp"
  mkdir -p "$(dirname "$lib")"
  # The project's Maven wrapper: the same Maven everywhere, nothing to install.
  if ! "$REPO_ROOT/mvnw" -q -B -ntp -f "$pom" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$tmp" >"$tmp.mvn.log" 2>&1; then
    tail -n 30 "$tmp.mvn.log" >&2
    rm -rf "$tmp" "$tmp.mvn.log"
    die "mvn dependency:copy-dependencies failed for $pom"
  fi
  rm -f "$tmp.mvn.log"
  printf '%s\n' "$sum" >"$tmp/.pom.sha256"
  mv "$tmp" "$lib"
  log "fetched $(find "$lib" -name '*.jar' | wc -l) jars ($(du -sh "$lib" | cut -f1)) in $(elapsed_s "$start") s"
}
