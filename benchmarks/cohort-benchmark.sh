#!/usr/bin/env bash
# Cohort stage on full CheXpert-size generated CSV/XLSX (223,414 rows, 65,401 spreadsheet patients) against
# the notebook's pandas code on the same files, in the same run (issue 15: goal ratio <= 1.0, JVM start
# included). Times, as a user runs them:
#   pandas  Debian's /usr/bin/python3 benchmarks/cohort/notebook_cohort.py (seeds-spec A2: read_csv,
#           read_excel with openpyxl, merge, race mapping, filters, 60/10/30 patient split, to_csv of the
#           sample, split and subset files); python3-pandas and python3-openpyxl are installed with apt
#           when missing (never a build dependency)
#   java    bin/chexaudit cohort (Direct runner, heap capped at CHEXAUDIT_HEAP, default 2g)
# and prints wall and CPU seconds of each, the ratios, Java's peak resident memory, and the load average.
#   benchmarks/cohort-benchmark.sh [work-dir]        RUNS=n alternates the two n times (default 1)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mkdir -p "${1:-$ROOT/target/bench-cohort}" && cd "${1:-$ROOT/target/bench-cohort}" && pwd)"
RUNS="${RUNS:-1}"
PY=/usr/bin/python3
TRAIN="$WORK/data/CheXpert-v1.0/train.csv"
DEMO="$WORK/data/CHEXPERT DEMO.xlsx"

if ! "$PY" -c 'import pandas, openpyxl' 2>/dev/null; then
  echo "installing python3-pandas python3-openpyxl (Debian) for the reference..." >&2
  apt-get install -y -q python3-pandas python3-openpyxl >&2 \
    || { apt-get update -q >&2 && apt-get install -y -q python3-pandas python3-openpyxl >&2; }
fi
# builds the jar now if it is missing or stale, outside the timed runs
"$ROOT/bin/chexaudit" --help > /dev/null
if [ ! -f "$TRAIN" ]; then
  echo "generating full-size CSV/XLSX (no images)..." >&2
  "$ROOT/bin/chexaudit" synth --output="$WORK/data" --full=true --images=false --overwrite=true
fi
source "$ROOT/benchmarks/cds.sh"
if cds_stale; then
  echo "first run with this jar: writing the class-data archive (untimed)..." >&2
  CHEXAUDIT_HEAP="${CHEXAUDIT_HEAP:-2g}" "$ROOT/bin/chexaudit" cohort --trainCsv="$TRAIN" --demoXlsx="$DEMO" \
    --output="$WORK/cohort" --overwrite=true > "$WORK/last.log" 2>&1 || { cat "$WORK/last.log" >&2; exit 1; }
fi
rows=$(($(wc -l < "$TRAIN") - 1))
echo "machine: $(nproc) cores; load average at start: $(cat /proc/loadavg)"

# runs "$@" under GNU time; prints "wall cpu peak_kb"
timed() {
  local t="$WORK/time.txt"
  /usr/bin/time -o "$t" -f '%e %U %S %M' "$@" > "$WORK/last.log" 2>&1 || { cat "$WORK/last.log" >&2; exit 1; }
  awk '{printf "%.2f %.2f %d\n", $1, $2 + $3, $4}' "$t"
}

for run in $(seq "$RUNS"); do
  rm -rf "$WORK/pandas" && mkdir -p "$WORK/pandas"
  read -r pw pc pk < <(timed "$PY" "$ROOT/benchmarks/cohort/notebook_cohort.py" "$TRAIN" "$DEMO" "$WORK/pandas")
  pandas_counts=$(grep -E '^(images|joined|ap/pa|race) ' "$WORK/last.log" | tr '\n' ' ')
  read -r jw jc jk < <(timed env CHEXAUDIT_HEAP="${CHEXAUDIT_HEAP:-2g}" "$ROOT/bin/chexaudit" cohort \
    --trainCsv="$TRAIN" --demoXlsx="$DEMO" --output="$WORK/cohort" --overwrite=true)
  kept=$(grep -m1 '"kept"' "$WORK/cohort/summary.json" | tr -dc '0-9')
  printf 'run %d: %d rows -> pandas %s| java kept %d\n' "$run" "$rows" "$pandas_counts" "$kept"
  printf '  pandas  wall %6.1f s  cpu %6.1f s  peak RSS %5.0f MiB\n' "$pw" "$pc" "$(echo "$pk / 1024" | bc -l)"
  printf '  java    wall %6.1f s  cpu %6.1f s  peak RSS %5.0f MiB (JVM start included)\n' "$jw" "$jc" "$(echo "$jk / 1024" | bc -l)"
  printf '  ratio java/pandas: wall %.2f, cpu %.2f   (load average now: %s)\n' \
    "$(echo "$jw / $pw" | bc -l)" "$(echo "$jc / $pc" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
done
