#!/usr/bin/env bash
# The reliability suite: bad-input catalogue, faults (train killed with SIGKILL and resumed, Flink
# TaskManager killed mid-job, reruns without --overwrite), determinism, and Direct / Flink [local] /
# cluster equivalence. Runs the slow test classes (which start and stop the local Flink cluster
# themselves) and prints a summary: inputs tried, faults injected, outcomes, records lost (must be 0).
#   runners/reliability.sh [TestClass,...]   default: all five classes
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TESTS="${1:-BadInputTest,FaultsTest,DeterminismTest,FlinkEquivalenceTest}"
SUMMARY="$ROOT/pipelines/target/reliability/summary.tsv"
cd "$ROOT"

# The cluster loads the job's code from the shaded jar: build it when stale (as bin/chexaudit does).
if [ ! -f pipelines/target/chexaudit.jar ] || [ -n "$(find pom.xml schemas models transforms runners pipelines/src \
    pipelines/pom.xml datafiles -path '*/target' -prune -o -type f -newer pipelines/target/chexaudit.jar -print -quit)" ]; then
  echo "reliability: building the shaded jar..." >&2
  mvn -o -q -B -DskipTests package >&2
fi
rm -f "$SUMMARY"
status=0
mvn -o -q -B -Pslow -pl pipelines -am test -Dtest="$TESTS" -Dsurefire.failIfNoSpecifiedTests=false >&2 || status=$?

if [ ! -f "$SUMMARY" ]; then
  echo "reliability: no case ran (mvn exit $status)" >&2
  exit 1
fi
echo
awk -F'\t' '
  { printf "%-12s %-26s %-40s %-60s %7s %7s %8s %5s %4s\n", $1, substr($2, 1, 26), substr($3, 1, 40),
      substr($4, 1, 60), $5, $6, $7, $8, $9 }
  NR > 1 {
    n++
    if ($3 != "none") f++
    lost += $9
    if ($4 ~ /^refused/) k = "refused with a message"
    else if ($4 ~ /^dead letter/) k = "dead letter"
    else if ($4 ~ /^ran/) k = "ran, counts reconcile"
    else k = $4
    o[k]++
  }
  END {
    printf "\ninputs tried: %d   faults injected: %d   records lost: %d\noutcomes:", n, f, lost
    for (k in o) printf "  %s: %d;", k, o[k]
    print ""
  }' "$SUMMARY"
echo "full messages: $SUMMARY"
echo "tests: $([ $status = 0 ] && echo 'all passed' || echo "FAILED (mvn exit $status; see pipelines/target/surefire-reports)")"
exit $status
