#!/usr/bin/python3
"""Optuna's TPESampler time per proposed trial on a history of N finished trials of 6 parameters:
the same space and made-up objective as bench/tpe_proposal.cpp (hpsweep's TPE), for comparison.

For N in 100, 1000 (and 10000 with --large): a study is filled with N finished trials drawn at
random (optuna.trial.create_trial), then `repeat` proposals are timed (study.ask() and the six
suggest calls; the trial is told a value so the history does not grow by more than one).
Prints the median seconds per proposal for Optuna's default (univariate) and multivariate TPE.

  /usr/bin/python3 bench/optuna_sampler_time.py [--repeat 20] [--large]
"""
import argparse
import math
import random
import statistics
import time

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

SPACE = {
    "lr": FloatDistribution(1e-5, 1.0, log=True),
    "l2": FloatDistribution(1e-7, 1.0, log=True),
    "dropout": FloatDistribution(0.0, 0.9),
    "width": IntDistribution(4, 512, log=True),
    "batch_size": CategoricalDistribution([8, 16, 32, 64, 128, 256]),
    "optimizer": CategoricalDistribution(["adam", "sgd"]),
}


def objective(p):
    return abs(math.log10(p["lr"]) + 2.0) + p["dropout"]


def draw(rng):
    return {
        "lr": math.exp(rng.uniform(math.log(1e-5), 0.0)),
        "l2": math.exp(rng.uniform(math.log(1e-7), 0.0)),
        "dropout": rng.uniform(0.0, 0.9),
        "width": int(round(math.exp(rng.uniform(math.log(4), math.log(512))))),
        "batch_size": rng.choice([8, 16, 32, 64, 128, 256]),
        "optimizer": rng.choice(["adam", "sgd"]),
    }


def seconds_per_proposal(n, multivariate, repeat):
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    rng = random.Random(1)
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=1, multivariate=multivariate))
    for _ in range(n):
        params = draw(rng)
        study.add_trial(optuna.trial.create_trial(params=params, distributions=SPACE, value=objective(params)))
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        trial = study.ask()
        params = {
            "lr": trial.suggest_float("lr", 1e-5, 1.0, log=True),
            "l2": trial.suggest_float("l2", 1e-7, 1.0, log=True),
            "dropout": trial.suggest_float("dropout", 0.0, 0.9),
            "width": trial.suggest_int("width", 4, 512, log=True),
            "batch_size": trial.suggest_categorical("batch_size", [8, 16, 32, 64, 128, 256]),
            "optimizer": trial.suggest_categorical("optimizer", ["adam", "sgd"]),
        }
        times.append(time.perf_counter() - t0)
        study.tell(trial, objective(params))
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--large", action="store_true", help="also N = 10000")
    args = ap.parse_args()
    print(f"optuna {optuna.__version__}: TPESampler seconds per proposal, 6 parameters, median of {args.repeat}")
    for n in [100, 1000] + ([10000] if args.large else []):
        for multivariate in (False, True):
            s = seconds_per_proposal(n, multivariate, args.repeat)
            print(f"  history {n:6d}  {'multivariate' if multivariate else 'default     '}  {s * 1e3:9.2f} ms")


if __name__ == "__main__":
    main()
