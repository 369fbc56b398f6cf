"""Classification losses computed the naive way (probabilities first) and the stable way (from logits).

The naive binary cross-entropy rounds sigmoid(z) to exactly 1 once z is large enough, and then
takes log(0). The stable form never forms the probability: for a logit z and a label y in {0, 1},

    -[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))] = softplus(z) - y z
                                                     = max(z, 0) - y z + log(1 + exp(-|z|)),

which is what PyTorch's ``BCEWithLogitsLoss`` computes. The output-layer chapter's explorer and
exercises use these functions.

>>> naive_bce([10.0, 20.0], 0, dtype=np.float32)       # sigmoid(20) rounds to 1 in float32
array([9.999586,      inf], dtype=float32)
>>> stable_bce([10.0, 20.0], 0, dtype=np.float32)
array([10.000046, 20.      ], dtype=float32)
>>> first_infinite_logit(np.float32), first_infinite_logit(np.float64)
(17, 37)
>>> round(double_softmax_floor(10), 4)                 # the lowest loss a double softmax can reach
1.4612
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from activation_lab.softmax import logsumexp

# The logits the chapter's explorer offers on its slider (label 0, so a large logit is a
# confident wrong answer). Every value is an integer, so the answer to "where does it break" is.
EXPLORER_LOGITS = (0, 5, 10, 15, 16, 17, 18, 25, 35, 36, 37, 38, 40)


def _as(values, dtype) -> np.ndarray:
    return np.asarray(values, dtype=dtype)


def naive_bce(z, y, dtype=np.float64) -> np.ndarray:
    """-[y log p + (1 - y) log(1 - p)] with p = 1 / (1 + exp(-z)), every step in ``dtype``.

    Returns inf where p has rounded to 0 or 1 on the wrong side, and NaN where 0 * log 0
    appears (a confident *correct* answer: y = 1 and p = 1). NumPy's overflow warnings are
    silenced: the infinities are the point.
    """
    z, y = _as(z, dtype), _as(y, dtype)
    one = dtype(1)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        p = one / (one + np.exp(-z))
        return -(y * np.log(p) + (one - y) * np.log(one - p))


def stable_bce(z, y, dtype=np.float64) -> np.ndarray:
    """The same loss as ``naive_bce``, from the logit: max(z, 0) - y z + log1p(exp(-|z|)).

    Every exponent is at most 0, so nothing overflows; the result is finite for finite z.
    """
    z, y = _as(z, dtype), _as(y, dtype)
    return np.maximum(z, dtype(0)) - y * z + np.log1p(np.exp(-np.abs(z)))


def naive_cross_entropy(z, label: int, dtype=np.float64) -> np.ndarray:
    """-log(exp(z_label) / sum_k exp(z_k)) computed literally along the last axis (overflows)."""
    z = _as(z, dtype)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        e = np.exp(z)
        return -np.log(e[..., label] / e.sum(axis=-1))


def stable_cross_entropy(z, label: int, dtype=np.float64) -> np.ndarray:
    """logsumexp(z) - z_label: the multiclass loss from logits, finite for any finite z."""
    z = _as(z, dtype)
    return (logsumexp(z, axis=-1) - z[..., label]).astype(dtype)


def first_infinite_logit(dtype, logits: Sequence[float] = EXPLORER_LOGITS, label: int = 0):
    """The smallest of ``logits`` at which ``naive_bce`` (for ``label``) is no longer finite.

    None if it stays finite at every one of them.
    """
    for z in sorted(logits):
        if not np.isfinite(naive_bce(z, label, dtype=dtype)):
            return z
    return None


def double_softmax_floor(classes: int) -> float:
    """The smallest cross-entropy a model can reach when its outputs are already probabilities.

    ``CrossEntropyLoss`` applies a softmax to what it is given. Given probabilities p instead
    of logits, the best case is p one-hot on the right class, which scores
    -log(e / (e + classes - 1)) = log(1 + (classes - 1) / e), not 0.
    """
    if classes < 2:
        raise ValueError(f"a classification needs at least 2 classes, got {classes}")
    return math.log1p((classes - 1) / math.e)
