#!/usr/bin/env bash
# Speed and size of `hpsweep report` on a 10,000-trial, 100-epoch results file (issue 5 target:
# under 5 s, page under 2 MB). The file is made by running bench/report_10k.yaml.
#   bench/report_speed.sh [build/release/hpsweep]
set -euo pipefail
hpsweep=$(realpath "${1:-build/release/hpsweep}")
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
/usr/bin/time -f "made the 10,000-trial file in %e s" "$hpsweep" run "$here/report_10k.yaml" -o r.h5 --quiet
ls -l r.h5 | awk '{printf "results file: %.1f MB\n", $5 / 1e6}'
for i in 1 2 3; do
  /usr/bin/time -f "report: %e s wall, %M KB peak memory" "$hpsweep" report r.h5 -o report.html
done
ls -l report.html | awk '{printf "page: %.0f KB\n", $5 / 1e3}'
