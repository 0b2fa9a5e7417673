#!/usr/bin/python3
"""hpsweep against PyTorch, side by side, on the shapes of issue 19: whole processes, start-up
cancelled by differencing epochs, medians of --repeats, FMA peak measured in the same run.

For each shape (features, width, batch, depth) and thread count, both sides train the same MLP
(depth hidden ReLU layers of width units, one logit, binary cross-entropy, Adam, float32) on the
same 4096 training and 1024 validation samples (random data with a fixed seed) and, every epoch,
shuffle, take every mini-batch step, then evaluate the loss over the training split and loss and
accuracy over the validation split. Each side runs as a whole process twice, with E1 and E2
epochs; seconds per epoch = (median time of E2 - median time of E1) / (E2 - E1), which cancels
process start, data loading and first-touch costs.

"speedup" is PyTorch's seconds per epoch over hpsweep's (above 1: hpsweep is faster).
GFLOP per epoch = 6 x weights x train + 2 x weights x (train + val) (forward 2, backward 4 per
weight and sample). "% peak" divides hpsweep's 1-thread GFLOP/s by bench/fma_peak's single-core
figure, measured at the start of the same run. Exits non-zero if a run fails.

  /usr/bin/python3 bench/shapes_vs_torch.py [--build build/release] [--shapes 100,2048,512,3 ...]
Needs python3-torch (Debian) and h5py; PyTorch uses Debian's OpenBLAS (libopenblas0-pthread).
"""
import argparse
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import time

TRAIN, VAL = 4096, 1024
# (features, width, batch, depth): the four, then small shapes where overhead decides.
SHAPES = [(100, 2048, 512, 3), (100, 1024, 256, 3), (100, 2048, 1024, 1), (10, 512, 128, 3),
          (10, 128, 32, 1), (10, 32, 1, 1)]
# Seconds of difference between the two runs of a side, well above the ~0.5 s spread of starting
# a Python process that imports torch.
TARGET_DIFFERENCE = 6.0
MAX_EPOCHS = 20000


def make_data(features, seed=1):
    import numpy as np
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((TRAIN + VAL, features)).astype(np.float32)
    y = ((x[:, 0] * x[:, 1] + x[:, 2 % features]) > 0).astype(np.float32)
    return x[:TRAIN], y[:TRAIN], x[TRAIN:], y[TRAIN:]


def torch_worker(args):
    """One whole PyTorch process: the loop hpsweep's trainer runs, written as a PyTorch user would."""
    import torch
    from torch import nn
    torch.set_num_threads(args.threads)
    xt, yt, xv, yv = (torch.from_numpy(a) for a in make_data(args.features))
    yt, yv = yt.unsqueeze(1), yv.unsqueeze(1)
    torch.manual_seed(0)
    layers, inputs = [], args.features
    for _ in range(args.depth):
        layers += [nn.Linear(inputs, args.width), nn.ReLU()]
        inputs = args.width
    layers.append(nn.Linear(inputs, 1))
    model = nn.Sequential(*layers)
    for layer in model:
        if isinstance(layer, nn.Linear):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    loss_fn = nn.BCEWithLogitsLoss()
    shuffle = torch.Generator().manual_seed(0)
    for _ in range(args.epochs):
        model.train()
        order = torch.randperm(TRAIN, generator=shuffle)
        for start in range(0, TRAIN, args.batch):
            idx = order[start:start + args.batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(xt[idx]), yt[idx])
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            loss_fn(model(xt), yt).item()
            logits = model(xv)
            loss_fn(logits, yv).item()
            ((logits > 0).float() == yv).float().mean().item()


def best_openblas_kernel():
    """The kernel hpsweep picks on this CPU (src/nn/gemm.cpp), given to PyTorch's OpenBLAS too, so
    that neither side runs with a handicap (OPENBLAS_CORETYPE may be set to something slower)."""
    flags = set()
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                break
    if {"avx512f", "avx512bw", "avx512dq", "avx512vl"} <= flags:
        return "SkylakeX"
    return "Haswell" if {"avx2", "fma"} <= flags else None


def timed(cmd, env=None):
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{proc.stderr[-2000:]}")
    return seconds


def per_epoch(make_cmd, e1, e2, repeats, env=None):
    """Seconds per epoch from runs of e1 and e2 epochs. The first guess of e2 comes from the
    FLOPs; where overhead decides (a 2 ms epoch at batch 1), that gives a difference within the
    noise of starting a process, so e2 grows until the difference is at least half the target."""
    while True:
        t1, t2 = [], []
        for _ in range(repeats):
            t1.append(timed(make_cmd(e1), env))
            t2.append(timed(make_cmd(e2), env))
        difference = statistics.median(t2) - statistics.median(t1)
        if difference >= TARGET_DIFFERENCE / 2 or e2 >= MAX_EPOCHS:
            return max(difference, 1e-9) / (e2 - e1)
        e2 = min(MAX_EPOCHS, e1 + int((e2 - e1) * TARGET_DIFFERENCE / max(difference, 0.05)) + 1)


