#!/usr/bin/env bash
# report_screenshot.sh HPSWEEP SWEEP PREFIX: runs SWEEP, writes its report and renders it in headless
# Chromium (Debian's chromium package) at 1280 px: PREFIX.h5, PREFIX.html, PREFIX.dom.html (the DOM
# after the page's scripts ran) and PREFIX.png (the whole page, trailing blank rows cropped).
# The screenshots in docs/images are made by scripts/docs_screenshots.sh with this script.
# Exit 77 when chromium is not installed.
set -euo pipefail
hpsweep=$(realpath "$1") sweep=$(realpath "$2") prefix=$3
# Run beside the outputs, so that the page names its results file without a temporary directory.
cd "$(dirname "$prefix")"
prefix=$(basename "$prefix")
browser=$(command -v chromium || true)
[ -n "$browser" ] || { echo "chromium is not installed (apt-get install chromium)" >&2; exit 77; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
rm -f "$prefix.h5" "$prefix.html"
"$hpsweep" run "$sweep" -o "$prefix.h5" --quiet
"$hpsweep" report "$prefix.h5" -o "$prefix.html"
# As root Chromium needs --no-sandbox; the network flags keep it from calling home on a closed network.
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --hide-scrollbars "--user-data-dir=$profile")
url="file://$(realpath "$prefix.html")"
timeout 120 "$browser" "${flags[@]}" --dump-dom "$url" > "$prefix.dom.html" 2> "$profile/chromium.log" \
  || { cat "$profile/chromium.log" >&2; echo "chromium could not load the page" >&2; exit 1; }
# Tall enough for the whole page; the blank rows below it are cropped.
timeout 120 "$browser" "${flags[@]}" --window-size=1280,9000 "--screenshot=$profile/page.png" "$url" \
  >> "$profile/chromium.log" 2>&1 || { cat "$profile/chromium.log" >&2; echo "no screenshot" >&2; exit 1; }
/usr/bin/python3 - "$profile/page.png" "$prefix.png" <<'PY'
import sys
from PIL import Image, ImageChops
image = Image.open(sys.argv[1]).convert("RGB")
blank = Image.new("RGB", image.size, (255, 255, 255))
box = ImageChops.difference(image, blank).getbbox()
bottom = min(image.size[1], box[3] + 20) if box else image.size[1]
# 256 colours keep every chart's colours and make the file a third of the size.
image.crop((0, 0, image.size[0], bottom)).quantize(colors=256).save(sys.argv[2], optimize=True)
print(f"{sys.argv[2]}: {image.size[0]}x{bottom}")
PY
