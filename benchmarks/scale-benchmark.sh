#!/usr/bin/env bash
# Issue 18's scale figures: each command at a large size on the two-TaskManager cluster that shares nothing
# but hdfs:// (runners/cluster-lib.sh: a real HDFS and a Flink session cluster, restarts on, job libraries
# on the cluster), submitted with the thin jar from a client JVM at -Xmx512m (CHEXAUDIT_HEAP=512m), as a
# user with their own cluster runs them. Steps, in order (each on a freshly started Flink, so each step's
# TaskManager peaks are its own; HDFS keeps the data between steps):
#   cohort    synth --images=false of SCALE_COHORT_PATIENTS patients (default 645,400: ten times CheXpert,
#             about 2.23M train.csv rows and 647k spreadsheet rows), written to HDFS; cohort on it
#   images    synth of SCALE_IMAGE_PATIENTS patients with images (default 11,600: about 40,000 JPEGs, about
#             20,000 kept by the cohort), cohort, preprocess to SCALE_IMAGE_SIZE px (default 128)
#   train     smallcnn, 1 epoch, on those shards, TaskManager heap SCALE_TRAIN_HEAP_MB (default 512): the
#             decoded training images (uint8) outnumber the heap
#   predict   every split of those shards (about 20,000 images)
#   metrics   SCALE_METRICS_ROWS prediction rows (default 10,000,000) x 14 labels x 3 attributes with
#             SCALE_BOOTSTRAP replicates (default 200); the CSV is made by reference/metrics_reference.py
# For each step it prints wall time, rows or images per second, and the peak resident memory of the client
# (/usr/bin/time -v), the JobManager and both TaskManagers (VmHWM). A step that fails is reported with its
# last error line and the next steps still run (those that need its output are skipped); exit 1 if any
# failed, or ran past SCALE_STEP_TIMEOUT (default 3600 s). Generated inputs are kept under the work folder
# (target/bench-scale) between runs.
#   benchmarks/scale-benchmark.sh [steps]       steps: comma list of the above (default: all of them)
# Ports differ from the cluster tests' (Flink 18081, HDFS 18020...), so it can run beside them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STEPS=",${1:-cohort,images,train,predict,metrics},"
BENCH="${SCALE_WORK:-$ROOT/target/bench-scale}"
COHORT_PATIENTS="${SCALE_COHORT_PATIENTS:-645400}"
IMAGE_PATIENTS="${SCALE_IMAGE_PATIENTS:-11600}"
IMAGE_SIZE="${SCALE_IMAGE_SIZE:-128}"
TRAIN_HEAP_MB="${SCALE_TRAIN_HEAP_MB:-512}"
METRICS_ROWS="${SCALE_METRICS_ROWS:-10000000}"
BOOTSTRAP="${SCALE_BOOTSTRAP:-200}"
STEP_TIMEOUT="${SCALE_STEP_TIMEOUT:-3600}"  # seconds a step may run before it counts as failed
TASK_HEAP_MB="${CHEXAUDIT_FLINK_TASK_HEAP_MB:-3072}"
export CHEXAUDIT_FLINK_PORT="${CHEXAUDIT_FLINK_PORT:-18081}"
export CHEXAUDIT_FLINK_RPC_PORT="${CHEXAUDIT_FLINK_RPC_PORT:-16123}"
export CHEXAUDIT_HDFS_PORT="${CHEXAUDIT_HDFS_PORT:-18020}"
export CHEXAUDIT_HDFS_HTTP_PORT="${CHEXAUDIT_HDFS_HTTP_PORT:-19870}"
export CHEXAUDIT_HDFS_DN_PORT="${CHEXAUDIT_HDFS_DN_PORT:-19866}"
PORT="$CHEXAUDIT_FLINK_PORT"
NAME=scale-benchmark
RUN="$BENCH/run"  # this run's state (cluster folders, logs); BENCH/data keeps generated inputs
WORK="$RUN"       # cluster-lib.sh's state folder, emptied by cluster_prepare
export CHEXAUDIT_HDFS_DIR="$RUN/hdfs"
export CHEXAUDIT_FLINK_DIR="$RUN/flink"
# shellcheck source=../runners/cluster-lib.sh
. "$ROOT/runners/cluster-lib.sh"
mkdir -p "$BENCH/data"
cluster_prepare

"$ROOT/bin/chexaudit" --help > /dev/null  # builds the shaded jar when stale, outside the timings
export CHEXAUDIT_BUILD=never  # and not again mid-run if the tree is edited meanwhile
THIN="$("$ROOT/runners/flink-cluster.sh" thin-jar | key thin_jar)"
hdfs_start
say "HDFS up in $HDFS_START s at $HDFS_URI; load average $(cut -d' ' -f1-3 /proc/loadavg)"

