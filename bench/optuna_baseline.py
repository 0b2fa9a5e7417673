#!/usr/bin/python3
"""Optuna + PyTorch baseline for the end-to-end sweep comparison (bench/compare_optuna.py).

The peer a user would pick today: an Optuna GridSampler study whose objective trains a PyTorch
MLP, in one process, over the grid of sweeps/bench_grid.yaml:

    dropout {0, 0.25, 0.5} x l2 {0, 1e-4, 1e-2} x lr {1e-3, 1e-2} x batch {32, 128}
    x width {32, 128}  = 72 trials, 20 epochs each

Model and loop as a PyTorch user would write them: Linear(10, width) -> ReLU -> Dropout(p) ->
Linear(width, 1), Glorot-uniform weights and zero biases (as hpsweep and Keras), BCEWithLogitsLoss,
Adam(lr, eps=1e-7), L2 as Keras' l2(λ): loss + λ·Σ(kernel weights)² (biases excluded). Each
epoch reshuffles (randperm) and takes every mini-batch step, the last partial batch included,
then computes the validation loss in eval mode under torch.no_grad(). A trial's objective is its
best (minimum) validation data loss over the epochs (hpsweep's best_val_loss).

Data: hpsweep's synthetic set, reproduced value for value from its random stream (SplitMix64
seeding, xoshiro256**, Box-Muller; src/data/synthetic.cpp) so both tools see the same samples:
10 standard-normal features, y = 1 when x0*x1 + x2 + 0.5*x3 > 0, then 20% of labels flipped at
random; 1000 train, 1000 validation samples (seed 1, as sweeps/bench_grid.yaml); standardized
with the training split's mean and (population) standard deviation, then float32.

Prints one JSON object: the seconds inside study.optimize, the number of trials, the best
params and best value, and every trial's params and value (all_trials). The whole-process time
is measured by the caller.

  /usr/bin/python3 bench/optuna_baseline.py
"""
import argparse
import json
import math
import os
import time

import optuna
import torch
from torch import nn

GRID = {
    "dropout": [0.0, 0.25, 0.5],
    "l2": [0.0, 1e-4, 1e-2],
    "lr": [1e-3, 1e-2],
    "batch_size": [32, 128],
    "width": [32, 128],
}


M64 = (1 << 64) - 1


def mix64(x):
    """SplitMix64 finalizer, as hpsweep::core::mix64."""
    x = (x + 0x9E3779B97F4A7C15) & M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def derive_seed(base, parts):
    h = mix64(base)
    for p in parts:
        h = mix64(h ^ mix64((p + 0x632BE59BD9B4E019) & M64))
    return h


class Rng:
    """xoshiro256** with hpsweep::core::Rng's seeding, uniform() and normal() (Box-Muller)."""

    def __init__(self, seed):
        self.s = []
        x = seed
        for _ in range(4):
            x = mix64(x)
            self.s.append(x)

    def next(self):
        s0, s1, s2, s3 = self.s
        r = ((s1 * 5) & M64)
        r = ((((r << 7) | (r >> 57)) & M64) * 9) & M64
        t = (s1 << 17) & M64
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = ((s3 << 45) | (s3 >> 19)) & M64
        self.s = [s0, s1, s2, s3]
        return r

    def uniform(self):
        return (self.next() >> 11) * 2.0 ** -53

    def normal(self):
        u1 = self.uniform()
        while u1 <= 0.0:
            u1 = self.uniform()
        u2 = self.uniform()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(6.283185307179586 * u2)


def make_split(n, features, label_noise, seed, stream):
    """hpsweep's synthetic set (src/data/synthetic.cpp), value for value: the same seed gives
    the same samples as `data: {source: synthetic, seed: ...}` in a sweep file."""
    rng = Rng(derive_seed(seed, [0x5E7, stream]))
    xs, ys = [], []
    for _ in range(n):
        x = [rng.normal() for _ in range(features)]
        at = lambda i: x[i] if i < features else 0.0  # noqa: E731
        positive = at(0) * at(1) + at(2) + 0.5 * at(3) > 0.0
        flipped = rng.uniform() < label_noise
        xs.append(x)
        ys.append(1.0 if positive != flipped else 0.0)
    return torch.tensor(xs, dtype=torch.float64), torch.tensor(ys, dtype=torch.float64).unsqueeze(1)


def make_data(args):
    x_train, y_train = make_split(args.train, args.features, args.label_noise, args.seed, 0)
    x_val, y_val = make_split(args.val, args.features, args.label_noise, args.seed, 1)
    mean = x_train.mean(dim=0)
    std = x_train.std(dim=0, unbiased=False)
    std[~(std > 1e-12)] = 1.0
    return tuple(t.float().contiguous() for t in ((x_train - mean) / std, y_train, (x_val - mean) / std, y_val))


class Mlp(nn.Module):
    def __init__(self, features, width, dropout):
        super().__init__()
        self.hidden = nn.Linear(features, width)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(width, 1)
        for layer in (self.hidden, self.out):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)

    def forward(self, x):
        return self.out(self.drop(torch.relu(self.hidden(x))))


def train_trial(data, params, epochs, seed):
    x_train, y_train, x_val, y_val = data
    torch.manual_seed(seed)
    model = Mlp(x_train.shape[1], params["width"], params["dropout"])
    optimizer = torch.optim.Adam(model.parameters(), lr=params["lr"], eps=1e-7)
    loss_fn = nn.BCEWithLogitsLoss()
    kernels = [model.hidden.weight, model.out.weight]
    l2, batch = params["l2"], params["batch_size"]
    n = x_train.shape[0]
    best = float("inf")
    for _ in range(epochs):
        model.train()
        order = torch.randperm(n)
        for start in range(0, n, batch):
            idx = order[start:start + batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            if l2 > 0.0:
                loss = loss + l2 * sum(w.pow(2).sum() for w in kernels)
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            val_loss = loss_fn(model(x_val), y_val).item()
        best = min(best, val_loss)
    return best


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--train", type=int, default=1000)
    p.add_argument("--val", type=int, default=1000)
    p.add_argument("--features", type=int, default=10)
    p.add_argument("--label-noise", type=float, default=0.2)
    p.add_argument("--seed", type=int, default=1, help="data seed (as the sweep's data.seed)")
    p.add_argument("--torch-seed", type=int, default=1, help="trial n runs with torch.manual_seed(1000 * this + n)")
    p.add_argument("--threads", type=int, default=0, help="torch threads (0: the CPUs this process may use)")
    args = p.parse_args()

    threads = args.threads or len(os.sched_getaffinity(0))
    torch.set_num_threads(threads)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    data = make_data(args)

    def objective(trial):
        params = {name: trial.suggest_categorical(name, values) for name, values in GRID.items()}
        return train_trial(data, params, args.epochs, seed=args.torch_seed * 1000 + trial.number)

    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.GridSampler(GRID, seed=args.seed))
    t0 = time.perf_counter()
    study.optimize(objective)  # the GridSampler stops the study when the grid is exhausted
    optimize_seconds = time.perf_counter() - t0

    print(json.dumps({
        "optimize_seconds": round(optimize_seconds, 3),
        "trials": len(study.trials),
        "best_params": study.best_params,
        "best_value": study.best_value,
        "threads": threads,
        "all_trials": [dict(t.params, value=t.value) for t in study.trials],
        "optuna": optuna.__version__,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
