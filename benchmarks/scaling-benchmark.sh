#!/usr/bin/env bash
# Scaling benchmark: cohort on full CheXpert-size generated CSV/XLSX (223,414 rows) and metrics on
# 1,000,000 prediction rows, on the Direct runner, embedded Flink ([local]) and the real local Flink
# session cluster (runners/flink-cluster.sh, started here if not up and stopped after), at
# parallelism 1 and 2. Prints one table row per run: wall seconds of the client command (JVM start,
# and for the cluster the upload of the shaded jar, included) and whether outputs match Direct's.
#   benchmarks/scaling-benchmark.sh [work-dir]        BOOTSTRAP=N (default 0) for metrics' replicates
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${1:-$ROOT/target/bench-scaling}"
BOOTSTRAP="${BOOTSTRAP:-0}"
CLI="$ROOT/bin/chexaudit"
JAR="$ROOT/pipelines/target/chexaudit.jar"
mkdir -p "$WORK"

if [ ! -f "$WORK/data/CheXpert-v1.0/train.csv" ]; then
  echo "generating full-size CSV/XLSX (no images)..." >&2
  "$CLI" synth --output="$WORK/data" --full=true --images=false --overwrite=true >&2
fi
if [ ! -f "$WORK/preds-1m.csv" ]; then
  echo "writing 1,000,000 prediction rows..." >&2
  awk 'BEGIN { srand(7); print "id,class_0,target_0,race,sex";
    for (i = 0; i < 1000000; i++) { y = (rand() < 0.2); printf "r%d,%.6f,%d,%s,%s\n", i, 0.35 * y + rand(), y,
      substr("WAB", i % 3 + 1, 1), (i % 2 ? "Male" : "Female") } }' > "$WORK/preds-1m.csv"
fi

started_cluster=0
if ! curl -sf http://localhost:8081/overview >/dev/null 2>&1; then
  "$ROOT/runners/flink-cluster.sh" start >&2
  started_cluster=1
fi
trap '[ $started_cluster = 1 ] && "$ROOT/runners/flink-cluster.sh" stop >&2' EXIT

runner_args() { # runner parallelism
  case "$1" in
    direct) echo "--runner=DirectRunner --targetParallelism=$2" ;;
    flink-local) echo "--runner=FlinkRunner --flinkMaster=[local] --parallelism=$2" ;;
    cluster) echo "--runner=FlinkRunner --flinkMaster=localhost:8081 --parallelism=$2 --filesToStage=$JAR" ;;
  esac
}

# same CSVs (byte for byte) as the Direct run at parallelism 1
same() { # dir reference
  local a b
  a=$(cd "$2" && find . -name '*.csv' | sort | xargs sha256sum | sha256sum)
  b=$(cd "$1" && find . -name '*.csv' | sort | xargs sha256sum | sha256sum)
  [ "$a" = "$b" ] && echo yes || echo NO
}

timed() { # label out-dir command...
  local label=$1 out=$2; shift 2
  local t0 t1
  t0=$(date +%s.%N)
  if "$@" > "$WORK/$label.log" 2>&1; then t1=$(date +%s.%N); printf '%.1f' "$(echo "$t1 - $t0" | bc)"
  else echo "FAILED (see $WORK/$label.log)"; fi
}

printf '%-8s %-12s %-3s %10s %s\n' stage runner par wall_s same_csvs
for stage in cohort metrics; do
  for runner in direct flink-local cluster; do
    for par in 1 2; do
      out="$WORK/out/$stage-$runner-$par"
      if [ $stage = cohort ]; then
        w=$(timed "$stage-$runner-$par" "$out" "$CLI" cohort --trainCsv="$WORK/data/CheXpert-v1.0/train.csv" \
          --demoXlsx="$WORK/data/CHEXPERT DEMO.xlsx" --output="$out" --overwrite=true $(runner_args $runner $par))
      else
        w=$(timed "$stage-$runner-$par" "$out" "$CLI" metrics --predictions="$WORK/preds-1m.csv" \
          --scoreColumns=class_0 --targetColumns=target_0 --groupColumns=race,sex,sex*race \
          --bootstrap="$BOOTSTRAP" --seed=1 --output="$out" --overwrite=true $(runner_args $runner $par))
      fi
      ref="$WORK/out/$stage-direct-1"
      s=$([ -f "$out/_MANIFEST.json" ] && same "$out" "$ref" || echo -)
      printf '%-8s %-12s %-3s %10s %s\n' $stage $runner $par "$w" "$s"
    done
  done
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; shared with other jobs while measured" 
