#!/usr/bin/env bash
# report_page_test.sh HPSWEEP SWEEP SVGS: `hpsweep report` on a real sweep writes one page that
# parses, holds SVGS charts, references nothing external, and whose every stated number (verdict,
# ranking, heat maps, importance) equals the one computed from the results file with h5py; so do
# the columns of `hpsweep rank --format json`.
set -euo pipefail
hpsweep=$1 sweep=$2 svgs=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$hpsweep" run "$sweep" -o "$dir/r.h5" --quiet
"$hpsweep" report "$dir/r.h5" -o "$dir/report.html"
"$hpsweep" rank "$dir/r.h5" --format json > "$dir/rank.json"
/usr/bin/python3 "$(dirname "$0")/check_report.py" "$dir/r.h5" "$dir/report.html" "$svgs" "$dir/rank.json"
