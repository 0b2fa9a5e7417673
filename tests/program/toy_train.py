#!/usr/bin/env python3
"""A stand-in for a user's training script: reads its parameters as hpsweep passes them
(--name=value arguments and HPSWEEP_PARAMS), prints one JSON report per epoch, and
misbehaves on request (`mode`), so that the tests see every way a program can end."""
import json
import math
import os
import signal
import sys
import time

params = json.loads(os.environ["HPSWEEP_PARAMS"])
args = dict(a[2:].split("=", 1) for a in sys.argv[1:] if a.startswith("--"))
assert float(args["lr"]) == params["lr"], (args, params)  # both ways carry the same value
mode = params.get("mode", "ok")
epochs = int(params.get("epochs", 4))
seed = int(os.environ["HPSWEEP_SEED"])
trial_dir = os.environ["HPSWEEP_TRIAL_DIR"]

if mode == "crash":
    print('{"epoch": 1, "loss": 0.5}', flush=True)
    sys.stderr.write("about to crash\n")
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGSEGV)
if mode == "hang":
    print('{"epoch": 1, "loss": 0.5}', flush=True)
    time.sleep(300)
if mode == "fail":
    sys.stderr.write("ValueError: lr too large\n")
    sys.exit(3)
if mode == "flood":
    line = "x" * 1000
    for _ in range(4000):  # 4 MB of ordinary log output
        print(line)
    print("{" + "\"pad\": 1, " * 300000 + "\"loss\": 1}")  # a 3 MB line: cut, not a report
if mode == "slow":
    time.sleep(float(params.get("sleep", 0.5)))
# A checkpoint in the trial's own directory survives a rerun.
with open(os.path.join(trial_dir, "ran"), "a") as f:
    f.write("x")
for epoch in range(1, epochs + 1):
    loss = params["lr"] * 10 / epoch + (seed % 1000) / 1e6
    if mode == "nan" and epoch == 3:
        loss = float("nan")
    report = {"epoch": epoch, "loss": loss, "train_loss": loss * 0.9, "accuracy": 1 - loss / 10, "note": "text"}
    if mode == "silent":
        report = {"epoch": epoch, "other": loss}
    print("epoch %d done" % epoch)  # ordinary log output between reports
    print(json.dumps(report), flush=True)
    if mode == "slow":
        time.sleep(float(params.get("sleep", 0.5)))
