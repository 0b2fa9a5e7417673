#!/usr/bin/env bash
# partial_report_test.sh HPSWEEP SLOW_SWEEP: a sweep killed (-9) mid-run still gives a report of what
# is there, clearly marked PARTIAL with the pending count that `hpsweep info` reports, and the
# report neither changes the results file nor its journal.
set -euo pipefail
hpsweep=$1 sweep=$2
dir=$(mktemp -d)
trap 'kill -9 "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
"$hpsweep" run "$sweep" -o "$dir/r.h5" --quiet --threads 1 &
pid=$!
# Wait until some (not all) trials have finished, then kill the run without warning.
for _ in $(seq 1 600); do
  ok=$("$hpsweep" info "$dir/r.h5" 2>/dev/null | sed -n 's/^trials: .*planned: \([0-9]*\) ok.*/\1/p' || true)
  [ -n "$ok" ] && [ "$ok" -ge 2 ] && break
  sleep 0.05
done
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
pending=$("$hpsweep" info "$dir/r.h5" | sed -n 's/^trials: .* \([0-9]*\) pending$/\1/p')
[ "$pending" -gt 0 ] || { echo "FAIL: the run finished before it was killed; nothing partial to test"; exit 1; }
before=$(sha256sum "$dir"/r.h5 "$dir"/.r.h5.journal 2>/dev/null || true)
"$hpsweep" report "$dir/r.h5" -o "$dir/report.html"
after=$(sha256sum "$dir"/r.h5 "$dir"/.r.h5.journal 2>/dev/null || true)
[ "$before" = "$after" ] || { echo "FAIL: report changed the results file or its journal"; exit 1; }
grep -q "<b>PARTIAL</b>: $pending trial(s) still pending" "$dir/report.html" \
  || { echo "FAIL: the page is not marked partial with $pending pending"; grep -o '<p class="partial">[^/]*' "$dir/report.html"; exit 1; }
/usr/bin/python3 - "$dir/report.html" <<'PY'
import sys
from html.parser import HTMLParser
class Count(HTMLParser):
    rows = 0
    def handle_starttag(self, tag, attrs):
        if tag == "tr" and self.in_ranking: self.rows += 1
        if tag == "table": self.in_ranking = dict(attrs).get("id") == "ranking"
    in_ranking = False
p = Count(); p.feed(open(sys.argv[1]).read())
assert p.rows >= 2, f"ranking table has {p.rows} rows (header + at least one configuration expected)"
PY
echo "PASS: partial report with $pending pending trials"
