#!/usr/bin/env bash
# Starts, stops or reports a real local Flink session cluster: a JobManager and N TaskManagers, each its
# own JVM, REST API and web UI on localhost:8081 (CHEXAUDIT_FLINK_PORT), the Flink version the Beam Flink runner uses, everything
# from Maven Central (no Flink download; classpath: runners/flink-cluster/pom.xml).
#
#   runners/flink-cluster.sh start [--slots=2] [--taskmanagers=1] [--restarts=0] [--gpus=0,1] [--job-libs]
#       then: bin/chexaudit <cmd> ... --runner=FlinkRunner --flinkMaster=localhost:8081 \
#                 --flinkConfDir=<flink_conf_dir> [--filesToStage=<thin jar>]
#       prints key=value lines on stdout: flink_master, flink_web, flink_conf_dir, taskmanagers, slots,
#       parallelism (idempotent: when it is already up, prints them for the running cluster)
#   runners/flink-cluster.sh status
#   runners/flink-cluster.sh stop                 # every JVM (and TaskManager supervisor) it started
#   runners/flink-cluster.sh thin-jar             # builds pipelines/target/chexaudit-thin.jar (1.2 MB, not 365),
#                                                 # for a --job-libs cluster; prints thin_jar=PATH
#   runners/flink-cluster.sh lib DIR              # copies the jars a cluster needs beside Flink into DIR
#
# --taskmanagers=N: each TaskManager has its own working directory, temporary folders, blob cache and log
# under tm-<i>/, and shares nothing with the others: jobs exchange data over the network and files over
# hdfs:// (runners/hdfs.sh). --restarts=N: failed jobs restart up to N times (exponential delay, 1 to 20 s), and a
# TaskManager that dies is started again, so a job survives a lost worker; 0 (default) keeps the old
# behaviour: no restarts, a job whose worker died fails with Flink's cause. --gpus=0,1: one TaskManager per
# GPU (CUDA_VISIBLE_DEVICES set to its own), TensorFlow's CUDA natives on the classpath (-Pgpu).
# --job-libs: the commands' libraries (Beam, Hadoop client, POI, ...) on the cluster's classpath as well,
# so jobs can be submitted with the thin jar; without it the cluster holds Flink and TensorFlow only and
# takes the shaded jar, as before.
#
# State (config, logs, pids) lives in $CHEXAUDIT_FLINK_DIR (default: target/flink-cluster). Environment:
# CHEXAUDIT_FLINK_PORT (REST, 8081), CHEXAUDIT_FLINK_RPC_PORT (JobManager RPC, 6123),
# CHEXAUDIT_FLINK_TIMEOUT (seconds to come up, 120), CHEXAUDIT_FLINK_TASK_HEAP_MB (task heap per
# TaskManager, 3072), CHEXAUDIT_FLINK_LOG_LEVEL (warn).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${CHEXAUDIT_FLINK_DIR:-$ROOT/target/flink-cluster}"
PORT="${CHEXAUDIT_FLINK_PORT:-8081}"
RPC_PORT="${CHEXAUDIT_FLINK_RPC_PORT:-6123}"
TIMEOUT="${CHEXAUDIT_FLINK_TIMEOUT:-120}"
TASK_HEAP_MB="${CHEXAUDIT_FLINK_TASK_HEAP_MB:-3072}"
SLOTS=2
TMS=1
RESTARTS=0
GPUS=""
JOB_LIBS=""
if [ "${1:-}" = start ]; then
  for a in "${@:2}"; do
    case "$a" in
      --slots=*) SLOTS="${a#--slots=}" ;;
      --taskmanagers=*) TMS="${a#--taskmanagers=}" ;;
      --restarts=*) RESTARTS="${a#--restarts=}" ;;
      --gpus=*) GPUS="${a#--gpus=}" ;;
      --job-libs) JOB_LIBS=1 ;;
      *) echo "flink-cluster: unknown option $a" >&2; exit 2 ;;
    esac
  done
  for v in "$SLOTS" "$TMS" "$RESTARTS"; do
    [[ "$v" =~ ^[0-9]+$ ]] || { echo "flink-cluster: --slots, --taskmanagers and --restarts take a number, not '$v'" >&2; exit 2; }
  done
  [ "$SLOTS" -ge 1 ] && [ "$TMS" -ge 1 ] || { echo "flink-cluster: --slots and --taskmanagers must be at least 1" >&2; exit 2; }
  if [ -n "$GPUS" ]; then # one TaskManager per GPU
    IFS=, read -r -a GPU_LIST <<< "$GPUS"
    case " $* " in
      *" --taskmanagers="*) [ "$TMS" = "${#GPU_LIST[@]}" ] || { echo "flink-cluster: --gpus=$GPUS names ${#GPU_LIST[@]} GPUs for $TMS TaskManagers; give one GPU per TaskManager" >&2; exit 2; } ;;
      *) TMS="${#GPU_LIST[@]}" ;;
    esac
  fi
