# Sourced by the benchmark scripts that run Java benchmark classes: builds the pipelines module and its
# test classes (offline when it can) and sets ROOT, CP (their classpath) and JAVA (java with the
# project's system properties), then prints the machine's cores and load.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MVN="${CHEXAUDIT_MVN:-mvn}"
cd "$ROOT"
# one invocation, so the sibling modules resolve to their target/classes
BUILD=(-q -B -pl pipelines -am test-compile org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test)
"$MVN" -o "${BUILD[@]}" >&2 || "$MVN" "${BUILD[@]}" >&2
CP="pipelines/target/test-classes:pipelines/target/classes:$(cat pipelines/target/bench.classpath)"
# the launcher's collector settings (bin/chexaudit), so in-process runs measure the JVM a user's command gets;
# BENCH_JAVA_OPTS adds to them (or replaces the collector: -XX:+UseG1GC)
GC=(-XX:+UseParallelGC -Xms2g -XX:MaxTenuringThreshold=1)
if grep -qE '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
  GC+=(-XX:+UseTransparentHugePages)
fi
case "${BENCH_JAVA_OPTS:-}" in *-XX:+Use*GC*) GC=() ;; esac
# as bin/chexaudit runs a command with no s3:// path: without it Beam's S3 file system asks the AWS SDK for a
# default region on every Pipeline.create, whose last step waits on the EC2 metadata service (0.77 s per pipeline
# here, a cost a user's command does not pay)
export AWS_EC2_METADATA_DISABLED="${AWS_EC2_METADATA_DISABLED:-true}"
JAVA=(java -Xmx8g "${GC[@]}" ${BENCH_JAVA_OPTS:-} -Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.chexaudit.schemas
  -Dorg.bytedeco.javacpp.cachedir="$ROOT/target/javacpp-cache" -cp "$CP")
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start" >&2
