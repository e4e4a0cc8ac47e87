#!/usr/bin/env bash
# PCA and t-SNE timings on generated structured data (issue 7 goals: PCA of 114,720 x 1024 under
# 60 s; t-SNE of 20,000 points under 3 min, of 114,720 points under 30 min).
# Usage: benchmarks/explore-benchmark.sh [--large]   (--large adds t-SNE on 114,720 points)
# Env: THREADS (default: number of cores), HEAP (default 8g), SKIP_BUILD=1 to reuse target/.
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS="${THREADS:-$(nproc)}"
HEAP="${HEAP:-8g}"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -o -q -B -pl core -am test-compile
fi
EJML=$(ls "${HOME}"/.m2/repository/org/ejml/ejml-{core,ddense}/0.44.0/*.jar 2>/dev/null | tr '\n' ':')
CP="core/target/classes:core/target/test-classes:${EJML}"
run() { java -Xmx"${HEAP}" -cp "${CP}" org.chexaudit.core.explore.ExploreBenchmark "$@"; }
echo "explore-benchmark: $(nproc) cores, THREADS=${THREADS}, $(java -version 2>&1 | head -1)"
run pca 114720 1024 "${THREADS}"
run tsne 20000 171 "${THREADS}"
if [[ "${1:-}" == "--large" ]]; then
  run tsne 114720 171 "${THREADS}"
fi