fi

# shellcheck source=pidfile-lib.sh
. "$ROOT/runners/pidfile-lib.sh"

rest_up() { curl -sf "http://localhost:$PORT/overview" >/dev/null 2>&1; }

write_config() {
  mkdir -p "$DIR/conf" "$DIR/log"
  local restart="restart-strategy.type: none"
  if [ "$RESTARTS" -gt 0 ]; then
    restart="restart-strategy.type: exponential-delay
restart-strategy.exponential-delay.attempts-before-reset-backoff: $RESTARTS
restart-strategy.exponential-delay.initial-backoff: 1 s
restart-strategy.exponential-delay.backoff-multiplier: 2.0
restart-strategy.exponential-delay.max-backoff: 20 s
restart-strategy.exponential-delay.reset-backoff-threshold: 10 min"
  fi
  # Without Flink's own scripts every TaskManager memory part must be set explicitly. Batch jobs with
  # many blocking shuffles need network buffers: every blocking result partition being written holds 512 of
  # them (16 MB; taskmanager.network.sort-shuffle.min-buffers), so 128 MB ran out in cohort, and 512 MB (32
  # partitions at once) once in chexclusion-eval on one TaskManager ("Insufficient number of network buffers:
  # required 512, but only 413 available", FlinkEquivalenceTest, 2026-12-05). 1 GB: 64 at once.
  cat > "$DIR/conf/flink-conf.yaml" <<CONF
jobmanager.rpc.address: localhost
jobmanager.rpc.port: $RPC_PORT
jobmanager.bind-host: localhost
taskmanager.bind-host: localhost
taskmanager.host: localhost
rest.address: localhost
rest.bind-address: localhost
rest.port: $PORT
jobmanager.memory.process.size: 1600m
taskmanager.numberOfTaskSlots: $SLOTS
# Every slot of every TaskManager. A Beam client reads this only when given this folder
# (--flinkConfDir or FLINK_CONF_DIR); otherwise a job without --parallelism runs at parallelism 1.
parallelism.default: $((SLOTS * TMS))
taskmanager.cpu.cores: $SLOTS
taskmanager.memory.framework.heap.size: 128m
taskmanager.memory.task.heap.size: ${TASK_HEAP_MB}m
# Managed memory holds the sort buffers: metrics' partial histograms of 1,000,000 rows at parallelism 1
# are records too large for 256 MB of it.
taskmanager.memory.managed.size: 1g
taskmanager.memory.framework.off-heap.size: 128m
taskmanager.memory.task.off-heap.size: 512m
taskmanager.memory.network.min: 1g
taskmanager.memory.network.max: 1g
taskmanager.memory.jvm-metaspace.size: 512m
taskmanager.memory.jvm-overhead.min: 256m
taskmanager.memory.jvm-overhead.max: 256m
# A lost TaskManager is noticed in seconds.
heartbeat.interval: 2000
heartbeat.timeout: 10000
# With --restarts=0 a job whose worker died fails with a clear cause and the command is rerun (stage
# outputs are committed last, so nothing half-written is left). With --restarts=N the job restarts up to
# N times (only the failed regions when exchanges are blocking) on the TaskManager the script starts
# again. Exponential delay, not fixed: the first retry comes after 1 s (enough for the first attempt of a
# job reading hdfs://, which fails on a session cluster with "No filesystem found for scheme hdfs", a
# registration race in Beam's FileSystems), later ones wait up to 20 s for a lost TaskManager to be
# noticed and replaced; failures inside one backoff count as one attempt (Flink 1.19), whereas a
# fixed-delay strategy spent 4 attempts in 20 s on the tasks of one killed TaskManager.
$restart
slot.request.timeout: 30000
# Beam's Create ships its elements to the workers in one RPC message: chexclusion-cohort and
# chexclusion-eval still put their rows there, past Flink's default 10 MB frame.
pekko.framesize: 268435456b
# TF natives must load once per TaskManager JVM, not once per job classloader.
classloader.parent-first-patterns.additional: org.tensorflow.;org.bytedeco.;com.google.protobuf.
CONF
}

