#!/usr/bin/env bash
# Throughput of the models module's networks: training and inference images/s, peak memory, and
# achieved GFLOP/s as a share of a matmul measured in the same JVM.
#
#   benchmarks/models-benchmark.sh [archs] [batch] [iters] [size]
#   e.g. benchmarks/models-benchmark.sh densenet121,resnet34 16 3 224
#   GPU: GPU=1 benchmarks/models-benchmark.sh ...   (builds with -Pgpu, TensorFlow's CUDA natives)
#
#   benchmarks/models-benchmark.sh --startup [arch] [images] [size] [batch]
#   e.g. benchmarks/models-benchmark.sh --startup densenet121 48 224 16
#   start-up (issue 15): one-epoch training of generated images in a fresh JVM; prints each progress
#   line with the seconds since the JVM started (data, graph build phases, variables, first step,
#   epoch, SavedModel export), then time_to_first_step_s and total_s.
#
# peak_rss_mib is the JVM's peak resident set so far (cumulative over the architectures, in order);
# on a GPU, device memory is not included.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--startup" ]]; then
  shift
  PROFILE=()
  [[ "${GPU:-0}" == "1" ]] && PROFILE=(-Pgpu)
  BUILD=(-q -B -ntp "${PROFILE[@]}" -pl models -am test-compile
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath
    -Dmdep.outputFile="$(pwd)/models/target/startup.classpath" -Dmdep.includeScope=test)
  mvn -o "${BUILD[@]}" || mvn "${BUILD[@]}"
  OUT=$(mktemp -d)
  echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
  java -Xmx6g -Dorg.bytedeco.javacpp.cachedir="$(pwd)/target/javacpp-cache" \
    -cp "models/target/test-classes:models/target/classes:$(cat models/target/startup.classpath)" \
    org.chexaudit.models.TrainStartupBenchmark "${1:-densenet121}" "${2:-48}" "${3:-224}" "${4:-16}" "$OUT/model" 2>&1 \
    | grep -v '^SLF4J\|^20[0-9][0-9]-.*\] \|^To enable\|^WARNING: All log\|^I0000'
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at end"
  rm -rf "$OUT"
  exit 0
fi
ARCHS=${1:-densenet121,resnet34,small_cnn}
BATCH=${2:-16}
ITERS=${3:-3}
SIZE=${4:-224}
PROFILE=()
[[ "${GPU:-0}" == "1" ]] && PROFILE=(-Pgpu)
mvn -o -q -B "${PROFILE[@]}" -pl models -am test -Dtest=ModelsBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dchexaudit.benchmark=true -Dbench.archs="$ARCHS" -Dbench.batch="$BATCH" -Dbench.iters="$ITERS" \
  -Dbench.size="$SIZE" >/dev/null
cat models/target/surefire-reports/org.chexaudit.models.ModelsBenchmark-output.txt | grep -v '^SLF4J'
