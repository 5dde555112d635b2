#!/usr/bin/env bash
# For the bureau's own repository's CI: on a change that touches standards/, write what the
# change would do to the latest half-year's scores and subsidies, as Markdown for a review
# comment. Exits 0 when the diff ran (whatever changed) and non-zero only when it could not run.
#
#   examples/ci/standards-diff.sh origin/main > standards-diff.md
set -euo pipefail
base=${1:?usage: standards-diff.sh BASE-REV [PERIOD]}
# The last complete half-year, e.g. 2026H1 when run in the second half of 2026.
period=${2:-$(date -d "$(date +%Y-%m-01) -6 months" +%Y)H$(( ($(date -d "$(date +%Y-%m-01) -6 months" +%-m) - 1) / 6 + 1 ))}
oldestate=${OLDESTATE:-oldestate}
if git diff --quiet "$base" -- standards/; then
  echo "No change to standards/ against $base."
  exit 0
fi
echo "## What this standards change does to $period"
echo
git diff --stat "$base" -- standards/ | sed 's/^/    /'
echo
"$oldestate" standards diff --period "$period" --against "$base" --format md
