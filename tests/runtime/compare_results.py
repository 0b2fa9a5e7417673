#!/usr/bin/python3
"""compare_results.py A.h5 B.h5: exit 0 when two results files hold the same sweep and the same
results, ignoring only what records where and when (the `seconds` and `rank` columns and the
`created`, `wall_seconds`, `ranks`, `threads`, `epochs_trained`, `shard_runs` attributes: the compute a run
took, which a kill and resume raises). NaN equals NaN."""
import sys

import h5py
import numpy as np

IGNORED_COLUMNS = {"seconds", "rank"}
IGNORED_ATTRS = {"created", "wall_seconds", "ranks", "threads", "epochs_trained", "shard_runs"}


def same(a, b):
    if a.dtype.kind == "f":
        return np.array_equal(a, b, equal_nan=True)
    return np.array_equal(a, b)


def main(left, right):
    problems = []
    with h5py.File(left, "r") as a, h5py.File(right, "r") as b:
        for name in sorted(set(a.attrs) | set(b.attrs)):
            if name not in IGNORED_ATTRS and not np.array_equal(np.asarray(a.attrs.get(name)), np.asarray(b.attrs.get(name))):
                problems.append(f"attribute {name}: {a.attrs.get(name)!r} != {b.attrs.get(name)!r}")
        ta, tb = a["trials"][()], b["trials"][()]
        if ta.dtype.names != tb.dtype.names or len(ta) != len(tb):
            problems.append("the /trials tables have different columns or lengths")
        else:
            for column in ta.dtype.names:
                if column not in IGNORED_COLUMNS and not same(ta[column], tb[column]):
                    rows = [i for i in range(len(ta)) if not same(ta[column][i:i + 1], tb[column][i:i + 1])]
                    problems.append(f"/trials column {column} differs in rows {rows[:10]}")
        # Every curve: the built-in three and, in a program sweep, each reported metric's.
        if sorted(a["curves"]) != sorted(b["curves"]):
            problems.append(f"/curves holds {sorted(a['curves'])} and {sorted(b['curves'])}")
        for curve in sorted(set(a["curves"]) & set(b["curves"])):
            if not same(a["curves"][curve][()], b["curves"][curve][()]):
                problems.append(f"/curves/{curve} differs")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
