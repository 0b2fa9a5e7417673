#!/usr/bin/python3
"""check_program_sweep.py RESULTS.h5 TRIALS_DIR: checks the toy_train.py sweep's file against what
the program printed: every mode's status and message, and every curve value of the trials that
reported (recomputed here from the formula toy_train.py uses and the trial's seed, bit for bit)."""
import math
import os
import sys

import h5py
import numpy as np

EXPECTED = {  # mode -> (status, a substring of the message)
    "ok": ("ok", ""),
    "fail": ("failed", "exited with code 3"),
    "crash": ("failed", "killed by signal 11 (SIGSEGV)"),
    "hang": ("failed", "timed out"),
    "silent": ("failed", "never reported loss"),
    "flood": ("ok", "cut and not read as reports"),
    "nan": ("diverged", "loss was not finite at report 3"),
}


def decode(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def main(path, trials_dir):
    problems = []
    with h5py.File(path, "r") as f:
        trials = f["trials"][()]
        statuses = h5py.check_enum_dtype(f["trials"].dtype["status"])
        names = {v: k for k, v in statuses.items()}
        curves = {name: f["curves"][name][()] for name in f["curves"]}
        if decode(f.attrs["metric"]) != "loss":
            problems.append(f"attribute metric is {f.attrs['metric']!r}")
        for row in trials:
            t, mode, lr, seed = int(row["trial"]), decode(row["mode"]), float(row["lr"]), int(row["seed"])
            status, message = names[row["status"]], decode(row["message"])
            want_status, want_text = EXPECTED[mode]
            if status != want_status or want_text not in message:
                problems.append(f"trial {t} ({mode}): {status} '{message}', expected {want_status} '{want_text}'")
            if mode == "fail" and "lr too large" not in message:
                problems.append(f"trial {t}: the message lacks the end of stderr: '{message}'")
            reports = {"ok": 4, "flood": 4, "nan": 3, "crash": 1, "hang": 1, "silent": 4, "fail": 0}[mode]
            if row["epochs_run"] != reports:
                problems.append(f"trial {t} ({mode}): {row['epochs_run']} reports, expected {reports}")
            if mode in ("ok", "flood", "nan"):
                loss = [lr * 10 / e + (seed % 1000) / 1e6 for e in range(1, reports + 1)]
                if mode == "nan":
                    loss[2] = math.nan
                got = curves["loss"][t][:reports]
                if not np.array_equal(got, loss, equal_nan=True):
                    problems.append(f"trial {t}: /curves/loss {got} != printed {loss}")
                if not np.array_equal(curves["train_loss"][t][:reports], [x * 0.9 for x in loss], equal_nan=True):
                    problems.append(f"trial {t}: /curves/train_loss differs from what was printed")
                if not np.array_equal(curves["epoch"][t][:reports], list(range(1, reports + 1))):
                    problems.append(f"trial {t}: /curves/epoch differs")
                if not np.isnan(curves["loss"][t][reports:]).all():
                    problems.append(f"trial {t}: /curves/loss is not NaN after the reports")
            if mode in ("ok", "flood"):
                if row["best_metric"] != min(loss) or row["final_metric"] != loss[-1] or row["best_epoch"] != 4:
                    problems.append(f"trial {t}: best_metric {row['best_metric']} at {row['best_epoch']}, final {row['final_metric']}")
            log = os.path.join(trials_dir, f"trial-{t}", "stdout.log")
            size = os.path.getsize(log) if os.path.exists(log) else -1
            if mode == "ok" and "epoch 1 done" not in open(log).read():
                problems.append(f"trial {t}: {log} does not hold the program's output")
            if mode == "flood" and size < 7_000_000:
                problems.append(f"trial {t}: {log} holds {size} bytes, not the 7 MB printed")
        if "val_loss" not in curves or not np.isnan(curves["val_loss"]).all():
            problems.append("/curves/val_loss should be all NaN (the program never reported val_loss)")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
