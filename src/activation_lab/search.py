"""A miniature of an automated search for activation functions.

Ramachandran, Zoph and Le (2017) built candidate activations from a "core unit"
``b(u1(x), u2(x))``: a binary function ``b`` of two unary functions ``u1``, ``u2``. They
scored each candidate by training a small child network with it, and kept the best. This
module enumerates a small space of that form and scores every candidate on a much cheaper
child task: a network whose hidden layer is random and fixed, with only the output layer
fitted, in closed form (ridge regression onto one-hot labels). That takes about a
millisecond per candidate, so the whole space is searched exhaustively.

>>> space = candidates()
>>> len(space)                         # 9 unary functions alone, and 4 binary ones x 45 unordered pairs
189
>>> space["mul(x, sigmoid(x))"](np.array([0.0, 2.0])).round(4)     # Swish with beta = 1
array([0.    , 1.7616])
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
from scipy.special import erf, expit

Function = Callable[[np.ndarray], np.ndarray]

UNARY: dict[str, Function] = {
    "x": lambda x: x,
    "sigmoid(x)": expit,
    "tanh(x)": np.tanh,
    "relu(x)": lambda x: np.maximum(x, 0.0),
    "sin(x)": np.sin,
    "x^2": np.square,
    "|x|": np.abs,
    "exp(-x^2)": lambda x: np.exp(-np.square(x)),
    "erf(x)": erf,
}
# All four are symmetric, so b(u1, u2) and b(u2, u1) are the same candidate.
BINARY: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "add": np.add, "mul": np.multiply, "max": np.maximum, "min": np.minimum,
}


def _core_unit(b, u1, u2) -> Function:
    return lambda x: b(u1(x), u2(x))


def candidates() -> dict[str, Function]:
    """Every unary function alone, then every ``b(u1(x), u2(x))``, named like ``"mul(x, sigmoid(x))"``.

    Some candidates compute the same function under different names (``max(x, relu(x))`` is
    ReLU); the search scores them separately, as a search that only sees names would.
    """
    space = dict(UNARY)
    for b_name, b in BINARY.items():
        for u1, u2 in itertools.combinations_with_replacement(UNARY, 2):
            space[f"{b_name}({u1}, {u2})"] = _core_unit(b, UNARY[u1], UNARY[u2])
    return space


def random_feature_accuracy(activation: Function, X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray,
                            y_test: np.ndarray, *, width: int = 12, scale: float = 3.0, ridge: float = 1e-3,
                            seeds=range(5)) -> np.ndarray:
    """Test accuracy of a one-hidden-layer network whose hidden layer is random and fixed.

    Hidden weights are N(0, scale^2) and biases N(0, (scale/2)^2), drawn from each seed; the
    output layer (with a bias) is the ridge-regression fit to one-hot labels. One accuracy
    per seed; NaN where the activation gives a non-finite output.
    """
    classes = int(max(y_train.max(), y_test.max())) + 1
    targets = np.eye(classes)[y_train]
    accuracies = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        W = rng.standard_normal((X_train.shape[1], width)) * scale
        b = rng.standard_normal(width) * scale / 2
        with np.errstate(all="ignore"):
            H_train, H_test = (np.column_stack([activation(X @ W + b), np.ones(len(X))]) for X in (X_train, X_test))
        if not (np.isfinite(H_train).all() and np.isfinite(H_test).all()):
            accuracies.append(np.nan)
            continue
        gram = H_train.T @ H_train + ridge * np.eye(width + 1)
        readout = np.linalg.solve(gram, H_train.T @ targets)
        accuracies.append(float(np.mean((H_test @ readout).argmax(axis=1) == y_test)))
    return np.array(accuracies)
