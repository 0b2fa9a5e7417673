#!/usr/bin/python3
"""Search efficiency: hpsweep's method bayes (TPE) against method random and Optuna's TPESampler
on the same objective (issue 14).

All three searches minimize the best validation loss (the minimum of val_loss over 30 epochs, as
/trials best_val_loss records it) of hpsweep's own trainer, over the same space:
  lr          log-uniform 1e-5..1          l2       log-uniform 1e-7..1
  dropout     uniform 0..0.9               width    log-uniform integer 4..512
  batch_size  one of 8, 16, 32, 64, 128, 256
and fixed epochs 30, optimizer adam, depth 1 (no early stopping), on each data set:
  synthetic      the built-in set: 500 train / 1000 validation samples, 10 features, noise 0.2, seed 0
  breast_cancer  sweeps/data/breast_cancer.csv, target benign, stratified 70/15/15, split_seed 1
  digits         sweeps/data/digits.csv, target digit, stratified 70/15/15, split_seed 1
For every data set and seed s in 1..--seeds:
  bayes    <hpsweep> run <tmp>.yaml -o <tmp>.h5 --quiet --threads 1   (method: bayes with its
           defaults: 10 startup configurations, then batches of 8 decided together, where Optuna
           decides one trial at a time; run_cap --budget, seed: s)
  random   the same sweep file with method: random
  optuna   an Optuna study (TPESampler(seed=s), its defaults: 10 startup trials, 24 EI candidates,
           univariate unless --multivariate) of --budget trials, whose objective runs
           <hpsweep> train --threads 1 <the same data and split> --epochs 30 --lr .. --l2 ..
           --dropout .. --width .. --batch-size .. --seed <t> --format csv
           with t the seed hpsweep gives configuration k of sweep seed s (Optuna trial k), and
           returns the minimum val_loss of its curve.
A trial that diverged counts as +inf (it found nothing; Optuna is told 1e9). A sweep's first k
configurations do not depend on run_cap (random draws each from its own stream; bayes decides
each batch from the earlier configurations only), and Optuna's trials come in order, so the best
of configurations 0..k-1 of one run is the result of budget k (20, 40 and --budget).
Before the searches, one configuration of a random sweep is rerun through `hpsweep train` with
the row's seed: its best validation loss must equal the row's (same trainer, same data).

Prints, per data set and budget, the median, the 25th-75th percentiles and the range over the
seeds of each method's best validation loss, the ratios of the medians bayes/random and
bayes/optuna, and PASS/FAIL against issue 14's targets: bayes's median below random's at every
budget, and at most 1.005 x Optuna's at 40 and 100 trials; then each method's wall time. Runs
--jobs (data set, seed, method) tasks side by side, each on one thread. The default run is
3 x 10 x 300 trials, a few minutes on two cores (most of it Optuna's: a process per trial).

Standard library, plus Debian's python3-h5py and python3-optuna; run with /usr/bin/python3.
Exits non-zero if a run fails, not when a target is missed.

  /usr/bin/python3 bench/bayes_vs_optuna.py [--hpsweep build/release/hpsweep] [--seeds 10]
      [--budget 100] [--datasets synthetic,breast_cancer,digits] [--methods bayes,random,optuna]
      [--jobs 2] [--multivariate] [--json FILE] [--quick]
"""
import argparse
import concurrent.futures
import json
import math
import os
import pathlib
import subprocess
import sys
import tempfile
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = ROOT / "sweeps" / "data"
BATCH_SIZES = [8, 16, 32, 64, 128, 256]
EPOCHS = 30
DIVERGED = 1e9  # what Optuna is told for a diverged trial
METHODS = ["bayes", "random", "optuna"]
# Each data set as a sweep file's data section and as the same split in `hpsweep train` options.
DATASETS = {
    "synthetic": ("{source: synthetic, train: 500, val: 1000, features: 10, label_noise: 0.2, seed: 0}",
                  ["--synthetic-train", "500", "--synthetic-val", "1000", "--synthetic-noise", "0.2",
                   "--synthetic-seed", "0"]),
    "breast_cancer": (f"{{source: csv, train: {DATA / 'breast_cancer.csv'}, target: benign, val_fraction: 0.15, "
                      "test_fraction: 0.15, split_seed: 1}",
                      ["--data", str(DATA / "breast_cancer.csv"), "--target", "benign", "--val-fraction", "0.15",
                       "--test-fraction", "0.15", "--split-seed", "1"]),
    "digits": (f"{{source: csv, train: {DATA / 'digits.csv'}, target: digit, val_fraction: 0.15, "
               "test_fraction: 0.15, split_seed: 1}",
               ["--data", str(DATA / "digits.csv"), "--target", "digit", "--val-fraction", "0.15",
                "--test-fraction", "0.15", "--split-seed", "1"]),
}
SWEEP = """name: bayes_vs_optuna_{dataset}_{method}_{seed}
method: {method}
metric: {{name: val_loss, goal: minimize}}
seed: {seed}
run_cap: {budget}
data: {data}
fixed: {{epochs: {epochs}, optimizer: adam, depth: 1}}
parameters:
  lr:         {{distribution: log_uniform_values, min: 1.0e-5, max: 1.0}}
  l2:         {{distribution: log_uniform_values, min: 1.0e-7, max: 1.0}}
  dropout:    {{distribution: uniform, min: 0.0, max: 0.9}}
  width:      {{distribution: q_log_uniform_values, min: 4, max: 512, q: 1}}
  batch_size: {{values: {batch_sizes}}}
"""