def weights(features, width, depth):
    total, inputs = 0, features
    for _ in range(depth):
        total += inputs * width + width
        inputs = width
    return total + inputs + 1


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build", default="build/release", help="hpsweep build directory")
    p.add_argument("--shapes", nargs="*", help="features,width,batch,depth (default: all of SHAPES)")
    p.add_argument("--threads", nargs="*", type=int, default=[1, 2])
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--torch-worker", action="store_true", help=argparse.SUPPRESS)
    for name in ("features", "width", "batch", "depth", "epochs"):
        p.add_argument(f"--{name}", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.torch_worker:
        args.threads = args.threads[0]
        return torch_worker(args)

    build = pathlib.Path(args.build)
    hpsweep, fma = build / "hpsweep", build / "bench" / "fma_peak"
    peak_line = subprocess.run([str(fma), "1"], capture_output=True, text=True, check=True).stdout
    peak = float(re.search(r"([\d.]+) GFLOP/s total", peak_line).group(1))
    print(f"FMA peak (bench/fma_peak, 1 thread): {peak:.1f} GFLOP/s")
    torch_env = dict(os.environ)
    kernel = best_openblas_kernel()
    if kernel:
        torch_env["OPENBLAS_CORETYPE"] = kernel
    else:
        torch_env.pop("OPENBLAS_CORETYPE", None)
    print(f"PyTorch's OpenBLAS kernel: {kernel or 'its own choice'} (hpsweep picks the same)")
    shapes = [tuple(int(v) for v in s.split(",")) for s in args.shapes] if args.shapes else SHAPES
    import h5py
    header = (f"{'shape (f,w,b,d)':>20} {'thr':>3} {'hpsweep s/ep':>12} {'torch s/ep':>10} {'speedup':>8} "
              f"{'hp GFLOP/s':>10} {'% peak':>6} {'torch GFLOP/s':>13} {'hp 2t/1t':>8}")
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        for features, width, batch, depth in shapes:
            xt, yt, xv, yv = make_data(features)
            train_file, val_file = pathlib.Path(tmp, f"train{features}.h5"), pathlib.Path(tmp, f"val{features}.h5")
            for path, x, y in ((train_file, xt, yt), (val_file, xv, yv)):
                if not path.exists():
                    with h5py.File(path, "w") as f:
                        f["X"], f["y"] = x, y
            gflop = (6 * TRAIN + 2 * (TRAIN + VAL)) * weights(features, width, depth) / 1e9
            # Enough epochs that the difference is well above the timing noise of a process start
            # (estimated from hpsweep at half the peak; PyTorch's epochs take at least as long).
            e1 = 1
            e2 = e1 + max(2, min(60, int(TARGET_DIFFERENCE / max(gflop / (0.5 * peak), 0.01)) + 1))
            one_thread = None
            for threads in args.threads:
                def hp_cmd(epochs, threads=threads):
                    return [str(hpsweep), "train", "--data", str(train_file), "--val", str(val_file), "--task", "binary",
                            "--width", str(width), "--depth", str(depth), "--batch-size", str(batch), "--epochs", str(epochs),
                            "--threads", str(threads), "--precision", "float32", "--format", "csv"]

                def torch_cmd(epochs, threads=threads):
                    return [sys.executable, __file__, "--torch-worker", "--features", str(features), "--width", str(width),
                            "--batch", str(batch), "--depth", str(depth), "--epochs", str(epochs), "--threads", str(threads)]

                hp = per_epoch(hp_cmd, e1, e2, args.repeats)
                # One OpenBLAS thread per torch thread, as hpsweep's calls (else OpenBLAS takes every core).
                torch = per_epoch(torch_cmd, e1, e2, args.repeats, dict(torch_env, OPENBLAS_NUM_THREADS=str(threads)))
                if threads == 1:
                    one_thread = hp
                speedup = f"{one_thread / hp:8.2f}" if one_thread and threads > 1 else f"{'':>8}"
                pct = f"{100 * gflop / hp / peak:5.0f}%" if threads == 1 else f"{'':>6}"
                print(f"{str((features, width, batch, depth)):>20} {threads:>3} {hp:12.4f} {torch:10.4f} {torch / hp:7.2f}x "
                      f"{gflop / hp:10.1f} {pct} {gflop / torch:13.1f} {speedup}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
