#!/usr/bin/env bash
# The HTTP service's benchmark lines: tracking events/s accepted into Kafka with latency p50/p99
# (batches of 100 and single events, against a producer straight to Kafka), and the dashboard's
# heaviest queries on a million-row content_metrics table (through the API and as SQL). A real
# in-JVM Kafka broker and a real ClickHouse 18.16 server, started and stopped here. Prints figures.
#   deploy/bench-service.sh [seconds per tracking run (default 20)] [concurrent clients (default 8)]
#   deploy/bench-service.sh dashboard [users (default 100)] [seconds (default 60)]   the dashboard lines alone:
#     the heaviest queries, then simulated users opening dashboards (request p50/p95/p99)
#   BENCH_JAVA_OPTS=-Dbench.linger=0ms deploy/bench-service.sh   (the producer's linger, service.kafka-linger)
#   BENCH_JAVA_OPTS="-Dbench.analytics.cache-ttl=0ms -Dbench.analytics.max-wait=0ms"   the dashboard without the
#     answer cache / without the line for a slot (A/B of service.analytics.cache-ttl / max-wait)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
deploy/install-deps.sh
./mvnw -B -q -ntp -pl it -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/target/benchmark.classpath" -Dmdep.includeScope=test
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -Dlog4j2.configurationFile="$PWD/flink-conf/log4j-cli.properties" -Dlog.file="$PWD/target/bench-service.log" \
  -cp "it/target/test-classes:$(cat target/benchmark.classpath)" \
  io.engagement.pipeline.bench.ServiceBenchmark "$@"
