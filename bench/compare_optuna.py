#!/usr/bin/python3
"""End-to-end sweep speed: hpsweep against Optuna + PyTorch on the same 72-trial grid (issue 3).

Each repeat runs, timing each as a whole process (time.perf_counter around subprocess.run):
  (a) /usr/bin/python3 bench/optuna_baseline.py           Optuna GridSampler + PyTorch trainer
  (b) <hpsweep> run sweeps/bench_grid.yaml -o <tmp>/bench_grid.h5 --quiet
      <hpsweep> rank <tmp>/bench_grid.h5 --top 1 --format json
Both sweep dropout {0, 0.25, 0.5} x l2 {0, 1e-4, 1e-2} x lr {1e-3, 1e-2} x batch {32, 128} x
width {32, 128}, 20 epochs, on hpsweep's synthetic set (1000 train / 1000 validation samples,
10 features, seed 1; the Optuna script reproduces it value for value), in one process on the
CPUs this one may use.

Prints the medians over --repeat runs of: both whole-process times and their ratio (Optuna /
hpsweep run + rank), Optuna's study.optimize time, hpsweep's `wall_seconds` root attribute and
the sum of the per-trial `seconds` of /trials (training only); then each tool's best
configuration and best validation loss, and whether hpsweep's best is Optuna's configuration or
within 1% of Optuna's best validation loss. Since both see the same data, it also shows each
tool's loss at the other's best configuration.

Standard library, plus Debian's python3-h5py to read the results file; run with /usr/bin/python3.
Exits non-zero if a run fails.

  /usr/bin/python3 bench/compare_optuna.py [build/release/hpsweep] [--repeat 3]
"""
import argparse
import json
import math
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
SETTINGS = ["dropout", "l2", "lr", "batch_size", "width"]


def run(cmd, cwd=ROOT):
    """(seconds, stdout) of one whole process; exits on failure."""
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    except OSError as e:
        sys.exit(f"failed: {' '.join(map(str, cmd))}: {e}")
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{proc.stdout}{proc.stderr}")
    return seconds, proc.stdout


