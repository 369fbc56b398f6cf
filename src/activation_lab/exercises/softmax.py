"""Checkers for the chapter "Softmax: from scores to probabilities".

>>> import numpy as np
>>> def vjp(z, v):
...     p = np.exp(z - z.max(axis=1, keepdims=True))
...     p /= p.sum(axis=1, keepdims=True)
...     return p * (v - (p * v).sum(axis=1, keepdims=True))
>>> vjp_check(vjp)
Correct: your vector-Jacobian product matches autograd for every batch, including logits
near 1000.
"""

from __future__ import annotations

import numpy as np
import torch

from activation_lab import temperature
from activation_lab.exercises.feedback import (
    Feedback,
    check_number,
    compare,
    correct,
    shape_of,
    to_array,
    unchanged,
    wrong,
)
from activation_lab.exercises.quiet import call_quietly

SEED_LOGITS = (-1.0, 2.0, -3.0, 4.0)  # the first row of the seed article's example

_BATCHES = [
    ("z = [[1, 2, 3]]", np.array([[1.0, 2.0, 3.0]])),
    ("z = [[1000, 999, 0], [-1000, -1000, -1000]]", np.array([[1000.0, 999.0, 0.0], [-1000.0, -1000.0, -1000.0]])),
    ("a 4 x 6 batch of logits between -50 and 50", np.random.default_rng(3).uniform(-50, 50, (4, 6))),
    ("z = [[0, -inf, 2], [-inf, -inf, -inf]] (masked entries)", np.array([[0.0, -np.inf, 2.0], [-np.inf] * 3])),
    ("z = [[-inf, 800], [800, -inf]]", np.array([[-np.inf, 800.0], [800.0, -np.inf]])),
]


def logsumexp_check(logsumexp) -> Feedback:
    """Check ``logsumexp(z)`` for a 2-D batch: log sum_j exp(z_ij), one value per row, shape (rows,).

    Entries of -inf are masked out (they contribute exp(-inf) = 0); a row that is entirely
    -inf has log-sum-exp -inf, as in ``torch.logsumexp``.
    """
    for inputs, z in _BATCHES:
        before = z.copy()
        # log(0) = -inf is the right answer for a fully masked row, so that warning is allowed.
        result = call_quietly(logsumexp, z, name="logsumexp", inputs=inputs,
                              allowed=("divide by zero encountered in log",))
        if isinstance(result, Feedback):
            return result
        changed = unchanged([before], [z], name="logsumexp", labels=["z"])
        if changed is not None:
            return changed
        if shape_of(result) == (z.shape[0], 1):
            return wrong(f"For {inputs}, your result has shape {(z.shape[0], 1)}; return one value per row, "
                         f"shape {(z.shape[0],)} (for example with `[:, 0]` or keepdims=False).")
        expected = torch.logsumexp(torch.from_numpy(z), dim=1).numpy()
        masked = np.isneginf(expected)
        if masked.any() and shape_of(result) == expected.shape:
            given = np.asarray(result, dtype=float)
            row = int(np.flatnonzero(masked)[0])
            if not np.isneginf(given[row]):
                return wrong(f"For {inputs}, row {row} is entirely -inf, so its log-sum-exp is log(0) = -inf, "
                             f"but you returned {given[row]:g}.")
            result = np.where(masked, 0.0, given)  # the masked rows are right; check the others
            expected = np.where(masked, 0.0, expected)
        array = to_array(result, what=f"For {inputs}, your result", shape=(z.shape[0],))
        if isinstance(array, Feedback):
            return array
        mismatch = compare(array, expected, what="log-sum-exp", inputs=inputs, rtol=1e-10, atol=1e-10)
        if mismatch is not None:
            return mismatch
    return correct("your log-sum-exp matches torch.logsumexp on every batch, including logits of ±1000 "
                   "and masked rows, without a warning.")


_VJP_CASES = [
    ("z = [[0, 0]], v = [[1, 0]]", np.array([[0.0, 0.0]]), np.array([[1.0, 0.0]])),
    ("z = [[1, 2, 3]], v = [[1, 1, 1]]", np.array([[1.0, 2.0, 3.0]]), np.array([[1.0, 1.0, 1.0]])),
    ("z = [[1000, 999, 0]], v = [[0, 1, 2]]", np.array([[1000.0, 999.0, 0.0]]), np.array([[0.0, 1.0, 2.0]])),
    ("a batch of 4 rows of 6 random logits and vectors", np.random.default_rng(5).standard_normal((4, 6)) * 3,
     np.random.default_rng(6).standard_normal((4, 6))),
]


def vjp_check(softmax_vjp) -> Feedback:
    """Check ``softmax_vjp(z, v)``: v^T J for every row, where J is the Jacobian of softmax at that row.

    The reference is PyTorch's autograd: the gradient of sum(softmax(z) * v) with respect to z.
    """
    for inputs, z, v in _VJP_CASES:
        originals = [z.copy(), v.copy()]
        result = call_quietly(softmax_vjp, z, v, name="softmax_vjp", inputs=inputs)
        if isinstance(result, Feedback):
            return result
        changed = unchanged(originals, [z, v], name="softmax_vjp", labels=["z", "v"])
        if changed is not None:
            return changed
        array = to_array(result, what=f"For {inputs}, your result", shape=z.shape)
        if isinstance(array, Feedback):
            return array
        z_t = torch.tensor(z, requires_grad=True)
        (torch.softmax(z_t, dim=1) * torch.from_numpy(v)).sum().backward()
        mismatch = compare(array, z_t.grad.numpy(), what="v^T J", inputs=inputs, rtol=1e-9, atol=1e-12)
        if mismatch is not None:
            return mismatch
    return correct("your vector-Jacobian product matches autograd for every batch, including logits near 1000.")


def top_half_temperature_check(answer) -> Feedback:
    """Widget exercise: the temperature at which the top class of the seed's logits falls below 1/2.

    The exact temperature lies between two slider values; answers within 0.5 of it are accepted.
    """
    if shape_of(answer) == () and not isinstance(answer, bool):
        value = float(np.asarray(answer, dtype=float))
        if np.isfinite(value) and value <= 0:
            return wrong(f"{value:g} is not a temperature: the temperature divides the logits and must be positive.")
    return check_number(answer, expected=temperature.temperature_for_top_probability(SEED_LOGITS, 0.5),
                        tolerance=0.5, what="the temperature at which the top probability falls to one half",
                        hint="Raise the temperature slider until the tallest bar drops below the dotted line at 0.5.")
