#!/usr/bin/env bash
# The monthly routine, ready for cron: import the month's sheets from an inbox, validate the
# workspace, write the month's reports, and list the notices due for re-inspection.
#
#   0 7 2 * *  cd /srv/district && OLDESTATE=/usr/local/bin/oldestate examples/monthly.sh inbox
#
# Reports stand on the newest visit in the store (DESIGN §14), so a re-run of a past month's
# job gives the same files; the list of notices due counts from today.
#
# Sheets name their level in the file name (…-community-…, …-street-…, …-district-…,
# …-third-party-…) unless the sheet has a level column. Imported sheets move to INBOX/done/.
# Any failure stops the run with oldestate's message on stderr and a non-zero status, and
# (import being all or nothing) leaves the store as it was.
set -euo pipefail

inbox=${1:?usage: monthly.sh INBOX [MONTH]}
month=${2:-$(date -d "$(date +%Y-%m-01) -1 day" +%Y-%m)}
oldestate=${OLDESTATE:-oldestate}
reports=reports/$month
mkdir -p "$inbox/done" "$reports"

shopt -s nullglob
for sheet in "$inbox"/*.csv "$inbox"/*.tsv "$inbox"/*.txt "$inbox"/*.xlsx; do
  level=()
  case "$(basename "$sheet")" in
    *community*) level=(--level community) ;;
    *street*) level=(--level street) ;;
    *district*) level=(--level district) ;;
    *third-party*|*third_party*) level=(--level third_party) ;;
  esac
  "$oldestate" -q inspect import "${level[@]}" "$sheet"
  mv "$sheet" "$inbox/done/"
done

# Official figures (the scoring level's) for the months of the year so far, the half-year's
# first. A period the scoring level has not visited yet has none: oldestate refuses it with "no
# inspections in …" (exit 1), which is no failure of this run; any other error is.
official() {
  local out=$1 err
  shift
  if err=$("$oldestate" "$@" 2>&1 >"$out"); then
    [ -z "$err" ] || printf '%s\n' "$err" >&2
    return 0
  fi
  printf '%s\n' "$err" >&2
  [ "$out" = /dev/stdout ] || rm -f "$out"
  case "$err" in
    *"no inspections in"*) return 0 ;;
    *) return 1 ;;
  esac
}

year=${month%-*}
half=${year}H$(( (10#${month#*-} + 5) / 6 ))

"$oldestate" check > "$reports/check.txt"
"$oldestate" inspect coverage --period "$month" --format csv > "$reports/coverage.csv"
# The month's own checks: the residents' committees visit every compound every month.
"$oldestate" score --period "$month" --level community --format csv > "$reports/community-score.csv"
# The half-year to date: official scores (incomplete until its last day, as they say), notices.
official "$reports/score.csv" score --period "$half" --format csv
official "$reports/score.json" score --period "$half" --format json
official "$reports/notices.csv" recheck --period "$half" --notices "$reports/notices" --format csv
# What is due from today on, of every notice of the year.
official /dev/stdout recheck --period "$year" --due-within 7
