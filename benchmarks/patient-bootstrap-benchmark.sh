#!/usr/bin/env bash
# Patient-level bootstrap replicates (metrics --bootstrapUnit=patient; issue 18), in-process on the Direct runner
# (Cli's settings: no immutability/encodability checks, --targetParallelism=2) on rows generated in the pipeline:
# PatientBootstrapBenchmarkTest, sex/race/age attributes, intervals per race group.
#   benchmarks/patient-bootstrap-benchmark.sh [rows] [patients] [labels] [replicates] [git-revision]
# defaults 1,000,000 rows, 200,000 patients, 3 labels, 200 replicates, the working tree. With a revision, a
# temporary git worktree of it is timed, with this benchmark's test copied in (it uses only Bootstrap's public
# API); nothing is installed into ~/.m2 (the reactor builds transforms and what it needs).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${1:-1000000}"
PATIENTS="${2:-200000}"
LABELS="${3:-3}"
REPLICATES="${4:-200}"
REV="${5:-}"
TEST=transforms/src/test/java/org/chexaudit/transforms/metrics/PatientBootstrapBenchmarkTest.java
DIR=$PWD
if [ -n "$REV" ]; then
  DIR=$(mktemp -d)/tree
  git worktree add --detach "$DIR" "$REV" >/dev/null
  trap 'git worktree remove --force "$DIR"' EXIT
  cp "$TEST" "$DIR/$TEST"
fi
dirty=$(git -C "$DIR" status --porcelain --untracked-files=no | grep -q . && echo " + uncommitted changes" || true)
echo "revision: $(git -C "$DIR" rev-parse --short HEAD)${REV:+ ($REV)}$dirty; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$DIR/transforms/target"
(cd "$DIR" && mvn -o -q -B -ntp -pl transforms -am test -Dsurefire.groups=benchmark -Dsurefire.excludedGroups= -Dtest=PatientBootstrapBenchmarkTest \
  -Dsurefire.failIfNoSpecifiedTests=false -Dbench.rows="$ROWS" -Dbench.patients="$PATIENTS" -Dbench.labels="$LABELS" \
  -Dbench.replicates="$REPLICATES" >"$DIR/transforms/target/patient-bootstrap-benchmark.log" 2>&1) \
  || { tail -40 "$DIR/transforms/target/patient-bootstrap-benchmark.log"; exit 1; }
grep -h '^BENCHMARK' "$DIR"/transforms/target/surefire-reports/org.chexaudit.transforms.metrics.PatientBootstrapBenchmarkTest-output.txt
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
