# Shared by runners/cluster-smoke.sh and runners/cluster-audit.sh, which source it after setting ROOT,
# WORK (their state folder), NAME (for messages) and PORT (Flink's REST port): messages, the start and
# clean-up of HDFS and the two-TaskManager Flink cluster, and questions to Flink's REST API.
REST="http://localhost:$PORT"

say() { echo "$NAME: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }
key() { grep "^$1=" | head -1 | cut -d= -f2-; }

# Refuses to run beside another cluster on the port, empties WORK, and stops what it starts on exit.
cluster_prepare() {
  if curl -sf "$REST/overview" >/dev/null 2>&1; then
    fail "a Flink cluster already answers on $REST; stop it first (or set CHEXAUDIT_FLINK_PORT)"
  fi
  rm -rf "$WORK"
  mkdir -p "$WORK"
  trap cluster_cleanup EXIT
  trap 'exit 143' TERM INT  # so that a stopped run still stops the cluster (the EXIT trap)
}

cluster_cleanup() {
  "$ROOT/runners/flink-cluster.sh" stop >/dev/null 2>&1 || true
  "$ROOT/runners/hdfs.sh" stop --clean >/dev/null 2>&1 || true
}

# Starts HDFS and a Flink session cluster of two TaskManagers (2 slots each, 10 restarts, job libraries
# on the cluster; task heap CHEXAUDIT_FLINK_TASK_HEAP_MB, default 3072): see hdfs_start and flink_start.
cluster_start() {
  hdfs_start
  flink_start "${CHEXAUDIT_FLINK_TASK_HEAP_MB:-3072}" 10
}

# Starts HDFS; sets HDFS_START, HDFS_URI, HDFS_CONF.
hdfs_start() {
  local t=$SECONDS
  "$ROOT/runners/hdfs.sh" start > "$WORK/hdfs.keys"
  HDFS_START=$((SECONDS - t))
  HDFS_URI="$(key hdfs_uri < "$WORK/hdfs.keys")"
  HDFS_CONF="$(key hdfs_configuration < "$WORK/hdfs.keys")"
}

# task heap MB, restarts -> a fresh Flink session cluster of two TaskManagers, 2 slots each, the job
# libraries on the cluster (one already running is stopped first); sets FLINK_START, MASTER, CONF_DIR,
# PARALLELISM.
flink_start() {
  "$ROOT/runners/flink-cluster.sh" stop >/dev/null 2>&1 || true
  local t=$SECONDS
  CHEXAUDIT_FLINK_TASK_HEAP_MB="$1" "$ROOT/runners/flink-cluster.sh" start --taskmanagers=2 --slots=2 \
    --restarts="$2" --job-libs > "$WORK/flink.keys"
  FLINK_START=$((SECONDS - t))
  MASTER="$(key flink_master < "$WORK/flink.keys")"
  CONF_DIR="$(key flink_conf_dir < "$WORK/flink.keys")"
  PARALLELISM="$(key parallelism < "$WORK/flink.keys")"
  [ "$(key taskmanagers < "$WORK/flink.keys")" = 2 ] || fail "expected 2 TaskManagers: $(cat "$WORK/flink.keys")"
}

all_job_ids() { # the ids of every job the cluster knows
  { curl -sf "$REST/jobs/overview" | grep -o '"jid":"[0-9a-f]*"' | cut -d'"' -f4; } || true
}

job_id() { # job name -> id of that job on the cluster
  { curl -sf "$REST/jobs/overview" | grep -o "\"jid\":\"[0-9a-f]*\",\"name\":\"$1\"" | head -1 | cut -d'"' -f4; } || true
}

job_state() { # job id -> its state (RUNNING, FINISHED, ...)
  { curl -sf "$REST/jobs/$1" | grep -o '"state":"[A-Z]*"' | head -1 | cut -d'"' -f4; } || true
}

job_has_running_tasks() { # job id -> true while some of its tasks run
  curl -sf "$REST/jobs/$1" | grep -q '"RUNNING":[1-9]'
}

taskmanagers_of() { # job id -> the TaskManagers that ran its tasks, one per line
  local v
  for v in $({ curl -sf "$REST/jobs/$1" | grep -o '"id":"[0-9a-f]\{32\}"' | cut -d'"' -f4; } || true); do
    { curl -sf "$REST/jobs/$1/vertices/$v/taskmanagers" | grep -o '"taskmanager-id":"[^"]*"' | cut -d'"' -f4; } || true
  done | sort -u
}

job_parallelism() { # job id -> the largest vertex parallelism
  { curl -sf "$REST/jobs/$1" | grep -o '"parallelism":[0-9]*' | cut -d: -f2 | sort -n | tail -1; } || true
}

failures() { # job id -> the failed attempts' exceptions, counted by name
  { curl -sf "$REST/jobs/$1/exceptions" | grep -o '"exceptionName":"[^"]*"' | cut -d'"' -f4 | sort | uniq -c \
      | awk '{printf "%s%s x%s", (NR > 1 ? "; " : ""), $2, $1}'; } || true
}

kill_tm2() { # SIGKILLs TaskManager tm-2 (the supervisor starts it again); sets TM2_PID
  TM2_PID="$(cat "$CHEXAUDIT_FLINK_DIR/taskmanager-2.pid")"
  kill -9 "$TM2_PID"
}
