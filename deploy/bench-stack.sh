#!/usr/bin/env bash
# The stack benchmark: the job against its ceiling and its peers on the real local stack (Kafka broker,
# Flink standalone cluster with flink-conf/config.yaml, ClickHouse 18.16), all on one pre-loaded topic.
# Prints figures; asserts nothing. docs/benchmarks.md explains every line. About 20 min for 1 M messages,
# about 60 min for the 3 M default (the p=2 job runs 3 times).
#
#   deploy/bench-stack.sh [messages (default 3000000)]
#   deploy/bench-stack.sh quick      the inner loop: 1 M messages, one p=2 job run, limit + SQL peer + latency
#                                    (about 20 min; a figure from it is one run, not a median)
#   BENCH_PHASES="limit job sql kafka-engine p1 latency p4"   phases to run after the preload (default: all)
#   BENCH_JOB_RUNS=3   runs of the p=2 job; the median run's figures are reported, every run's rate beside them
#   BENCH_JOB_ARGS="--views.validation on"   job settings added to every run of the job (an A/B of a setting)
#   BENCH_LATENCY_RATE=7500   the latency phase's rate (default: half the p=2 run's, 2000 without one); the
#                             phase also measures freshness: a probe view's way to GET /v1/content/{id}/metrics
#   BENCH_LATENCY_SECONDS=300   how long the latency phase sends (each minute closing is one sample)
#   BENCH_LATENCY_WARM_UP=60    windows that can close in the first seconds of it are reported apart (fresh
#                               job: the schedule's backlog, cold JIT); the headline is the rest
#
# It uses its own state dir (.stack-bench) and the default ports (Kafka 9092, ClickHouse 8123/9000,
# Flink 8081), so stop a running demo stack first (deploy/local/stack.sh down). It stops what it
# started when it ends, also on Ctrl-C.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
MESSAGES="${1:-3000000}"
PHASES="${BENCH_PHASES:-limit job sql kafka-engine p1 latency p4}"
if [[ "$MESSAGES" == quick ]]; then
  MESSAGES=1000000
  PHASES="${BENCH_PHASES:-limit job sql latency}"
  export BENCH_JOB_RUNS="${BENCH_JOB_RUNS:-1}"
fi
export ENGAGEMENT_STACK_DIR="$PWD/.stack-bench"
RESULTS="target/stack-bench/results.properties"
JAR="target/engagement-pipeline-0.1.0-SNAPSHOT.jar"

./mvnw -B -q -ntp -DskipTests package
./mvnw -B -q -ntp -pl it -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/target/benchmark.classpath" -Dmdep.includeScope=test
mkdir -p "$(dirname "$RESULTS")"
rm -f "$RESULTS"

cleanup() { [[ -n "${BENCH_KEEP_STACK:-}" ]] || deploy/local/stack.sh down >/dev/null 2>&1 || true; }
trap cleanup EXIT
deploy/local/stack.sh up

tm_pid() { cat "$ENGAGEMENT_STACK_DIR/run/flink-taskmanager.pid" 2>/dev/null || true; }
bench() {
  java -Xmx2g -Dlog4j2.configurationFile="$PWD/flink-conf/log4j-cli.properties" -Dlog.file="$PWD/target/stack-bench/driver.log" \
    -cp "it/target/test-classes:$(cat target/benchmark.classpath)" \
    io.engagement.pipeline.bench.StackBenchmark "$@" --results "$RESULTS" --jar "$JAR" --tm-pid "$(tm_pid)"
}
has() { [[ " $PHASES " == *" $1 "* ]]; }
restart_flink() {
  deploy/local/flink.sh stop
  FLINK_TM_SLOTS="$1" deploy/local/flink.sh start
}

echo "== preload: $MESSAGES messages"
bench preload --messages "$MESSAGES"
if has limit; then
  echo "== limit: consume + parse, nothing else"
  bench limit --threads 1
  bench limit --threads 2
fi
if has job; then
  RUNS="${BENCH_JOB_RUNS:-3}"
  labels=()
  for ((run = 1; run <= RUNS; run++)); do
    echo "== the job, parallelism 2, every output on (run $run of $RUNS)"
    bench job --parallelism 2 --label "p2-run$run"
    labels+=("p2-run$run")
  done
  bench median --of "$(IFS=,; echo "${labels[*]}")" --as p2
fi
if has sql; then
  echo "== Flink SQL peer, parallelism 2"
  bench sql --parallelism 2
fi
if has kafka-engine; then
  echo "== ClickHouse Kafka engine + materialized views"
  bench kafka-engine
fi
if has p1; then
  echo "== the job, parallelism 1"
  bench job --parallelism 1 --label p1
fi
if has latency; then
  # Half the sustained rate of the p=2 run (or 2000 msg/s if it was not run), unless BENCH_LATENCY_RATE says.
  RATE="${BENCH_LATENCY_RATE:-$(sed -n 's/^job\.p2=//p' "$RESULTS" | awk '{ r = $1 / 2; print (r > 0 ? int(r) : 2000) }')}"
  echo "== latency at ${RATE:-2000} messages/s (half the sustained rate)"
  bench latency --rate "${RATE:-2000}" --seconds "${BENCH_LATENCY_SECONDS:-300}" \
    --warm-up-seconds "${BENCH_LATENCY_WARM_UP:-60}" --parallelism 2
fi
if has p4; then
  echo "== the job, parallelism 4 on a 4-slot TaskManager (2 cores)"
  restart_flink 4
  bench job --parallelism 4 --label p4
  restart_flink 2
fi
bench report
