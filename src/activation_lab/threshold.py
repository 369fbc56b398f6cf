"""Threshold units and the perceptron: the artificial neuron before gradients.

A *threshold unit* (McCulloch & Pitts, 1943) outputs 1 when the weighted sum of its inputs
reaches a threshold and 0 otherwise: y = H(x . w + b), with H the Heaviside step (H(0) = 1,
as in the registry's ``step``). Rosenblatt's *perceptron* (1958) learns w and b with one rule:
after each example, add (y - y_hat) x to w and (y - y_hat) to b. Nothing changes when the
prediction y_hat is right.

The steep sigmoid sigma(k x) turns into the step as its slope k grows: outside |x| < delta it
stays within eps of the step once k >= log((1 - eps) / eps) / delta.

>>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
>>> run = train_perceptron(X, np.array([0, 0, 0, 1]), epochs=10)        # logical AND
>>> run.converged, predict(run.w, run.b, X).tolist()
(True, [0, 0, 0, 1])
>>> round(slope_for_gap(0.01, 0.1), 2)
45.95
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from activation_lab import functions

_sigmoid = functions.get("sigmoid")


def heaviside(z) -> np.ndarray:
    """H(z): 1 where z >= 0, else 0 (as float)."""
    return (np.asarray(z, dtype=float) >= 0).astype(float)


def predict(w, b: float, X) -> np.ndarray:
    """The threshold unit's outputs, 0 or 1, for the rows of ``X``."""
    return heaviside(np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b).astype(int)


def perceptron_update(w, b: float, x, y: int, lr: float = 1.0) -> tuple[np.ndarray, float]:
    """One step of Rosenblatt's rule on one example: new (w, b); the inputs are not changed.

    >>> perceptron_update(np.zeros(2), 0.0, np.array([1.0, 2.0]), 0)    # H(0) = 1, but y = 0
    (array([-1., -2.]), -1.0)
    """
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    error = y - int(heaviside(x @ w + b))
    return w + lr * error * x, float(b + lr * error)


@dataclass
class PerceptronRun:
    """What one run of the perceptron rule did."""

    w: np.ndarray  # final weights
    b: float
    mistakes: np.ndarray  # (epochs,) mistakes (updates) made during each epoch
    accuracy: np.ndarray  # (epochs,) training accuracy of the weights at the end of each epoch
    pocket_w: np.ndarray  # the weights with the best end-of-epoch accuracy (Gallant's pocket)
    pocket_b: float

    @property
    def converged(self) -> bool:
        """True if some epoch went through every example without a mistake."""
        return bool((self.mistakes == 0).any())

    @property
    def total_mistakes(self) -> int:
        return int(self.mistakes.sum())


