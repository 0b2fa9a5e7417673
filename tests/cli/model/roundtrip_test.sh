#!/usr/bin/env bash
# roundtrip_test.sh HPSWEEP: sweep -> train --from --save -> split -> predict, for a binary (early
# stopping restores the best weights), a multiclass (float64, gelu, 2 layers) and a regression
# sweep: the predicted validation loss equals the one the sweep recorded at the model's epoch, and
# the documented h5py/numpy example (docs/examples/predict_numpy.py) gives the same predictions.
set -euo pipefail
hpsweep=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for kind in binary multiclass regression; do
  d=$dir/$kind
  mkdir -p "$d"
  "$hpsweep" run "$here/$kind.yaml" -o "$d/r.h5" --quiet
  "$hpsweep" split "$d/r.h5" -o "$d/splits" 2>/dev/null
  for trial in 0 1; do
    "$hpsweep" train --from "$d/r.h5" --trial $trial --save "$d/m$trial.h5" >/dev/null
    "$hpsweep" predict "$d/m$trial.h5" --data "$d/splits/val.csv" -o "$d/p$trial.csv" 2>"$d/log$trial"
    /usr/bin/python3 "$root/docs/examples/predict_numpy.py" "$d/m$trial.h5" "$d/splits/val.csv" >"$d/numpy$trial.csv"
    /usr/bin/python3 "$here/check_roundtrip.py" "$d/r.h5" $trial "$d/m$trial.h5" "$d/log$trial" "$d/p$trial.csv" \
      "$d/numpy$trial.csv"
  done
  # The target column is optional: the same predictions without it, and no loss.
  /usr/bin/python3 -c "import pandas as pd, h5py, sys; m = h5py.File(sys.argv[1]); t = m.attrs['target']; \
t = t.decode() if isinstance(t, bytes) else t; pd.read_csv(sys.argv[2]).drop(columns=[t]).to_csv(sys.argv[3], index=False)" \
    "$d/m0.h5" "$d/splits/val.csv" "$d/features_only.csv"
  "$hpsweep" predict "$d/m0.h5" --data "$d/features_only.csv" -o "$d/p_features_only.csv" 2>"$d/log_features_only"
  cmp "$d/p0.csv" "$d/p_features_only.csv"
  ! grep -q "loss" "$d/log_features_only"
  echo "$kind: the saved models reproduce the recorded validation losses"
done
