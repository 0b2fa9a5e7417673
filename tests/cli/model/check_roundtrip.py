"""check_roundtrip.py RESULTS TRIAL MODEL PREDICT_LOG PREDICTIONS NUMPY_PREDICTIONS

Checks one saved model against the results file it came from, with h5py: the loss `hpsweep
predict` printed equals the validation loss the sweep recorded at the model's epoch (bit for bit),
early stopping's restored weights are those of the best epoch, and the numpy example's
predictions agree with hpsweep's.
"""
import re
import sys

import h5py
import numpy as np
import pandas as pd

results, trial, model_path, log, predictions, numpy_predictions = sys.argv[1:]
trial = int(trial)
with h5py.File(results, "r") as r, h5py.File(model_path, "r") as m:
    row = r["trials"][trial]
    epochs_run = int(row["epochs_run"])
    val_curve = r["curves/val_loss"][trial][:epochs_run]
    epoch = int(m.attrs["weights_epoch"])
    assert int(m.attrs["trial"]) == trial, m.attrs["trial"]
    assert int(m.attrs["seed"]) == int(row["seed"]), (m.attrs["seed"], row["seed"])
    assert m.attrs["data_fingerprint"] == r.attrs["data_fingerprint"]
    recorded = float(val_curve[epoch - 1])
    assert float(m.attrs["val_loss"]) == recorded, (m.attrs["val_loss"], recorded)
    if epochs_run < int(r.attrs["max_epochs"]):          # ended by early stopping: the best weights
        assert epoch == int(row["best_epoch"]), (epoch, row["best_epoch"])
    else:
        assert epoch == epochs_run, (epoch, epochs_run)
    task = m.attrs["task"]
    task = task.decode() if isinstance(task, bytes) else task

printed = float(re.search(r"loss ([0-9.e+-]+)", open(log).read()).group(1))
assert printed == recorded, f"predict's loss {printed!r} != the recorded {recorded!r} (epoch {epoch})"

ours = pd.read_csv(predictions)
theirs_text = open(numpy_predictions).read().splitlines()
numpy_loss = float(theirs_text[-1].split()[1])
assert abs(numpy_loss - recorded) <= 1e-4 * abs(recorded), (numpy_loss, recorded)
theirs = pd.read_csv(pd.io.common.StringIO("\n".join(theirs_text[:-1])))
assert list(ours.columns) == list(theirs.columns), (list(ours.columns), list(theirs.columns))
assert len(ours) == len(theirs)
if task == "regression":
    assert np.allclose(ours["prediction"], theirs["prediction"], rtol=1e-4, atol=1e-4)
else:
    probabilities = [c for c in ours.columns if c.startswith("p_")]
    assert np.abs(ours[probabilities].to_numpy() - theirs[probabilities].to_numpy()).max() < 1e-4
    agree = (ours["prediction"].to_numpy() == theirs["prediction"].to_numpy()).mean()
    assert agree > 0.99, agree
print(f"trial {trial}: epoch {epoch} of {epochs_run}, val_loss {recorded!r} reproduced ({task})")
