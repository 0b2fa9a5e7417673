#!/usr/bin/env bash
# browser_render_test.sh HPSWEEP SWEEP SVGS: the report renders in headless Chromium (Debian's
# chromium package): after the page's scripts ran, the DOM holds SVGS charts and every number
# check_report.py checks still equals h5py's, and a 1280 px screenshot shows drawn plots (many
# colours, not a blank page). Skipped (77) when chromium is not installed.
set -euo pipefail
hpsweep=$1 sweep=$2 svgs=$3
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$here/../../scripts/report_screenshot.sh" "$hpsweep" "$sweep" "$dir/page"
/usr/bin/python3 "$here/check_report.py" "$dir/page.h5" "$dir/page.dom.html" "$svgs"
/usr/bin/python3 - "$dir/page.png" <<'PY'
import sys
from PIL import Image
image = Image.open(sys.argv[1]).convert("RGB")
w, h = image.size
assert w == 1280, f"screenshot {w} px wide"
small = image.resize((w // 4, h // 4))
colours = len(set(small.getdata()))
non_white = sum(1 for p in small.getdata() if p != (255, 255, 255))
print(f"screenshot {w}x{h}: {colours} distinct colours, {100 * non_white / (small.size[0] * small.size[1]):.1f}% non-white")
assert h > 2000, "the page is too short to hold its sections"
assert colours > 50, "the screenshot is (nearly) blank"
assert non_white > 0.02 * small.size[0] * small.size[1], "almost nothing is drawn"
PY
echo PASS
