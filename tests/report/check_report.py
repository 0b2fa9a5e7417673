"""check_report.py RESULTS.h5 REPORT.html SVGS [RANK.json]: every number the report page states about a grid
sweep, checked against the same number computed here from the raw /trials dataset with h5py and
numpy (independently of hpsweep's C++): the verdict (baseline, its best epoch, rise and gap, the
cure and its figures, the picks with and without early stopping), the ranking (order, means,
best epoch, final value, rise), the optimization history's best-so-far line, the heat-map cells,
and the importance shares. Also: the page parses, holds SVGS charts and references nothing external.

The definitions (docs/report.md): a configuration is scored by the mean over its finished (ok or
stopped) repeats, summed in trial order; the sweep's metric (val_loss, or val_metric) drives the
ranking, heat maps, importance and picks; rise = final_val_loss - best_val_loss and gap =
final_val_loss - final_train_loss per trial; the baseline is the best-ranked configuration with
every regularization setting 0; a cure is a configuration that differs from it in one swept setting.
"""
import json
import math
import re
import sys
from html.parser import HTMLParser

import h5py
import numpy as np
import yaml

FINISHED = (1, 4)
REGULARIZATION = ("dropout", "l2", "weight_decay", "input_noise")


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.svgs = 0
        self.titles = {}  # svg index -> its title (the first text in it)
        self.in_text = False
        self.cells = []  # heat-map cells with a value: (map index, attributes)
        self.bars = []  # rise/gap bars: (svg index, attributes)
        self.history = []  # best-so-far lines of the optimization history: attributes
        self.figures = {}  # verdict: data-k -> data-v
        self.external = []
        self.tables = {}  # id -> {"rows": [[(data-v, text, tag)]]}
        self.table = None
        self.cell = None
        self.verdict = ""  # the verdict's text
        self.in_verdict = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in ("meta", "br", "img", "link", "input", "circle", "rect", "line", "polyline", "polygon", "path", "stop"):
            self.stack.append(tag)
        if tag == "svg":
            self.svgs += 1
        if tag == "rect" and "data-v" in a:
            self.cells.append((self.svgs, a))
        if tag == "rect" and "data-group" in a:
            self.bars.append((self.svgs, a))
        if tag == "path" and "data-config" in a:
            self.history.append(a)
        if tag == "text":
            self.in_text = True
        if tag == "section" and a.get("id") == "verdict":
            self.in_verdict = True
        if tag == "b" and "data-k" in a:
            assert a["data-k"] not in self.figures, f"figure {a['data-k']} twice"
            self.figures[a["data-k"]] = a["data-v"]
        for name in ("src", "href", "xlink:href"):
            if a.get(name, "").startswith(("http://", "https://", "//")):
                self.external.append(a[name])
        if tag in ("link", "script", "img", "iframe") and (a.get("src") or a.get("href")):
            self.external.append(f"<{tag}> {a}")
        if tag == "table" and a.get("id"):
            self.table = self.tables.setdefault(a["id"], {"rows": []})
        elif tag == "tr" and self.table is not None:
            self.table["rows"].append([])
        elif tag in ("td", "th") and self.table is not None:
            self.cell = [a.get("data-v"), "", tag]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag == "text":
            self.in_text = False
        if tag == "section":
            self.in_verdict = False
        if tag in ("circle", "rect", "line", "polyline", "polygon", "path", "stop"):
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
        if self.in_verdict:
            self.verdict += data
        if self.in_text and self.svgs not in self.titles:
            self.titles[self.svgs] = data
        if self.cell is not None:
            self.cell[1] += data


def close(a, b, what):
    assert math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-15), f"{what}: page {a}, h5py {b}"


def stat(values):
    """Mean (summed in order) and sample sd; sd None for fewer than 2 values."""
    values = [float(v) for v in values]
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1)) if len(values) > 1 else None
    return mean, sd


