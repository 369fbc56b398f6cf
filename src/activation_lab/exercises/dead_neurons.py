"""Checkers for the chapter "Dead neurons".

>>> import numpy as np
>>> dead_units_check(lambda Z: np.all(np.asarray(Z) <= 0, axis=0))
Correct: your function finds exactly the units that are off for every input, zeros
included.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from activation_lab import dead_units
from activation_lab.exercises.feedback import Feedback, call_learner, check_number, correct, unchanged, wrong

# The single unit of the chapter: relu(w x + b) v + c on 21 points of [-1, 1], fitting 2 relu(x) - 3.
DEMO_X = torch.linspace(-1, 1, 21).reshape(-1, 1)
DEMO_Y = 2 * torch.relu(DEMO_X) - 3


def demo_gradients() -> tuple[float, float]:
    """The gradients of the mean squared error with respect to w and b at w = 1, b = 0, v = 1, c = 0."""
    w = torch.tensor([[1.0]], requires_grad=True)
    b = torch.tensor([0.0], requires_grad=True)
    loss = ((torch.relu(DEMO_X @ w + b) - DEMO_Y) ** 2).mean()
    loss.backward()
    return float(w.grad), float(b.grad)


def dead_units_check(find_dead) -> Feedback:
    """Check ``find_dead(Z) -> mask``: which columns of pre-activations Z are <= 0 in every row."""
    rng = np.random.default_rng(3)
    cases = []
    for n, width in [(6, 5), (1, 4), (9, 1), (4, 7)]:
        Z = rng.standard_normal((n, width))
        Z[:, 0] = -np.abs(Z[:, 0])          # off everywhere
        if width > 2:
            Z[:, 1] = 0.0                   # exactly zero everywhere: ReLU passes no gradient at 0
            Z[:, 2] = -np.abs(Z[:, 2])
            Z[0, 2] = 1e-9                  # on for one input only: alive
        cases.append(Z)
    for Z in cases:
        expected = np.all(Z <= 0, axis=0)
        inputs = f"pre-activations of shape {Z.shape} (inputs, units)"
        before = Z.copy()
        result = call_learner(find_dead, Z, name="find_dead", inputs=inputs)
        if isinstance(result, Feedback):
            return result
        changed = unchanged([before], [Z], name="find_dead", labels=["Z"])
        if changed is not None:
            return changed
        if result is None:
            return wrong("`find_dead` returned None; did you forget a `return`?")
        if hasattr(result, "detach"):
            result = result.detach().numpy()
        try:
            mask = np.asarray(result)
        except Exception:
            return wrong(f"`find_dead` returned a {type(result).__name__}, which is not an array of True/False.")
        if mask.shape != expected.shape:
            hint = " (one entry per unit, that is per column)" if mask.shape == (Z.shape[0],) else ""
            return wrong(f"for {inputs}, the mask should have shape {expected.shape}{hint}, but it has "
                         f"shape {mask.shape}.")
        if mask.dtype != bool:
            if mask.dtype.kind in "iuf" and np.isin(mask, [0, 1]).all():
                mask = mask.astype(bool)
            else:
                return wrong(f"for {inputs}, the mask should hold True/False values, not {mask.dtype}.")
        if not np.array_equal(mask, expected):
            unit = int(np.argmax(mask != expected))
            column = Z[:, unit]
            if expected[unit] and (column == 0).any():
                return wrong(f"unit {unit} is exactly 0 for some inputs and negative for the rest: it is off "
                             "everywhere, since ReLU's gradient at 0 is 0. Use <= 0.")
            state = "off for every input" if expected[unit] else f"on for {int((column > 0).sum())} input(s)"
            return wrong(f"for {inputs}, unit {unit} is {state}, but your mask says {bool(mask[unit])}.")
    return correct("your function finds exactly the units that are off for every input, zeros included.")


def killing_rate_check(answer, share: float = 0.5) -> Feedback:
    """Widget exercise: the smallest learning rate in the explorer after which more than ``share``
    of the ReLU units are dead (default initialisation, mean over seeds)."""
    expected = dead_units.smallest_killing_rate("relu", share)
    if expected is None:  # cannot happen with the book's settings
        return wrong("no learning rate in the explorer kills that many units.")
    if isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool):
        if math.isfinite(answer) and answer not in dead_units.SWEEP_LEARNING_RATES:
            return wrong(f"{answer:g} is not one of the explorer's learning rates "
                         f"({', '.join(f'{r:g}' for r in dead_units.SWEEP_LEARNING_RATES)}).")
    return check_number(answer, expected=expected, tolerance=1e-9,
                        what=f"the smallest learning rate that leaves more than {share:.0%} of the ReLU units dead",
                        hint="Keep the default initialisation and read the ReLU share under the picture.")


def killing_step_check(answer) -> Feedback:
    """The smallest learning rate whose first step kills the chapter's single ReLU unit."""
    grad_w, grad_b = demo_gradients()
    # After the step, z(x) = (1 - lr g_w) x - lr g_b; for lr g_w <= 1 its largest value on
    # [-1, 1] is at x = 1: 1 - lr (g_w + g_b), which reaches 0 at lr = 1 / (g_w + g_b).
    expected = 1.0 / (grad_w + grad_b)
    return check_number(answer, expected=expected, tolerance=5e-3,
                        what="the smallest learning rate whose first step kills the unit",
                        hint="Write z(x) after the step and find where its largest value on [-1, 1] reaches 0.")
