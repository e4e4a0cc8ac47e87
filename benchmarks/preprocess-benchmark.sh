#!/usr/bin/env bash
# Preprocessing throughput: decode + resize of full-size-like (2,320 x 2,828) greyscale JPEGs to 224x224,
# one thread without Beam, then the preprocess command on the Direct runner with --targetParallelism=1
# and 2. Usage: benchmarks/preprocess-benchmark.sh [image count, default 100] [parallelisms, default 1,2]
# Needs Maven with the project's dependencies (builds the modules' test classes offline when it can).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COUNT="${1:-100}"
PARALLELISMS="${2:-1,2}"
WORK="$ROOT/pipelines/target/preprocess-benchmark"
MVN="${CHEXAUDIT_MVN:-mvn}"
cd "$ROOT"
# one invocation, so the sibling modules resolve to their target/classes
BUILD=(-q -B -pl pipelines -am test-compile org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test)
"$MVN" -o "${BUILD[@]}" >&2 || "$MVN" "${BUILD[@]}" >&2
CP="pipelines/target/test-classes:pipelines/target/classes:$(cat pipelines/target/bench.classpath)"
mkdir -p "$WORK"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start" >&2
exec java -Xmx6g -Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.chexaudit.schemas -cp "$CP" \
  org.chexaudit.pipelines.PreprocessBenchmark "$WORK" "$COUNT" "$PARALLELISMS"