def train_perceptron(X, y, *, epochs: int, lr: float = 1.0, seed: int | None = None) -> PerceptronRun:
    """Run the perceptron rule from w = 0, b = 0, visiting every example once per epoch.

    The examples are visited in their given order, or shuffled anew each epoch when ``seed``
    is given. Training stops early after an epoch without a mistake (nothing could change).
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=int)
    rng = None if seed is None else np.random.default_rng(seed)
    w, b = np.zeros(X.shape[1]), 0.0
    mistakes, accuracy = [], []
    best = (-1.0, w, b)
    for _ in range(epochs):
        order = np.arange(len(X)) if rng is None else rng.permutation(len(X))
        count = 0
        for i in order:
            new_w, new_b = perceptron_update(w, b, X[i], y[i], lr)
            count += int(new_b != b)  # b moves by +-lr exactly when the example was a mistake
            w, b = new_w, new_b
        mistakes.append(count)
        accuracy.append(float(np.mean(predict(w, b, X) == y)))
        if accuracy[-1] > best[0]:
            best = (accuracy[-1], w, b)
        if count == 0:
            break
    return PerceptronRun(w, b, np.array(mistakes), np.array(accuracy), best[1], best[2])


def augmented_margin(X, y, w, b: float) -> float:
    """min_i t_i (x_i . w + b) / |(w, b)| with t = 2y - 1: positive iff (w, b) separates the data."""
    X, t = np.asarray(X, dtype=float), 2 * np.asarray(y) - 1
    return float(np.min(t * (X @ w + b)) / np.linalg.norm(np.append(w, b)))


def max_margin(X, y, iterations: int = 20_000, tolerance: float = 1e-7) -> tuple[np.ndarray, float]:
    """The separating (w, b) with the largest augmented margin (a hard-margin problem).

    Minimises |(w, b)|^2 / 2 subject to t_i (x_i . w + b) >= 1 through its dual,
    maximise sum(a) - |sum_i a_i t_i x~_i|^2 / 2 over a >= 0, by accelerated projected gradient
    ascent; then (w, b) = sum_i a_i t_i x~_i. Raises ValueError if the data are not linearly
    separable (the dual grows without bound).
    """
    X, t = np.asarray(X, dtype=float), 2 * np.asarray(y) - 1
    signed = t[:, None] * np.column_stack([X, np.ones(len(X))])  # rows t_i x~_i
    gram = signed @ signed.T
    step = 1.0 / np.linalg.eigvalsh(gram)[-1]
    alpha = previous = np.zeros(len(X))
    for k in range(1, iterations + 1):
        look_ahead = alpha + (k - 1) / (k + 2) * (alpha - previous)
        previous, alpha = alpha, np.maximum(0.0, look_ahead + step * (1.0 - gram @ look_ahead))
        if np.max(np.abs(alpha - previous)) < tolerance:
            break
    u = signed.T @ alpha
    if not np.all(signed @ u > 0):
        raise ValueError("the data are not linearly separable")
    return u[:-1], float(u[-1])


def mistake_bound(X, y, w, b: float) -> float:
    """Novikoff's bound (R / gamma)^2 on the perceptron's mistakes, for any separating (w, b).

    R is the largest norm of an input with a 1 appended (the bias input), gamma the augmented
    margin of (w, b). The larger the margin, the smaller the bound.
    """
    X = np.asarray(X, dtype=float)
    radius = np.max(np.linalg.norm(np.column_stack([X, np.ones(len(X))]), axis=1))
    gamma = augmented_margin(X, y, w, b)
    if gamma <= 0:
        raise ValueError("(w, b) does not separate the data, so it gives no bound")
    return float((radius / gamma) ** 2)


# -- the steep sigmoid ----------------------------------------------------------------------


def steep_sigmoid(x, slope: float) -> np.ndarray:
    """sigma(slope * x), computed stably."""
    return _sigmoid(slope * np.asarray(x, dtype=float))


def steep_sigmoid_derivative(x, slope: float) -> np.ndarray:
    """d/dx sigma(k x) = k sigma(k x) (1 - sigma(k x))."""
    s = steep_sigmoid(x, slope)
    return slope * s * (1 - s)


def gap_outside(slope: float, delta: float, far: float = 50.0, points: int = 20_001) -> float:
    """The largest |sigma(k x) - H(x)| over delta <= |x| <= far, found on a grid."""
    side = np.linspace(delta, far, points)
    x = np.concatenate([-side, side])
    return float(np.max(np.abs(steep_sigmoid(x, slope) - heaviside(x))))


def slope_for_gap(eps: float, delta: float) -> float:
    """The smallest slope k with |sigma(k x) - H(x)| <= eps wherever |x| >= delta."""
    if not (0 < eps < 0.5 and delta > 0):
        raise ValueError("need 0 < eps < 0.5 and delta > 0")
    return math.log((1 - eps) / eps) / delta


SLOPES = (1, 5, 10, 20, 40, 50, 100)  # the slopes the chapter's explorer offers


def smallest_listed_slope(eps: float, delta: float, slopes=SLOPES) -> float | None:
    """The first of ``slopes`` whose sigmoid stays within eps of the step outside |x| < delta."""
    for k in slopes:
        if gap_outside(k, delta) <= eps:
            return float(k)
    return None


def gradient_share(z, slope: float, fraction: float = 0.01) -> float:
    """Share of pre-activations z at which sigma(k z) still passes a useful slope.

    "Useful" means at least ``fraction`` of the largest slope the unit can have (k / 4, at 0).
    """
    return float(np.mean(steep_sigmoid_derivative(z, slope) >= fraction * slope / 4))


class SteepSigmoid(nn.Module):
    """sigma(k x) as a module; k is a buffer, so networks with different k can share an Ensemble."""

    def __init__(self, slope: float):
        super().__init__()
        self.register_buffer("slope", torch.tensor(float(slope)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.slope * x)

    def extra_repr(self) -> str:
        return f"slope={float(self.slope):g}"


def torch_step(x: torch.Tensor) -> torch.Tensor:
    """H(x) built from ``torch.sign``, whose derivative PyTorch defines as 0 everywhere.

    Unlike ``torch.heaviside`` (which has no derivative in PyTorch at all) autograd can pass
    through it, and it passes exactly zero.
    """
    return 0.5 * (1 + torch.sign(x)) + 0.5 * (x == 0).to(x.dtype)


class Step(nn.Module):
    """The step as a module that autograd can differentiate (with derivative 0)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch_step(x)
