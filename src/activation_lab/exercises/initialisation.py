"""Checkers for the chapter "Initialisation and normalisation".

>>> import numpy as np
>>> def numerical_gain(phi):
...     z = np.random.default_rng(0).standard_normal(400_000)
...     return 1 / np.sqrt(np.mean(phi(z) ** 2))
>>> gain_check(numerical_gain)
Correct: your gains agree with the book's quadrature for ReLU, tanh, SELU, GELU and the
sigmoid (within 1%).
"""

from __future__ import annotations

import math

import numpy as np
import torch

from activation_lab import functions, variance
from activation_lab.exercises.feedback import Feedback, call_learner, check_number, correct, shape_of, wrong

_GAIN_CASES = ("relu", "tanh", "selu", "gelu", "sigmoid")


def gain_check(numerical_gain) -> Feedback:
    """Check ``numerical_gain(phi) -> float``: 1 / sqrt(E[phi(Z)^2]) for Z ~ N(0, 1), within 1%."""
    for name in _GAIN_CASES:
        activation = functions.get(name)
        label = activation.label
        result = call_learner(numerical_gain, activation, name="numerical_gain", inputs=f"the {label} function")
        if isinstance(result, Feedback):
            return result
        if result is None:
            return wrong(f"`numerical_gain` returned None for {label}; did you forget a `return`?")
        if isinstance(result, (str, bool)) or shape_of(result) not in ((), (1,)):
            return wrong(f"`numerical_gain` should return one number, but for {label} it returned "
                         f"{type(result).__name__} {result!r:.40}.")
        value = float(np.asarray(result, dtype=float).reshape(()))
        expected = variance.gain(name)
        if not math.isfinite(value):
            return wrong(f"`numerical_gain` returned {value} for {label}; is a mean taken over an empty array?")
        if abs(value - expected) > 0.01 * expected:
            if abs(value - expected**2) < 0.02 * expected**2:
                return wrong(f"for {label} you returned {value:.4g}, which is the square of the gain: "
                             "take the square root.")
            if abs(value - 1 / expected) < 0.01 / expected:
                return wrong(f"for {label} you returned {value:.4g}, the reciprocal of the gain: the gain is "
                             "1 / sqrt(E[phi(Z)^2]).")
            return wrong(f"for {label} your gain is {value:.4g}, but it should be {expected:.4g} (within 1%).")
    return correct("your gains agree with the book's quadrature for ReLU, tanh, SELU, GELU and the sigmoid "
                   "(within 1%).")


def leaky_gain_check(answer, alpha: float = 0.2) -> Feedback:
    """Check the gain of Leaky ReLU with slope ``alpha``, worked out by hand."""
    expected = torch.nn.init.calculate_gain("leaky_relu", alpha)
    return check_number(answer, expected=expected, tolerance=1e-3,
                        what=f"the gain of Leaky ReLU with slope {alpha:g}",
                        hint="E[leaky_relu(Z)^2] has one half from each side of 0.")


def saturation_gain_check(answer, share: float = 0.25) -> Feedback:
    """Widget exercise: the smallest gain in the explorer at which more than ``share`` of the
    last tanh layer's units are saturated."""
    expected = variance.smallest_saturating_gain(share)
    if expected is None:  # cannot happen with the book's settings
        return wrong("no gain in the explorer saturates that many units.")
    if isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool):
        if math.isfinite(answer) and answer not in variance.EXPLORER_GAINS:
            return wrong(f"{answer:g} is not one of the explorer's gains "
                         f"({', '.join(f'{g:g}' for g in variance.EXPLORER_GAINS)}).")
    return check_number(answer, expected=expected, tolerance=1e-9,
                        what=f"the smallest gain that saturates more than {share:.0%} of layer "
                             f"{variance.EXPLORER_DEPTH}'s tanh units",
                        hint="Choose tanh and read the saturated share under the picture for each gain.")
