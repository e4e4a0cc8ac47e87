#!/usr/bin/env bash
# Preprocessing throughput: decode + resize of full-size-like (2,320 x 2,828) greyscale JPEGs to 224x224,
# one thread without Beam, then the preprocess command on the Direct runner with --targetParallelism=1
# and 2, and the decoding floor (libjpeg-turbo at full and 1/8 scale). Usage: benchmarks/preprocess-benchmark.sh [image count, default 100] [parallelisms, default 1,2]
# Needs Maven with the project's dependencies (builds the modules' test classes offline when it can).
set -euo pipefail
COUNT="${1:-100}"
PARALLELISMS="${2:-1,2}"
source "$(dirname "${BASH_SOURCE[0]}")/bench-env.sh"
WORK="$ROOT/pipelines/target/preprocess-benchmark"
mkdir -p "$WORK"
exec "${JAVA[@]}" org.chexaudit.pipelines.PreprocessBenchmark "$WORK" "$COUNT" "$PARALLELISMS"
