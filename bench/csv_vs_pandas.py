#!/usr/bin/python3
"""Loading a large CSV file: hpsweep's reader (bench/csv_load) vs pandas.read_csv.

Generates, unless it exists, DIR/csv_<rows>x<cols>.csv: a header, <rows> rows of <cols> float
features (standard normal, numpy seed 20240601, printed with --fmt, ~1.1 GB for 1,000,000 x 100
with '%.8g') and a 0/1 target column. Then runs, each as a whole process and --runs times,
alternating: `csv_load FILE` (float64, as a float64 sweep holds it), `csv_load --coded FILE` (4-byte
codes, as a float32 sweep holds short decimals until it standardizes them) and
`python3 -c "pandas.read_csv(FILE)"`; wall time is measured around the process, peak RSS is the
child's own (os.wait4). The file is read once first so all start from a warm page cache. Prints
the medians, MB/s, the pandas/hpsweep time ratios and hpsweep's peak RSS over the float32 data size
(rows * cols * 4 bytes; float64 storage makes 2.0 its floor, codes 1.0).
Exits non-zero if any run fails. Run with /usr/bin/python3 (numpy and pandas).

  /usr/bin/python3 bench/csv_vs_pandas.py [build/release/bench/csv_load] [--rows N] [--dir /tmp]
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

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
SEED = 20240601
PANDAS = "import sys, time, pandas; t = time.perf_counter(); pandas.read_csv(sys.argv[1]); " \
         "print(f'pandas: {time.perf_counter() - t:.3f} s')"


def generate(path, rows, cols, fmt, chunk=50_000):
    """Writes the CSV file chunk by chunk (to a temporary name, renamed when complete)."""
    rng = np.random.default_rng(SEED)
    partial = path.with_name(path.name + ".partial")
    start = time.perf_counter()
    with open(partial, "w") as out:
        out.write(",".join([f"f{c}" for c in range(cols)] + ["y"]) + "\n")
        for first in range(0, rows, chunk):
            n = min(chunk, rows - first)
            x = rng.standard_normal((n, cols))
            y = rng.integers(0, 2, n)
            np.savetxt(out, np.column_stack([x, y]), fmt=[fmt] * cols + ["%d"], delimiter=",")
    partial.rename(path)
    print(f"generated {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.0f} s",
          file=sys.stderr)


def warm(path):
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def run_once(cmd):
    """(wall seconds, peak RSS bytes, stdout) of one child process; exits on failure."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        except OSError as e:
            sys.exit(f"failed: {' '.join(cmd)}: {e}")
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{stderr}")
    # ru_maxrss (KiB) is a high-water mark that starts at this script's RSS when it forks (~40 MiB):
    # a floor far below what either reader needs for a large file.
    return wall, usage.ru_maxrss * 1024, stdout


def check_hpsweep_output(stdout, rows, cols):
    m = re.search(r"csv_load: (\d+) rows x (\d+) features", stdout)
    if not m or (int(m.group(1)), int(m.group(2))) != (rows, cols):
        sys.exit(f"csv_load read the wrong shape (expected {rows} rows x {cols} features): {stdout.strip()}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("binary", nargs="?", default=str(HERE.parent / "build/release/bench/csv_load"))
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--cols", type=int, default=100, help="feature columns (a target column is added)")
    p.add_argument("--dir", default="/tmp", help="where the CSV file is generated (kept for the next run)")
    p.add_argument("--fmt", default="%.8g", help="printf format of the features")
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()

    path = pathlib.Path(args.dir) / f"csv_{args.rows}x{args.cols}.csv"
    if not path.exists():
        generate(path, args.rows, args.cols, args.fmt)
    mb = path.stat().st_size / 1e6
    warm(path)

    tools = {"hpsweep": [args.binary, str(path)], "coded": [args.binary, "--coded", str(path)],
             "pandas": ["/usr/bin/python3", "-c", PANDAS, str(path)]}
    walls = {name: [] for name in tools}
    rss = {name: [] for name in tools}
    for run in range(args.runs):
        for name, cmd in tools.items():
            wall, peak, stdout = run_once(cmd)
            if name != "pandas":
                check_hpsweep_output(stdout, args.rows, args.cols)
            walls[name].append(wall)
            rss[name].append(peak)
            print(f"run {run + 1} {name:8} {wall:7.2f} s  peak RSS {peak / 2**20:7.0f} MiB  {stdout.strip()}",
                  file=sys.stderr)

    float32_bytes = args.rows * args.cols * 4
    print(f"{path}: {mb:.1f} MB, {args.rows} rows x {args.cols} features + target; median of {args.runs} runs")
    print(f"{'tool':8} {'wall s':>8} {'MB/s':>8} {'peak RSS MiB':>13} {'RSS/float32 data':>17}")
    median = {name: statistics.median(walls[name]) for name in tools}
    for name in tools:
        peak = statistics.median(rss[name])
        print(f"{name:8} {median[name]:8.2f} {mb / median[name]:8.0f} {peak / 2**20:13.0f} "
              f"{peak / float32_bytes:17.2f}")
    for name in ("hpsweep", "coded"):
        print(f"speed ratio pandas/{name} (wall): {median['pandas'] / median[name]:.2f}x; peak RSS / float32 data "
              f"size ({float32_bytes / 2**20:.0f} MiB): {statistics.median(rss[name]) / float32_bytes:.2f}")


if __name__ == "__main__":
    main()
