#!/usr/bin/env bash
# Whole-process benchmark at national scale (DESIGN §12, BENCHMARKS.md): generate a synthetic
# half-year of 220,000 compounds (~8 million store rows, ~660 MB), then time the reports and
# the floor, a single-threaded csv ByteRecord loop over the same month files.
# Run from the repository root: bash benches/national.sh [COMPOUNDS] [DIR] [RUNS]
# The workspace is kept in DIR (default: a temporary directory, removed at the end). Each run
# is repeated RUNS times (default 3), interleaved, and the median is printed: a shared VM's
# timings vary by ±20% from one minute to the next.
set -euo pipefail
n=${1:-220000}
dir=${2:-}
runs=${3:-3}
if [ -z "$dir" ]; then
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
fi
cargo build --release --quiet --bin oldestate --example synth --example floor
bin=target/release/oldestate
if [ ! -d "$dir/data/inspections" ]; then
  target/release/examples/synth --compounds "$n" --months 6 "$dir/ws"
  mv "$dir/ws"/* "$dir/" && rmdir "$dir/ws"
fi
bytes=$(cat "$dir"/data/inspections/2026/*.csv | wc -c)
echo "store: $(du -sh "$dir/data/inspections" | cut -f1), $(cat "$dir"/data/inspections/2026/*.csv | wc -l) lines"
names=(
  "floor (csv ByteRecord loop, 1 thread)"
  "score (table, every compound)"
  "score --by street"
  "score --format csv"
  "score --format json"
  "recheck --format csv"
  "bulletin (md)"
  "subsidy --format csv"
  "company --format json (the period and three before)"
  "assessor (table, the third party assessed)"
)
cmds=(
  "target/release/examples/floor $dir 2026"
  "$bin --workspace $dir score --period 2026H1"
  "$bin --workspace $dir score --period 2026H1 --by street"
  "$bin --workspace $dir score --period 2026H1 --format csv"
  "$bin --workspace $dir score --period 2026H1 --format json"
  "$bin --workspace $dir recheck --period 2026H1 --as-of 2026-07-15 --format csv"
  "$bin --workspace $dir bulletin --period 2026H1 --as-of 2026-07-15"
  "$bin --workspace $dir subsidy --period 2026H1 --as-of 2026-07-15 --format csv"
  "$bin --workspace $dir company --period 2026H1 --format json"
  "$bin --workspace $dir assessor --period 2026H1"
)
out=$(mktemp)
for ((r = 0; r < runs; r++)); do
  for i in "${!cmds[@]}"; do
    # shellcheck disable=SC2086
    /usr/bin/time -f "$i %e %U %M" -a -o "$out" ${cmds[$i]} > /dev/null
  done
done
printf '%-40s %8s %8s %10s %8s %8s\n' run wall user "peak MiB" "MB/s" "x floor"
floor=$(awk '$1 == 0 { print $2 }' "$out" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
for i in "${!cmds[@]}"; do
  awk -v i="$i" '$1 == i { print $2, $3, $4 }' "$out" | sort -n |
    awk -v name="${names[$i]}" -v bytes="$bytes" -v floor="$floor" '
      { w[NR] = $1; u[NR] = $2; m[NR] = $3 }
      END {
        k = int((NR + 1) / 2)
        printf "%-40s %7.2fs %7.2fs %10d %8d %8.2f\n", name, w[k], u[k], m[k] / 1024, bytes / 1e6 / w[k], w[k] / floor
      }'
done
rm -f "$out"
