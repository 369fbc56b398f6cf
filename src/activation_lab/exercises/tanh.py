"""Checkers for the chapter "Tanh, the zero-centred sigmoid".

Networks use the book's row convention: ``hidden = f(x @ W1 + b1)``, ``output = hidden @ W2 + b2``
with ``W1`` of shape (inputs, hidden units) and ``W2`` of shape (hidden units, outputs).

>>> def to_tanh(W1, b1, W2, b2):
...     return W1 / 2, b1 / 2, W2 / 2, b2 + W2.sum(axis=0) / 2
>>> sigmoid_to_tanh_check(to_tanh)
Correct: your tanh network computes exactly what the sigmoid network does, for every
network tried.
"""

from __future__ import annotations

import numpy as np

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
from activation_lab.functions import get

EXPLORER_SPREADS = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0)
_sigmoid = get("sigmoid")

# (inputs, hidden units, outputs) of the networks the conversion checker tries.
_SHAPES = [(1, 1, 1), (2, 3, 1), (4, 5, 3), (3, 8, 2)]


def _forward(activation, W1, b1, W2, b2, x):
    return activation(x @ W1 + b1) @ W2 + b2


def sigmoid_to_tanh_check(convert) -> Feedback:
    """Check ``convert(W1, b1, W2, b2) -> (V1, c1, V2, c2)``: a tanh network equal to the sigmoid one."""
    rng = np.random.default_rng(11)
    names = ["W1", "b1", "W2", "b2"]
    for d, h, k in _SHAPES:
        weights = [rng.standard_normal(s) for s in [(d, h), (h,), (h, k), (k,)]]
        copies = [a.copy() for a in weights]
        inputs = f"a sigmoid network with {d} input(s), {h} hidden unit(s) and {k} output(s)"
        result = call_learner(convert, *weights, name="convert", inputs=inputs)
        if isinstance(result, Feedback):
            return result
        changed = unchanged(copies, weights, name="convert", labels=names)
        if changed is not None:
            return changed
        if not isinstance(result, (tuple, list)) or len(result) != 4:
            kind = "None" if result is None else f"a {type(result).__name__}"
            return wrong(f"`convert` should return four arrays (V1, c1, V2, c2), but for {inputs} it returned {kind}.")
        converted = []
        for value, name, shape in zip(result, ["V1", "c1", "V2", "c2"], [(d, h), (h,), (h, k), (k,)]):
            array = to_array(value, what=f"For {inputs}, {name}", shape=shape)
            if isinstance(array, Feedback):
                return array
            converted.append(array)
        x = rng.standard_normal((50, d)) * 3
        expected = _forward(_sigmoid, *weights, x)
        got = _forward(np.tanh, *converted, x)
        mismatch = compare(got, expected, what="the tanh network's output", inputs=inputs, rtol=1e-9, atol=1e-9)
        if mismatch is not None:
            return mismatch
    return correct("your tanh network computes exactly what the sigmoid network does, for every network tried.")


def saturated_spread_check(answer) -> Feedback:
    """Widget exercise: the smallest spread of pre-activations at which half the tanh units saturate.

    The exact crossing lies between two slider values; either neighbour within 0.5 is accepted.
    """
    if shape_of(answer) == () and not isinstance(answer, bool):
        value = float(np.asarray(answer, dtype=float))
        if np.isfinite(value) and value <= 0:
            return wrong(f"{value:g} is not a spread: a standard deviation is positive.")
    return check_number(answer, expected=saturation.spread_for_saturated_share(0.5), tolerance=0.5,
                        what="the spread at which half the tanh units are saturated",
                        hint="Move the spread slider and read the saturated share printed under the picture.")


def tanh_saturation_check(answer, level: float = 0.01) -> Feedback:
    """The input beyond which tanh' < ``level``, worked out from tanh'(x) = 1 - tanh(x)^2 (two decimals)."""
    return check_number(answer, expected=saturation.tanh_saturation_point(level), tolerance=0.005,
                        what=f"the input beyond which tanh' < {level:g}",
                        hint="Solve 1 - tanh(x)^2 = level for tanh(x), then apply np.arctanh.")
