#!/usr/bin/env bash
# The metrics command as a user runs it, against pandas + scikit-learn doing the same on the same file,
# timed in the same run (issue 15; goal: metrics at most 0.5x the reference's time).
#   benchmarks/metrics-benchmark.sh [rows] [work-dir]      default 1,000,000 rows x 14 labels x 3 attributes
#   benchmarks/metrics-benchmark.sh --in-process          the older in-process timings (SubgroupMetrics on
#                                                          generated rows, Bootstrap), no file I/O
# The CSV (id, patient, class_0..13, target_0..13, sex, race, age; float32 scores) is generated once.
# Java: bin/chexaudit metrics, the whole command in a fresh JVM (start-up, CSV parsing, pipeline, reports), no bootstrap, threshold
# at FPR 0.2 on the whole set. Reference (benchmarks/reference/metrics_reference.py, Debian's python3):
# pandas.read_csv, then per label roc_curve for the FPR-0.2 threshold and per label and group
# roc_auc_score, TPR and FPR. JFR=1 also records a flight recording of the Java run.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--in-process" ]; then
  mvn -o -q -B -pl transforms -am test -Dsurefire.groups=benchmark -Dsurefire.excludedGroups= -Dtest=MetricsBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false
  grep -h '^BENCHMARK' transforms/target/surefire-reports/org.chexaudit.transforms.metrics.MetricsBenchmarkTest-output.txt
  exit 0
fi
ROWS="${1:-1000000}"
WORK="${2:-$PWD/target/bench-metrics}"
LABELS=14
PY=/usr/bin/python3
if ! "$PY" -c 'import pandas, sklearn' 2>/dev/null; then
  echo "installing Debian's python3-pandas and python3-sklearn (reference only)..." >&2
  sudo -n true 2>/dev/null && SUDO=sudo || SUDO=
  $SUDO apt-get install -y -q python3-pandas python3-sklearn >&2
fi
# the launcher's jar, built now when missing or stale, outside the timed runs
bin/chexaudit --help > /dev/null
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start" >&2
mkdir -p "$WORK"
CSV="$WORK/predictions-$ROWS.csv"
if [ ! -f "$CSV" ]; then
  echo "generating $CSV ..." >&2
  "$PY" benchmarks/reference/metrics_reference.py generate "$CSV" "$ROWS" "$LABELS"
fi
cols() { local p=$1 out=; for ((l = 0; l < LABELS; l++)); do out+="${out:+,}${p}_$l"; done; echo "$out"; }

METRICS_ARGS=(--predictions="$CSV" --scoreColumns="$(cols class)" --targetColumns="$(cols target)"
  --groupColumns=sex,race,age --bootstrap=0 --inSampleThreshold=true --output="$WORK/out" --overwrite=true)
source benchmarks/cds.sh
if cds_stale; then
  echo "first run with this jar: writing the class-data archive (untimed)..." >&2
  CHEXAUDIT_BUILD=never bin/chexaudit metrics "${METRICS_ARGS[@]}" > "$WORK/last.log" 2>&1 \
    || { cat "$WORK/last.log" >&2; exit 1; }
fi

echo "load average before the reference: $(cut -d' ' -f1-3 /proc/loadavg)"
# wall and CPU (user + sys) of each: on a loaded machine the CPU time depends much less on the other processes
t0=$(date +%s.%N)
/usr/bin/time -f '%U %S' -o "$WORK/ref.cpu" "$PY" benchmarks/reference/metrics_reference.py audit "$CSV" "$LABELS" sex,race,age
t1=$(date +%s.%N)
echo "load average before metrics: $(cut -d' ' -f1-3 /proc/loadavg)"
jfr=
[ -n "${JFR:-}" ] && jfr="-XX:StartFlightRecording=filename=$WORK/metrics.jfr,settings=profile"
# as a user runs it: the launcher, with its JVM options (the jar was built above when missing or stale)
JAVA_OPTS="${JAVA_OPTS:-} $jfr" CHEXAUDIT_BUILD=never /usr/bin/time -f '%U %S' -o "$WORK/java.cpu" \
  bin/chexaudit metrics "${METRICS_ARGS[@]}"
t2=$(date +%s.%N)
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$t0" "$t1" "$t2" "$ROWS" "$(cat "$WORK/ref.cpu")" "$(cat "$WORK/java.cpu")" <<'PYEOF'
import sys
t0, t1, t2, rows = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
ref_cpu, java_cpu = (sum(map(float, a.split())) for a in sys.argv[5:7])
ref, java = t1 - t0, t2 - t1
print(f"metrics benchmark: {rows} rows x 14 labels x 3 attributes: pandas+scikit-learn {ref:.1f} s "
      f"(CPU {ref_cpu:.1f} s), chexaudit metrics {java:.1f} s (CPU {java_cpu:.1f} s; JVM start included), "
      f"wall ratio {java / ref:.2f} (goal <= 0.5), CPU ratio {java_cpu / ref_cpu:.2f}")
PYEOF
