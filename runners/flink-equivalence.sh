#!/usr/bin/env bash
# Direct vs Flink [local] vs the real local Flink cluster: cohort, metrics (bootstrap) and predict give the
# same outputs. Builds the shaded jar when stale (the cluster loads the job's code from it), then runs the
# slow FlinkEquivalenceTest, which starts the cluster (runners/flink-cluster.sh), checks each job is in
# its REST job list, and stops it.
set -euo pipefail
exec "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/reliability.sh" FlinkEquivalenceTest
