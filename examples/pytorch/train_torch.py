#!/usr/bin/env python3
"""An MLP on the breast-cancer data in PyTorch, written as a user would write it for hpsweep:
parameters from HPSWEEP_PARAMS (or --name=value), the trial's seed from HPSWEEP_SEED, threads from
HPSWEEP_THREADS, one JSON report per epoch on standard output, and a checkpoint in
HPSWEEP_TRIAL_DIR so that a trial interrupted by a time limit goes on where it stopped when the
sweep is resumed (its earlier reports are printed again from the checkpoint)."""
import csv
import json
import os
import signal

import numpy as np
import torch

params = json.loads(os.environ["HPSWEEP_PARAMS"])
torch.manual_seed(int(os.environ["HPSWEEP_SEED"]) % 2**63)
torch.set_num_threads(int(os.environ.get("HPSWEEP_THREADS", "1")))
trial_dir = os.environ["HPSWEEP_TRIAL_DIR"]
here = os.path.dirname(os.path.abspath(__file__))

# The data: 569 samples, 30 features, target `benign`; a fixed 70/30 split, standardized on the
# training part.
with open(os.path.join(here, "..", "..", "sweeps", "data", "breast_cancer.csv")) as f:
    rows = list(csv.reader(f))
header, values = rows[0], np.array(rows[1:], dtype=np.float32)
target = header.index("benign")
x, y = np.delete(values, target, axis=1), values[:, target]
order = np.random.default_rng(1).permutation(len(x))
train, val = order[: int(0.7 * len(x))], order[int(0.7 * len(x)):]
mean, std = x[train].mean(0), x[train].std(0) + 1e-8
x = (x - mean) / std
xt, yt = torch.tensor(x[train]), torch.tensor(y[train])
xv, yv = torch.tensor(x[val]), torch.tensor(y[val])

model = torch.nn.Sequential(torch.nn.Linear(x.shape[1], params["hidden"]), torch.nn.ReLU(),
                            torch.nn.Dropout(params["dropout"]), torch.nn.Linear(params["hidden"], 1))
optimizer = torch.optim.Adam(model.parameters(), lr=params["lr"], weight_decay=params["weight_decay"])
loss_fn = torch.nn.BCEWithLogitsLoss()

checkpoint = os.path.join(trial_dir, "checkpoint.pt")
history, start = [], 1
if os.path.exists(checkpoint):  # an interrupted run of this trial: go on from its last epoch
    state = torch.load(checkpoint)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    torch.set_rng_state(state["rng"])
    history, start = state["history"], state["epoch"] + 1
    for report in history:
        print(json.dumps(report), flush=True)

stopping = False
def stop(signum, frame):  # hpsweep passes a stop (a time limit) on as SIGTERM: finish the epoch
    global stopping
    stopping = True
signal.signal(signal.SIGTERM, stop)

for epoch in range(start, params["epochs"] + 1):
    model.train()
    permutation = torch.randperm(len(xt))
    for i in range(0, len(xt), params["batch_size"]):
        batch = permutation[i:i + params["batch_size"]]
        optimizer.zero_grad()
        loss = loss_fn(model(xt[batch]).squeeze(1), yt[batch])
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        train_loss = loss_fn(model(xt).squeeze(1), yt).item()
        logits = model(xv).squeeze(1)
        val_loss = loss_fn(logits, yv).item()
        accuracy = ((logits > 0).float() == yv).float().mean().item()
    report = {"epoch": epoch, "train_loss": train_loss, "val_loss": val_loss, "val_accuracy": accuracy}
    history.append(report)
    print(json.dumps(report), flush=True)
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "rng": torch.get_rng_state(),
                "history": history, "epoch": epoch}, checkpoint + ".tmp")
    os.replace(checkpoint + ".tmp", checkpoint)
    if stopping:
        raise SystemExit(143)
