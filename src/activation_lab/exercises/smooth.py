"""Checkers for the chapter "GELU, SiLU/Swish, Mish and gated units".

>>> import numpy as np
>>> from scipy.special import expit
>>> def swiglu(x, W, V, W2):
...     gate = x @ W
...     return (gate * expit(gate) * (x @ V)) @ W2
>>> swiglu_check(swiglu)
Correct: your block computes (SiLU(x W) ⊙ x V) W2, the feed-forward block of SwiGLU
transformers.
"""

from __future__ import annotations

import warnings
from functools import cache

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import expit

from activation_lab import functions
from activation_lab.exercises import widget_answers
from activation_lab.exercises.feedback import (
    Feedback,
    call_learner,
    check_number,
    compare,
    correct,
    to_array,
    unchanged,
    wrong,
)

# The slopes offered by the chapter's Swish explorer.
SWISH_BETAS = (0.1, 0.5, 1, 2, 5, 6, 10)
_WIDE = np.linspace(-30, 30, 120001)


def swish_gap(beta: float) -> float:
    """The largest distance between Swish with slope ``beta`` and ReLU, measured on [-30, 30]."""
    return float(np.max(np.abs(functions.get("swish", beta=beta)(_WIDE) - np.maximum(_WIDE, 0))))


def smallest_beta_within(tolerance: float = 0.05, betas=SWISH_BETAS) -> float | None:
    """The first slope in ``betas`` at which Swish stays within ``tolerance`` of ReLU everywhere."""
    for beta in betas:
        if swish_gap(beta) <= tolerance:
            return beta
    return None


@cache
def minimum(name: str) -> tuple[float, float]:
    """Where a registry activation is lowest, and its value there: (x_min, f(x_min))."""
    activation = functions.get(name)
    found = minimize_scalar(lambda x: float(activation(np.array([x]))[0]), bracket=(-3.0, -1.0, 0.0), tol=1e-12)
    return float(found.x), float(found.fun)


def swish_beta_check(answer, tolerance: float = 0.05) -> Feedback:
    """Widget exercise: the smallest explorer slope with Swish within ``tolerance`` of ReLU."""
    not_offered = widget_answers.not_offered(answer, SWISH_BETAS, "β")
    if not_offered is not None:
        return not_offered
    return check_number(answer, expected=smallest_beta_within(tolerance), tolerance=1e-9,
                        what=f"the smallest β in the explorer at which Swish stays within {tolerance:g} of ReLU",
                        hint="Read the largest distance to ReLU printed under the picture for each β.")


def mish_minimum_check(x_min, f_min) -> Feedback:
    """Check the location and the value of Mish's minimum, to three decimals."""
    expected_x, expected_f = minimum("mish")
    verdict = check_number(x_min, expected=expected_x, tolerance=1e-3, what="the x at which Mish is lowest",
                           hint="The minimum is where the derivative crosses zero, on the negative side.")
    if not verdict:
        return verdict
    verdict = check_number(f_min, expected=expected_f, tolerance=1e-3, what="the lowest value of Mish",
                           hint="Evaluate Mish at the x you found.")
    if not verdict:
        return verdict
    return correct(f"Mish is lowest at x = {expected_x:.3f}, where it is {expected_f:.3f}; to the left of that "
                   "point it falls as x grows, so it is not monotonic.")


def _silu(z: np.ndarray) -> np.ndarray:
    return z * expit(z)


def swiglu_check(swiglu) -> Feedback:
    """Check ``swiglu(x, W, V, W2)``: (SiLU(x W) * x V) W2 for a batch of rows ``x``."""
    rng = np.random.default_rng(3)
    for n, d, h in [(4, 3, 2), (1, 5, 6), (16, 8, 12)]:
        arrays = [rng.standard_normal(shape) for shape in [(n, d), (d, h), (d, h), (h, d)]]
        copies = [a.copy() for a in arrays]
        inputs = f"x of shape ({n}, {d}) and a hidden width of {h}"
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            result = call_learner(swiglu, *arrays, name="swiglu", inputs=inputs)
        if isinstance(result, Feedback):
            return result
        changed = unchanged(copies, arrays, name="swiglu", labels=["x", "W", "V", "W2"])
        if changed is not None:
            return changed
        values = to_array(result, what=f"What swiglu returned for {inputs}", shape=(n, d))
        if isinstance(values, Feedback):
            return values
        x, W, V, W2 = copies
        expected = (_silu(x @ W) * (x @ V)) @ W2
        mismatch = compare(values, expected, what="swiglu", inputs=inputs, rtol=1e-7, atol=1e-10)
        if mismatch is None:
            continue
        known = {
            "you gated with σ(x W) instead of SiLU(x W) = x W σ(x W): that is GLU, not SwiGLU":
                (expit(x @ W) * (x @ V)) @ W2,
            "you applied SiLU to x V instead of x W: in this exercise W makes the gate and V the values":
                ((x @ W) * _silu(x @ V)) @ W2,
            "you left out the value projection x V: that is a plain SiLU block, not a gated one":
                _silu(x @ W) @ W2,
        }
        for message, wrong_version in known.items():
            if np.allclose(values, wrong_version, rtol=1e-7, atol=1e-10):
                return wrong(f"for {inputs} {message}.")
        return mismatch
    return correct("your block computes (SiLU(x W) ⊙ x V) W2, the feed-forward block of SwiGLU transformers.")
