"""Checkers for the chapter "The sigmoid".

>>> import numpy as np
>>> def softplus(x):
...     return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))
>>> softplus_check(softplus)
Correct: your softplus is exact on every input, from -1000 to 1000, without a warning.
>>> saturation_check(None)
Not yet: the input beyond which σ' < 0.01 is still None; replace None with your answer.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from activation_lab import saturation
from activation_lab.exercises.feedback import (
    Feedback,
    call_learner,
    check_number,
    compare,
    correct,
    shape_of,
    to_array,
    unchanged,
    wrong,
)
from activation_lab.exercises.quiet import call_quietly

EXPLORER_STEP = 0.5  # the spacing of the saturation explorer's input slider

_SOFTPLUS_INPUTS = [
    ("x = [-1, 0, 1, 2]", np.array([-1.0, 0.0, 1.0, 2.0])),
    ("x = [-1000, -50, 50, 1000]", np.array([-1000.0, -50.0, 50.0, 1000.0])),
    ("a 3 x 4 array of values between -40 and 40", np.random.default_rng(4).uniform(-40, 40, (3, 4))),
    ("x = [-1e-10, 1e-10, -745, 745]", np.array([-1e-10, 1e-10, -745.0, 745.0])),
]


def softplus_check(softplus) -> Feedback:
    """Check ``softplus(x)``: log(1 + e^x) element-wise, exact and without warnings for any finite x.

    The reference is NumPy's ``logaddexp(0, x)``, which computes the same quantity stably.
    """
    for inputs, x in _SOFTPLUS_INPUTS:
        before = x.copy()
        result = call_quietly(softplus, x, name="softplus", inputs=inputs)
        if isinstance(result, Feedback):
            return result
        changed = unchanged([before], [x], name="softplus", labels=["x"])
        if changed is not None:
            return changed
        array = to_array(result, what=f"For {inputs}, your result", shape=x.shape)
        if isinstance(array, Feedback):
            return array
        mismatch = compare(array, np.logaddexp(0, x), what="softplus(x)", inputs=inputs, rtol=1e-9, atol=1e-300)
        if mismatch is not None:
            return mismatch
    return correct("your softplus is exact on every input, from -1000 to 1000, without a warning.")


def saturation_check(answer, level: float = 0.01) -> Feedback:
    """Widget exercise: the input beyond which sigma' stays below ``level``, read off the explorer.

    Answers within one slider step (0.5) of the exact point are accepted.
    """
    what = f"the input beyond which σ' < {level:g}"
    if shape_of(answer) == () and not isinstance(answer, bool) and float(np.asarray(answer, dtype=float)) < 0:
        return wrong(f"{float(np.asarray(answer, dtype=float)):g} is negative; σ' is symmetric, so give the "
                     "positive input (σ' is below the level for every |x| beyond it).")
    return check_number(answer, expected=saturation.sigmoid_saturation_point(level), tolerance=EXPLORER_STEP,
                        what=what, hint="Move the slider to the right and read σ'(x) under the picture.")


def _problems():
    rng = np.random.default_rng(7)
    for n, d in [(5, 1), (20, 3), (50, 4)]:
        X = rng.standard_normal((n, d))
        y = (rng.random(n) < 0.5).astype(float)
        w = rng.standard_normal(d)
        b = float(rng.standard_normal())
        yield f"X of shape ({n}, {d})", X, y, w, b
    X = rng.standard_normal((8, 2)) * 30  # large logits: the stable sigmoid matters
    y = (rng.random(8) < 0.5).astype(float)
    yield "X of shape (8, 2) with logits in the hundreds", X, y, np.array([4.0, -3.0]), 1.0


def bce_gradient_check(bce_gradient) -> Feedback:
    """Check ``bce_gradient(w, b, X, y) -> (grad_w, grad_b)`` against PyTorch's autograd."""
    for inputs, X, y, w, b in _problems():
        originals = [X.copy(), y.copy(), w.copy()]
        result = call_learner(bce_gradient, w, b, X, y, name="bce_gradient", inputs=inputs)
        if isinstance(result, Feedback):
            return result
        changed = unchanged(originals, [X, y, w], name="bce_gradient", labels=["X", "y", "w"])
        if changed is not None:
            return changed
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            kind = "None" if result is None else type(result).__name__
            return wrong(f"`bce_gradient` should return a pair (grad_w, grad_b), but for {inputs} it returned {kind}.")
        grad_w = to_array(result[0], what=f"For {inputs}, grad_w", shape=w.shape)
        if isinstance(grad_w, Feedback):
            return grad_w
        grad_b = to_array(result[1], what=f"For {inputs}, grad_b", shape=())
        if isinstance(grad_b, Feedback):
            if shape_of(result[1]) == (1,):
                return wrong(f"For {inputs}, grad_b should be a single number, not an array of one; use float(...).")
            return grad_b
        expected_w, expected_b = _autograd_gradient(w, b, X, y)
        for got, expected, what in [(grad_w, expected_w, "grad_w"), (grad_b.reshape(1), expected_b, "grad_b")]:
            mismatch = compare(got, expected, what=what, inputs=inputs, rtol=1e-7, atol=1e-10)
            if mismatch is not None:
                return mismatch
    return correct("your gradient matches autograd on every problem: X^T (p - y) / n and mean(p - y).")


def _autograd_gradient(w, b, X, y):
    w_t = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    b_t = torch.tensor([b], dtype=torch.float64, requires_grad=True)
    logits = torch.from_numpy(X) @ w_t + b_t
    F.binary_cross_entropy_with_logits(logits, torch.from_numpy(y)).backward()
    return w_t.grad.numpy(), b_t.grad.numpy()
