#!/usr/bin/env bash
# A train whose images outnumber the heap (issue 18 item 4): generates a CheXpert-format set (synth, cohort,
# preprocess at IMAGE_SIZE), then trains one epoch of the small CNN with the JVM heap capped at HEAP, well
# below the decoded size of the training + validation images, and prints the decoded size, wall time,
# images/s (training_log.csv) and peak resident memory (/usr/bin/time -v) of the run.
#
#   benchmarks/train-memory-benchmark.sh [WORKDIR]
#
# Environment: PATIENTS (default 3500: about 4,200 training images), IMAGE_SIZE (384: 147 KB per image),
# HEAP (384m), SHUFFLE_BUFFER (1000), BATCH (32), THREADS (2), and BEFORE_CP: a classpath of another build
# (e.g. main's, see below) to run the same train with, for a before/after pair:
#   git archive <commit> | tar -x -C /tmp/before && cd /tmp/before && mvn -o -q -B -pl pipelines -am test-compile \
#     org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.outputFile=target/cp \
#     -Dmdep.includeScope=runtime && echo "pipelines/target/classes:$(cat target/cp)"   # run from /tmp/before
# (BEFORE_DIR: the folder BEFORE_CP's relative paths start from.)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mkdir -p "${1:-$ROOT/target/train-memory}" && cd "${1:-$ROOT/target/train-memory}" && pwd)"
PATIENTS="${PATIENTS:-3500}"
IMAGE_SIZE="${IMAGE_SIZE:-384}"
HEAP="${HEAP:-384m}"
SHUFFLE_BUFFER="${SHUFFLE_BUFFER:-1000}"
BATCH="${BATCH:-32}"
THREADS="${THREADS:-2}"
MVN="${CHEXAUDIT_MVN:-mvn}"

cd "$ROOT"
BUILD=(-q -B -pl pipelines -am test-compile org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath
  -Dmdep.outputFile=target/train-memory.classpath -Dmdep.includeScope=runtime)
"$MVN" -o "${BUILD[@]}" >&2 || "$MVN" "${BUILD[@]}" >&2
CP="$ROOT/pipelines/target/classes:$(cat pipelines/target/train-memory.classpath)"
PROPS=(-Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.chexaudit.schemas
  -Dorg.bytedeco.javacpp.cachedir="$ROOT/target/javacpp-cache"
  # JavaCPP refuses TensorFlow's native allocations once the process holds 4x -Xmx (TF's activations at
  # 384x384, batch 32, are about 2 GB whatever the data set's size): 0 lifts that limit
  -Dorg.bytedeco.javacpp.maxPhysicalBytes=0
  -Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory)
MAIN=org.chexaudit.pipelines.cli.Main
export TF_CPP_MIN_LOG_LEVEL=2

gen() { java -Xmx2g "${PROPS[@]}" -cp "$CP" "$MAIN" "$@"; }
if [ ! -f "$WORK/images/_MANIFEST.json" ]; then
  echo "generating $PATIENTS patients, preprocessing at ${IMAGE_SIZE}x${IMAGE_SIZE} into $WORK ..." >&2
  [ -f "$WORK/data/_MANIFEST.json" ] || gen synth --output="$WORK/data" --patients="$PATIENTS" --seed=1 --overwrite=true
  [ -f "$WORK/cohort/_MANIFEST.json" ] || gen cohort --trainCsv="$WORK/data/CheXpert-v1.0/train.csv" \
    --demoXlsx="$WORK/data/CHEXPERT DEMO.xlsx" --output="$WORK/cohort" --overwrite=true
  gen preprocess --cohort="$WORK/cohort" --imageRoot="$WORK/data" --imageSize="$IMAGE_SIZE" --output="$WORK/images" \
    --overwrite=true
fi
read -r TRAIN VAL < <(python3 -c "import json,sys; w=json.load(open(sys.argv[1]))['written']; print(w['train'], w['validate'])" \
  "$WORK/images/summary.json")
DECODED_MB=$(( (TRAIN + VAL) * IMAGE_SIZE * IMAGE_SIZE / 1000000 ))
echo "data: $TRAIN train + $VAL validation images of ${IMAGE_SIZE}x${IMAGE_SIZE} = ${DECODED_MB} MB decoded; heap -Xmx$HEAP"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# one epoch of the small CNN; prints: label, exit code, wall s, peak RSS MB, images/s (training_log.csv)
train() {
  local label="$1" cp="$2" dir="$3"; shift 3
  local out="$WORK/model-$label" log="$WORK/train-$label.log"
  rm -rf "$out" "$WORK/.model-$label.training"
  local rc=0
  (cd "$dir" && /usr/bin/time -v java -Xmx"$HEAP" "${PROPS[@]}" -cp "$cp" "$MAIN" train --shards="$WORK/images" \
    --output="$out" --arch=smallcnn --task=disease --epochs=1 --batchSize="$BATCH" --threads="$THREADS" "$@") \
    >"$log" 2>&1 || rc=$?
  local wall rss ips
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
  rss=$(( $(grep 'Maximum resident set size' "$log" | awk '{print $NF}') / 1024 ))
  ips=$( [ -f "$out/training_log.csv" ] && tail -1 "$out/training_log.csv" | cut -d, -f5 || echo "-")
  echo "$label: exit $rc, wall $wall, peak RSS ${rss} MB, training ${ips} images/s$( [ $rc -ne 0 ] && echo "; $(grep -m1 -E 'OutOfMemoryError|Exception' "$log" | cut -c1-160)")"
}

train after "$CP" "$ROOT" --shuffleBuffer="$SHUFFLE_BUFFER"
if [ -n "${BEFORE_CP:-}" ]; then
  train before "$BEFORE_CP" "${BEFORE_DIR:-$ROOT}"
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
