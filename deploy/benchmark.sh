#!/usr/bin/env bash
# Throughput of the production topology against a validate + de-duplicate baseline, measured in the
# same run on a local Flink MiniCluster (RocksDB, exactly-once checkpoints), then per-call latency
# percentiles of the hot functions. Prints figures; asserts nothing. Takes a few minutes.
#   deploy/benchmark.sh [messages (default 300000)] [parallelism (default 2)] [quick: baseline + production topology only | functions: per-call figures of the hot functions only, no cluster]
#   BENCH_JAVA_OPTS="-Dbench.flink=key=value;key=value" deploy/benchmark.sh ...   (A/B of Flink runtime settings)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B -q -ntp -pl it -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/target/benchmark.classpath" -Dmdep.includeScope=test
OPENS="$(sed -n 's:.*<flink.jvm.opens>\(.*\)</flink.jvm.opens>.*:\1:p' pom.xml)"
# shellcheck disable=SC2086
exec java $OPENS -Xmx1g ${BENCH_JAVA_OPTS:-} -Dlog4j2.configurationFile="$PWD/flink-conf/log4j-cli.properties" -Dlog.file="$PWD/target/benchmark.log" \
  -cp "it/target/test-classes:$(cat target/benchmark.classpath)" \
  io.engagement.pipeline.bench.TopologyBenchmark "$@"