def mix64(x):
    """hpsweep::core::mix64 (SplitMix64's finalizer)."""
    m = (1 << 64) - 1
    x = (x + 0x9E3779B97F4A7C15) & m
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & m
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & m
    return x ^ (x >> 31)


def trial_seed(sweep_seed, config, repeat=0):
    """hpsweep's seed of a trial: derive_seed(sweep seed, {config, repeat}) (src/search/plan.cpp)."""
    h = mix64(sweep_seed)
    for part in (config, repeat):
        h = mix64(h ^ mix64(part + 0x632BE59BD9B4E019))
    return h


def run(cmd):
    """(seconds, stdout) of one process; raises on failure."""
    t0 = time.perf_counter()
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{proc.stdout}{proc.stderr}")
    return seconds, proc.stdout


def train(args, dataset, params, seed):
    """(best val_loss, +inf when diverged; process seconds; training seconds: the sum of the
    curve's epoch seconds) of one `hpsweep train` of `params`."""
    cmd = [args.hpsweep, "train", "--threads", "1", *DATASETS[dataset][1], "--epochs", EPOCHS,
           "--lr", repr(float(params["lr"])), "--l2", repr(float(params["l2"])),
           "--dropout", repr(float(params["dropout"])), "--width", int(params["width"]),
           "--batch-size", int(params["batch_size"]), "--seed", seed, "--format", "csv"]
    seconds, out = run(cmd)
    lines = out.strip().splitlines()
    header = lines[0].split(",")
    curve = [dict(zip(header, map(float, line.split(",")))) for line in lines[1:]]
    training = sum(e["seconds"] for e in curve)
    if not all(math.isfinite(e["train_loss"]) and math.isfinite(e["val_loss"]) for e in curve):
        return math.inf, seconds, training  # diverged: the sweep's status 2
    if len(curve) != EPOCHS:
        raise RuntimeError(f"{' '.join(map(str, cmd))}: {len(curve)} epochs in its curve, not {EPOCHS}")
    return min(e["val_loss"] for e in curve), seconds, training


def read_trials(path, budget):
    """The rows of /trials in configuration order, with best_val_loss +inf unless ok or stopped."""
    import h5py  # Debian: python3-h5py
    with h5py.File(path, "r") as f:
        t = f["trials"][()]
    rows = sorted(t, key=lambda r: int(r["config"]))
    if [int(r["config"]) for r in rows] != list(range(budget)):
        raise RuntimeError(f"{path}: /trials holds configurations {[int(r['config']) for r in rows][:5]}..., "
                           f"not 0..{budget - 1}")
    loss = [float(r["best_val_loss"]) if int(r["status"]) in (1, 4) and math.isfinite(r["best_val_loss"])
            else math.inf for r in rows]
    return rows, loss, sum(float(r["seconds"]) for r in rows)


def run_sweep(args, tmp, dataset, method, seed, budget=None, name=None):
    budget = budget or args.budget
    name = name or f"{dataset}_{method}_{seed}"
    yaml = pathlib.Path(tmp) / f"{name}.yaml"
    h5 = pathlib.Path(tmp) / f"{name}.h5"
    text = SWEEP.format(dataset=dataset, method=method, seed=seed, budget=budget,
                        data=DATASETS[dataset][0], epochs=EPOCHS, batch_sizes=BATCH_SIZES)
    if method == "bayes" and args.bayes:
        text += f"bayes: {{{args.bayes}}}\n"
    yaml.write_text(text)
    seconds, _ = run([args.hpsweep, "run", yaml, "-o", h5, "--quiet", "--threads", "1", "--restart"])
    rows, loss, trial_seconds = read_trials(h5, budget)
    return {"loss": loss, "seconds": seconds, "trial_seconds": trial_seconds, "rows": rows}