def last_json(text, what):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{") or line.startswith("["):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                break
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        sys.exit(f"{what}: no JSON in its output:\n{text}")


def config_key(settings):
    """A hashable, float-tolerant key of the five swept settings."""
    return tuple(round(float(settings[name]), 9) for name in SETTINGS)


def fmt_config(settings):
    if settings is None:
        return "?"
    parts = []
    for name in SETTINGS:
        v = float(settings[name])
        parts.append(f"{name}={int(v) if name in ('batch_size', 'width') else f'{v:g}'}")
    return " ".join(parts)


def find_settings(obj):
    """The swept settings of a rank --format json entry, wherever they are nested."""
    if isinstance(obj, dict):
        if all(name in obj for name in SETTINGS):
            return {name: obj[name] for name in SETTINGS}
        for value in obj.values():
            found = find_settings(value)
            if found:
                return found
    if isinstance(obj, list):
        for value in obj:
            found = find_settings(value)
            if found:
                return found
    return None


def find_number(obj, keys):
    if isinstance(obj, dict):
        for key in keys:
            if isinstance(obj.get(key), (int, float)):
                return float(obj[key])
        for value in obj.values():
            found = find_number(value, keys)
            if found is not None:
                return found
    if isinstance(obj, list):
        for value in obj:
            found = find_number(value, keys)
            if found is not None:
                return found
    return None


def read_results(path):
    """Root attributes and per-trial settings, losses, seconds of an hpsweep results file."""
    import h5py  # Debian: python3-h5py

    def text(v):
        if isinstance(v, bytes):
            return v.decode()
        return v.item() if hasattr(v, "item") else v  # numpy scalar -> Python

    with h5py.File(path, "r") as f:
        attrs = {k: text(v) for k, v in f.attrs.items()}
        table = f["trials"][()]
        names = table.dtype.names
        status_ok = {1, 4}  # ok, stopped (hpsweep::search::TrialStatus)
        trials = []
        for row in table:
            rec = {name: row[name] for name in names}
            status = rec.get("status")
            status = int(status) if not isinstance(status, bytes) else status.decode()
            trials.append({
                "settings": {name: float(rec[name]) for name in SETTINGS},
                "best_val_loss": float(rec["best_val_loss"]),
                "seconds": float(rec["seconds"]),
                "ok": status in status_ok or status in ("ok", "stopped"),
            })
    return attrs, trials


def run_optuna(args):
    seconds, out = run([args.python, str(HERE / "optuna_baseline.py")])
    result = last_json(out, "optuna_baseline.py")
    result["process_seconds"] = seconds
    return result


def run_hpsweep(args, tmp):
    h5 = pathlib.Path(tmp) / "bench_grid.h5"
    if h5.exists():
        h5.unlink()
    run_seconds, _ = run([args.binary, "run", str(ROOT / "sweeps" / "bench_grid.yaml"), "-o", str(h5), "--quiet"])
    rank_seconds, out = run([args.binary, "rank", str(h5), "--top", "1", "--format", "json"])
    ranked = last_json(out, "hpsweep rank")
    attrs, trials = read_results(h5)
    ok = [t for t in trials if t["ok"] and not math.isnan(t["best_val_loss"])]
    best_h5 = min(ok, key=lambda t: t["best_val_loss"]) if ok else None  # first on ties: plan order
    best_settings = find_settings(ranked)
    best_value = find_number(ranked, ["mean", "best_val_loss", "value", "min"])
    return {
        "run_seconds": run_seconds,
        "rank_seconds": rank_seconds,
        "process_seconds": run_seconds + rank_seconds,
        "wall_seconds": float(attrs.get("wall_seconds", float("nan"))),
        "trial_seconds": sum(t["seconds"] for t in trials),
        "threads": attrs.get("threads"),
        "ranks": attrs.get("ranks"),
        "trials": len(trials),
        "ok_trials": len(ok),
        "best_params": best_settings or (best_h5 and best_h5["settings"]),
        "best_value": best_value if best_value is not None else (best_h5 and best_h5["best_val_loss"]),
        "best_params_h5": best_h5 and best_h5["settings"],
        "best_value_h5": best_h5 and best_h5["best_val_loss"],
        "all_trials": trials,
        "rank_json": ranked,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("binary", nargs="?", default="build/release/hpsweep")
    p.add_argument("--repeat", type=int, default=3, help="runs of each tool; medians are reported")
    p.add_argument("--python", default="/usr/bin/python3", help="Python with optuna and torch (Debian's)")
    p.add_argument("--optuna-only", action="store_true", help="skip hpsweep")
    p.add_argument("--hpsweep-only", action="store_true", help="skip Optuna")
    p.add_argument("--json", metavar="FILE", help="also save every run's figures here")
    args = p.parse_args()
    args.binary = str(pathlib.Path(args.binary).resolve())
    if not args.optuna_only and not os.access(args.binary, os.X_OK):
        sys.exit(f"no hpsweep binary at {args.binary}; build it (cmake --build --preset release) or pass its path")

    optuna_runs, hp_runs = [], []
    with tempfile.TemporaryDirectory(prefix="hpsweep-bench-") as tmp:
        for r in range(args.repeat):
            # Alternate the order so a slow phase of a shared machine does not favour one tool.
            order = ["optuna", "hpsweep"] if r % 2 == 0 else ["hpsweep", "optuna"]
            for tool in order:
                if tool == "optuna" and not args.hpsweep_only:
                    optuna_runs.append(run_optuna(args))
                    print(f"[{r + 1}/{args.repeat}] optuna:  {optuna_runs[-1]['process_seconds']:.2f} s process, "
                          f"{optuna_runs[-1]['optimize_seconds']:.2f} s optimize", file=sys.stderr)
                if tool == "hpsweep" and not args.optuna_only:
                    hp_runs.append(run_hpsweep(args, tmp))
                    print(f"[{r + 1}/{args.repeat}] hpsweep: {hp_runs[-1]['run_seconds']:.3f} s run + "
                          f"{hp_runs[-1]['rank_seconds']:.3f} s rank", file=sys.stderr)

    med = lambda runs, key: statistics.median(run[key] for run in runs)  # noqa: E731
    print(f"End-to-end grid sweep: 72 trials x 20 epochs, 1000/1000 samples, 10 features; "
          f"{len(os.sched_getaffinity(0))} CPUs; medians of {args.repeat} runs", flush=True)
    rows = []
    if optuna_runs:
        o = optuna_runs[-1]
        rows.append(("Optuna + PyTorch, whole process", med(optuna_runs, "process_seconds")))
        rows.append(("  inside study.optimize", med(optuna_runs, "optimize_seconds")))
        print(f"Optuna {o.get('optuna')}, PyTorch {o.get('torch')}, {o.get('threads')} torch threads")
    if hp_runs:
        h = hp_runs[-1]
        rows.append(("hpsweep run + rank, whole processes", med(hp_runs, "process_seconds")))
        rows.append(("  run", med(hp_runs, "run_seconds")))
        rows.append(("  rank", med(hp_runs, "rank_seconds")))
        rows.append(("  wall_seconds (results file)", med(hp_runs, "wall_seconds")))
        rows.append(("  sum of trial seconds (training)", med(hp_runs, "trial_seconds")))
        print(f"hpsweep: {h['ranks']} rank(s), {h['threads']} thread(s), {h['ok_trials']}/{h['trials']} trials ok")
    for label, seconds in rows:
        print(f"  {label:<40} {seconds:9.3f} s")
    if optuna_runs and hp_runs:
        ratio = med(optuna_runs, "process_seconds") / med(hp_runs, "process_seconds")
        print(f"  {'ratio Optuna / hpsweep (whole process)':<40} {ratio:9.1f} x   (target: >= 10x)")
        ratio_run = med(optuna_runs, "process_seconds") / med(hp_runs, "run_seconds")
        print(f"  {'ratio Optuna / hpsweep run alone':<40} {ratio_run:9.1f} x")

    print()
    o_best = h_best = None
    if optuna_runs:
        bests = {config_key(run["best_params"]) for run in optuna_runs}
        o = optuna_runs[-1]
        o_best = o["best_params"]
        print(f"Optuna best:  {fmt_config(o_best)}  val_loss {o['best_value']:.4f}"
              + ("" if len(bests) == 1 else f"  (best differs between runs: {len(bests)} configurations)"))
    if hp_runs:
        bests = {config_key(run["best_params"]) for run in hp_runs}
        h = hp_runs[-1]
        h_best = h["best_params"]
        print(f"hpsweep best: {fmt_config(h_best)}  val_loss {h['best_value']:.4f}"
              + ("" if len(bests) == 1 else f"  (best differs between runs: {len(bests)} configurations)"))
        if h["best_params_h5"] and config_key(h["best_params_h5"]) != config_key(h_best):
            print(f"  note: the minimum of /trials best_val_loss is {fmt_config(h['best_params_h5'])} "
                  f"{h['best_value_h5']:.4f}, not rank's first")
    if o_best and h_best:
        o, h = optuna_runs[-1], hp_runs[-1]
        same = config_key(o_best) == config_key(h_best)
        within = h["best_value"] <= o["best_value"] * 1.01
        o_losses = {config_key(t): t["value"] for t in o["all_trials"]}
        h_losses = {config_key(t["settings"]): t["best_val_loss"] for t in h["all_trials"]}
        print(f"  Optuna's loss at hpsweep's best: {o_losses.get(config_key(h_best), float('nan')):.4f}; "
              f"hpsweep's loss at Optuna's best: {h_losses.get(config_key(o_best), float('nan')):.4f}")
        near_o = sum(v <= o["best_value"] * 1.01 for v in o_losses.values())
        near_h = sum(v <= h["best_value"] * 1.01 for v in h_losses.values())
        print(f"  configurations within 1% of the tool's own best: Optuna {near_o}, hpsweep {near_h} "
              f"(several: the winner among them is decided by seed noise)")
        rel = (h["best_value"] - o["best_value"]) / o["best_value"]
        print(f"  same configuration: {'yes' if same else 'no'}; hpsweep's best val_loss vs Optuna's: {rel:+.2%} "
              f"({'within' if within else 'NOT within'} 1%)")

    if args.json:
        for run in hp_runs:
            run.pop("rank_json", None)
        pathlib.Path(args.json).write_text(json.dumps({"optuna": optuna_runs, "hpsweep": hp_runs}, indent=1))


if __name__ == "__main__":
    main()
