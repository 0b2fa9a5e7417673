#!/usr/bin/python3
"""craft_results.py VALID.h5 OUTDIR: writes crafted and corrupted copies of a valid results file
into OUTDIR, one per way a hostile or damaged file can lie about its own shape (the corpus runs
every reading command on each: all must refuse them with exit 5, naming the file, or at least
never crash, hang or allocate what the file only declares)."""
import shutil
import sys

import h5py
import numpy as np

valid, out = sys.argv[1], sys.argv[2]


def copy(name):
    path = f"{out}/{name}.h5"
    shutil.copy(valid, path)
    return h5py.File(path, "r+")


def set_text(f, name, text):
    """A fixed-length string attribute, as hpsweep writes them."""
    del f.attrs[name]
    f.attrs.create(name, np.bytes_(text.encode()))


def replace(f, name, data=None, **create):
    del f[name]
    if data is not None:
        f.create_dataset(name, data=data, **create)
    else:
        f.create_dataset(name, **create)


with copy("fewer_rows") as f:  # /trials shorter than the curves
    replace(f, "trials", f["trials"][()][:3])
with copy("max_epochs_negative") as f:
    f.attrs["max_epochs"] = np.int32(-5)
with copy("max_epochs_huge") as f:
    f.attrs["max_epochs"] = np.int32(2**30)
with copy("trials_2d") as f:
    t = f["trials"][()]
    replace(f, "trials", t[: len(t) // 2 * 2].reshape(len(t) // 2, 2))
with copy("curves_huge") as f:  # declared (1e9, 1e6), nothing stored
    replace(f, "curves/val_loss", shape=(10**9, 10**6), dtype="f8", chunks=(1, 1024))
with copy("trial_index_huge") as f:
    t = f["trials"][()]
    t["trial"][0] = 2**31 - 1
    f["trials"][...] = t
with copy("epochs_run_huge") as f:
    t = f["trials"][()]
    t["epochs_run"][1] = 2**31 - 1
    f["trials"][...] = t
with copy("unknown_status") as f:  # a status value hpsweep never writes, as a plain integer column
    t = f["trials"][()]
    dtype = [(n, np.int8 if n == "status" else t.dtype[n]) for n in t.dtype.names]
    plain = np.zeros(len(t), dtype=dtype)
    for n in t.dtype.names:
        plain[n] = t[n] if n != "status" else 9
    replace(f, "trials", plain)
with copy("missing_column") as f:  # no best_val_loss column
    t = f["trials"][()]
    names = [n for n in t.dtype.names if n != "best_val_loss"]
    replace(f, "trials", t[names].copy() if hasattr(t[names], "copy") else t[names])
with copy("not_compound") as f:
    replace(f, "trials", np.zeros(12))
with copy("sweep_alias_bomb") as f:  # the stored sweep text: 665 bytes that expand to billions
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    set_text(f, "sweep", "name: tiny\nmethod: grid\nextra:\n  " + "\n  ".join(lines) + "\n")
with copy("sweep_recursive_alias") as f:
    set_text(f, "sweep", "name: tiny\nmethod: grid\nparameters: &p {dropout: *p}\n")
with copy("sweep_variable_length") as f:  # h5py's default string type, which hpsweep never writes
    f.attrs["sweep"] = "name: tiny\nmethod: grid\n"
with copy("sweep_escape_sequences") as f:  # a name that would drive the terminal
    set_text(f, "name", "tiny\x1b]0;owned\x07\x1b[2J")
print(f"crafted results files written to {out}")
