#!/usr/bin/env bash
# Starts the HTTP service (tracking and analytics API, dashboard) from its own jar,
# target/engagement-pipeline-0.1.0-SNAPSHOT-service.jar (built first if missing; the job jar submitted
# to Flink does not carry the service's web stack). Settings as --service.<key> <value> or
# ENGAGEMENT_SERVICE_* (docs/api.md); the API keys only from the environment:
#   ENGAGEMENT_SERVICE_API_KEYS='app:<key>:tracking,ops:<key>:admin,c1:<key>:creator:creator-1' deploy/service.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
JAR=target/engagement-pipeline-0.1.0-SNAPSHOT-service.jar
[[ -f "$JAR" ]] || ./mvnw -B -q -ntp -DskipTests package
exec java -jar "$JAR" "$@"
