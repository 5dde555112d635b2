#!/usr/bin/env bash
# Whole-process benchmark at national scale (DESIGN §12, BENCHMARKS.md): generate a synthetic
# half-year of 220,000 compounds (~8 million store rows, ~660 MB), then time the reports and
# the floor, a single-threaded csv ByteRecord loop over the same month files.
# Run from the repository root: bash benches/national.sh [COMPOUNDS] [DIR]
# The workspace is kept in DIR (default: a temporary directory, removed at the end).
set -euo pipefail
n=${1:-220000}
dir=${2:-}
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
echo "store: $(du -sh "$dir/data/inspections" | cut -f1), $(cat "$dir"/data/inspections/2026/*.csv | wc -l) lines"
t() { local what=$1; shift; /usr/bin/time -f "$what: %e s wall, %U s user, %M KiB peak RSS" "$@" > /dev/null; }
t "floor (csv ByteRecord loop, 1 thread)" target/release/examples/floor "$dir" 2026
t "score --by street" "$bin" --workspace "$dir" score --period 2026H1 --by street
t "score --format csv" "$bin" --workspace "$dir" score --period 2026H1 --format csv
t "score --format json" "$bin" --workspace "$dir" score --period 2026H1 --format json
t "recheck" "$bin" --workspace "$dir" recheck --period 2026H1 --as-of 2026-07-15 --format csv
t "bulletin" "$bin" --workspace "$dir" bulletin --period 2026H1 --as-of 2026-07-15
t "subsidy" "$bin" --workspace "$dir" subsidy --period 2026H1 --as-of 2026-07-15 --format csv
