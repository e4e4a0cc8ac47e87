#!/usr/bin/env bash
# Times SubgroupMetrics (1,000,000 rows x 14 labels x 3 attributes, no bootstrap) and Bootstrap
# (2000 replicates, 38,240 rows, 1 label, 5 groups) on the Direct runner and prints the figures.
# Rows are generated inside the pipeline (no file I/O in the measurement).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -o -q -B -pl transforms -am test -Pslow -Dtest=MetricsBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false
grep -h '^BENCHMARK' transforms/target/surefire-reports/org.chexaudit.transforms.metrics.MetricsBenchmarkTest-output.txt
