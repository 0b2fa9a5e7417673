#!/usr/bin/env python3
"""Load an hpsweep results file with h5py and pandas, print the best trials and plot a curve.

    /usr/bin/python3 docs/examples/load_results.py overfitting.h5 --plot best.png

Needs only h5py, pandas and matplotlib (Debian: python3-h5py python3-pandas python3-matplotlib).
"""
import argparse

import h5py
import numpy as np
import pandas as pd

STATUS = {0: "pending", 1: "ok", 2: "diverged", 3: "failed", 4: "stopped"}


def load(path):
    with h5py.File(path, "r") as f:
        assert f.attrs["format"] == b"hpsweep-results" or f.attrs["format"] == "hpsweep-results"
        table = f["trials"][()]                      # a numpy structured array, one row per trial
        curves = {name: f["curves"][name][()] for name in ("train_loss", "val_loss", "val_metric")}
        sweep_text = f.attrs["sweep"]
    trials = pd.DataFrame(table)
    for column in trials.columns:                   # fixed-length strings arrive as bytes
        if trials[column].dtype == object:
            trials[column] = trials[column].str.decode("utf-8")
    trials["status"] = trials["status"].map(STATUS)
    return trials, curves, sweep_text


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("results")
    parser.add_argument("--plot", help="write the best trial's learning curves to this PNG")
    args = parser.parse_args()
    trials, curves, _ = load(args.results)
    assert curves["val_loss"].shape[0] == len(trials)

    done = trials[trials["status"] == "ok"].sort_values(["best_val_loss", "trial"])
    print(done.head(5)[["trial", "best_val_loss", "best_epoch", "final_val_loss", "seconds"]].to_string(index=False))
    print("status counts:", trials["status"].value_counts().to_dict())

    if args.plot:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        best = int(done.iloc[0]["trial"])
        val = curves["val_loss"][best]
        epochs = np.arange(1, np.count_nonzero(~np.isnan(val)) + 1)
        plt.plot(epochs, curves["train_loss"][best][: len(epochs)], label="train loss")
        plt.plot(epochs, val[: len(epochs)], label="validation loss")
        plt.axvline(int(done.iloc[0]["best_epoch"]), linestyle=":", color="gray", label="minimum")
        plt.xlabel("epoch")
        plt.legend()
        plt.title(f"trial {best}")
        plt.savefig(args.plot, dpi=80)
        print("wrote", args.plot)


if __name__ == "__main__":
    main()
