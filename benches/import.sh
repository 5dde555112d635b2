#!/usr/bin/env bash
# Whole-process benchmark of `inspect import`: a 1,000,000-row long sheet into a copy of the
# demo district, then again (every visit already stored). Run from the repository root:
# bash benches/import.sh [ROWS]. With STORE=synth, into a synthetic store of 22,000 compounds
# over January to July 2026 instead (the sheet's compounds renamed to the store's, its July
# overlapping the store's). Prints wall time and peak RSS (GNU time), and with -vv each phase
# of the import with the peak memory so far. Nothing is left in the repository.
set -euo pipefail
rows=${1:-1000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo build --release --quiet --bin oldestate --example synth_sheet --example synth
target/release/examples/synth_sheet "$rows" "$tmp/sheet.csv"
if [ "${STORE:-demo}" = synth ]; then
  target/release/examples/synth --compounds 22000 --months 7 "$tmp/ws" >/dev/null
  sed -i -E 's/,HP([0-9]{3}),/,P000\1,/' "$tmp/sheet.csv"
else
  mkdir "$tmp/ws" && cp -r data standards "$tmp/ws/"
fi
echo "sheet: $rows rows, $(du -h "$tmp/sheet.csv" | cut -f1); store: ${STORE:-demo}, $(du -sh "$tmp/ws/data/inspections" | cut -f1)"
/usr/bin/time -f "import: %e s wall, %M KiB peak RSS" \
  target/release/oldestate -vv --workspace "$tmp/ws" inspect import --level community "$tmp/sheet.csv"
/usr/bin/time -f "re-import (all skipped): %e s wall, %M KiB peak RSS" \
  target/release/oldestate -vv --workspace "$tmp/ws" inspect import --level community "$tmp/sheet.csv"