# With --gpus, TensorFlow's CUDA natives (the parent POM's gpu profile) instead of its CPU ones; with
# --job-libs, the commands' libraries too (the POM's job-libs profile).
classpath() {
  local file="$DIR/classpath${GPUS:+-gpu}${JOB_LIBS:+-job-libs}.txt"
  local profiles="${GPUS:+gpu,}${JOB_LIBS:+job-libs}"
  if [ ! -s "$file" ] || [ "$ROOT/runners/flink-cluster/pom.xml" -nt "$file" ]; then
    echo "flink-cluster: resolving the Flink classpath with Maven..." >&2
    mvn -q -B ${profiles:+-P${profiles%,}} -f "$ROOT/runners/flink-cluster/pom.xml" dependency:build-classpath \
      -Dmdep.outputFile="$file" >&2 || { echo "flink-cluster: Maven could not resolve runners/flink-cluster/pom.xml" >&2; return 1; }
  fi
  cat "$file"
}

# The shaded jar without what a --job-libs cluster already holds (ThinJar.java): the project's classes and
# whatever small library the cluster lacks. Rebuilt when the shaded jar or the cluster POM changes.
thin_jar() {
  local shaded="$ROOT/pipelines/target/chexaudit.jar" thin="$ROOT/pipelines/target/chexaudit-thin.jar"
  if [ ! -f "$shaded" ]; then
    echo "flink-cluster: $shaded is missing; build it first (bin/chexaudit builds it, or mvn -B -DskipTests package)" >&2
    return 1
  fi
  mkdir -p "$DIR"
  JOB_LIBS=1
  local cp; cp="$(classpath)" || return 1
  if [ ! -f "$thin" ] || [ "$shaded" -nt "$thin" ] || [ "$DIR/classpath-job-libs.txt" -nt "$thin" ]; then
    java -Xmx512m "$ROOT/runners/src/main/java/org/chexaudit/runners/ThinJar.java" "$shaded" "$thin" "$cp" >&2
  fi
  echo "thin_jar=$thin"
}

# The jars a Flink 1.19 cluster that this script did not start needs beside its own distribution to take
# thin jars: the --job-libs classpath without Flink's own artifacts and logging, plus coordinates.txt
# naming each by Maven coordinates. Copy them into the cluster's lib/ (docs/cluster.md).
lib() {
  local out="$1"
  [ -n "$out" ] || { echo "usage: runners/flink-cluster.sh lib DIR" >&2; return 2; }
  mkdir -p "$out"
  local excl="org.apache.flink,org.slf4j,org.apache.logging.log4j"
  mvn -q -B -Pjob-libs -f "$ROOT/runners/flink-cluster/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DexcludeGroupIds="$excl" -DoutputDirectory="$out" >&2
  mvn -q -B -Pjob-libs -f "$ROOT/runners/flink-cluster/pom.xml" dependency:list -DincludeScope=runtime \
    -DexcludeGroupIds="$excl" -DoutputFile="$out/coordinates.txt" -Dsort=true >&2
  echo "flink-cluster: $(ls "$out"/*.jar | wc -l) jars, $(du -sh "$out" | cut -f1), in $out (coordinates: $out/coordinates.txt)" >&2
  echo "cluster_lib=$out"
}

rest_json() { curl -sf --max-time 5 "http://localhost:$PORT$1" 2>/dev/null; }

registered_tms() { rest_json /taskmanagers | grep -o '"slotsNumber"' | wc -l; }

print_keys() {
  local tms slots
  tms="$(registered_tms)"
  slots="$(rest_json /overview | grep -o '"slots-total":[0-9]*' | cut -d: -f2)"
  echo "flink_master=localhost:$PORT"
  echo "flink_web=http://localhost:$PORT"
  echo "flink_conf_dir=$DIR/conf"
  echo "taskmanagers=$tms"
  echo "slots=${slots:-0}"
  echo "parallelism=$(grep '^parallelism.default:' "$DIR/conf/flink-conf.yaml" | awk '{print $2}')"
}

