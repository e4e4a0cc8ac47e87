#!/usr/bin/env bash
# Starts, stops or reports a local S3 service: S3Proxy 2.4.1 (one JVM, the self-contained jar from Maven
# Central, runners/s3/pom.xml) over jclouds' filesystem backend, on 127.0.0.1, fixed test credentials and
# one bucket.
#
#   runners/s3.sh start     # starts it, waits until it answers, then prints key=value lines on stdout:
#                           #   s3_endpoint=http://127.0.0.1:19000   s3_region=us-east-1
#                           #   s3_bucket=chexaudit                  s3_uri=s3://chexaudit
#                           #   s3_access_key=...  s3_secret_key=...
#                           #   s3_credentials_provider={"@type":"StaticCredentialsProvider",...}
#                           #   s3_options=--awsRegion=us-east-1 --endpoint=http://127.0.0.1:19000 --awsCredentialsProvider={...} --s3ClientFactoryClass=...
#                           #   s3_data_dir=...  (the backend's folder: <bucket>/<key> as plain files)
#                           # (idempotent: if it is already up, prints the same lines)
#   runners/s3.sh status    # the same lines; exit 1 when it is not up
#   runners/s3.sh stop      # stops the JVM this script started (the data stays; stop --clean deletes it)
#
# A command then takes the options of s3_options (one word each; no spaces inside), e.g.
#   bin/chexaudit metrics ... --output=s3://chexaudit/runs/demo/metrics $s3_options
# Environment: CHEXAUDIT_S3_DIR (state: configuration, data, log, pid; default target/s3),
# CHEXAUDIT_S3_PORT (19000), CHEXAUDIT_S3_BUCKET (chexaudit), CHEXAUDIT_S3_TIMEOUT (seconds to wait for
# it to come up, 60).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${CHEXAUDIT_S3_DIR:-$ROOT/target/s3}"
PORT="${CHEXAUDIT_S3_PORT:-19000}"
BUCKET="${CHEXAUDIT_S3_BUCKET:-chexaudit}"
TIMEOUT="${CHEXAUDIT_S3_TIMEOUT:-60}"
ENDPOINT="http://127.0.0.1:$PORT"
REGION=us-east-1
ACCESS_KEY=chexaudit-test
SECRET_KEY=chexaudit-test-secret
# Path-style requests (http://host:port/bucket/key): what S3Proxy serves without DNS for <bucket>.host.
PATH_STYLE=org.chexaudit.pipelines.options.PathStyleS3ClientBuilderFactory

log() { echo "s3: $*" >&2; }

# shellcheck source=pidfile-lib.sh
. "$ROOT/runners/pidfile-lib.sh"

# Ready when it answers HTTP at all: an unsigned request gets 403 AccessDenied from S3Proxy.
ready() {
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$ENDPOINT/" 2>/dev/null)" || true
  [ -n "$code" ] && [ "$code" != 000 ]
}

print_keys() {
  local creds="{\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"$ACCESS_KEY\",\"secretAccessKey\":\"$SECRET_KEY\"}"
  echo "s3_endpoint=$ENDPOINT"
  echo "s3_region=$REGION"
  echo "s3_bucket=$BUCKET"
  echo "s3_uri=s3://$BUCKET"
  echo "s3_access_key=$ACCESS_KEY"
  echo "s3_secret_key=$SECRET_KEY"
  echo "s3_credentials_provider=$creds"
  echo "s3_options=--awsRegion=$REGION --endpoint=$ENDPOINT --awsCredentialsProvider=$creds --s3ClientFactoryClass=$PATH_STYLE"
  echo "s3_data_dir=$DIR/data"
}

write_config() {
  mkdir -p "$DIR/data/$BUCKET" "$DIR/log" # a bucket of the filesystem backend is a folder of its basedir
  cat > "$DIR/s3proxy.conf" <<PROPS
s3proxy.endpoint=$ENDPOINT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$ACCESS_KEY
s3proxy.credential=$SECRET_KEY
# Beam's S3 file system sends x-amz-server-side-encryption-bucket-key-enabled on every upload
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem
jclouds.identity=$ACCESS_KEY
jclouds.credential=$SECRET_KEY
jclouds.filesystem.basedir=$DIR/data
PROPS
}

jar() {
  if [ ! -s "$DIR/classpath.txt" ] || [ "$ROOT/runners/s3/pom.xml" -nt "$DIR/classpath.txt" ]; then
    log "resolving S3Proxy $(grep -o '<s3proxy.version>[^<]*' "$ROOT/runners/s3/pom.xml" | cut -d'>' -f2) with Maven..."
    mvn -q -B -f "$ROOT/runners/s3/pom.xml" dependency:build-classpath -Dmdep.outputFile="$DIR/classpath.txt" >&2 \
      || { log "Maven could not resolve runners/s3/pom.xml"; return 1; }
  fi
  cat "$DIR/classpath.txt"
}

start() {
  if alive s3proxy && ready; then
    log "already running at $ENDPOINT"
    print_keys
    return 0
  fi
  local t0=$SECONDS cp
  mkdir -p "$DIR"
  write_config
  cp="$(jar)" || return 1
  if ! alive s3proxy; then
    nohup java -Xmx256m -cp "$cp" org.gaul.s3proxy.Main --properties "$DIR/s3proxy.conf" \
      > "$DIR/log/s3proxy.out" 2>&1 &
    echo $! > "$DIR/s3proxy.pid"
  fi
  while [ $((SECONDS - t0)) -lt "$TIMEOUT" ]; do
    if ready; then
      log "up at $ENDPOINT in $((SECONDS - t0)) s (pid $(cat "$DIR/s3proxy.pid")), bucket $BUCKET"
      print_keys
      return 0
    fi
    if ! alive s3proxy; then
      log "S3Proxy exited during start-up; last lines of $DIR/log/s3proxy.out:"
      tail -n 15 "$DIR/log/s3proxy.out" >&2 || true
      stop >/dev/null 2>&1 || true
      return 1
    fi
    sleep 1
  done
  log "not up after $TIMEOUT s (no answer at $ENDPOINT); last lines of $DIR/log/s3proxy.out:"
  tail -n 15 "$DIR/log/s3proxy.out" >&2 || true
  stop >/dev/null 2>&1 || true
  return 1
}

stop() {
  stop_pid s3proxy
  if [ "${1:-}" = "--clean" ]; then rm -rf "$DIR/data"; fi
  log "stopped"
}

status() {
  if alive s3proxy && ready; then
    print_keys
  else
    log "not running"
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  status) status ;;
  *) echo "usage: runners/s3.sh start | status | stop [--clean]" >&2; exit 2 ;;
esac
