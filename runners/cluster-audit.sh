#!/usr/bin/env bash
# The audit on a real cluster against the same audit on the Direct runner. Starts HDFS (runners/hdfs.sh)
# and a Flink session cluster with two TaskManagers that share nothing but hdfs:// (runners/flink-cluster.sh
# --job-libs, so each stage ships the thin jar), then runs
#   1. bin/chexaudit audit --output=DIR/direct                          (Direct runner, local folder)
#   2. bin/chexaudit audit --output=hdfs://.../runs/cluster --runner=FlinkRunner ...  (client at -Xmx512m)
# with the same size and seed, then
#   3. preprocess on the cluster again with the audit's options, TaskManager tm-2 killed by SIGKILL mid-job
#      (it must finish: restarts are on and the supervisor starts tm-2 again),
# copies the HDFS folders to DIR/cluster and DIR/preprocess-killed, and stops everything it started.
# The comparison (Avro records as sets, CSVs byte for byte, predictions within 1e-5) is the slow test
# AuditOnClusterTest (pipelines, -Pslow), which runs this script; it also works alone:
#   runners/cluster-audit.sh [PATIENTS] [BOOTSTRAP]      defaults 150 and 20
# Needs the shaded jar (bin/chexaudit builds it when stale). Prints key=value lines with measured seconds;
# folders under target/cluster-audit (CHEXAUDIT_CLUSTER_AUDIT_DIR).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PATIENTS="${1:-150}"
BOOTSTRAP="${2:-20}"
WORK="${CHEXAUDIT_CLUSTER_AUDIT_DIR:-$ROOT/target/cluster-audit}"
export CHEXAUDIT_HDFS_DIR="${CHEXAUDIT_HDFS_DIR:-$WORK/hdfs}"
export CHEXAUDIT_FLINK_DIR="${CHEXAUDIT_FLINK_DIR:-$WORK/flink}"
export CHEXAUDIT_FLINK_TASK_HEAP_MB="${CHEXAUDIT_FLINK_TASK_HEAP_MB:-1536}"
PORT="${CHEXAUDIT_FLINK_PORT:-8081}"

NAME=cluster-audit
# shellcheck source=cluster-lib.sh
. "$ROOT/runners/cluster-lib.sh"
cluster_prepare

SIZE=(--patients="$PATIENTS" --bootstrap="$BOOTSTRAP")

# 1. Direct, local folder (also builds the shaded jar when stale)
say "audit on the Direct runner into $WORK/direct ..."
t=$SECONDS
"$ROOT/bin/chexaudit" audit "${SIZE[@]}" --output="$WORK/direct" > "$WORK/direct.log" 2>&1 \
  || { tail -n 40 "$WORK/direct.log" >&2; fail "the Direct audit failed (log: $WORK/direct.log)"; }
DIRECT_S=$((SECONDS - t))
say "Direct audit finished in $DIRECT_S s"

# 2. the cluster: HDFS, two TaskManagers with the job libraries, the thin jar
cluster_start
THIN="$("$ROOT/runners/flink-cluster.sh" thin-jar | key thin_jar)"

say "audit on the cluster into $HDFS_URI/runs/cluster (client heap 512 MB) ..."
t=$SECONDS
CHEXAUDIT_HEAP=512m "$ROOT/bin/chexaudit" audit "${SIZE[@]}" --output="$HDFS_URI/runs/cluster" \
  --runner=FlinkRunner --flinkMaster="$MASTER" --flinkConfDir="$CONF_DIR" --filesToStage="$THIN" \
  --executionModeForBatch=BATCH_FORCED --hdfsConfiguration="$HDFS_CONF" > "$WORK/cluster.log" 2>&1 \
  || { tail -n 60 "$WORK/cluster.log" >&2; fail "the audit on the cluster failed (log: $WORK/cluster.log)"; }
CLUSTER_S=$((SECONDS - t))
say "cluster audit finished in $CLUSTER_S s"

# which TaskManagers ran tasks, over every job of the audit
TMS="$(for j in $(all_job_ids); do taskmanagers_of "$j"; done | sort -u | tr '\n' ',' | sed 's/,$//')"
JOBS="$({ curl -sf "$REST/jobs/overview" | grep -o '"state":"FINISHED"' | wc -l; } || echo 0)"

