"""Checkers for the chapter "What makes a good activation function".

>>> import numpy as np
>>> from scipy.integrate import quad
>>> def output_mean(f):
...     density = lambda x: np.exp(-x * x / 2) / np.sqrt(2 * np.pi)
...     return quad(lambda x: float(f(x)) * density(x), -12, 12, points=[0.0])[0]
>>> output_mean_check(output_mean)
Correct: your function finds E[f(Z)] for every function tried, zero-centred or not.
>>> spread_check(4.0)
Correct: the smallest input spread in the explorer at which more than half of the tanh
unit's inputs get |f'| < 0.05 is 4.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from activation_lab import functions, properties, property_table, spread
from activation_lab.exercises.feedback import (
    Feedback,
    call_learner,
    check_choice,
    check_number,
    correct,
    shape_of,
    wrong,
)

MEAN_TOLERANCE = 3e-3  # loose enough for a Monte Carlo estimate with a million samples


def _shifted_tanh(x):
    return np.tanh(x) + 0.3


def _square(x):
    return np.asarray(x, dtype=float) ** 2


# (description, function, E[f(Z)] from a closed form) for Z ~ N(0, 1).
_MEAN_CASES = [
    ("tanh", functions.get("tanh"), 0.0),
    ("the sigmoid", functions.get("sigmoid"), 0.5),
    ("ReLU", functions.get("relu"), 1 / math.sqrt(2 * math.pi)),
    ("tanh(x) + 0.3", _shifted_tanh, 0.3),
    ("x²", _square, 1.0),
    ("SELU", functions.get("selu"), 0.0),
]


def output_mean_check(output_mean) -> Feedback:
    """Check ``output_mean(f)``: E[f(Z)] for a standard normal Z, to within 3e-3."""
    for description, f, expected in _MEAN_CASES:
        inputs = f"f = {description}"
        result = call_learner(output_mean, f, name="output_mean", inputs=inputs)
        if isinstance(result, Feedback):
            return result
        if result is None:
            return wrong(f"`output_mean` returned None for {inputs}; did you forget a `return`?")
        verdict = check_number(result, expected=expected, tolerance=MEAN_TOLERANCE,
                               what=f"E[f(Z)] for {inputs}",
                               hint="Average f over many standard normal inputs, or integrate f times the "
                                    "normal density.")
        if not verdict:
            return verdict
    return correct("your function finds E[f(Z)] for every function tried, zero-centred or not.")


def spread_check(answer) -> Feedback:
    """Widget exercise: the smallest explorer spread at which over half of tanh's inputs are flat."""
    expected = spread.smallest_spread("tanh", share=0.5)
    if not isinstance(answer, bool) and shape_of(answer) == ():
        value = float(np.asarray(answer, dtype=float))
        if np.isfinite(value) and value not in spread.SPREADS:
            offered = ", ".join(f"{s:g}" for s in spread.SPREADS)
            return wrong(f"{value:g} is not one of the explorer's spreads ({offered}).")
    return check_number(answer, expected=expected, tolerance=1e-9,
                        what=f"the smallest input spread in the explorer at which more than half of the tanh "
                             f"unit's inputs get |f'| < {spread.SMALL_GRADIENT:g}",
                        hint="Choose tanh and read the share printed under the picture at each spread.")


@functools.lru_cache(maxsize=1)
def zero_centred_unbounded_nonlinear() -> tuple[str, ...]:
    """The element-wise registry entries whose measured properties are: non-linear, zero-centred, unbounded."""
    found = []
    for name in functions.ELEMENTWISE:
        f = functions.get(name)
        measured = properties.measure(f)
        if measured.zero_centred and not measured.bounded and not property_table.is_linear(f):
            found.append(name)
    return tuple(found)


def property_choice_check(answer) -> Feedback:
    """Table exercise: the one non-linear registry function that is zero-centred and unbounded."""
    candidates = zero_centred_unbounded_nonlinear()
    return check_choice(answer, expected=candidates[0], options=functions.ELEMENTWISE,
                        what="the non-linear function that is zero-centred with an unbounded output",
                        why="Its negative side is scaled so that, for standard normal inputs, the mean output is 0.",
                        hint="Look for 'yes' under zero-centred and 'no' under bounded, then rule out the linear one.")
