#!/usr/bin/env bash
# Preprocessing throughput (issues 6 and 15), all in one run: the floor (decode + resize of full-size-like
# 2,320 x 2,828 greyscale JPEGs to 224x224, one thread without Beam, with the decoder named), libjpeg-turbo's
# decoding cost for comparison, the preprocess command at 1 and 2 workers on the Direct runner and embedded
# Flink [local] on those images and on small 320 x 390 JPEGs, each with its process CPU and the load
# average, then the ratios against issue 15's goals.
# Usage: benchmarks/preprocess-benchmark.sh [image count, default 400] [runs, default 1,2,flink:1,flink:2]
#                                           [small image count, default 20000] [decoder, default libjpeg-turbo]
# An untimed warm-up run of the command on each runner used comes before the timed ones. 400 full-size images (8 distinct, the rest
# copies) make runs of 10-20 s; with 100 the fixed costs of a run (3-8 s runs) hide the goals.
# Needs Maven with the project's dependencies (builds the modules' test classes offline when it can).
set -euo pipefail
COUNT="${1:-400}"
RUNS="${2:-1,2,flink:1,flink:2}"
SMALL="${3:-20000}"
DECODER="${4:-libjpeg-turbo}"
source "$(dirname "${BASH_SOURCE[0]}")/bench-env.sh"
WORK="$ROOT/pipelines/target/preprocess-benchmark"
mkdir -p "$WORK"
"${JAVA[@]}" -Ddecoder="$DECODER" org.chexaudit.pipelines.PreprocessBenchmark "$WORK" "$COUNT" "$RUNS" "$SMALL" \
  2> >(grep -v 'WARN\|INFO' >&2)
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
