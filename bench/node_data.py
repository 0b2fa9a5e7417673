#!/usr/bin/env python3
"""One copy of the data per node: memory and time to the first trial of `hpsweep run` alone and
under mpirun with N ranks on this machine.

    bench/node_data.py build/release/hpsweep sweep.yaml 1 m1 4 16

For each rank count (1: one process, no mpirun; m1: `mpirun -np 1`) it runs the sweep to a fresh
file and prints:
- first trial: seconds from launch to the first trial's line (a trial of the sweep should take
  little, e.g. one epoch of a narrow model, so that this is the time to load and share the data);
- first start: the same less that trial's own training seconds (from its line): when training
  began. With more ranks than cores the trials running side by side slow each other down; this
  leaves that out and keeps the start-up, loading and sharing;
- wall: seconds to the end;
- peak PSS: the largest sum over the job's hpsweep processes of their proportional set size
  (/proc/PID/smaps_rollup), sampled every 50 ms: a page shared by k processes counts 1/k in each,
  so the sum is the memory the job holds; peak RSS sum counts shared pages once per process;
- rank 0 RSS: the peak resident size of rank 0 alone (under mpirun it coordinates and should hold
  no data; one process holds it all);
- MPI alone: under mpirun, seconds from launch until the same number of ranks of
  bench/mpi_start (a program that only starts MPI) are all past MPI_Init, and the CPU seconds
  they spent getting there: the start-up no sharing of data can remove. With more ranks than cores it
  is CPU-bound: its CPU seconds divided by the cores is a floor under "first start".
"""
import os
import re
import subprocess
import sys
import tempfile
import threading
import time


def hpsweep_pids():
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/comm") as f:
                if f.read().strip() == "hpsweep":
                    pids.append(int(entry))
        except OSError:
            pass
    return pids


def is_rank_zero(pid):
    """Rank 0 of an mpirun job, or the one process run without mpirun."""
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            variables = f.read().split(b"\0")
    except OSError:
        return False
    ranks = [v for v in variables if v.startswith(b"OMPI_COMM_WORLD_RANK=")]
    return not ranks or ranks[0] == b"OMPI_COMM_WORLD_RANK=0"


def memory_kb(pid):
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


# Open MPI refuses root without these (this machine's tests run as root).
MPI_ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")


def mpirun_prefix(count):
    ranks = int(count.lstrip("m"))
    if ranks > 1 or count.startswith("m"):
        return ["mpirun", "--oversubscribe", "--bind-to", "none", "-np", str(ranks)]
    return []


def mpi_alone(mpi_start, count):
    """(seconds until all ranks are past MPI_Init, their CPU seconds until then), or None without mpirun."""
    prefix = mpirun_prefix(count)
    if not prefix:
        return None
    launched = time.time()
    out = subprocess.run(prefix + [mpi_start], capture_output=True, text=True, env=MPI_ENV, check=True).stdout
    found = re.search(r"([0-9.]+) CPU seconds .* at ([0-9.]+)", out)
    if not found:
        sys.exit(f"unexpected output of {mpi_start}: {out!r}")
    return float(found.group(2)) - launched, float(found.group(1))


def run(binary, sweep, count):
    """`count`: a number of ranks, "1" without mpirun, "m1" one rank under mpirun."""
    out = tempfile.mkdtemp(prefix="hpsweep_node_data_")
    command = mpirun_prefix(count) + [binary, "run", sweep, "-o", os.path.join(out, "r.h5")]
    peak = {"pss": 0, "rss": 0, "rank0": 0}
    done = threading.Event()

    def sample():
        while not done.is_set():
            pss = rss = 0
            for pid in hpsweep_pids():
                p, r = memory_kb(pid)
                pss += p
                rss += r
                if is_rank_zero(pid):
                    peak["rank0"] = max(peak["rank0"], r)
            peak["pss"] = max(peak["pss"], pss)
            peak["rss"] = max(peak["rss"], rss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    start = time.monotonic()
    sampler.start()
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=MPI_ENV)
    first = started = None
    for line in process.stderr:
        if first is None and line.startswith("[1/"):
            first = time.monotonic() - start
            trained = re.search(r", ([0-9.]+) s, rank", line)
            started = first - float(trained.group(1)) if trained else first
    code = process.wait()
    wall = time.monotonic() - start
    done.set()
    sampler.join()
    if code != 0:
        sys.exit(f"{' '.join(command)} exited with {code}")
    return first, started, wall, peak["pss"] / 1024.0, peak["rss"] / 1024.0, peak["rank0"] / 1024.0


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    binary, sweep = sys.argv[1], sys.argv[2]
    counts = sys.argv[3:]
    mpi_start = os.path.join(os.path.dirname(os.path.abspath(binary)), "bench", "mpi_start")
    if not os.access(mpi_start, os.X_OK):
        sys.exit(f"{mpi_start} is missing: build the benchmarks (HPSWEEP_BUILD_BENCH, on in the release preset)")
    print(f"{'ranks':>5}  {'first trial s':>13}  {'first start s':>13}  {'wall s':>7}  {'peak PSS MiB':>12}  {'peak RSS sum MiB':>16}"
          f"  {'rank 0 RSS MiB':>14}  {'MPI alone s (CPU s)':>19}")
    base = None
    for n in counts:
        first, started, wall, pss, rss, rank0 = run(binary, sweep, n)
        alone = mpi_alone(mpi_start, n)
        alone_text = f"{alone[0]:.2f} ({alone[1]:.2f})" if alone else "-"
        if base is None:
            base = (first, started, pss)
        print(f"{n:>5}  {first:>13.2f}  {started:>13.2f}  {wall:>7.2f}  {pss:>12.0f}  {rss:>16.0f}  {rank0:>14.0f}  {alone_text:>19}   "
              f"(first trial {first / base[0]:.2f}x, first start {started / base[1]:.2f}x, PSS {pss / base[2]:.2f}x "
              "of the first row)")


if __name__ == "__main__":
    main()
