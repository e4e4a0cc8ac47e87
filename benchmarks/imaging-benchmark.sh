#!/usr/bin/env bash
# Imaging stages' throughput and their scaling with workers (issue 6):
#   1. preprocess: decode + resize of full-size-like (2,320 x 2,828) greyscale JPEGs to 224x224, one
#      thread without Beam, then the preprocess command on the Direct runner and on embedded Flink at
#      parallelism 1 and 2;
#   2. per architecture: the predict command on the Direct runner and on embedded Flink at parallelism 1
#      and 2 with one TensorFlow thread per worker, so that what a second worker adds is visible: whole
#      command (start-up, model load per worker, Avro writing included) and marginal images/s;
#   3. per architecture: steady-state training and inference images/s without Beam, TensorFlow on all
#      cores (models-benchmark.sh, batch 16).
# SKIP_PREPROCESS=1 or SKIP_MODELS=1 leave out parts 1 or 3.
#   benchmarks/imaging-benchmark.sh [jpegs, default 100] [archs, default smallcnn,resnet34,densenet121]
#                                   [test images, default 160] [image size, default 224]
set -euo pipefail
JPEGS="${1:-100}"
ARCHS="${2:-smallcnn,resnet34,densenet121}"
COUNT="${3:-160}"
SIZE="${4:-224}"
source "$(dirname "${BASH_SOURCE[0]}")/bench-env.sh"
WORK="$ROOT/pipelines/target/imaging-benchmark"
mkdir -p "$WORK"
[ "${SKIP_PREPROCESS:-0}" = 1 ] || "${JAVA[@]}" org.chexaudit.pipelines.PreprocessBenchmark "$WORK/preprocess" "$JPEGS" 1,2,flink:1,flink:2 0 \
  2> >(grep -v 'WARN\|INFO' >&2) | tee "$WORK/preprocess.txt"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) after preprocess" >&2
"${JAVA[@]}" org.chexaudit.pipelines.InferenceBenchmark "$WORK/inference" "$ARCHS" "$COUNT" "$SIZE" \
  2> >(grep -v 'WARN\|INFO' >&2) | tee "$WORK/inference.txt"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) after inference" >&2
if [ "${SKIP_MODELS:-0}" != 1 ]; then
  "$ROOT/benchmarks/models-benchmark.sh" "$(echo "$ARCHS" | sed 's/smallcnn/small_cnn/')" 16 2 "$SIZE" \
    | tee "$WORK/models.txt"
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end" >&2
fi
