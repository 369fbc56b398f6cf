"""Softmax with a temperature: how peaked the distribution is, measured by its entropy.

softmax(z / T) moves from a one-hot argmax (T -> 0) to the uniform distribution (T -> inf).
Its entropy H = -sum p log p (in nats) grows monotonically between those ends, from 0 to
log(n), and the probability of the top class falls monotonically from 1 to 1/n.

>>> z = [-1.0, 2.0, -3.0, 4.0]
>>> round(top_probability(z, 1.0), 4)
0.8749
>>> T = temperature_for_top_probability(z, 0.5)
>>> round(top_probability(z, T), 6)
0.5
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq

from activation_lab.softmax import log_softmax, softmax


def entropy(p, axis: int = -1) -> np.ndarray:
    """-sum p log p along ``axis``, in nats, with 0 log 0 = 0."""
    p = np.asarray(p, dtype=float)
    terms = np.where(p > 0, -p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    return np.sum(terms, axis=axis)


def softmax_entropy(z, temperature: float) -> float:
    """The entropy of softmax(z / T) for one vector of logits, computed from log-probabilities
    so it stays exact even where some probabilities underflow to 0."""
    log_p = log_softmax(np.asarray(z, dtype=float), temperature=temperature)
    p = np.exp(log_p)
    return float(-np.sum(p * log_p))


def top_probability(z, temperature: float) -> float:
    """The largest entry of softmax(z / T)."""
    return float(np.max(softmax(np.asarray(z, dtype=float), temperature=temperature)))


def temperature_for_top_probability(z, level: float, low: float = 1e-3, high: float = 1e3) -> float:
    """The temperature at which the top class's probability equals ``level``.

    The top probability falls monotonically with T from 1 (if the top logit is unique) to
    1/n, so ``level`` must lie strictly between 1/n and 1.
    """
    z = np.asarray(z, dtype=float).ravel()
    if not 1 / len(z) < level < 1:
        raise ValueError(f"level must lie strictly between 1/n = {1 / len(z):.4g} and 1, got {level!r}")
    # Solve in log T: the top probability changes on a logarithmic scale of temperatures.
    root = brentq(lambda log_t: top_probability(z, math.exp(log_t)) - level, math.log(low), math.log(high),
                  xtol=1e-12)
    return math.exp(root)
