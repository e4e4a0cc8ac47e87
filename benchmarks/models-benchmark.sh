#!/usr/bin/env bash
# Throughput of the models module's networks: training and inference images/s, peak memory, and
# achieved GFLOP/s as a share of a matmul measured in the same JVM.
#
#   benchmarks/models-benchmark.sh [archs] [batch] [iters] [size]
#   e.g. benchmarks/models-benchmark.sh densenet121,resnet34 16 3 224
#   GPU: GPU=1 benchmarks/models-benchmark.sh ...   (builds with -Pgpu, TensorFlow's CUDA natives)
#
# peak_rss_mib is the JVM's peak resident set so far (cumulative over the architectures, in order);
# on a GPU, device memory is not included.
set -euo pipefail
cd "$(dirname "$0")/.."
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