# 3. preprocess again on the cluster with the audit's options, TaskManager tm-2 killed by SIGKILL while it
#    runs: the job must finish (retried on tm-1 and the restarted tm-2) and write the same images (it also
#    writes the resized JPEGs, which keeps the job running long enough to be hit)
IMAGE_SIZE="$("$ROOT/runners/hdfs.sh" fs -cat /runs/cluster/images/_MANIFEST.json | grep -o '"imageSize" *: *[0-9]*' | grep -o '[0-9]*$')"
say "preprocess ($IMAGE_SIZE px) with TaskManager tm-2 killed mid-job ..."
t=$SECONDS
CHEXAUDIT_HEAP=512m "$ROOT/bin/chexaudit" preprocess --cohort="$HDFS_URI/runs/cluster/cohort" \
  --imageRoot="$HDFS_URI/runs/cluster/synth" --imageSize="$IMAGE_SIZE" --splits=train,validate,test \
  --writeJpegs=true \
  --output="$HDFS_URI/runs/preprocess-killed" --jobName=preprocess-killed \
  --runner=FlinkRunner --flinkMaster="$MASTER" --flinkConfDir="$CONF_DIR" --filesToStage="$THIN" \
  --executionModeForBatch=BATCH_FORCED --hdfsConfiguration="$HDFS_CONF" > "$WORK/preprocess-killed.log" 2>&1 &
CLIENT=$!
JID=""
for _ in $(seq 1 240); do # until the job runs tasks on tm-2
  JID="$(job_id preprocess-killed)"
  if [ -n "$JID" ] && job_has_running_tasks "$JID" && taskmanagers_of "$JID" | grep -qx tm-2; then break; fi
  kill -0 "$CLIENT" 2>/dev/null || break
  sleep 0.25
done
[ -n "$JID" ] || { tail -n 30 "$WORK/preprocess-killed.log" >&2; fail "the preprocess job never appeared on the cluster"; }
[ "$(job_state "$JID")" = RUNNING ] || fail "preprocess finished before tm-2 could be killed; raise PATIENTS"
kill_tm2
KILLED_AT=$((SECONDS - t))
say "killed tm-2 (pid $TM2_PID) $KILLED_AT s into preprocess"
rc=0
wait "$CLIENT" || rc=$?
[ $rc = 0 ] || { tail -n 40 "$WORK/preprocess-killed.log" >&2; fail "preprocess with tm-2 killed exited $rc"; }
PREPROCESS_KILLED_S=$((SECONDS - t))
STATE="$(job_state "$JID")"
[ "$STATE" = FINISHED ] || fail "the preprocess job is $STATE"
KILLED_FAILURES="$(failures "$JID")"
[ -n "$KILLED_FAILURES" ] || fail "preprocess finished without a failed attempt: the kill did not hit it"
say "preprocess finished $PREPROCESS_KILLED_S s after its start; failures retried: $KILLED_FAILURES"
"$ROOT/runners/hdfs.sh" fs -get /runs/preprocess-killed "$WORK/preprocess-killed"

"$ROOT/runners/hdfs.sh" fs -get /runs/cluster "$WORK/cluster"
[ -f "$WORK/cluster/_AUDIT_STATE.json" ] || fail "no _AUDIT_STATE.json in the run copied from HDFS"
[ ! -e "$ROOT/hdfs:" ] && [ ! -e "$ROOT/pipelines/hdfs:" ] || fail "a local folder named hdfs: was written"

exec > >(tee "$WORK/keys.txt")  # the figures below, also kept beside the runs
echo "patients=$PATIENTS"
echo "bootstrap=$BOOTSTRAP"
echo "direct_s=$DIRECT_S"
echo "hdfs_start_s=$HDFS_START"
echo "flink_start_s=$FLINK_START"
echo "cluster_s=$CLUSTER_S"
echo "cluster_jobs_finished=$JOBS"
echo "cluster_taskmanagers=$TMS"
echo "preprocess_killed_at_s=$KILLED_AT"
echo "preprocess_killed_s=$PREPROCESS_KILLED_S"
echo "preprocess_killed_failures=$KILLED_FAILURES"
echo "preprocess_killed_dir=$WORK/preprocess-killed"
echo "direct_dir=$WORK/direct"
echo "cluster_dir=$WORK/cluster"
echo "result=ran"