class Sweep:
    """The file's trials grouped into configurations, scored as documented."""

    def __init__(self, path):
        with h5py.File(path, "r") as f:
            self.trials = f["trials"][()]
            self.val_metric_curves = f["curves/val_metric"][()]
            spec = yaml.safe_load(f.attrs["sweep"])
            self.max_epochs = int(f.attrs["max_epochs"])
            self.task = f.attrs["task"]
            self.task = self.task.decode() if isinstance(self.task, bytes) else str(self.task)
        metric = spec.get("metric", {}) or {}
        self.by_metric = metric.get("name", "val_loss") == "val_metric"
        default_goal = "minimize" if (not self.by_metric or self.task == "regression") else "maximize"
        self.maximize = metric.get("goal", default_goal) == "maximize"
        self.swept = [n for n in self.trials.dtype.names if n in (spec.get("parameters") or {})]
        self.configs = {}  # config -> list of rows, trial order
        for row in self.trials:
            if int(row["status"]) in FINISHED:
                self.configs.setdefault(int(row["config"]), []).append(row)
        self.score = {}
        self.final = {}
        for c, rows in self.configs.items():
            if self.by_metric:
                self.score[c] = stat(r["best_val_metric"] for r in rows)[0]
                finals = []
                for r in rows:  # the metric at the final epoch run
                    finals.append(self.val_metric_curves[int(r["trial"])][int(r["epochs_run"]) - 1])
                self.final[c] = stat(finals)[0]
            else:
                self.score[c] = stat(r["best_val_loss"] for r in rows)[0]
                self.final[c] = stat(r["final_val_loss"] for r in rows)[0]
        sign = -1.0 if self.maximize else 1.0
        self.ranking = sorted(self.configs, key=lambda c: (sign * self.score[c], int(self.configs[c][0]["trial"])))

    def rows(self, c):
        return self.configs[c]

    def epochs(self, row):
        """The epochs a trial was set to train."""
        return int(row["epochs"]) if "epochs" in self.trials.dtype.names else self.max_epochs

    def full_length(self, c):
        """Every repeat ok and trained all its epochs (none ended by patience or at a rung)."""
        return all(int(r["status"]) == 1 and int(r["epochs_run"]) == self.epochs(r) for r in self.rows(c))

    def worse(self, a, b):
        return a < b if self.maximize else a > b

    def setting(self, c, name):
        return self.configs[c][0][name]

    def rise(self, c):
        return stat(r["final_val_loss"] - r["best_val_loss"] for r in self.rows(c))

    def gap(self, c):
        return stat(r["final_val_loss"] - r["final_train_loss"] for r in self.rows(c))

    def best_epoch(self, c):
        return stat(r["best_epoch"] for r in self.rows(c))

    def unregularized(self, c):
        return all(float(self.setting(c, n)) == 0.0 for n in REGULARIZATION if n in self.trials.dtype.names)

    def one_setting_changes(self, base):
        """Configurations that trained every epoch and differ from `base` in one swept setting of at
        most 10 values, whose final-epoch score is no worse than the baseline's."""
        out = []
        for c in self.ranking:
            if c == base or not self.full_length(c):
                continue
            differ = [n for n in self.swept if self.setting(c, n) != self.setting(base, n)]
            if len(differ) == 1 and len(set(self.trials[differ[0]].tolist())) <= 10:
                if not self.worse(self.final[c], self.final[base]):
                    out.append((c, differ[0]))
        return out


def check_stat(figures, key, values):
    mean, sd = stat(values)
    close(figures[key], mean, key)
    if sd is not None:
        close(figures[key + "_sd"], sd, key + "_sd")
    return mean


