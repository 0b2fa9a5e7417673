#!/usr/bin/env bash
# program_overhead.sh HPSWEEP PROGRAM_STUB [TRIALS [REPORTS]]: what a program sweep costs beyond
# the programs themselves, on this machine.
# 1. Per trial: TRIALS trials of a program that prints one report and exits, one at a time (one
#    rank, one trial slot); the gap from each program's last output to the next program's first
#    (both clocked by the programs) is hpsweep's: reaping, the record, the journal, the next
#    assignment, the params file, the spawn and exec. Median and 90th percentile.
# 2. Per report line: one trial printing REPORTS lines of five fields as fast as it can, timed under
#    hpsweep and alone into /dev/null; the difference per line is hpsweep's cost of reading,
#    parsing and folding a report (on the worker: only the finished record reaches the
#    coordinator, so the coordinator's cost per report line is zero).
set -euo pipefail
hpsweep=$(realpath "$1") stub=$(realpath "$2") trials=${3:-200} reports=${4:-100000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
cat > trials.yaml <<YAML
name: overhead
command:
  - $stub
  - \${args}
method: random
run_cap: $trials
metric: {name: end_ns}
parameters:
  reports: {value: 1}
  x: {distribution: uniform, min: 0, max: 1}
YAML
"$hpsweep" run trials.yaml -o trials.h5 --quiet --threads 1 --trials-per-rank 1
/usr/bin/python3 - trials.h5 <<'PY'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
order = f["trials"]["trial"]
start, end = f["curves"]["start_ns"][()], f["curves"]["end_ns"][()]
starts = np.array([np.nanmax(row) for row in start])
ends = np.array([np.nanmax(row) for row in end])
o = np.argsort(starts)
gaps = (starts[o][1:] - ends[o][:-1]) / 1e6
print(f"per trial: {len(gaps)} gaps from a program's exit to the next one's start: median {np.median(gaps):.2f} ms, "
      f"90th percentile {np.percentile(gaps, 90):.2f} ms (target < 5 ms)")
PY
cat > reports.yaml <<YAML
name: reports
command:
  - $stub
  - \${args}
method: grid
metric: {name: loss}
parameters:
  reports: {value: $reports}
YAML
alone_start=$(date +%s.%N)
"$stub" --reports="$reports" > /dev/null
alone=$(echo "$(date +%s.%N) - $alone_start" | bc)
swept_start=$(date +%s.%N)
"$hpsweep" run reports.yaml -o reports.h5 --quiet --threads 1
swept=$(echo "$(date +%s.%N) - $swept_start" | bc)
/usr/bin/python3 - "$alone" "$swept" "$reports" reports.h5 <<'PY'
import sys, h5py
alone, swept, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
f = h5py.File(sys.argv[4], "r")
steps = int(f["trials"]["epochs_run"][0])
print(f"per report line: {n} reports, program alone {alone:.2f} s, under hpsweep {swept:.2f} s (whole run, file "
      f"included): {(swept - alone) / n * 1e6:.2f} us per line (target < 20 us); {steps} stored")
PY
