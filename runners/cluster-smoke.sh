#!/usr/bin/env bash
# Proves the two-TaskManager cluster end to end: starts HDFS (runners/hdfs.sh) and a Flink session cluster
# with two TaskManagers and restarts on (runners/flink-cluster.sh), then
#   1. runs a word count (runners/src/test/.../HdfsWordCount.java) that reads and writes hdfs://, submitted
#      with a thin jar of its own class only (Beam and Hadoop are on the cluster), without --parallelism:
#      it must run at the cluster's parallelism, tasks on both TaskManagers, counts equal to awk's;
#   2. runs it again and SIGKILLs TaskManager tm-2 while it runs: the job must still finish (restarted on
#      tm-1 and the tm-2 the script starts again) with the same output;
# and stops everything it started. Prints key=value lines with the measured seconds; exit 0 only if every
# check passed.
#   runners/cluster-smoke.sh [WORDS]      WORDS: input size (default 400000)
# Ports and folders: those of hdfs.sh and flink-cluster.sh (CHEXAUDIT_HDFS_*, CHEXAUDIT_FLINK_*); the
# smoke test's own state is in target/cluster-smoke. The slow ClusterSmokeTest (runners, -Pslow) runs it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORDS="${1:-400000}"
WORK="$ROOT/target/cluster-smoke"
export CHEXAUDIT_HDFS_DIR="${CHEXAUDIT_HDFS_DIR:-$WORK/hdfs}"
export CHEXAUDIT_FLINK_DIR="${CHEXAUDIT_FLINK_DIR:-$WORK/flink}"
export CHEXAUDIT_FLINK_TASK_HEAP_MB="${CHEXAUDIT_FLINK_TASK_HEAP_MB:-1024}"
export CHEXAUDIT_FLINK_LOG_LEVEL="${CHEXAUDIT_FLINK_LOG_LEVEL:-info}"
PORT="${CHEXAUDIT_FLINK_PORT:-8081}"
NAME=cluster-smoke
# shellcheck source=cluster-lib.sh
. "$ROOT/runners/cluster-lib.sh"
cluster_prepare

# The job's client classpath (CHEXAUDIT_SMOKE_CLIENT_CP when a test gives its own) and its thin jar (the
# job's class only).
if [ -n "${CHEXAUDIT_SMOKE_CLIENT_CP:-}" ]; then
  CLIENT_CP="$CHEXAUDIT_SMOKE_CLIENT_CP"
