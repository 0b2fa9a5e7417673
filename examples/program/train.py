import json, os, random, sys
params = json.loads(os.environ["HPSWEEP_PARAMS"])   # also as arguments: --lr=0.01 --epochs=20
random.seed(int(os.environ["HPSWEEP_SEED"]))         # the trial's seed: the same on every rerun
w, train_loss = random.uniform(-1, 1), 0.0
for epoch in range(1, params["epochs"] + 1):
    w -= params["lr"] * 2 * (w - 0.5)                # your training step here
    train_loss = (w - 0.5) ** 2
    validation_loss = train_loss + params["lr"] * epoch / 100   # and your validation
    print(json.dumps({"epoch": epoch, "train_loss": train_loss, "validation_loss": validation_loss}), flush=True)
print("done", file=sys.stderr)
