"""check_report.py RESULTS.h5 REPORT.html: the checks of report_page_test.sh, for the
overfitting sweep (dropout x l2, 2 x 2 configurations x 5 repeats, none failing): the page parses
with html.parser, has the expected charts and no external reference, its ranking's first row and
its heat-map cells and its importance shares equal the values computed here from the raw /trials
dataset.

Expected <svg> elements: best configuration's curves (1), top 5 (1), unregularized baseline and
best regularized (2), mean final gap by dropout and by l2 (2), one heat map l2 x dropout (1) = 7.
"""
import math
import re
import sys
from html.parser import HTMLParser

import h5py
import numpy as np

EXPECTED_SVGS = 7


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.svgs = 0
        self.cells = []  # heat-map cells with a value
        self.external = []
        self.tables = {}  # id -> {"header": [...], "rows": [[(data-v, text)]]}
        self.table = None
        self.cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in ("meta", "br", "img", "link", "input", "circle", "rect", "line", "polyline"):
            self.stack.append(tag)
        if tag == "svg":
            self.svgs += 1
        if tag == "rect" and "data-v" in a:
            self.cells.append(a)
        for name in ("src", "href", "xlink:href"):
            if a.get(name, "").startswith(("http://", "https://", "//")):
                self.external.append(a[name])
        if tag in ("link", "script", "img", "iframe") and (a.get("src") or a.get("href")):
            self.external.append(f"<{tag}> {a}")
        if tag == "table" and a.get("id"):
            self.table = self.tables.setdefault(a["id"], {"header": [], "rows": []})
        elif tag == "tr" and self.table is not None:
            self.table["rows"].append([])
        elif tag in ("td", "th") and self.table is not None:
            self.cell = [a.get("data-v"), "", tag]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in ("circle", "rect", "line", "polyline"):
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()
        if tag in ("td", "th") and self.cell is not None:
            value, text, kind = self.cell
            self.table["rows"][-1].append((value, text.strip(), kind))
            self.cell = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data


def best_config_mean(path):
    """The ranking's first value, from the raw /trials dataset: configurations by the mean
    best_val_loss of their ok/stopped repeats (summed in trial order), ties to the smaller trial."""
    with h5py.File(path, "r") as f:
        trials = f["trials"][()]
    means = {}
    for row in trials:  # in trial order
        if int(row["status"]) in (1, 4):
            means.setdefault(int(row["config"]), []).append(float(row["best_val_loss"]))
    best = min(means.items(), key=lambda kv: (sum(kv[1]) / len(kv[1]), kv[0]))
    return best[0], sum(best[1]) / len(best[1])


def heat_map_minima(path):
    """Minimum best_val_loss of the ok/stopped trials per (l2, dropout), from the raw dataset."""
    with h5py.File(path, "r") as f:
        trials = f["trials"][()]
    cells = {}
    for row in trials:
        if int(row["status"]) in (1, 4) and not math.isnan(row["best_val_loss"]):
            key = (float(row["l2"]), float(row["dropout"]))
            cells[key] = min(cells.get(key, math.inf), float(row["best_val_loss"]))
    return cells


def importance(path):
    """Correlation ratios of best_val_loss by dropout, by l2 and by their cells (minus both), over
    the ok/stopped trials, from the raw dataset."""
    with h5py.File(path, "r") as f:
        t = f["trials"][()]
    t = t[np.isin(t["status"], (1, 4))]
    y = t["best_val_loss"].astype(float)
    total = ((y - y.mean()) ** 2).sum()

    def eta2(keys):
        groups = {}
        for k, v in zip(keys, y):
            groups.setdefault(k, []).append(v)
        return sum(len(g) * (np.mean(g) - y.mean()) ** 2 for g in groups.values()) / total

    d, l = eta2(t["dropout"].tolist()), eta2(t["l2"].tolist())
    pair = eta2(list(zip(t["l2"].tolist(), t["dropout"].tolist())))
    return {"dropout": d, "l2": l, "l2 x dropout": max(0.0, pair - d - l)}


def main():
    results, report = sys.argv[1], sys.argv[2]
    text = open(report, encoding="utf-8").read()
    page = Page()
    page.feed(text)
    page.close()
    assert not page.stack, f"unclosed elements: {page.stack}"
    assert page.svgs == EXPECTED_SVGS, f"{page.svgs} <svg> elements, expected {EXPECTED_SVGS}"
    assert not page.external, f"external resources: {page.external}"
    urls = re.findall(r"https?://", text)
    assert not urls, f"{len(urls)} http(s):// references in the page"
    assert len(text.encode()) < 2 * 1024 * 1024, "page over 2 MB"
    ranking = page.tables["ranking"]["rows"]
    header = [t for _, t, _ in ranking[0]]
    column = next(i for i, h in enumerate(header) if h.startswith("best_val_loss"))
    first = ranking[1]
    config, mean = best_config_mean(results)
    assert int(first[header.index("config")][1]) == config, (first, config)
    shown = float(first[column][0])
    assert math.isclose(shown, mean, rel_tol=1e-13, abs_tol=0), (shown, mean)
    expected = heat_map_minima(results)
    found = {(float(c["data-x"]), float(c["data-y"])): float(c["data-v"]) for c in page.cells}
    assert found == expected, f"heat map l2 x dropout: page {found}, file {expected}"
    print(f"heat map: {len(found)} cells = h5py's minima")
    shares = {row[0][1]: float(row[1][0]) for row in page.tables["importance"]["rows"][1:]}
    expected = importance(results)
    assert shares.keys() == expected.keys(), (shares, expected)
    for term, share in shares.items():
        assert math.isclose(share, expected[term], rel_tol=1e-9, abs_tol=1e-12), (term, share, expected[term])
    print(f"importance: {shares} = h5py's")
    print(f"ok: {page.svgs} svg, ranking #1 config {config} best_val_loss {shown!r} = h5py {mean!r}, "
          f"{len(text)} bytes")


if __name__ == "__main__":
    main()
