#!/usr/bin/env bash
# Runs one of the command-line tools of the tools jar (builds the jars first if it is missing):
#   deploy/tool.sh <main class> [args...]
# Used by deploy/query.sh, deploy/erase-user.sh and deploy/retention.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
JAR=target/engagement-pipeline-0.1.0-SNAPSHOT-tools.jar
[[ -f "$JAR" ]] || ./mvnw -B -q -ntp -DskipTests package
STACK_DIR="${ENGAGEMENT_STACK_DIR:-.stack}"
# slf4j/log4j come from the Flink lib the local stack downloads; without it the tool still runs, silently.
exec java -cp "$JAR:$STACK_DIR/flink/lib/*" "$@"
