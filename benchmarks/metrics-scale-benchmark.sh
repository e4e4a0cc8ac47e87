#!/usr/bin/env bash
# metrics at scale (issue 18): ROWS prediction rows x 14 labels x 3 attributes with BOOTSTRAP replicates,
# submitted to a local Flink session cluster (runners/flink-cluster.sh on its own port and folder, started
# here and stopped after) from a client JVM at -Xmx512m, as bin/chexaudit runs it (CHEXAUDIT_HEAP=512m).
# Prints wall time, rows/s, the client's peak RSS (/usr/bin/time -v) and the TaskManager's (VmHWM).
#   benchmarks/metrics-scale-benchmark.sh [rows] [bootstrap] [work-dir]    default 10,000,000 rows, 200
# Needs the shaded jar (mvn -DskipTests package). The CSV is generated once by
# reference/metrics_reference.py (the same generator as metrics-benchmark.sh; 10M rows are 2.2 GB).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROWS="${1:-10000000}"
BOOTSTRAP="${2:-200}"
WORK="${3:-$ROOT/target/bench-scale}"
PAR="${PARALLELISM:-2}"
LABELS=14
JAR="$ROOT/pipelines/target/chexaudit.jar"
export CHEXAUDIT_FLINK_PORT="${CHEXAUDIT_FLINK_PORT:-18081}"
export CHEXAUDIT_FLINK_DIR="${CHEXAUDIT_FLINK_DIR:-$WORK/flink-cluster}"
[ -f "$JAR" ] || { echo "no $JAR: run mvn -B -DskipTests package first" >&2; exit 1; }
mkdir -p "$WORK"
CSV="$WORK/predictions-$ROWS.csv"
if [ ! -f "$CSV" ]; then
  echo "generating $CSV ..." >&2
  /usr/bin/python3 "$ROOT/benchmarks/reference/metrics_reference.py" generate "$CSV.tmp" "$ROWS" "$LABELS"
  mv "$CSV.tmp" "$CSV"
fi
cols() { local p=$1 out=; for ((l = 0; l < LABELS; l++)); do out+="${out:+,}${p}_$l"; done; echo "$out"; }

started=0
if ! curl -sf "http://localhost:$CHEXAUDIT_FLINK_PORT/overview" >/dev/null 2>&1; then
  "$ROOT/runners/flink-cluster.sh" start >&2
  started=1
fi
trap '[ $started = 1 ] && "$ROOT/runners/flink-cluster.sh" stop >&2' EXIT
tm_pid=$(cat "$CHEXAUDIT_FLINK_DIR/taskmanager.pid")

out="$WORK/out-$ROWS-$BOOTSTRAP"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(date +%s.%N)
/usr/bin/time -v -o "$WORK/client-$ROWS-$BOOTSTRAP.time" java -Xmx512m \
  -Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.chexaudit.schemas \
  -Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory \
  -jar "$JAR" metrics --predictions="$CSV" --scoreColumns="$(cols class)" --targetColumns="$(cols target)" \
  --groupColumns=sex,race,age --bootstrap="$BOOTSTRAP" --seed=1 --inSampleThreshold=true \
  --output="$out" --overwrite=true \
  --runner=FlinkRunner --flinkMaster="localhost:$CHEXAUDIT_FLINK_PORT" --parallelism="$PAR" --filesToStage="$JAR" \
  > "$WORK/client-$ROWS-$BOOTSTRAP.log" 2>&1 || { tail -30 "$WORK/client-$ROWS-$BOOTSTRAP.log" >&2; exit 1; }
t1=$(date +%s.%N)
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
client_kb=$(awk -F': ' '/Maximum resident set size/{print $2}' "$WORK/client-$ROWS-$BOOTSTRAP.time")
client_cpu=$(awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{print u+s}' "$WORK/client-$ROWS-$BOOTSTRAP.time")
tm_kb=$(awk '/VmHWM/{print $2}' "/proc/$tm_pid/status")
tm_cpu=$(awk '{print ($14+$15)/100}' "/proc/$tm_pid/stat")
python3 - "$t0" "$t1" "$ROWS" "$BOOTSTRAP" "$client_kb" "$client_cpu" "$tm_kb" "$tm_cpu" "$PAR" <<'PYEOF'
import sys
t0, t1 = float(sys.argv[1]), float(sys.argv[2])
rows, boot, ckb, ccpu, tkb, tcpu, par = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7]), float(sys.argv[8]), sys.argv[9]
wall = t1 - t0
print(f"metrics scale: {rows} rows x 14 labels x 3 attributes, bootstrap {boot}, Flink session cluster "
      f"(1 TaskManager, parallelism {par}): wall {wall:.1f} s, {rows / wall:,.0f} rows/s; client -Xmx512m peak RSS "
      f"{ckb / 1024:.0f} MiB (CPU {ccpu:.1f} s); TaskManager peak RSS {tkb / 1024:.0f} MiB "
      f"(CPU since its start {tcpu:.1f} s)")
PYEOF
