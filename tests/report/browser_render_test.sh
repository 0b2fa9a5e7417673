#!/usr/bin/env bash
# browser_render_test.sh HPSWEEP SWEEP: the report renders in headless Chromium (Debian's chromium
# package): after the page's scripts ran, the DOM holds the expected 7 charts, and a screenshot
# shows drawn plots (many colours, not a blank page). Skipped (77) when chromium is not installed.
set -euo pipefail
hpsweep=$1 sweep=$2
browser=$(command -v chromium || true)
[ -n "$browser" ] || { echo "SKIP: chromium is not installed (apt-get install chromium)"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$hpsweep" run "$sweep" -o "$dir/r.h5" --quiet
"$hpsweep" report "$dir/r.h5" -o "$dir/report.html"
# As root Chromium needs --no-sandbox; the network flags keep it from calling home on a closed network.
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --hide-scrollbars "--user-data-dir=$dir/profile")
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$dir/report.html" > "$dir/dom.html" 2> "$dir/chromium.log" \
  || { cat "$dir/chromium.log"; echo "FAIL: chromium could not load the page"; exit 1; }
timeout 120 "$browser" "${flags[@]}" --window-size=1280,6000 "--screenshot=$dir/page.png" "file://$dir/report.html" \
  >> "$dir/chromium.log" 2>&1 || { cat "$dir/chromium.log"; echo "FAIL: no screenshot"; exit 1; }
/usr/bin/python3 - "$dir/dom.html" "$dir/page.png" <<'PY'
import sys
from PIL import Image
dom = open(sys.argv[1]).read()
svgs = dom.count("<svg")
assert svgs == 7, f"rendered DOM has {svgs} charts, expected 7"
assert "sortable" in dom and "<table" in dom, "tables missing from the rendered page"
image = Image.open(sys.argv[2]).convert("RGB")
w, h = image.size
small = image.resize((w // 4, h // 4))
colours = len(set(small.getdata()))
non_white = sum(1 for p in small.getdata() if p != (255, 255, 255))
print(f"screenshot {w}x{h}: {colours} distinct colours, {100 * non_white / (small.size[0] * small.size[1]):.1f}% non-white")
assert colours > 50, "the screenshot is (nearly) blank"
assert non_white > 0.02 * small.size[0] * small.size[1], "almost nothing is drawn"
PY
echo PASS