FAILED=()
RESULTS=()
rss_mb() { awk '/VmHWM/{printf "%d", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }
pid_of() { cat "$CHEXAUDIT_FLINK_DIR/$1.pid" 2>/dev/null || echo 0; }

cluster_cmd() { # name, command, args... -> runs bin/chexaudit on the cluster with the client at -Xmx512m
  local name=$1; shift
  CHEXAUDIT_HEAP=512m timeout "$STEP_TIMEOUT" /usr/bin/time -v -o "$RUN/$name.time" "$ROOT/bin/chexaudit" "$@" \
    --runner=FlinkRunner --flinkMaster="$MASTER" --flinkConfDir="$CONF_DIR" --filesToStage="$THIN" \
    --executionModeForBatch=BATCH_FORCED --hdfsConfiguration="$HDFS_CONF" --jobName="scale-$name" \
    > "$RUN/$name.log" 2>&1
}

client_cmd() { # name, command, args... -> runs bin/chexaudit on the client (Direct), e.g. synth into HDFS
  local name=$1; shift
  CHEXAUDIT_HEAP=512m /usr/bin/time -v -o "$RUN/$name.time" "$ROOT/bin/chexaudit" "$@" \
    --hdfsConfiguration="$HDFS_CONF" > "$RUN/$name.log" 2>&1
}

# step name, units, count (or a command printing it), command name, args... : runs a cluster command and
# records its figures
measure() {
  local name=$1 units=$2 count=$3; shift 3
  local heap=${STEP_HEAP_MB:-$TASK_HEAP_MB}
  flink_start "$heap" 3
  local load; load="$(cut -d' ' -f1 /proc/loadavg)"
  say "$name: $* (TaskManager heap $heap MB, load $load) ..."
  local t0; t0=$(date +%s.%N)
  local ok=1
  cluster_cmd "$name" "$@" || ok=0
  local t1; t1=$(date +%s.%N)
  local client_mb; client_mb=$(awk -F': ' '/Maximum resident set size/{printf "%d", $2 / 1024}' "$RUN/$name.time" 2>/dev/null || echo "?")
  local jm tm1 tm2
  jm=$(rss_mb "$(pid_of jobmanager)"); tm1=$(rss_mb "$(pid_of taskmanager-1)"); tm2=$(rss_mb "$(pid_of taskmanager-2)")
  local wall; wall=$(python3 -c "print(f'{$t1 - $t0:.1f}')")
  if [ $ok = 1 ]; then
    local n="$count"
    [[ "$count" =~ ^[0-9]+$ ]] || n="$(eval "$count" || echo 0)"
    local rate; rate=$(python3 -c "print(f'{$n / ($t1 - $t0):,.1f}')")
    RESULTS+=("$name | finished | $wall s | $n $units, $rate $units/s | client $client_mb MiB | JobManager $jm MiB | TaskManagers $tm1, $tm2 MiB (heap $heap MB) | load $load")
    say "$name finished in $wall s"
  else
    local why; why="$(grep -E 'Exception|Error|error:' "$RUN/$name.log" | grep -v '^\s*at ' | tail -1 | cut -c1-200)"
    [ -n "$why" ] || why="no error in the log (stopped after SCALE_STEP_TIMEOUT=$STEP_TIMEOUT s?)"
    RESULTS+=("$name | FAILED | $wall s | $why | client $client_mb MiB | JobManager $jm MiB | TaskManagers $tm1, $tm2 MiB (heap $heap MB) | load $load")
    FAILED+=("$name")
    say "$name FAILED after $wall s: $why (log: $RUN/$name.log)"
  fi
  [ $ok = 1 ]
}

manifest_count() { # HDFS folder, key -> the number under "key" in its _MANIFEST.json
  "$ROOT/runners/hdfs.sh" fs -cat "$1/_MANIFEST.json" | python3 -c "import json,sys; m=json.load(sys.stdin)
def find(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if k == '$2' and isinstance(v, (int, float)): return v
            r = find(v)
            if r is not None: return r
    return None
print(int(find(m) or 0))"
}

manifest_sum() { # HDFS folder -> the sum of the numbers in its _MANIFEST.json counts (predict: rows per file)
  "$ROOT/runners/hdfs.sh" fs -cat "$1/_MANIFEST.json" | python3 -c "import json,sys
c=json.load(sys.stdin)['counts']; print(int(sum(v for v in c.values() if isinstance(v, (int, float)))))"
}

if [[ $STEPS == *,cohort,* ]]; then
  say "cohort: synth --images=false --patients=$COHORT_PATIENTS into HDFS ..."
  client_cmd synth-cohort synth --output="$HDFS_URI/data/cohort-scale" --patients="$COHORT_PATIENTS" --images=false \
    || fail "synth for the cohort step failed (log: $RUN/synth-cohort.log)"
  ROWS="$(( $("$ROOT/runners/hdfs.sh" fs -cat "/data/cohort-scale/CheXpert-v1.0/train.csv" | wc -l) - 1 ))"
  measure cohort "train.csv rows" "$ROWS" cohort --trainCsv="$HDFS_URI/data/cohort-scale/CheXpert-v1.0/train.csv" \
    --demoXlsx="$HDFS_URI/data/cohort-scale/CHEXPERT DEMO.xlsx" --output="$HDFS_URI/runs/cohort-scale" || true
fi

IMAGES_OK=0
if [[ $STEPS == *,images,* ]]; then
  say "images: synth --patients=$IMAGE_PATIENTS with images into HDFS ..."
  client_cmd synth-images synth --output="$HDFS_URI/data/images-scale" --patients="$IMAGE_PATIENTS" \
    || fail "synth for the images step failed (log: $RUN/synth-images.log)"
  if measure images-cohort "train.csv rows" "manifest_count /runs/images-scale/cohort image_rows" cohort \
      --trainCsv="$HDFS_URI/data/images-scale/CheXpert-v1.0/train.csv" \
      --demoXlsx="$HDFS_URI/data/images-scale/CHEXPERT DEMO.xlsx" --output="$HDFS_URI/runs/images-scale/cohort" \
    && measure preprocess images "manifest_count /runs/images-scale/images selected" preprocess \
      --cohort="$HDFS_URI/runs/images-scale/cohort" --imageRoot="$HDFS_URI/data/images-scale" \
      --imageSize="$IMAGE_SIZE" --splits=train,validate,test --output="$HDFS_URI/runs/images-scale/images"; then
    IMAGES_OK=1
  fi
fi

TRAIN_OK=0
if [[ $STEPS == *,train,* ]]; then
  if [ $IMAGES_OK = 1 ]; then
    STEP_HEAP_MB="$TRAIN_HEAP_MB" measure train "training images" \
      "manifest_count /runs/images-scale/model trainImages" train --shards="$HDFS_URI/runs/images-scale/images" \
      --task=disease --arch=smallcnn --epochs=1 --batchSize=32 --output="$HDFS_URI/runs/images-scale/model" \
      && TRAIN_OK=1
  else
    RESULTS+=("train | skipped | - | needs the images step | - | - | - | -")
  fi
fi

if [[ $STEPS == *,predict,* ]]; then
  if [ $TRAIN_OK = 1 ]; then
    measure predict images "manifest_sum /runs/images-scale/predictions" predict \
      --model="$HDFS_URI/runs/images-scale/model" --shards="$HDFS_URI/runs/images-scale/images" \
      --splits=train,validate,test --output="$HDFS_URI/runs/images-scale/predictions" || true
  else
    RESULTS+=("predict | skipped | - | needs the train step | - | - | - | -")
  fi
fi

if [[ $STEPS == *,metrics,* ]]; then
  CSV="$BENCH/data/predictions-$METRICS_ROWS.csv"
  if [ ! -f "$CSV" ]; then
    say "generating $CSV ..."
    /usr/bin/python3 "$ROOT/benchmarks/reference/metrics_reference.py" generate "$CSV.tmp" "$METRICS_ROWS" 14
    mv "$CSV.tmp" "$CSV"
  fi
  "$ROOT/runners/hdfs.sh" fs -mkdir -p /data
  "$ROOT/runners/hdfs.sh" fs -put -f "$CSV" /data/predictions.csv
  cols() { local p=$1 out=; for ((l = 0; l < 14; l++)); do out+="${out:+,}${p}_$l"; done; echo "$out"; }
  measure metrics "prediction rows" "$METRICS_ROWS" metrics --predictions="$HDFS_URI/data/predictions.csv" \
    --scoreColumns="$(cols class)" --targetColumns="$(cols target)" --groupColumns=sex,race,age \
    --bootstrap="$BOOTSTRAP" --seed=1 --inSampleThreshold=true --output="$HDFS_URI/runs/metrics-scale" || true
fi

echo "# scale benchmark $(date -u +%FT%TZ), $(nproc) cores, HDFS start $HDFS_START s"
echo "# step | outcome | wall | size and rate (or why it failed) | peak RSS: client (-Xmx512m) | JobManager | TaskManagers | load at start"
for r in "${RESULTS[@]}"; do echo "$r"; done
[ ${#FAILED[@]} = 0 ] || { say "failed: ${FAILED[*]}"; exit 1; }
