#!/usr/bin/python3
"""Early termination against the full sweep (issue 7's benchmark).

The 243-configuration random sweep of bench/early_termination.yaml (dropout, l2, lr, batch size,
width; 50 epochs on the synthetic overfitting set) is run in full and with each early_terminate
variant, over 5 sweep seeds. For each run it reports:
  - epochs used: the epochs in the results file's curves (sum of epochs_run) over the full
    sweep's, and epochs trained (the file's epochs_trained attribute, which also counts the
    epochs sha/hyperband retrain when a paused trial goes on: it starts again from scratch);
  - the best validation loss found, and how far it is above the full sweep's best (in %).

Usage: /usr/bin/python3 bench/early_termination.py [path/to/hpsweep] [--seeds 5]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
VARIANTS = {
    "full": None,
    "asha": "{type: asha, grace_period: 3, reduction_factor: 3}",
    "sha": "{type: sha, min_iter: 3, eta: 3}",
    "hyperband": "{type: hyperband, min_iter: 3, eta: 3}",
    "median": "{type: median, grace_period: 5}",
}


def run(hpsweep, sweep_text, directory, name):
    path = os.path.join(directory, name + ".yaml")
    with open(path, "w") as f:
        f.write(sweep_text)
    out = os.path.join(directory, name + ".h5")
    start = time.perf_counter()
    subprocess.run([hpsweep, "run", path, "-o", out, "--quiet", "--restart"], check=True)
    seconds = time.perf_counter() - start
    with h5py.File(out, "r") as f:
        t = f["trials"][()]
        finished = (t["status"] == 1) | (t["status"] == 4)  # ok or stopped
        full_rows = t[t["status"] == 1]
        return {
            "epochs": int(t["epochs_run"].sum()),
            "trained": int(f.attrs["epochs_trained"]),
            # Selected like `hpsweep rank`: among the trials trained to the end when there are any.
            "best": float(np.nanmin(full_rows["best_val_loss"] if len(full_rows) else t[finished]["best_val_loss"])),
            "seconds": seconds,
        }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("hpsweep", nargs="?", default=os.path.join(HERE, "..", "build", "release", "hpsweep"))
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    base = open(os.path.join(HERE, "early_termination.yaml")).read()
    rows = {v: [] for v in VARIANTS}
    with tempfile.TemporaryDirectory() as directory:
        for seed in range(1, args.seeds + 1):
            text = base.replace("seed: 1\n", f"seed: {seed}\n", 1)
            for variant, et in VARIANTS.items():
                sweep = text if et is None else text + f"early_terminate: {et}\n"
                rows[variant].append(run(args.hpsweep, sweep, directory, f"{variant}_{seed}"))
    print(f"243 configurations x 50 epochs, {args.seeds} sweep seeds (mean; worst seed in brackets)\n")
    print("| early_terminate | epochs used | epochs trained | best val loss | above the full sweep's best | wall s |")
    print("|---|---|---|---|---|---|")
    full_epochs = [r["epochs"] for r in rows["full"]]
    for variant in VARIANTS:
        used = [r["epochs"] / f for r, f in zip(rows[variant], full_epochs)]
        trained = [r["trained"] / f for r, f in zip(rows[variant], full_epochs)]
        gap = [100 * (r["best"] / full["best"] - 1) for r, full in zip(rows[variant], rows["full"])]
        best = statistics.mean(r["best"] for r in rows[variant])
        wall = statistics.mean(r["seconds"] for r in rows[variant])
        print(f"| {variant} | {100 * statistics.mean(used):.1f}% ({100 * max(used):.1f}%) "
              f"| {100 * statistics.mean(trained):.1f}% ({100 * max(trained):.1f}%) | {best:.4f} "
              f"| {statistics.mean(gap):+.2f}% ({max(gap):+.2f}%) | {wall:.2f} |")


if __name__ == "__main__":
    sys.exit(main())
