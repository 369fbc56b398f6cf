"""The largest stable learning rate of a network's output layer, and what bounded activations do to it.

Take the hidden layer's outputs as fixed features: row i of ``H`` holds the m hidden outputs
for example i and a 1 for the bias. With the mean squared error
L(v) = (1/n) sum_i (H_i . v - y_i)^2 the output weights v see the Hessian (2/n) H^T H, and
gradient descent with step size eta converges if and only if

    eta < n / lambda_max(H^T H).

If the activation is bounded, |f| <= B, then lambda_max(H^T H) <= trace(H^T H) <= n (m B^2 + 1),
so every eta below 1 / (m B^2 + 1) is stable, however large the inputs or the first layer's
weights. An unbounded activation gives no such floor: scale the inputs of a ReLU layer by c
and (for large c) its outputs grow c-fold, so the largest stable step shrinks about c^2-fold.

>>> H = np.array([[1.0, 1.0], [-1.0, 1.0]])          # one feature and the bias column
>>> largest_stable_lr(H)                             # H^T H = 2 I, n = 2
1.0
>>> bounded_guarantee(width=1, bound=1.0)            # 1 / (1 + 1)
0.5
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


def features(model: nn.Sequential, X: torch.Tensor) -> np.ndarray:
    """The inputs the last layer of ``model`` sees, with a column of ones for its bias."""
    with torch.no_grad():
        hidden = model[:-1](X)
    hidden = hidden.double().numpy()
    return np.column_stack([hidden, np.ones(len(hidden))])


def largest_stable_lr(H) -> float:
    """n / lambda_max(H^T H): the step size at which gradient descent on the output layer stops converging."""
    H = np.asarray(H, dtype=float)
    return float(len(H) / np.linalg.eigvalsh(H.T @ H)[-1])


def bounded_guarantee(width: int, bound: float) -> float:
    """A step size that is always stable when ``width`` hidden outputs satisfy |h| <= ``bound``."""
    return 1.0 / (width * bound**2 + 1.0)