def run_optuna(args, dataset, seed, stop):
    import optuna  # Debian: python3-optuna
    optuna.logging.set_verbosity(optuna.logging.ERROR)  # a failed trial ends the run anyway
    loss, trial_seconds = [], []

    def objective(trial):
        if stop.is_set():
            raise RuntimeError("stopped: another run failed")
        params = {"lr": trial.suggest_float("lr", 1e-5, 1.0, log=True),
                  "l2": trial.suggest_float("l2", 1e-7, 1.0, log=True),
                  "dropout": trial.suggest_float("dropout", 0.0, 0.9),
                  "width": trial.suggest_int("width", 4, 512, log=True),
                  "batch_size": trial.suggest_categorical("batch_size", BATCH_SIZES)}
        best, _, training = train(args, dataset, params, trial_seed(seed, trial.number))
        loss.append(best)
        trial_seconds.append(training)
        return best if math.isfinite(best) else DIVERGED

    sampler = optuna.samplers.TPESampler(seed=seed, multivariate=args.multivariate)
    study = optuna.create_study(direction="minimize", sampler=sampler)
    t0 = time.perf_counter()
    study.optimize(objective, n_trials=args.budget, catch=())
    return {"loss": loss, "seconds": time.perf_counter() - t0, "trial_seconds": sum(trial_seconds)}


def check_same_objective(args, tmp, dataset):
    """A random sweep's configuration 0, rerun by `hpsweep train` with its seed, gives its loss."""
    sweep = run_sweep(args, tmp, dataset, "random", 1, budget=1, name=f"{dataset}_check")
    row = sweep["rows"][0]
    params = {k: row[k] for k in ("lr", "l2", "dropout", "width", "batch_size")}
    if int(row["seed"]) != trial_seed(1, 0):
        raise RuntimeError(f"{dataset}: the sweep's trial seed {int(row['seed'])} is not derive_seed's {trial_seed(1, 0)}")
    best, _, _ = train(args, dataset, params, int(row["seed"]))
    stored = sweep["loss"][0]
    if not (best == stored or abs(best - stored) <= 1e-6 * abs(stored)):
        raise RuntimeError(f"{dataset}: `hpsweep train` of configuration 0 gives best val_loss {best!r}, "
                           f"the sweep recorded {stored!r}: not the same objective")
    return stored


