#!/usr/bin/env bash
# Starts, stops or reports a real local Flink session cluster: a JobManager and a TaskManager as two
# separate JVMs, REST API and web UI on localhost:8081, the Flink version the Beam Flink runner
# uses, everything from Maven Central (no Flink download).
#
#   runners/flink-cluster.sh start [--slots=2]   # then: bin/chexaudit <cmd> ... --runner=FlinkRunner --flinkMaster=localhost:8081
#   runners/flink-cluster.sh status
#   runners/flink-cluster.sh stop
#
# State (config, logs, pids) lives in $CHEXAUDIT_FLINK_DIR (default: target/flink-cluster).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${CHEXAUDIT_FLINK_DIR:-$ROOT/target/flink-cluster}"
PORT="${CHEXAUDIT_FLINK_PORT:-8081}"
SLOTS=2
for a in "${@:2}"; do
  case "$a" in
    --slots=*) SLOTS="${a#--slots=}" ;;
    *) echo "flink-cluster: unknown option $a" >&2; exit 2 ;;
  esac
done

alive() { [ -f "$DIR/$1.pid" ] && kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; }

rest_up() { curl -sf "http://localhost:$PORT/overview" >/dev/null 2>&1; }

write_config() {
  mkdir -p "$DIR/conf" "$DIR/log" "$DIR/tmp"
  # Without Flink's own scripts every TaskManager memory part must be set explicitly. Batch jobs with
  # many blocking shuffles (cohort) need 512 MB of network buffers; 128 MB ran out.
  cat > "$DIR/conf/flink-conf.yaml" <<CONF
jobmanager.rpc.address: localhost
jobmanager.bind-host: localhost
taskmanager.bind-host: localhost
taskmanager.host: localhost
rest.address: localhost
rest.bind-address: localhost
rest.port: $PORT
jobmanager.memory.process.size: 1600m
taskmanager.numberOfTaskSlots: $SLOTS
parallelism.default: $SLOTS
taskmanager.cpu.cores: $SLOTS
taskmanager.memory.framework.heap.size: 128m
taskmanager.memory.task.heap.size: 3g
# Managed memory holds the sort buffers: metrics' partial histograms of 1,000,000 rows at parallelism 1
# are records too large for 256 MB of it.
taskmanager.memory.managed.size: 1g
taskmanager.memory.framework.off-heap.size: 128m
taskmanager.memory.task.off-heap.size: 512m
taskmanager.memory.network.min: 512m
taskmanager.memory.network.max: 512m
taskmanager.memory.jvm-metaspace.size: 512m
taskmanager.memory.jvm-overhead.min: 256m
taskmanager.memory.jvm-overhead.max: 256m
io.tmp.dirs: $DIR/tmp
# A lost TaskManager is noticed in seconds, so a job whose worker died fails promptly.
heartbeat.interval: 2000
heartbeat.timeout: 10000
# No restarts, and no 5-minute wait for slots that will not come: a job whose worker died fails with a
# clear cause, and the command is rerun (stage outputs are atomic, so nothing half-written is left).
restart-strategy.type: none
slot.request.timeout: 30000
# Beam's Create ships its elements to the workers in one RPC message: metrics puts every prediction row
# there (1,000,000 rows are about 40 MB), past Flink's default 10 MB frame.
pekko.framesize: 268435456b
# TF natives must load once per TaskManager JVM, not once per job classloader.
classloader.parent-first-patterns.additional: org.tensorflow.;org.bytedeco.;com.google.protobuf.
CONF
}

classpath() {
  if [ ! -s "$DIR/classpath.txt" ] || [ "$ROOT/runners/flink-cluster/pom.xml" -nt "$DIR/classpath.txt" ]; then
    echo "flink-cluster: resolving the Flink classpath with Maven..." >&2
    mvn -q -B -f "$ROOT/runners/flink-cluster/pom.xml" dependency:build-classpath \
      -Dmdep.outputFile="$DIR/classpath.txt" >&2
  fi
  cat "$DIR/classpath.txt"
}

start() {
  if rest_up; then echo "flink-cluster: already running on localhost:$PORT"; return 0; fi
  mkdir -p "$DIR"
  write_config
  local cp; cp="$(classpath)"
  local common=(-cp "$cp" -Dlog.file="$DIR/log/x.log" -Dorg.bytedeco.javacpp.cachedir="$ROOT/target/javacpp-cache"
    -Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.chexaudit.schemas -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
  nohup java -Xmx1g "${common[@]}" org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
    --configDir "$DIR/conf" > "$DIR/log/jobmanager.out" 2>&1 &
  echo $! > "$DIR/jobmanager.pid"
  nohup java -Xmx3200m -Xms3200m -XX:MaxDirectMemorySize=1200m -XX:MaxMetaspaceSize=512m "${common[@]}" \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$DIR/conf" \
    > "$DIR/log/taskmanager.out" 2>&1 &
  echo $! > "$DIR/taskmanager.pid"
  for _ in $(seq 1 60); do
    if rest_up && curl -sf "http://localhost:$PORT/taskmanagers" | grep -q '"taskmanagers":\[{'; then
      echo "flink-cluster: up on http://localhost:$PORT (JobManager pid $(cat "$DIR/jobmanager.pid"), TaskManager pid $(cat "$DIR/taskmanager.pid"), $SLOTS slots)"
      return 0
    fi
    sleep 1
  done
  echo "flink-cluster: did not come up in 60 s; see $DIR/log/*.out" >&2
  stop
  return 1
}

stop() {
  for p in taskmanager jobmanager; do
    if alive $p; then kill "$(cat "$DIR/$p.pid")" 2>/dev/null || true; fi
  done
  for p in taskmanager jobmanager; do
    for _ in $(seq 1 20); do alive $p || break; sleep 0.5; done
    if alive $p; then kill -9 "$(cat "$DIR/$p.pid")" 2>/dev/null || true; fi
    rm -f "$DIR/$p.pid"
  done
  echo "flink-cluster: stopped"
}

status() {
  if rest_up; then
    echo "flink-cluster: running on http://localhost:$PORT"
    curl -sf "http://localhost:$PORT/overview"; echo
    curl -sf "http://localhost:$PORT/jobs/overview"; echo
  else
    echo "flink-cluster: not running"
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: runners/flink-cluster.sh start [--slots=N] | status | stop" >&2; exit 2 ;;
esac
