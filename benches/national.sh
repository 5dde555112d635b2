#!/usr/bin/env bash
# Whole-process benchmark at national scale (DESIGN §12, BENCHMARKS.md): generate a synthetic
# half-year of 220,000 compounds (~8 million store rows, ~660 MB), then time every report,
# `check`, `standards diff`, a 1,000,000-row import (UTF-8, the same again, then as GB18030)
# and the floor, a single-threaded csv ByteRecord loop over the same month files.
# Run from the repository root: bash benches/national.sh [COMPOUNDS] [DIR] [RUNS]
# OLD=path/to/oldestate also times another build (the one before a change) in the same run,
# each command with both binaries back to back, so before and after share the machine's
# minute.
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
cargo build --release --quiet --bin oldestate --example synth --example floor --example synth_sheet
bins=(target/release/oldestate)
labels=("")
if [ -n "${OLD:-}" ]; then
  bins+=("$OLD")
  labels+=(" [before]")
fi
if [ ! -d "$dir/data/inspections" ]; then
  target/release/examples/synth --compounds "$n" --months 6 "$dir/ws"
  mv "$dir/ws"/* "$dir/" && rmdir "$dir/ws"
fi
# The proposal standards diff compares with: the same standards, a stricter pass mark.
sed 's/^pass_mark = 80$/pass_mark = 85/' "$dir/standards/2026-01-01.toml" > "$dir/proposed.toml"
# The import: a 1,000,000-row sheet of June visits (a month the store holds).
sheet="$dir/sheet-national.csv"
[ -f "$sheet" ] || target/release/examples/synth_sheet 1000000 "$sheet" "$n"
# The same sheet as Excel on Chinese Windows saves "CSV": GB18030.
gb="$dir/sheet-national-gb.csv"
[ -f "$gb" ] || iconv -f UTF-8 -t GB18030 "$sheet" > "$gb"
bytes=$(cat "$dir"/data/inspections/2026/*.csv | wc -c)
echo "store: $(du -sh "$dir/data/inspections" | cut -f1), $(cat "$dir"/data/inspections/2026/*.csv | wc -l) lines"
names=(
  "score (table, every compound)"
  "score --by street"
  "score --format csv"
  "score --format json"
  "recheck --format csv"
  "bulletin (md)"
  "subsidy --format csv"
  "company --format json (the period and three before)"
  "company --period 2026-05 (a month: four periods with visits)"
  "assessor (table, the third party assessed)"
  "inspect coverage"
  "score --explain (one compound)"
  "contracts"
  "standards diff --against FILE"
  "check"
)
# BIN stands for the binary timed.
cmds=(
  "BIN --workspace $dir score --period 2026H1"
  "BIN --workspace $dir score --period 2026H1 --by street"
  "BIN --workspace $dir score --period 2026H1 --format csv"
  "BIN --workspace $dir score --period 2026H1 --format json"
  "BIN --workspace $dir recheck --period 2026H1 --as-of 2026-07-15 --format csv"
  "BIN --workspace $dir bulletin --period 2026H1 --as-of 2026-07-15"
  "BIN --workspace $dir subsidy --period 2026H1 --as-of 2026-07-15 --format csv"
  "BIN --workspace $dir company --period 2026H1 --format json"
  "BIN --workspace $dir company --period 2026-05 --format json"
  "BIN --workspace $dir assessor --period 2026H1"
  "BIN --workspace $dir inspect coverage --period 2026H1"
  "BIN --workspace $dir score --period 2026H1 --explain P000016"
  "BIN --workspace $dir contracts --as-of 2026-07-01"
  "BIN --workspace $dir standards diff --period 2026H1 --against $dir/proposed.toml"
  "BIN --workspace $dir check"
)
imports=("inspect import, 1,000,000 rows into June" "the same import again (all skipped)"
  "the same rows as GB18030, into a fresh copy")
out=$(mktemp)
copy="$dir.import"
for ((r = 0; r < runs; r++)); do
  /usr/bin/time -f "floor %e %U %M" -a -o "$out" target/release/examples/floor "$dir" 2026 > /dev/null
  for i in "${!cmds[@]}"; do
    for k in "${!bins[@]}"; do
      # shellcheck disable=SC2086
      /usr/bin/time -f "$i.$k %e %U %M" -a -o "$out" ${cmds[$i]//BIN/${bins[$k]}} > /dev/null
    done
  done
  # Into a copy of the store (hard links: an import writes new files and renames them, it
  # never writes a stored file in place), then the same sheet again.
  for k in "${!bins[@]}"; do
    rm -rf "$copy" && cp -al "$dir" "$copy" && rm -f "$copy"/data/.oldestate*
    for j in 0 1 2; do
      from=$sheet
      if [ "$j" = 2 ]; then
        from=$gb
        rm -rf "$copy" && cp -al "$dir" "$copy" && rm -f "$copy"/data/.oldestate*
      fi
      /usr/bin/time -f "import$j.$k %e %U %M" -a -o "$out" \
        "${bins[$k]}" --workspace "$copy" inspect import --level community "$from" > "$dir.import.log" 2>&1 ||
        { echo "the import failed:" >&2; cat "$dir.import.log" >&2; exit 1; }
    done
  done
  rm -rf "$copy" "$dir.import.log"
done
median() { awk -v id="$1" '$1 == id { print $2 }' "$out" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
floor=$(median floor)
row() { # id, name, the same binary's score (the ratio's denominator)
  awk -v id="$1" '$1 == id { print $2, $3, $4 }' "$out" | sort -n |
    awk -v name="$2" -v bytes="$bytes" -v floor="$floor" -v score="$3" '
      { w[NR] = $1; u[NR] = $2; m[NR] = $3 }
      END {
        k = int((NR + 1) / 2)
        printf "%-62s %7.2fs %7.2fs %9d %7d %8.2f %8.2f\n", name, w[k], u[k], m[k] / 1024, bytes / 1e6 / w[k], w[k] / floor, w[k] / score
      }'
}
printf '%-62s %8s %8s %9s %7s %8s %8s\n' run wall user "peak MiB" "MB/s" "x floor" "x score"
row floor "floor (csv ByteRecord loop, 1 thread)" "$(median 0.0)"
for i in "${!cmds[@]}"; do
  for k in "${!bins[@]}"; do row "$i.$k" "${names[$i]}${labels[$k]}" "$(median "0.$k")"; done
done
for j in 0 1 2; do
  for k in "${!bins[@]}"; do row "import$j.$k" "${imports[$j]}${labels[$k]}" "$(median "0.$k")"; done
done
rm -f "$out"
