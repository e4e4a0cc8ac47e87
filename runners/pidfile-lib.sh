# Pid-file helpers of the service scripts (hdfs.sh, flink-cluster.sh, s3.sh), sourced by them: each keeps
# its processes' ids in $DIR/<name>.pid. DIR must be set before a helper is called.

# Whether the process of pid file NAME runs.
alive() { [ -f "$DIR/$1.pid" ] && kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; }

# Stops the processes of pid files NAME...: TERM to all, up to 10 s each to exit, then KILL; removes the files.
stop_pid() {
  local p
  for p in "$@"; do
    if alive "$p"; then kill "$(cat "$DIR/$p.pid")" 2>/dev/null || true; fi
  done
  for p in "$@"; do
    for _ in $(seq 1 20); do alive "$p" || break; sleep 0.5; done
    if alive "$p"; then kill -9 "$(cat "$DIR/$p.pid")" 2>/dev/null || true; fi
    rm -f "$DIR/$p.pid"
  done
}