def check_verdict(sweep, figures, text):
    base = next(c for c in sweep.ranking if sweep.unregularized(c))
    assert figures["baseline_config"].startswith(f"config {base} "), (figures["baseline_config"], base)
    rows = sweep.rows(base)
    check_stat(figures, "baseline_best_epoch", [r["best_epoch"] for r in rows])
    rise = check_stat(figures, "baseline_rise", [r["final_val_loss"] - r["best_val_loss"] for r in rows])
    gap = check_stat(figures, "baseline_gap", [r["final_val_loss"] - r["final_train_loss"] for r in rows])
    best = check_stat(figures, "baseline_best_val_loss", [r["best_val_loss"] for r in rows])
    cut_short = not sweep.full_length(base)
    assert ("baseline_epochs_run" in figures) == cut_short, "early stopping's cut not stated (or stated falsely)"
    if cut_short:
        check_stat(figures, "baseline_epochs_run", [r["epochs_run"] for r in rows])
    overfits = rise > 0.01 * abs(best)
    said = [f"baseline config {base}: best epoch {float(figures['baseline_best_epoch']):.3g}, rise {rise:.4g}, "
            f"gap {gap:.4g}: {'overfits' if overfits else 'no overfitting'}{' (cut short)' if cut_short else ''}"]
    if overfits:
        assert "Overfitting:" in text and "no overfitting" not in text, text
    else:
        assert "Overfitting:" not in text, text
        assert ("cut short" if cut_short else "no overfitting") in text, text
        close(figures["threshold"], 0.01 * abs(best), "threshold")
    # The largest rise among the 5 best configurations, named when it exceeds the baseline's.
    rising = [c for c in sweep.ranking[:5] if c != base and sweep.rise(c)[0] > rise and
              sweep.rise(c)[0] > 0.01 * abs(stat(r["best_val_loss"] for r in sweep.rows(c))[0])]
    if rising:
        top = max(rising, key=lambda c: (sweep.rise(c)[0], -sweep.ranking.index(c)))
        assert figures["largest_rise_config"].startswith(f"config {top} "), (figures["largest_rise_config"], top)
        close(figures["largest_rise"], sweep.rise(top)[0], "largest rise")
    else:
        assert "largest_rise_config" not in figures, figures
    changes = sweep.one_setting_changes(base) if overfits else []
    for kind, other, measure in (("rise", "gap", sweep.rise), ("gap", "rise", sweep.gap)):
        better = [(measure(c)[0], i, c, n) for i, (c, n) in enumerate(changes) if measure(c)[0] < measure(base)[0]]
        key = f"{kind}_cure_setting"
        if not better:
            assert key not in figures, f"{key} named, but no one-setting change shrinks the {kind}"
            continue
        _, _, c, name = min(better)
        if key not in figures:  # the gap cure is left unsaid when it is the rise cure
            setting, value = figures["rise_cure_setting"].split("=", 1)
            assert kind == "gap" and setting == name, figures
            assert math.isclose(float(value), float(sweep.setting(c, name)), rel_tol=1e-3), (value, c)
            continue
        setting, value = figures[key].split("=", 1)
        assert setting == name and math.isclose(float(value), float(sweep.setting(c, name)), rel_tol=1e-3), \
            (figures[key], name, c)
        values = {"rise": [r["final_val_loss"] - r["best_val_loss"] for r in sweep.rows(c)],
                  "gap": [r["final_val_loss"] - r["final_train_loss"] for r in sweep.rows(c)]}
        check_stat(figures, f"{kind}_cure_{kind}", values[kind])
        check_stat(figures, f"{kind}_cure_{other}", values[other])
        close(figures[f"{kind}_cure_final"], sweep.final[c], f"{kind} cure's final score")
        said.append(f"{kind} cure {figures[key]} (config {c}): {kind} {measure(c)[0]:.4g}")
    picked = sweep.ranking[0]
    assert figures["pick_best_config"].startswith(f"config {picked} ") or figures["pick_best_config"] == f"config {picked}"
    close(figures["pick_best_score"], sweep.score[picked], "pick by best epoch")
    close(figures["pick_best_final"], sweep.final[picked], "its final-epoch score")
    full = [c for c in sweep.ranking if sweep.full_length(c)]
    if not full:
        assert "pick_final_config" not in figures and "no ranking by the final epoch" in text, text
        said.append(f"pick by best epoch config {picked}, none by final epoch (no run trained every epoch)")
        return said
    sign = -1.0 if sweep.maximize else 1.0
    final = min(full, key=lambda c: (sign * sweep.final[c], full.index(c)))
    if final == picked:
        assert "pick_final_config" not in figures and "it picks the same" in text, text
    else:
        assert figures["pick_final_config"].startswith(f"config {final} "), (figures["pick_final_config"], final)
        close(figures["pick_final_score"], sweep.final[final], "pick by final epoch")
    said.append(f"pick by best epoch config {picked}, by final epoch config {final}")
    return said


def check_ranking(sweep, table):
    header = [t for _, t, _ in table["rows"][0]]
    col = {h.split(" ")[0]: i for i, h in enumerate(header)}
    primary = "val_metric" if sweep.by_metric else "val_loss"
    rows = table["rows"][1:]
    assert len(rows) == len(sweep.ranking), (len(rows), len(sweep.ranking))
    for row, c in zip(rows, sweep.ranking):
        assert int(row[col["config"]][1]) == c, (row, c)
        close(row[col["best_" + primary]][0], sweep.score[c], f"config {c} score")
        close(row[col["final_" + primary]][0], sweep.final[c], f"config {c} final")
        close(row[col["best_epoch"]][0], sweep.best_epoch(c)[0], f"config {c} best_epoch")
        close(row[col["rise"]][0], sweep.rise(c)[0], f"config {c} rise")
        metric = "best_val_metric" if sweep.by_metric else "best_val_loss"
        close(row[col["min"]][0], min(float(r[metric]) for r in sweep.rows(c)), f"config {c} min")
        close(row[col["max"]][0], max(float(r[metric]) for r in sweep.rows(c)), f"config {c} max")
        for name in ("best_val_loss", "final_val_loss", "best_val_metric", "best_test_loss", "best_test_metric",
                     "test_loss", "test_metric"):
            if name in col and name != "best_" + primary:
                close(row[col[name]][0], stat(r[name] for r in sweep.rows(c))[0], f"config {c} {name}")


