#!/usr/bin/env bash
# Whole-process benchmark of `inspect import`: a 1,000,000-row long sheet into a copy of the
# demo district. Run from the repository root: bash benches/import.sh [ROWS]
# Prints wall time and peak RSS (GNU time). Nothing is left in the repository.
set -euo pipefail
rows=${1:-1000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo build --release --quiet --bin oldestate --example synth_sheet
target/release/examples/synth_sheet "$rows" "$tmp/sheet.csv"
mkdir "$tmp/ws" && cp -r data standards "$tmp/ws/"
echo "sheet: $rows rows, $(du -h "$tmp/sheet.csv" | cut -f1)"
/usr/bin/time -f "import: %e s wall, %M KiB peak RSS" \
  target/release/oldestate --workspace "$tmp/ws" inspect import --level community "$tmp/sheet.csv"
/usr/bin/time -f "re-import (all skipped): %e s wall, %M KiB peak RSS" \
  target/release/oldestate --workspace "$tmp/ws" inspect import --level community "$tmp/sheet.csv"
