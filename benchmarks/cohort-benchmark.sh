#!/usr/bin/env bash
# Cohort stage on full CheXpert-size generated CSV/XLSX (223,414 rows, 65,401 patients), Direct runner,
# with the heap capped at 2 GiB. Prints wall time (JVM start included) and peak resident memory.
# Goal (issue 3): under 60 s wall on a 2-core machine, under 2 GiB heap.
#   benchmarks/cohort-benchmark.sh [work-dir]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${1:-$ROOT/target/bench-cohort}"
mkdir -p "$WORK"

if [ ! -f "$WORK/data/CheXpert-v1.0/train.csv" ]; then
  echo "generating full-size CSV/XLSX (no images)..." >&2
  "$ROOT/bin/chexaudit" synth --output="$WORK/data" --full=true --images=false --overwrite=true
fi
rows=$(($(wc -l < "$WORK/data/CheXpert-v1.0/train.csv") - 1))

start=$(date +%s.%N)
CHEXAUDIT_HEAP=2g JAVA_OPTS="-XX:+UseParallelGC" \
  /usr/bin/env bash -c '
    "$0" cohort --trainCsv="$1/data/CheXpert-v1.0/train.csv" --demoXlsx="$1/data/CHEXPERT DEMO.xlsx" \
      --output="$1/cohort" --overwrite=true --targetParallelism=2 & pid=$!
    peak=0
    while kill -0 $pid 2>/dev/null; do
      for p in $pid $(pgrep -P $pid); do
        r=$(awk "/VmHWM/{print \$2}" /proc/$p/status 2>/dev/null || echo 0)
        [ "${r:-0}" -gt "$peak" ] && peak=$r
      done
      sleep 0.5
    done
    wait $pid
    echo "$peak" > "$1/peak_kb"
  ' "$ROOT/bin/chexaudit" "$WORK"
end=$(date +%s.%N)
wall=$(echo "$end - $start" | bc)
peak_kb=$(cat "$WORK/peak_kb")
kept=$(grep -m1 '"kept"' "$WORK/cohort/summary.json" | tr -dc '0-9')
printf 'cohort benchmark: %d rows -> %d kept; wall %.1f s (JVM start included); heap cap 2 GiB; peak RSS %.0f MiB; %.0f rows/s\n' \
  "$rows" "$kept" "$wall" "$(echo "$peak_kb / 1024" | bc -l)" "$(echo "$rows / $wall" | bc -l)"