else
  say "compiling the job..."
  (cd "$ROOT" && mvn -o -q -B -pl runners test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$WORK/client-classpath.txt") >&2
  CLIENT_CP="$ROOT/runners/target/test-classes:$(cat "$WORK/client-classpath.txt")"
fi
(cd "$ROOT/runners/target/test-classes" && jar cf "$WORK/job.jar" org/chexaudit/runners/HdfsWordCount*.class)

cluster_start

# Input: WORDS words over 1000 distinct ones, 10 per line; the expected counts from awk.
awk -v n="$WORDS" 'BEGIN { srand(11); for (i = 0; i < n; i++) printf "w%03d%s", int(rand() * 1000), (i % 10 == 9 ? "\n" : " ") }' \
  > "$WORK/words.txt"
tr ' ' '\n' < "$WORK/words.txt" | grep -v '^$' | sort | uniq -c | awk '{print $2 "," $1}' | sort > "$WORK/expected.csv"
"$ROOT/runners/hdfs.sh" fs -mkdir -p /smoke/in
"$ROOT/runners/hdfs.sh" fs -put -f "$WORK/words.txt" /smoke/in/words.txt

submit() { # run name -> starts the client in the background, its pid in CLIENT
  java -Xmx512m -cp "$CLIENT_CP" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn org.chexaudit.runners.HdfsWordCount \
    --runner=FlinkRunner --flinkMaster="$MASTER" --flinkConfDir="$CONF_DIR" --filesToStage="$WORK/job.jar" \
    --executionModeForBatch=BATCH_FORCED --jobName="$1" --hdfsConfiguration="$HDFS_CONF" \
    --input="$HDFS_URI/smoke/in/*.txt" --output="$HDFS_URI/smoke/$1/counts" --pauseEvery=25 \
    > "$WORK/$1.client.log" 2>&1 &
  CLIENT=$!
}

wait_for_job() { # run name -> waits until the cluster lists it, prints its id
  local jid=""
  for _ in $(seq 1 120); do
    jid="$(job_id "$1")"
    [ -n "$jid" ] && { echo "$jid"; return 0; }
    kill -0 "$CLIENT" 2>/dev/null || break
    sleep 0.5
  done
  tail -n 30 "$WORK/$1.client.log" >&2
  fail "job $1 never appeared on the cluster"
}

finish() { # run name -> waits for the client, checks the job FINISHED and the output
  local rc=0
  wait "$CLIENT" || rc=$?
  [ $rc = 0 ] || { tail -n 40 "$WORK/$1.client.log" >&2; fail "the client of $1 exited $rc"; }
  local jid; jid="$(job_id "$1")"
  local state; state="$(job_state "$jid")"
  [ "$state" = FINISHED ] || fail "job $1 ($jid) is $state"
  "$ROOT/runners/hdfs.sh" fs -cat "/smoke/$1/counts*" | sort > "$WORK/$1.csv"
  cmp -s "$WORK/$1.csv" "$WORK/expected.csv" || fail "$1's counts differ from awk's ($WORK/$1.csv vs $WORK/expected.csv)"
}

# 1. undisturbed
say "run 1: undisturbed"
t=$SECONDS
submit plain
JID1="$(wait_for_job plain)"
finish plain
PLAIN_S=$((SECONDS - t))
TMS1="$(taskmanagers_of "$JID1" | tr '\n' ' ')"
P1="$(job_parallelism "$JID1")"
[ "$P1" = "$PARALLELISM" ] || fail "the job ran at parallelism $P1, not the cluster's $PARALLELISM"
[ "$(taskmanagers_of "$JID1" | wc -l)" -ge 2 ] || fail "only TaskManager(s) $TMS1 ran tasks of the plain run"
FAILURES1="$(failures "$JID1")"
say "run 1 finished in $PLAIN_S s at parallelism $P1 on $TMS1(failures retried: ${FAILURES1:-none})"

# 2. tm-2 killed while the job runs
say "run 2: SIGKILL of TaskManager tm-2 mid-job"
t=$SECONDS
submit killed
JID2="$(wait_for_job killed)"
for _ in $(seq 1 120); do # until its tasks run on tm-2
  if taskmanagers_of "$JID2" | grep -qx tm-2 && job_has_running_tasks "$JID2"; then break; fi
  sleep 0.5
done
sleep 2
[ "$(job_state "$JID2")" = RUNNING ] || fail "run 2 was no longer running when tm-2 was to be killed; raise WORDS"
kill_tm2
KILLED_AT=$((SECONDS - t))
say "killed tm-2 (pid $TM2_PID) ${KILLED_AT} s into run 2"
finish killed
KILLED_S=$((SECONDS - t))
cmp -s "$WORK/killed.csv" "$WORK/plain.csv" || fail "run 2's output differs from run 1's"
FAILURES2="$(failures "$JID2")"
[ -n "$FAILURES2" ] || fail "run 2 finished without any failed attempt: the kill did not hit it"
NEW_PID="$(cat "$CHEXAUDIT_FLINK_DIR/taskmanager-2.pid")"
[ "$NEW_PID" != "$TM2_PID" ] && kill -0 "$NEW_PID" 2>/dev/null || fail "tm-2 was not started again"
say "run 2 finished in $KILLED_S s with the same output; failures retried: $FAILURES2"

echo "hdfs_start_s=$HDFS_START"
echo "flink_start_s=$FLINK_START"
echo "words=$WORDS"
echo "parallelism=$P1"
echo "plain_taskmanagers=$(echo $TMS1 | tr ' ' ',')"
echo "plain_job_s=$PLAIN_S"
echo "plain_failures=${FAILURES1:-none}"
echo "killed_at_s=$KILLED_AT"
echo "killed_job_s=$KILLED_S"
echo "killed_failures=$FAILURES2"
echo "result=passed"
