#!/usr/bin/env bash
# Starts, stops or reports a real local HDFS: a NameNode and a DataNode as two JVMs, Hadoop 3.4.1 from
# Maven Central (runners/hdfs/pom.xml; no Hadoop download), every address on 127.0.0.1, replication 1.
#
#   runners/hdfs.sh start     # formats once, starts both JVMs, waits until a DataNode is live and
#                             # safe mode is off, then prints key=value lines on stdout:
#                             #   hdfs_uri=hdfs://127.0.0.1:8020
#                             #   hdfs_configuration=[{"fs.defaultFS":"hdfs://127.0.0.1:8020","dfs.replication":"1"}]
#                             #   hadoop_conf_dir=...   namenode_web=http://127.0.0.1:9870
#                             # (idempotent: if it is already up, prints the same lines)
#   runners/hdfs.sh status    # the same lines and the NameNode's state; exit 1 when it is not up
#   runners/hdfs.sh stop      # stops both JVMs this script started (the data stays; stop --clean deletes it)
#   runners/hdfs.sh fs ARGS   # Hadoop's file system shell against it: fs -ls -R /, fs -cat /x/part-*
#
# A command then takes --hdfsConfiguration='<hdfs_configuration>' (or HADOOP_CONF_DIR=<hadoop_conf_dir>).
# Environment: CHEXAUDIT_HDFS_DIR (state: conf, name and data folders, logs, pids; default target/hdfs),
# CHEXAUDIT_HDFS_PORT (NameNode RPC, 8020), CHEXAUDIT_HDFS_HTTP_PORT (NameNode web and JMX, 9870),
# CHEXAUDIT_HDFS_DN_PORT (DataNode data transfer, 9866; its web and IPC ports are the next two),
# CHEXAUDIT_HDFS_TIMEOUT (seconds to wait for it to come up, 90).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${CHEXAUDIT_HDFS_DIR:-$ROOT/target/hdfs}"
RPC="${CHEXAUDIT_HDFS_PORT:-8020}"
HTTP="${CHEXAUDIT_HDFS_HTTP_PORT:-9870}"
DN="${CHEXAUDIT_HDFS_DN_PORT:-9866}"
TIMEOUT="${CHEXAUDIT_HDFS_TIMEOUT:-90}"
URI="hdfs://127.0.0.1:$RPC"
JMX="http://127.0.0.1:$HTTP/jmx?qry=Hadoop:service=NameNode,name=FSNamesystemState"

log() { echo "hdfs: $*" >&2; }

# shellcheck source=pidfile-lib.sh
. "$ROOT/runners/pidfile-lib.sh"

# Ready when the NameNode reports a live DataNode and has left safe mode (the JMX bean answers as soon as
# the web server is up; `dfsadmin -safemode wait` would give up on a refused connection instead).
ready() {
  local state
  state="$(curl -sf --max-time 2 "$JMX" 2>/dev/null)" || return 1
  echo "$state" | grep -Eq '"NumLiveDataNodes" *: *[1-9]' && echo "$state" | grep -q '"FSState" *: *"Operational"'
}

print_keys() {
  echo "hdfs_uri=$URI"
  echo "hdfs_configuration=[{\"fs.defaultFS\":\"$URI\",\"dfs.replication\":\"1\"}]"
  echo "hadoop_conf_dir=$DIR/conf"
  echo "namenode_web=http://127.0.0.1:$HTTP"
}

write_config() {
  mkdir -p "$DIR/conf" "$DIR/log" "$DIR/tmp"
  # The Maven jars lack Hadoop's webapps/ folder, without which neither daemon starts its web server.
  mkdir -p "$DIR/webres/webapps/hdfs" "$DIR/webres/webapps/datanode" "$DIR/webres/webapps/static"
  cat > "$DIR/conf/core-site.xml" <<XML
<?xml version="1.0"?>
<configuration>
  <property><name>fs.defaultFS</name><value>$URI</value></property>
  <property><name>hadoop.tmp.dir</name><value>$DIR/tmp</value></property>
</configuration>
XML
  # One DataNode: replication 1, and no 30 s of safe mode after start. Permissions off: the jobs run as
  # whichever user the TaskManagers run as.
  cat > "$DIR/conf/hdfs-site.xml" <<XML
<?xml version="1.0"?>
<configuration>
  <property><name>dfs.namenode.name.dir</name><value>$DIR/name</value></property>
  <property><name>dfs.datanode.data.dir</name><value>$DIR/data</value></property>
  <property><name>dfs.replication</name><value>1</value></property>
  <property><name>dfs.namenode.safemode.extension</name><value>0</value></property>
  <property><name>dfs.permissions.enabled</name><value>false</value></property>
  <property><name>dfs.namenode.rpc-address</name><value>127.0.0.1:$RPC</value></property>
  <property><name>dfs.namenode.http-address</name><value>127.0.0.1:$HTTP</value></property>
  <property><name>dfs.namenode.datanode.registration.ip-hostname-check</name><value>false</value></property>
  <property><name>dfs.datanode.address</name><value>127.0.0.1:$DN</value></property>
  <property><name>dfs.datanode.http.address</name><value>127.0.0.1:$((DN + 1))</value></property>
  <property><name>dfs.datanode.ipc.address</name><value>127.0.0.1:$((DN + 2))</value></property>
  <property><name>dfs.datanode.hostname</name><value>127.0.0.1</value></property>
</configuration>
XML
  cat > "$DIR/conf/log4j.properties" <<'PROPS'
log4j.rootLogger=INFO,console
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.target=System.err
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%d{ISO8601} %p %c{2}: %m%n
# pure-Java code paths are fine here
log4j.logger.org.apache.hadoop.util.NativeCodeLoader=ERROR
PROPS
}

