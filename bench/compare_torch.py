#!/usr/bin/python3
"""Side-by-side training throughput: hpsweep (bench/train_throughput) vs PyTorch (torch_baseline.py).

Runs the Google Benchmark binary with --benchmark_format=json (or reads a saved result with
--hpsweep-json), then bench/torch_baseline.py once per (width, batch, threads), and prints
samples/s for both, the hpsweep/torch ratio, hpsweep GFLOP/s (the binary's gflops counter:
6 flops per weight per training sample) and hpsweep's 2-thread/1-thread speedup per size.
Both sides time whole epochs of the same loop: shuffle, all mini-batch steps, per-epoch
evaluation (train loss, validation loss + accuracy); 10 features, 8192 train, 1024 val, 3 epochs.
Exits non-zero if any run fails. Standard library only; run with /usr/bin/python3.

  /usr/bin/python3 bench/compare_torch.py [build/release/bench/train_throughput]
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
SIZES = [(128, 32, 1), (128, 32, 2), (128, 256, 1), (128, 256, 2), (1024, 256, 1), (1024, 256, 2)]


def run(cmd):
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        sys.exit(f"failed: {' '.join(cmd)}: {e}")
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return proc.stdout


def parse_hpsweep(text):
    """{(width, batch, threads): benchmark entry}; a median aggregate wins over single runs."""
    results = {}
    for b in json.loads(text)["benchmarks"]:
        m = re.search(r"width:(\d+)/batch:(\d+)/threads:(\d+)", b["name"])
        if not m or b.get("error_occurred"):
            continue
        key = tuple(int(g) for g in m.groups())
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        if key not in results or b.get("aggregate_name") == "median":
            results[key] = b
    return results


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("binary", nargs="?", default="build/release/bench/train_throughput")
    p.add_argument("--hpsweep-json", metavar="FILE", help="reuse a saved --benchmark_format=json result")
    p.add_argument("--save-hpsweep-json", metavar="FILE", help="save the binary's JSON output here")
    p.add_argument("--torch-only", action="store_true", help="skip hpsweep, run only the PyTorch baseline")
    p.add_argument("--repeats", type=int, default=5, help="timed repeats per PyTorch run (best is used)")
    args = p.parse_args()

    hp = {}
    if args.hpsweep_json:
        hp = parse_hpsweep(pathlib.Path(args.hpsweep_json).read_text())
    elif not args.torch_only:
        text = run([args.binary, "--benchmark_format=json"])
        if args.save_hpsweep_json:
            pathlib.Path(args.save_hpsweep_json).write_text(text)
        hp = parse_hpsweep(text)
    sizes = sorted(hp) if hp else SIZES
    if not args.torch_only and not hp:
        sys.exit("no hpsweep results parsed")

    th = {}
    for width, batch, threads in sizes:
        out = run([sys.executable, str(HERE / "torch_baseline.py"), "--width", str(width), "--batch",
                   str(batch), "--threads", str(threads), "--repeats", str(args.repeats)])
        th[(width, batch, threads)] = json.loads(out.strip().splitlines()[-1])["samples_per_second"]

    cols = ["width", "batch", "threads", "hpsweep/s", "torch/s", "hp/torch", "hp GFLOP/s", "hp 2t/1t"]
    print("  ".join(f"{c:>10}" for c in cols))
    for key in sizes:
        width, batch, threads = key
        b, t = hp.get(key), th[key]
        one = hp.get((width, batch, 1))
        row = [width, batch, threads,
               f"{b['samples_per_second']:.0f}" if b else "-", f"{t:.0f}",
               f"{b['samples_per_second'] / t:.2f}" if b else "-",
               f"{b['gflops']:.1f}" if b else "-",
               f"{b['samples_per_second'] / one['samples_per_second']:.2f}" if b and one and threads != 1 else ""]
        print("  ".join(f"{v:>10}" for v in row))


if __name__ == "__main__":
    main()
