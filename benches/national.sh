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
# The proposal standards diff compares with: the same standards, a stricter pass mark.
sed 's/^pass_mark = 80$/pass_mark = 85/' "$dir/standards/2026-01-01.toml" > "$dir/proposed.toml"
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
  "inspect coverage"
  "score --explain (one compound)"
  "contracts"
  "standards diff --against FILE"
  "check"
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
  "$bin --workspace $dir inspect coverage --period 2026H1"
  "$bin --workspace $dir score --period 2026H1 --explain P000016"
  "$bin --workspace $dir contracts --as-of 2026-07-01"
  "$bin --workspace $dir standards diff --period 2026H1 --against $dir/proposed.toml"
  "$bin --workspace $dir check"
)
# The import: a 1,000,000-row sheet of June visits into a copy of the store (hard links: an
# import writes new files and renames them, it never writes a stored file in place), then the
# same sheet again (every visit skipped).
sheet="$dir/sheet-national.csv"
[ -f "$sheet" ] || target/release/examples/synth_sheet 1000000 "$sheet" "$n"
import_names=("inspect import, 1,000,000 rows into June" "the same import again (all skipped)")
import_at=${#cmds[@]}
out=$(mktemp)
for ((r = 0; r < runs; r++)); do
  for i in "${!cmds[@]}"; do
    # shellcheck disable=SC2086
    /usr/bin/time -f "$i %e %U %M" -a -o "$out" ${cmds[$i]} > /dev/null
  done
  copy="$dir.import"
  rm -rf "$copy" && cp -al "$dir" "$copy" && rm -f "$copy"/data/.oldestate*
  for k in 0 1; do
    /usr/bin/time -f "$((import_at + k)) %e %U %M" -a -o "$out" \
      "$bin" --workspace "$copy" inspect import --level community "$sheet" > "$dir.import.log" 2>&1 ||
      { echo "the import failed:" >&2; cat "$dir.import.log" >&2; exit 1; }
  done
  rm -rf "$copy"
done
names+=("${import_names[@]}")
median() { awk -v i="$1" '$1 == i { print $2 }' "$out" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
floor=$(median 0)
score=$(median 1)
printf '%-52s %8s %8s %10s %8s %8s %8s\n' run wall user "peak MiB" "MB/s" "x floor" "x score"
for i in "${!names[@]}"; do
  awk -v i="$i" '$1 == i { print $2, $3, $4 }' "$out" | sort -n |
    awk -v name="${names[$i]}" -v bytes="$bytes" -v floor="$floor" -v score="$score" '
      { w[NR] = $1; u[NR] = $2; m[NR] = $3 }
      END {
        k = int((NR + 1) / 2)
        printf "%-52s %7.2fs %7.2fs %10d %8d %8.2f %8.2f\n", name, w[k], u[k], m[k] / 1024, bytes / 1e6 / w[k], w[k] / floor, w[k] / score
      }'
done
rm -f "$out"