classpath() {
  if [ ! -s "$DIR/classpath.txt" ] || [ "$ROOT/runners/hdfs/pom.xml" -nt "$DIR/classpath.txt" ]; then
    log "resolving Hadoop $(grep -o '<hadoop.version>[^<]*' "$ROOT/runners/hdfs/pom.xml" | cut -d'>' -f2) with Maven..."
    mvn -q -B -f "$ROOT/runners/hdfs/pom.xml" dependency:build-classpath -Dmdep.outputFile="$DIR/classpath.txt" >&2 \
      || { log "Maven could not resolve runners/hdfs/pom.xml"; return 1; }
  fi
  echo "$DIR/conf:$DIR/webres:$(cat "$DIR/classpath.txt")"
}

java_opts=(-Xmx512m -Dhadoop.log.dir="$DIR/log" -Dhadoop.home.dir="$DIR" -Djava.net.preferIPv4Stack=true)

launch() { # name main-class
  nohup java "${java_opts[@]}" -cp "$CP" "$2" > "$DIR/log/$1.out" 2>&1 &
  echo $! > "$DIR/$1.pid"
}

start() {
  if alive namenode && alive datanode && ready; then
    log "already running at $URI"
    print_keys
    return 0
  fi
  local t0=$SECONDS
  mkdir -p "$DIR"
  write_config
  CP="$(classpath)" || return 1
  if [ ! -f "$DIR/name/current/VERSION" ]; then
    log "formatting a new file system in $DIR/name"
    rm -rf "$DIR/name" "$DIR/data" # a DataNode formatted for another cluster id would be refused
    java "${java_opts[@]}" -cp "$CP" org.apache.hadoop.hdfs.server.namenode.NameNode -format -nonInteractive \
      > "$DIR/log/format.out" 2>&1 || { log "formatting failed; see $DIR/log/format.out"; return 1; }
  fi
  alive namenode || launch namenode org.apache.hadoop.hdfs.server.namenode.NameNode
  alive datanode || launch datanode org.apache.hadoop.hdfs.server.datanode.DataNode
  while [ $((SECONDS - t0)) -lt "$TIMEOUT" ]; do
    if ready; then
      log "up at $URI in $((SECONDS - t0)) s (NameNode pid $(cat "$DIR/namenode.pid"), DataNode pid $(cat "$DIR/datanode.pid"))"
      print_keys
      return 0
    fi
    for p in namenode datanode; do
      if ! alive $p; then
        log "the $p exited during start-up; last lines of $DIR/log/$p.out:"
        tail -n 15 "$DIR/log/$p.out" >&2 || true
        stop >/dev/null 2>&1 || true
        return 1
      fi
    done
    sleep 1
  done
  log "not up after $TIMEOUT s (no live DataNode, or still in safe mode at $JMX); see $DIR/log/*.out"
  stop >/dev/null 2>&1 || true
  return 1
}

stop() {
  stop_pid datanode namenode
  if [ "${1:-}" = "--clean" ]; then rm -rf "$DIR/name" "$DIR/data" "$DIR/tmp"; fi
  log "stopped"
}

status() {
  if alive namenode && alive datanode && ready; then
    print_keys
    curl -sf "$JMX" | grep -E '"(FSState|NumLiveDataNodes|CapacityRemaining|FilesTotal)"' | tr -d ' ,' >&2 || true
  else
    log "not running"
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  status) status ;;
  fs) shift; CP="$(classpath)"; exec java -Xmx256m -cp "$CP" -Dlog4j.configuration=file:"$DIR/conf/log4j.properties" \
        -Dhadoop.root.logger=WARN,console org.apache.hadoop.fs.FsShell -D fs.defaultFS="$URI" "$@" ;;
  *) echo "usage: runners/hdfs.sh start | status | stop [--clean] | fs <hadoop fs arguments>" >&2; exit 2 ;;
esac
