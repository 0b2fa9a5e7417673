#!/usr/bin/env bash
# pytorch_example_test.sh HPSWEEP: examples/pytorch/sweep.yaml (a real PyTorch script, method
# bayes) stopped by SIGTERM mid-sweep and resumed gives the file of an uninterrupted run; no
# training script is left running. Skipped (77) without Debian's python3-torch.
set -euo pipefail
hpsweep=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
/usr/bin/python3 -c "import torch" 2>/dev/null || { echo "python3-torch is not installed"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$hpsweep" run "$root/examples/pytorch/sweep.yaml" -o "$dir/whole.h5" --quiet --threads 2
"$hpsweep" run "$root/examples/pytorch/sweep.yaml" -o "$dir/termed.h5" --quiet --threads 2 & pid=$!
sleep 6
kill -TERM "$pid"
code=0; wait "$pid" || code=$?
[ "$code" = 75 ] || { echo "exit $code after SIGTERM, expected 75"; exit 1; }
if pgrep -af "$root/examples/pytorch/train_torch.py"; then echo "training scripts left running"; exit 1; fi
"$hpsweep" run "$root/examples/pytorch/sweep.yaml" -o "$dir/termed.h5" --quiet --threads 2
/usr/bin/python3 "$root/tests/runtime/compare_results.py" "$dir/whole.h5" "$dir/termed.h5"
echo "examples/pytorch: stopped and resumed, identical to an uninterrupted run"
