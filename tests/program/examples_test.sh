#!/usr/bin/env bash
# examples_test.sh HPSWEEP EXAMPLE_CPP: the README's program examples run as documented:
# examples/program/sweep.yaml (the ten-line Python program) and sweep_cpp.yaml (train.cpp, built
# here as a test fixture), each ranked by validation_loss with every trial ok.
set -euo pipefail
hpsweep=$1 example_cpp=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$hpsweep" run "$root/examples/program/sweep.yaml" -o "$dir/python.h5" --quiet
"$hpsweep" info "$dir/python.h5" | grep -q "12 planned: 12 ok" || { "$hpsweep" info "$dir/python.h5"; exit 1; }
"$hpsweep" rank "$dir/python.h5" --top 3 | grep -q "best_validation_loss"
grep -q "done" "$dir/python.trials/trial-0/stderr.log"
cp "$root/examples/program/sweep_cpp.yaml" "$dir/"
cp "$example_cpp" "$dir/train_cpp"
"$hpsweep" run "$dir/sweep_cpp.yaml" -o "$dir/cpp.h5" --quiet
"$hpsweep" info "$dir/cpp.h5" | grep -q "4 planned: 4 ok" || { "$hpsweep" info "$dir/cpp.h5"; exit 1; }
echo "examples/program: the Python and C++ examples run and rank"
