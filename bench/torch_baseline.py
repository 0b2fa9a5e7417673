#!/usr/bin/python3
"""PyTorch baseline for bench/train_throughput.cpp: training throughput in samples per second.

Same model and per-epoch loop as hpsweep's trainer, written as a PyTorch user would:
nn.Sequential(Linear(10, width), ReLU, Linear(width, 1)), Glorot-uniform weights, zero biases,
BCEWithLogitsLoss, Adam(lr 1e-3, betas 0.9/0.999, eps 1e-7), float32. Each epoch reshuffles
(randperm with a seeded generator), takes every mini-batch step including the last partial
batch, then under torch.no_grad() computes the loss over the whole training split and loss +
accuracy over the validation split (skipped with --no-eval). Mini-batches are index slices
of pre-made tensors (no DataLoader).

Each repeat builds a fresh model and optimizer and times --epochs epochs (as hpsweep's
train() does); one untimed warm-up epoch runs first. Throughput = train x epochs / wall time,
best of --repeats (a timed repeat is well under a second, so on a shared machine the best is far
more stable than the median, which is reported too). Prints one JSON line.

  /usr/bin/python3 bench/torch_baseline.py --width 128 --batch 32 --threads 1
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn


def make_model(features, width):
    model = nn.Sequential(nn.Linear(features, width), nn.ReLU(), nn.Linear(width, 1))
    for layer in (model[0], model[2]):
        nn.init.xavier_uniform_(layer.weight)
        nn.init.zeros_(layer.bias)
    return model


def run_epochs(args, data, epochs, seed):
    x_train, y_train, x_val, y_val = data
    torch.manual_seed(seed)
    model = make_model(x_train.shape[1], args.width)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    loss_fn = nn.BCEWithLogitsLoss()
    shuffle = torch.Generator().manual_seed(seed)
    n = x_train.shape[0]
    record = None
    for _ in range(epochs):
        model.train()
        order = torch.randperm(n, generator=shuffle)
        for start in range(0, n, args.batch):
            idx = order[start:start + args.batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            loss.backward()
            optimizer.step()
        if not args.no_eval:
            model.eval()
            with torch.no_grad():
                train_loss = loss_fn(model(x_train), y_train).item()
                val_logits = model(x_val)
                val_loss = loss_fn(val_logits, y_val).item()
                val_acc = ((val_logits > 0).float() == y_val).float().mean().item()
            record = (train_loss, val_loss, val_acc)
    return record


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--width", type=int, default=128)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--train", type=int, default=8192)
    p.add_argument("--val", type=int, default=1024)
    p.add_argument("--features", type=int, default=10)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--no-eval", action="store_true", help="training loop only, no per-epoch evaluation")
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(args.train + args.val, args.features, generator=gen)
    w = torch.randn(args.features, 1, generator=gen)
    y = ((x @ w + 0.5 * torch.randn(x.shape[0], 1, generator=gen)) > 0).float()
    data = (x[:args.train].contiguous(), y[:args.train].contiguous(),
            x[args.train:].contiguous(), y[args.train:].contiguous())

    run_epochs(args, data, 1, seed=0)  # warm-up, untimed
    rates = []
    for r in range(args.repeats):
        t0 = time.perf_counter()
        run_epochs(args, data, args.epochs, seed=r + 1)
        rates.append(args.train * args.epochs / (time.perf_counter() - t0))
    print(json.dumps({"width": args.width, "batch": args.batch, "threads": args.threads,
                      "samples_per_second": round(max(rates), 1),
                      "median_samples_per_second": round(statistics.median(rates), 1),
                      "eval": not args.no_eval, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
