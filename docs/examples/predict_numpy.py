#!/usr/bin/env python3
"""Predict with an hpsweep model file using only h5py and numpy (no hpsweep needed).

    hpsweep train --from results.h5 --trial 17 --save model.h5
    /usr/bin/python3 docs/examples/predict_numpy.py model.h5 new.csv

Prints one row per input row (the prediction and, for classification, the probability of each
class), and the loss when the CSV has the target column. The layout of model.h5 is documented in
docs/model-format.md.
"""
import argparse
import math

import h5py
import numpy as np
import pandas as pd

ACTIVATIONS = {
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "gelu": lambda z: 0.5 * z * (1.0 + np.vectorize(math.erf)(z / math.sqrt(2.0))),  # exact, as Keras
}


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def load_model(path):
    with h5py.File(path, "r") as f:
        assert text(f.attrs["format"]) == "hpsweep-model"
        model = {key: text(f.attrs[key]) for key in ("task", "activation", "target")}
        model["features"] = [text(name) for name in f["feature_names"][()]]
        model["mean"], model["scale"] = f["standardize/mean"][()], f["standardize/scale"][()]
        model["classes"] = f["classes"][()] if "classes" in f else None
        model["layers"] = [(f[f"layers/{i}/kernel"][()].astype(np.float64), f[f"layers/{i}/bias"][()].astype(np.float64))
                           for i in range(len(f["layers"]))]
    return model


def predict(model, x):
    """Outputs for raw features x (samples x features): class probabilities, or values."""
    h = ((x - model["mean"]) / model["scale"]).T      # one column per sample, as the network computes
    activation = ACTIVATIONS[model["activation"]]
    for i, (kernel, bias) in enumerate(model["layers"]):
        h = kernel @ h + bias[:, None]
        if i < len(model["layers"]) - 1:
            h = activation(h)
    if model["task"] == "binary":
        p = 1.0 / (1.0 + np.exp(-h[0]))
        return np.stack([1.0 - p, p], axis=1)
    if model["task"] == "multiclass":
        e = np.exp(h - h.max(axis=0))
        return (e / e.sum(axis=0)).T
    return h[0][:, None]


def label(value):
    """A class label as hpsweep writes it: 1, not 1.0; other numbers in their shortest exact form."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def loss(model, outputs, y):
    """The training loss: cross-entropy for classification, mean squared error for regression."""
    if model["task"] == "regression":
        return float(np.mean((outputs[:, 0] - y) ** 2))
    index = np.searchsorted(model["classes"], y)      # classes are sorted labels
    return float(-np.mean(np.log(outputs[np.arange(len(y)), index])))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("csv")
    args = parser.parse_args()
    model = load_model(args.model)
    data = pd.read_csv(args.csv)
    outputs = predict(model, data[model["features"]].to_numpy(dtype=np.float64))
    if model["task"] == "regression":
        table = pd.DataFrame({"prediction": outputs[:, 0]})
    else:
        table = pd.DataFrame({"prediction": [label(v) for v in model["classes"][outputs.argmax(axis=1)]]})
        for c, value in enumerate(model["classes"]):
            table[f"p_{label(value)}"] = outputs[:, c]
    print(table.to_csv(index=False), end="")
    if model["target"] in data:
        print(f"loss {loss(model, outputs, data[model['target']].to_numpy(dtype=np.float64)):.10g}")


if __name__ == "__main__":
    main()
