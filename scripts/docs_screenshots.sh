#!/usr/bin/env bash
# docs_screenshots.sh [HPSWEEP]: remakes docs/images/report-overfitting.png and
# report-digits_overfitting.png, the report pages of the two bundled overfitting studies at 1280 px,
# shown in the README. Needs chromium; HPSWEEP defaults to build/release/hpsweep.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
hpsweep=$(realpath "${1:-$root/build/release/hpsweep}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$root/docs/images"
for study in overfitting digits_overfitting; do
  "$root/scripts/report_screenshot.sh" "$hpsweep" "$root/sweeps/$study.yaml" "$work/$study"
  cp "$work/$study.png" "$root/docs/images/report-$study.png"
done