def quantile(xs, q):
    xs = sorted(xs)
    pos = q * (len(xs) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] if xs[lo] == xs[hi] else xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def ratio(a, b):
    """a / b, for losses that may be 0 or +inf."""
    if a == b:
        return 1.0
    return a / b if 0 < b < math.inf else (math.inf if b == 0 else 0.0)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hpsweep", default="build/release/hpsweep")
    p.add_argument("--seeds", type=int, default=10, help="sweep and sampler seeds 1..N")
    p.add_argument("--budget", type=int, default=100, help="trials per search; also reported at 20 and 40")
    p.add_argument("--datasets", default=",".join(DATASETS))
    p.add_argument("--methods", default=",".join(METHODS), help="a subset of bayes,random,optuna")
    p.add_argument("--bayes", default="", help="the bayes section's keys for method bayes, e.g. 'batch_size: 1' "
                   "(default: none, the defaults)")
    p.add_argument("--jobs", type=int, default=2, help="searches run side by side")
    p.add_argument("--multivariate", action="store_true", help="TPESampler(multivariate=True)")
    p.add_argument("--quick", action="store_true", help="a smoke run: --seeds 2 --budget 40")
    p.add_argument("--json", metavar="FILE", help="also write every run's per-trial losses here")
    args = p.parse_args()
    if args.quick:
        args.seeds, args.budget = 2, 40
    args.hpsweep = str((ROOT / args.hpsweep).resolve() if not os.path.isabs(args.hpsweep) else args.hpsweep)
    datasets, methods = args.datasets.split(","), args.methods.split(",")
    if not set(datasets) <= set(DATASETS) or not set(methods) <= set(METHODS):
        sys.exit(f"--datasets is a subset of {','.join(DATASETS)}, --methods of {','.join(METHODS)}")
    if not os.access(args.hpsweep, os.X_OK):
        sys.exit(f"no hpsweep binary at {args.hpsweep}; build it or pass --hpsweep")
    budgets = sorted({b for b in (20, 40, 100) if b < args.budget} | {args.budget})
    tasks = [(d, s, m) for d in datasets for s in range(1, args.seeds + 1) for m in methods]
    results, lock, stop = {}, threading.Lock(), threading.Event()

    with tempfile.TemporaryDirectory(prefix="hpsweep-bayes-") as tmp:
        for d in datasets:
            print(f"{d}: same objective: configuration 0 best val_loss {check_same_objective(args, tmp, d):.6f} "
                  "by `hpsweep run` and by `hpsweep train`", file=sys.stderr)

        def task(d, s, m):
            if stop.is_set():
                return
            r = run_optuna(args, d, s, stop) if m == "optuna" else run_sweep(args, tmp, d, m, s)
            r.pop("rows", None)
            with lock:
                results[(d, s, m)] = r
                print(f"[{len(results)}/{len(tasks)}] {d} seed {s} {m}: {len(r['loss'])} trials in "
                      f"{r['seconds']:.1f} s, best {min(r['loss']):.6f}", file=sys.stderr, flush=True)

        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = [pool.submit(task, *t) for t in tasks]
            for f in concurrent.futures.as_completed(futures):
                if f.exception() is not None:
                    stop.set()
                    pool.shutdown(wait=True, cancel_futures=True)
                    sys.exit(str(f.exception()))

    sampler = f"TPESampler(seed=s{', multivariate=True' if args.multivariate else ''}), defaults otherwise"
    print(f"Best validation loss over {args.seeds} seeds (1..{args.seeds}): median, 25th-75th percentile, "
          f"min-max; {EPOCHS} epochs; optuna-tpe = {sampler}; diverged trials count as +inf")
    label = lambda m: "optuna-tpe" if m == "optuna" else m  # noqa: E731
    summary, verdict = {}, None  # None: no target applies (bayes, or both others, left out)
    for d in datasets:
        print(f"\n{d}\n  {'budget':>6}  {'method':<10}  {'median':>11}  {'25th-75th':^23}  {'min-max':^23}")
        for b in budgets:
            med = {}
            for m in methods:
                best = [min(results[(d, s, m)]["loss"][:b]) for s in range(1, args.seeds + 1)]
                q = {"median": quantile(best, 0.5), "p25": quantile(best, 0.25), "p75": quantile(best, 0.75)}
                med[m] = q["median"]
                summary[f"{d}/{b}/{m}"] = {**q, "best": best}
                print(f"  {b:>6}  {label(m):<10}  {q['median']:>11.6g}  {q['p25']:>11.6g}-{q['p75']:<11.6g}  "
                      f"{min(best):>11.6g}-{max(best):<11.6g}")
            verdicts = []
            for other, limit, applies in (("random", 1.0, True), ("optuna", 1.005, b in (40, 100))):
                if "bayes" not in med or other not in med:
                    continue
                r = ratio(med["bayes"], med[other])
                ok = r < limit if other == "random" else r <= limit
                if applies:
                    verdict = ok and verdict is not False
                sign = "<" if other == "random" else "<="
                verdicts.append(f"bayes/{label(other)} {r:.4g} " +
                                (f"{'PASS' if ok else 'FAIL'} ({sign} {limit:g})" if applies else "(no target)"))
            if verdicts:
                print(f"  {'':>6}  {'; '.join(verdicts)}")
            if min(med.values()) < 1e-6:
                print(f"  {'':>6}  note: a median below 1e-6 is a lucky epoch's saturated logits (float32), "
                      "so the ratios here compare rounding, not search")
    print("\nwall time, summed over the seeds; per trial: whole processes, and training alone (the sweep's "
          "trial seconds; the sum of `hpsweep train`'s epoch seconds)")
    for d in datasets:
        for m in methods:
            runs = [results[(d, s, m)] for s in range(1, args.seeds + 1)]
            total, trials = sum(r["seconds"] for r in runs), sum(len(r["loss"]) for r in runs)
            training = sum(r["trial_seconds"] for r in runs)
            print(f"  {d:<14} {label(m):<10} {total:9.1f} s   {total / trials:.4f} s/trial, "
                  f"training {training / trials:.4f} s/trial")
    print("\nissue 14 targets: " + {None: "none applies", True: "all PASS", False: "some FAIL"}[verdict])

    if args.json:
        finite = lambda xs: [x if math.isfinite(x) else None for x in xs]  # noqa: E731  (JSON has no inf)
        pathlib.Path(args.json).write_text(json.dumps({
            "budgets": budgets, "seeds": args.seeds, "epochs": EPOCHS, "optuna_sampler": sampler,
            "runs": [{"dataset": d, "seed": s, "method": m, "seconds": r["seconds"], "trial_seconds": r["trial_seconds"],
                      "best_val_loss": finite(r["loss"])} for (d, s, m), r in sorted(results.items())],
            "summary": {k: {**v, "best": finite(v["best"])} for k, v in summary.items()},
        }, indent=1))


if __name__ == "__main__":
    main()
