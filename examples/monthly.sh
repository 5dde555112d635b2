#!/usr/bin/env bash
# The monthly routine, ready for cron: import the month's sheets from an inbox, validate the
# workspace, write the month's reports, and list the notices due for re-inspection.
#
#   0 7 2 * *  cd /srv/district && OLDESTATE=/usr/local/bin/oldestate examples/monthly.sh inbox
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

"$oldestate" check > "$reports/check.txt"
"$oldestate" inspect coverage --period "$month" --format csv > "$reports/coverage.csv"
"$oldestate" score --period "$month" --format csv > "$reports/score.csv"
"$oldestate" score --period "$month" --format json > "$reports/score.json"
"$oldestate" recheck --period "$month" --notices "$reports/notices" --format csv > "$reports/notices.csv"
"$oldestate" recheck --period "$month" --due-within 7
