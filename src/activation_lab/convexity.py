"""Which training losses are convex in the weights, and which are not.

A loss L is *convex* when it never rises above a chord:
L((1 - t) a + t b) <= (1 - t) L(a) + t L(b) for all weight vectors a, b and 0 <= t <= 1. For a
twice-differentiable L that is the same as a Hessian with no negative eigenvalue anywhere.

* One unit with a non-decreasing activation phi and its *matching loss* Phi(z) - y z, where
  z = x . w + b and Phi' = phi, is convex: its Hessian is phi'(z) x~ x~^T (x~ = x with a 1
  appended), never negative. For the sigmoid, Phi is softplus and the matching loss is
  logistic regression's cross-entropy.
* The same unit with a mismatched loss, sigmoid plus squared error, is not convex.
* A network with a hidden layer is not convex, whatever its activation: swapping two hidden
  units gives different weights with the same loss, and the points between them are usually
  worse (:func:`swap_hidden_units`, :func:`loss_between`).

>>> X = torch.tensor([[1.0], [-2.0], [0.5]], dtype=torch.float64)
>>> y = torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64)
>>> w = torch.tensor([-3.0, 0.0], dtype=torch.float64)      # weight, then bias
>>> bool(hessian_eigenvalues(lambda p: logistic_loss(p, X, y), w).min() >= 0)
True
>>> bool(hessian_eigenvalues(lambda p: sigmoid_squared_loss(p, X, y), w).min() < 0)
True
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.func import functional_call

from activation_lab import training

Loss = Callable[[torch.Tensor], torch.Tensor]


def _logits(params: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
    return X @ params[:-1] + params[-1]


def logistic_loss(params: torch.Tensor, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy of one sigmoid unit, from its logits: softplus(z) - y z.

    ``params`` holds the weights and then the bias.
    """
    z = _logits(params, X)
    return (F.softplus(z) - y * z).mean()


def sigmoid_squared_loss(params: torch.Tensor, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean squared error of one sigmoid unit: (sigma(z) - y)^2, a mismatched pair."""
    return ((torch.sigmoid(_logits(params, X)) - y) ** 2).mean()


def hessian_eigenvalues(loss: Loss, params: torch.Tensor) -> np.ndarray:
    """The eigenvalues of the Hessian of ``loss`` at ``params``, smallest first (autograd)."""
    hessian = torch.autograd.functional.hessian(loss, params.detach())
    return torch.linalg.eigvalsh(hessian).numpy()


def along_line(loss: Loss, start: torch.Tensor, end: torch.Tensor, ts) -> np.ndarray:
    """L((1 - t) start + t end) for each t in ``ts``."""
    with torch.no_grad():
        return np.array([float(loss((1 - t) * start + t * end)) for t in np.asarray(ts, dtype=float)])


def chord_excess(values, ts) -> float:
    """How far the curve ``values`` (taken at ``ts`` from 0 to 1) rises above its chord.

    Positive means the loss is not convex along this line; a convex loss gives <= 0 (up to
    rounding).
    """
    values, ts = np.asarray(values, dtype=float), np.asarray(ts, dtype=float)
    chord = (1 - ts) * values[0] + ts * values[-1]
    return float(np.max(values - chord))


def swap_hidden_units(model: nn.Sequential, i: int, j: int) -> nn.Sequential:
    """A copy of a one-hidden-layer network (Linear, activation, Linear) with units i and j swapped.

    Swapping the rows of the first layer and the matching columns of the second changes the
    weights but not the function: the copy computes exactly what ``model`` computes.
    """
    swapped = copy.deepcopy(model)
    first, last = swapped[0], swapped[-1]
    order = list(range(first.out_features))
    order[i], order[j] = j, i
    with torch.no_grad():
        first.weight.copy_(first.weight[order])
        first.bias.copy_(first.bias[order])
        last.weight.copy_(last.weight[:, order])
    return swapped


def loss_between(model_a: nn.Module, model_b: nn.Module, X: torch.Tensor, y: torch.Tensor,
                 loss: str, ts) -> np.ndarray:
    """The training loss along the straight line from ``model_a``'s weights to ``model_b``'s.

    Both models must have the same architecture; ``loss`` is one of ``training.LOSSES``.
    """
    a, b = dict(model_a.named_parameters()), dict(model_b.named_parameters())
    values = []
    with torch.no_grad():
        for t in np.asarray(ts, dtype=float):
            params = {name: (1 - t) * a[name] + t * b[name] for name in a}
            outputs = functional_call(model_a, params, (X,))
            values.append(float(training.per_run_loss(outputs, y, loss)[0]))
    return np.array(values)
