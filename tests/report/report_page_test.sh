#!/usr/bin/env bash
# report_page_test.sh HPSWEEP SWEEP: `hpsweep report` on a real sweep writes one page that parses,
# holds the expected charts, references nothing external, and whose ranking agrees with the
# results file read independently with h5py.
set -euo pipefail
hpsweep=$1 sweep=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$hpsweep" run "$sweep" -o "$dir/r.h5" --quiet
"$hpsweep" report "$dir/r.h5" -o "$dir/report.html"
/usr/bin/python3 "$(dirname "$0")/check_report.py" "$dir/r.h5" "$dir/report.html"