# TaskManager i: its own working directory, temporary folders, blob cache and log; a stable resource id
# (tm-i) so REST answers say which one ran what. With restarts on, a supervisor starts it again when it
# dies (a crashed machine coming back), until stop.
start_taskmanager() { # i
  local i=$1 tm="$DIR/tm-$1"
  mkdir -p "$tm/tmp" "$tm/work" "$tm/blobs" "$tm/log"
  local cmd=(java -Xmx$((128 + TASK_HEAP_MB))m -Xms$((128 + TASK_HEAP_MB))m -XX:MaxDirectMemorySize=1712m
    -XX:MaxMetaspaceSize=512m "${COMMON[@]}" -Dlog.file="$tm/log/taskmanager.log"
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$DIR/conf"
    -D taskmanager.resource-id="tm-$i" -D io.tmp.dirs="$tm/tmp" -D process.taskmanager.working-dir="$tm/work"
    -D blob.storage.directory="$tm/blobs")
  # --gpus: TensorFlow in this TaskManager sees only its own GPU, as device 0.
  local env=()
  if [ -n "$GPUS" ]; then env=(env CUDA_VISIBLE_DEVICES="${GPU_LIST[$((i - 1))]}"); fi
  cmd=("${env[@]}" "${cmd[@]}")
  if [ "$RESTARTS" -gt 0 ]; then
    (
      trap 'exit 0' TERM
      while :; do
        (cd "$tm/work" && exec "${cmd[@]}") >> "$tm/log/taskmanager.out" 2>&1 &
        echo $! > "$DIR/taskmanager-$i.pid"
        wait $! || true
        echo "$(date -u +%FT%TZ) flink-cluster: TaskManager tm-$i exited; starting it again" >> "$tm/log/taskmanager.out"
        sleep 1
      done
    ) < /dev/null > /dev/null 2>&1 &
    echo $! > "$DIR/supervisor-$i.pid"
    for _ in $(seq 1 50); do [ -s "$DIR/taskmanager-$i.pid" ] && break; sleep 0.1; done
  else
    (cd "$tm/work" && exec nohup "${cmd[@]}") < /dev/null > "$tm/log/taskmanager.out" 2>&1 &
    echo $! > "$DIR/taskmanager-$i.pid"
  fi
}

start() {
  if rest_up; then
    echo "flink-cluster: already running on localhost:$PORT" >&2
    print_keys
    return 0
  fi
  local t0=$SECONDS
  stop >/dev/null 2>&1 # whatever a failed start or a killed JobManager left
  mkdir -p "$DIR"
  write_config
  local cp; cp="$(classpath)" || return 1
  COMMON=(-cp "$cp" -Dorg.bytedeco.javacpp.cachedir="$ROOT/target/javacpp-cache"
    -Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.chexaudit.schemas -Dorg.slf4j.simpleLogger.defaultLogLevel="${CHEXAUDIT_FLINK_LOG_LEVEL:-warn}")
  nohup java -Xmx1g "${COMMON[@]}" -Dlog.file="$DIR/log/jobmanager.log" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
    --configDir "$DIR/conf" < /dev/null > "$DIR/log/jobmanager.out" 2>&1 &
  echo $! > "$DIR/jobmanager.pid"
  for i in $(seq 1 "$TMS"); do start_taskmanager "$i"; done
  # FlinkCluster (the slow pipelines tests) kills "the" TaskManager by this pid file: the first one.
  ln -sf taskmanager-1.pid "$DIR/taskmanager.pid"
  while [ $((SECONDS - t0)) -lt "$TIMEOUT" ]; do
    if rest_up && [ "$(registered_tms)" -ge "$TMS" ]; then
      echo "flink-cluster: up on http://localhost:$PORT in $((SECONDS - t0)) s (JobManager pid $(cat "$DIR/jobmanager.pid"), $TMS TaskManager(s) x $SLOTS slots, restarts $RESTARTS${JOB_LIBS:+, job libraries})" >&2
      print_keys
      return 0
    fi
    if ! alive jobmanager; then
      echo "flink-cluster: the JobManager exited during start-up; last lines of $DIR/log/jobmanager.out:" >&2
      tail -n 15 "$DIR/log/jobmanager.out" >&2 || true
      stop >/dev/null 2>&1
      return 1
    fi
    sleep 1
  done
  echo "flink-cluster: not up after $TIMEOUT s ($(registered_tms) of $TMS TaskManagers registered); see $DIR/log/ and $DIR/tm-*/log/" >&2
  stop >/dev/null 2>&1
  return 1
}

stop() {
  local f
  # supervisors first, so that no TaskManager is started again
  for f in "$DIR"/supervisor-*.pid; do [ -e "$f" ] && stop_pid "$(basename "$f" .pid)"; done
  for f in "$DIR"/taskmanager-*.pid; do [ -e "$f" ] && stop_pid "$(basename "$f" .pid)"; done
  rm -f "$DIR/taskmanager.pid"
  stop_pid jobmanager
  echo "flink-cluster: stopped" >&2
}

status() {
  if rest_up; then
    echo "flink-cluster: running on http://localhost:$PORT" >&2
    print_keys
    rest_json /overview >&2; echo >&2
    rest_json /jobs/overview >&2; echo >&2
  else
    echo "flink-cluster: not running" >&2
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  thin-jar) thin_jar ;;
  lib) lib "${2:-}" ;;
  *) echo "usage: runners/flink-cluster.sh start [--slots=N] [--taskmanagers=N] [--restarts=N] [--gpus=0,1] [--job-libs] | status | stop | thin-jar | lib DIR" >&2; exit 2 ;;
esac