def check_heat_maps(sweep, cells, pairs):
    """pairs: the (x, y) settings of each map in order; each cell is the best configuration mean."""
    maps = sorted({m for m, _ in cells})
    assert len(maps) == len(pairs), (maps, pairs)
    for m, (x, y) in zip(maps, pairs):
        expected = {}
        for c, score in sweep.score.items():
            key = (float(sweep.setting(c, x)), float(sweep.setting(c, y)))
            if key not in expected or (score > expected[key] if sweep.maximize else score < expected[key]):
                expected[key] = score
        found = {(float(a["data-x"]), float(a["data-y"])): float(a["data-v"]) for mm, a in cells if mm == m}
        assert found == expected, f"heat map {x} x {y}: page {found}, h5py {expected}"


def check_history(sweep, lines):
    """The optimization history's best-so-far line: the configurations, by number from 0, whose score
    (the ranking's: mean over finished repeats) is strictly better than every earlier finite score,
    with those scores. Configurations without a score are skipped."""
    expected = []  # (config, score) where the running best improves
    for c in range(int(sweep.trials["config"].max()) + 1):
        score = sweep.score.get(c, math.nan)
        if not math.isfinite(score):
            continue
        if not expected or (score > expected[-1][1] if sweep.maximize else score < expected[-1][1]):
            expected.append((c, score))
    assert len(lines) == (1 if expected else 0), f"{len(lines)} best-so-far lines"
    if not expected:
        return 0
    configs = [int(c) for c in lines[0]["data-config"].split()]
    values = lines[0]["data-v"].split()
    assert configs == [c for c, _ in expected], f"best so far improves at {configs}, h5py {[c for c, _ in expected]}"
    assert len(values) == len(configs), (values, configs)
    for (c, score), v in zip(expected, values):
        close(v, score, f"best so far at config {c}")
    return len(expected)


def check_rank_json(sweep, path):
    """`hpsweep rank --format json`: the same configurations in the same order with the same numbers."""
    rows = json.load(open(path))
    assert [r["config"] for r in rows] == sweep.ranking, ([r["config"] for r in rows], sweep.ranking)
    primary = "val_metric" if sweep.by_metric else "val_loss"
    for row in rows:
        c = row["config"]
        close(row["best_" + primary], sweep.score[c], f"rank config {c} score")
        close(row["final_" + primary], sweep.final[c], f"rank config {c} final")
        mean, sd = sweep.best_epoch(c)
        close(row["best_epoch"], mean, f"rank config {c} best_epoch")
        if sd is not None:
            close(row["best_epoch_std"], sd, f"rank config {c} best_epoch_std")
        close(row["rise"], sweep.rise(c)[0], f"rank config {c} rise")
        values = [float(r["best_val_metric" if sweep.by_metric else "best_val_loss"]) for r in sweep.rows(c)]
        if len(values) > 1:
            close(row["std"], stat(values)[1], f"rank config {c} std")
        for name in ("best_val_loss", "final_val_loss", "best_val_metric", "best_test_loss", "best_test_metric",
                     "test_loss", "test_metric"):
            if name in row and name != "best_" + primary:
                close(row[name], stat(r[name] for r in sweep.rows(c))[0], f"rank config {c} {name}")
    return len(rows)


def check_rise_gap_bars(sweep, titles, bars):
    """Each bar: the mean (and sd) rise or gap over the finished trials with that value of the setting."""
    finished = [r for rows in sweep.configs.values() for r in rows]
    finished.sort(key=lambda r: int(r["trial"]))
    checked = 0
    for index, a in bars:
        setting = titles[index].removeprefix("rise and gap by ")
        rows = [r for r in finished if f"{float(r[setting]):.3g}" == a["data-label"]]
        assert rows, (setting, a)
        if a["data-group"] == "rise":
            mean, sd = stat(r["final_val_loss"] - r["best_val_loss"] for r in rows)
        else:
            mean, sd = stat(r["final_val_loss"] - r["final_train_loss"] for r in rows)
        close(a["data-mean"], mean, f"{a['data-group']} at {setting}={a['data-label']}")
        if sd is not None:
            close(a["data-sd"], sd, f"{a['data-group']} sd at {setting}={a['data-label']}")
        checked += 1
    return checked


