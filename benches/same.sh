#!/usr/bin/env bash
# Byte comparison of two builds: every report, in every format, on one workspace, with the old
# binary and the new; prints "identical" or the differences (stdout, stderr, exit status and
# the notice files). For restructurings that must not change an output byte.
# Run from the repository root: bash benches/same.sh OLD_BIN NEW_BIN [WORKSPACE]
# WORKSPACE defaults to the demo district (this repository). Ids in the commands are the
# demo's; on another workspace commands naming them just fail alike on both sides.
set -euo pipefail
old=$(realpath "$1")
new=$(realpath "$2")
ws=$(realpath "${3:-.}")
against=$(realpath standards/2025-07-01.toml)
cmds=(
  "check" "check --strict"
  "score --period 2026H1" "score --period 2026H1 --by street" "score --period 2026H1 --by community"
  "--format csv score --period 2026H1" "--format json score --period 2026H1"
  "score --period 2026Q1 --level community" "--format json score --period 2026-03 --level street"
  "score --period 2026H1 --explain HP014" "--format json score --period 2026H1 --explain HP106"
  "inspect coverage --period 2026H1" "--format json inspect coverage --period 2026H1"
  "recheck --period 2026H1 --as-of 2026-07-15" "--format json recheck --period 2026H1 --as-of 2026-07-15"
  "--format csv recheck --period 2026H1 --as-of 2026-05-20" "recheck --period 2026H1 --as-of 2026-05-20 --due-within 30"
  "bulletin --period 2026H1 --as-of 2026-07-15" "--format json bulletin --period 2026H1 --as-of 2026-07-15"
  "--format html bulletin --period 2026H1 --as-of 2026-07-15" "bulletin --period 2026H1 --as-of 2026-07-15 --street S03"
  "--lang en bulletin --period 2026Q2 --as-of 2026-07-15"
  "subsidy --period 2026H1 --as-of 2026-07-15" "--format csv subsidy --period 2026H1 --as-of 2026-07-15 --by street"
  "--format json subsidy --period 2026H1 --as-of 2026-07-15 --by company"
  "--format json subsidy --period 2026H1 --as-of 2026-07-15 --budget 1000000"
  "standards diff --period 2026H1 --against $against --as-of 2026-07-15"
  "--format json standards diff --period 2026H1 --against $against --as-of 2026-07-15"
  "contracts --as-of 2026-07-01" "--format json contracts --as-of 2026-07-01 --expiring-within 400"
  "company --period 2026H1" "--format json company --period 2026H1" "--format html company CO02 --period 2026H1"
  "--lang en score --period 2026H1" "--lang en recheck --period 2026H1 --as-of 2026-07-15"
)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for side in old new; do
  bin=$old
  [ "$side" = new ] && bin=$new
  mkdir -p "$tmp/$side"
  for i in "${!cmds[@]}"; do
    # shellcheck disable=SC2086
    (cd "$ws" && "$bin" --workspace "$ws" ${cmds[$i]} > "$tmp/$side/$i.out" 2> "$tmp/$side/$i.err"; echo $? > "$tmp/$side/$i.rc") || true
  done
  (cd "$ws" && "$bin" --workspace "$ws" recheck --period 2026H1 --as-of 2026-07-15 --notices "$tmp/$side/notices" > /dev/null 2>&1) || true
  # The binaries' own git fields differ by build, not by output.
  sed -i -E 's/"(git_commit|dirty)": [^,}]*/"\1": null/' "$tmp/$side"/*.out
done
if diff -r "$tmp/old" "$tmp/new" > "$tmp/diff.txt"; then
  echo "identical: ${#cmds[@]} commands and the notices"
else
  echo "DIFFERENT:"
  head -60 "$tmp/diff.txt"
  exit 1
fi
