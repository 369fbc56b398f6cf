"""Checkers for the chapter "ReLU, and softplus, its smooth twin".

>>> import numpy as np
>>> def softplus(x, beta):
...     return np.maximum(x, 0) + np.log1p(np.exp(-beta * np.abs(x))) / beta
>>> softplus_check(softplus)
Correct: your softplus matches log(1 + e^(βx)) / β for every β tried, including inputs
of ±1000, where the textbook formula overflows.
>>> max_regions_check(lambda width: 1 + width + width * (width - 1) // 2)
Correct: n lines in general position cut the plane into 1 + n + n(n-1)/2 regions, and no
arrangement of n lines makes more.
"""

from __future__ import annotations

import warnings

import numpy as np

from activation_lab import functions
from activation_lab.exercises import widget_answers
from activation_lab.exercises.feedback import (
    Feedback,
    call_learner,
    check_integer_formula,
    check_number,
    compare,
    correct,
    shape_of,
    to_array,
    unchanged,
    wrong,
)

# The slopes offered by the chapter's softplus explorer.
SOFTPLUS_BETAS = (1, 2, 4, 8, 16, 32, 64, 128)
_GRID = np.concatenate([np.linspace(-5, 5, 2001), [-1000.0, -50.0, 50.0, 1000.0]])


def softplus_gap(beta: float, x: np.ndarray | None = None) -> float:
    """The largest amount by which softplus with slope ``beta`` exceeds ReLU, measured on a grid."""
    x = np.linspace(-5, 5, 20001) if x is None else x
    return float(np.max(functions.get("softplus", beta=beta)(x) - np.maximum(x, 0)))


def smallest_beta_within(tolerance: float = 0.01, betas=SOFTPLUS_BETAS) -> float | None:
    """The first slope in ``betas`` whose softplus stays within ``tolerance`` of ReLU everywhere."""
    for beta in betas:
        if softplus_gap(beta) <= tolerance:
            return beta
    return None


def softplus_check(softplus) -> Feedback:
    """Check ``softplus(x, beta)``: stable, element-wise, uses beta, leaves x alone."""
    for beta in (1.0, 0.5, 3.0, 50.0):
        x = _GRID.copy()
        inputs = f"x from -1000 to 1000 and β = {beta:g}"
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")  # a learner's overflow warning would hide the feedback
            result = call_learner(softplus, x, beta, name="softplus", inputs=inputs)
        if isinstance(result, Feedback):
            return result
        changed = unchanged([_GRID], [x], name="softplus", labels=["the array x"])
        if changed is not None:
            return changed
        if shape_of(result) == x.shape and np.isinf(np.asarray(result, dtype=float)).any():
            where = float(x[np.isinf(np.asarray(result, dtype=float))][0])
            return wrong(f"your softplus returned an infinite value for β = {beta:g} at x = {where:g}: e^(βx) "
                         "overflows for large x. Rewrite it as max(x, 0) + log(1 + e^(-β|x|)) / β, which never "
                         "exponentiates a positive number.")
        values = to_array(result, what=f"What softplus returned for {inputs}", shape=x.shape)
        if isinstance(values, Feedback):
            return values
        expected = np.logaddexp(0.0, beta * x) / beta
        mismatch = compare(values, expected, what="softplus", inputs=inputs, rtol=1e-7, atol=1e-10)
        if mismatch is not None:
            if beta != 1.0 and np.allclose(values, np.logaddexp(0.0, x), rtol=1e-7, atol=1e-10):
                return wrong(f"for β = {beta:g} your softplus returns the values for β = 1: it ignores β. "
                             "Multiply x by β inside and divide the result by β.")
            return mismatch
    return correct("your softplus matches log(1 + e^(βx)) / β for every β tried, including inputs of ±1000, "
                   "where the textbook formula overflows.")


def softplus_beta_check(answer, tolerance: float = 0.01) -> Feedback:
    """Widget exercise: the smallest explorer slope with softplus within ``tolerance`` of ReLU."""
    not_offered = widget_answers.not_offered(answer, SOFTPLUS_BETAS, "β")
    if not_offered is not None:
        return not_offered
    expected = smallest_beta_within(tolerance)
    return check_number(answer, expected=expected, tolerance=1e-9,
                        what=f"the smallest β in the explorer at which softplus stays within {tolerance:g} of ReLU",
                        hint="Read the largest gap printed under the picture for each β.")


def max_regions_check(max_regions) -> Feedback:
    """Check ``max_regions(width)``: the most regions one hidden layer of ReLU units makes in the plane."""
    failed = check_integer_formula(max_regions, range(0, 41), lambda width: 1 + width + width * (width - 1) // 2,
                                   name="max_regions",
                                   hint="Count how many pieces the k-th line can be cut into by the lines before it.")
    if failed is not None:
        return failed
    return correct("n lines in general position cut the plane into 1 + n + n(n-1)/2 regions, and no arrangement "
                   "of n lines makes more.")