def check_trials(sweep, summary, diagnosis):
    """The summary's counts by status and the per-trial table's numbers."""
    statuses = [int(s) for s in sweep.trials["status"]]
    counts = {name: statuses.count(code) for code, name in ((1, "ok"), (4, "stopped"), (2, "diverged"), (3, "failed"))}
    text = next(t for row in summary["rows"] for _, t, _ in row if " ok, " in t)
    for name, n in counts.items():
        assert re.search(rf"\b{n} {name}\b", text), (text, name, n)
    header = [t for _, t, _ in diagnosis["rows"][0]]
    by_trial = {int(r["trial"]): r for r in sweep.trials}
    for row in diagnosis["rows"][1:]:
        r = by_trial[int(row[0][0])]
        cell = {h: row[i][0] for i, h in enumerate(header)}
        assert int(cell["config"]) == int(r["config"]) and int(cell["best_epoch"]) == int(r["best_epoch"])
        assert int(cell["epochs_run"]) == int(r["epochs_run"])
        close(cell["best_val_loss"], r["best_val_loss"], "trial best_val_loss")
        close(cell["rise"], r["final_val_loss"] - r["best_val_loss"], "trial rise")
        close(cell["gap"], r["final_val_loss"] - r["final_train_loss"], "trial gap")
    return len(diagnosis["rows"]) - 1


def importance(sweep):
    t = sweep.trials[np.isin(sweep.trials["status"], FINISHED)]
    y = (t["best_val_metric"] if sweep.by_metric else t["best_val_loss"]).astype(float)
    total = ((y - y.mean()) ** 2).sum()

    def eta2(keys):
        groups = {}
        for k, v in zip(keys, y):
            groups.setdefault(k, []).append(v)
        return sum(len(g) * (np.mean(g) - y.mean()) ** 2 for g in groups.values()) / total

    names = [n for n in sweep.swept if len(set(t[n].tolist())) > 1]
    out = {n: eta2(t[n].tolist()) for n in names}
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            keys = list(zip(t[a].tolist(), t[b].tolist()))
            if len(keys) >= 2 * len(set(keys)):
                out[f"{a} x {b}"] = max(0.0, eta2(keys) - out[a] - out[b])
    return out


def main():
    results, report, svgs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    text = open(report, encoding="utf-8").read()
    page = Page()
    page.feed(text)
    page.close()
    assert not page.stack, f"unclosed elements: {page.stack}"
    assert page.svgs == svgs, f"{page.svgs} <svg> elements, expected {svgs}"
    assert not page.external, f"external resources: {page.external}"
    assert not re.findall(r"https?://", text), "http(s):// references in the page"
    assert len(text.encode()) < 2 * 1024 * 1024, "page over 2 MB"
    sweep = Sweep(results)
    said = check_verdict(sweep, page.figures, page.verdict)
    check_ranking(sweep, page.tables["ranking"])
    table = page.tables.get("importance", {"rows": [[]]})  # no table when no setting varies
    shares = {row[0][1]: float(row[1][0]) for row in table["rows"][1:]}
    expected = importance(sweep)
    assert shares.keys() == expected.keys(), (shares, expected)
    for term, share in shares.items():
        close(share, expected[term], f"importance {term}")
    # The maps shown are the pairs whose settings matter most (both shares plus the interaction).
    names = [n for n in sweep.swept if len(set(sweep.trials[n].tolist())) > 1]
    names = [n for n in sweep.trials.dtype.names if n in names]  # the file's settings order
    weight = {}
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            weight[(a, b)] = shares.get(a, 0) + shares.get(b, 0) + shares.get(f"{a} x {b}", 0)
    pairs = sorted(weight, key=lambda p: -weight[p])[:3]  # stable: ties keep the settings order
    check_heat_maps(sweep, page.cells, pairs)
    bars = check_rise_gap_bars(sweep, page.titles, page.bars)
    improvements = check_history(sweep, page.history)
    rows = check_trials(sweep, page.tables["summary"], page.tables["diagnosis"])
    if len(sys.argv) > 4:
        print(f"rank --format json: {check_rank_json(sweep, sys.argv[4])} configurations = h5py's")
    print("verdict = h5py's: " + "; ".join(said))
    print(f"{bars} rise/gap bars, {rows} per-trial rows and {improvements} best-so-far steps = h5py's")
    print(f"ok: {page.svgs} svg, {len(sweep.ranking)} ranked configurations = h5py's, heat maps {pairs}, "
          f"importance {len(shares)} terms, {len(text)} bytes")


if __name__ == "__main__":
    main()
