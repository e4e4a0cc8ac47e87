# Sourced by the benchmarks that time bin/chexaudit: the first command run with a new jar also writes the
# class-data archive the launcher maps into later runs (bin/chexaudit, "Class data sharing"), seconds more than
# any later run, so a benchmark makes that run itself, untimed, when cds_stale says the archive is missing or
# older than the jar.
cds_stale() {
  local root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  [ ! -f "$root/target/cds/chexaudit.jsa" ] || [ "$root/pipelines/target/chexaudit.jar" -nt "$root/target/cds/chexaudit.jsa" ]
}
