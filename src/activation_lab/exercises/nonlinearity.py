"""Checkers for chapter 1, "Why neural networks need non-linearity".

Layers use the convention of the chapter (and of the seeds' ``dot(input, W) + b``): a batch
of row vectors ``x`` of shape (n, d_in) maps to ``x @ W + b`` with ``W`` of shape
(d_in, d_out) and ``b`` of shape (d_out,).

>>> def collapse(layers):
...     W, b = layers[0]
...     for W_next, b_next in layers[1:]:
...         W, b = W @ W_next, b @ W_next + b_next
...     return W, b
>>> collapse_check(collapse)
Correct: your function collapses every stack of linear layers into the same single
layer.
"""

from __future__ import annotations

import numpy as np

from activation_lab import approximation, functions
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

# Stacks of layer widths the collapse checker tries, from one layer to a 1-unit bottleneck.
_STACKS = [(3, 2), (2, 5, 1), (4, 3, 3, 2), (2, 1, 3), (3, 6, 6, 6, 2)]


def _random_layers(widths, rng) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(rng.standard_normal((a, b)), rng.standard_normal(b)) for a, b in zip(widths[:-1], widths[1:])]


def _composed(layers, x: np.ndarray) -> np.ndarray:
    for W, b in layers:
        x = x @ W + b
    return x


def collapse_check(collapse) -> Feedback:
    """Check ``collapse(layers) -> (W, b)``: one affine layer equal to the whole stack."""
    rng = np.random.default_rng(2024)
    for widths in _STACKS:
        layers = _random_layers(widths, rng)
        copies = [a.copy() for layer in layers for a in layer]
        inputs = f"a stack of layers with widths {' → '.join(map(str, widths))}"
        result = call_learner(collapse, layers, name="collapse", inputs=inputs)
        if isinstance(result, Feedback):
            return result
        labels = [f"{part} of layer {k + 1}" for k in range(len(layers)) for part in ("W", "b")]
        changed = unchanged(copies, [a for layer in layers for a in layer], name="collapse", labels=labels)
        if changed is not None:
            return changed
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            return wrong(f"`collapse` should return a pair (W, b), but for {inputs} it returned "
                         f"{_describe(result)}.")
        W = to_array(result[0], what=f"For {inputs}, the W you returned", shape=(widths[0], widths[-1]))
        if isinstance(W, Feedback):
            return W
        b = to_array(result[1], what=f"For {inputs}, the b you returned", shape=(widths[-1],))
        if isinstance(b, Feedback):
            return b
        x = rng.standard_normal((7, widths[0]))
        expected = _composed(layers, x)
        mismatch = compare(x @ W + b, expected, what="x @ W + b", inputs=inputs, rtol=1e-6, atol=1e-8)
        if mismatch is not None:
            return mismatch
    return correct("your function collapses every stack of linear layers into the same single layer.")


def _describe(value) -> str:
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} items"
    return "None" if value is None else f"a {type(value).__name__}"


def xor_network_check(W1, b1, W2, b2) -> Feedback:
    """Check hand-chosen weights of a 2-2-1 ReLU network that outputs XOR exactly.

    The network computes ``relu(x @ W1 + b1) @ W2 + b2`` and must output 0, 1, 1, 0 on the
    inputs (0, 0), (0, 1), (1, 0), (1, 1).
    """
    arrays = []
    for value, what, shape in [(W1, "W1", (2, 2)), (b1, "b1", (2,)), (W2, "W2", (2,)), (b2, "b2", ())]:
        given = shape_of(value)
        if given is not None and len(given) == len(shape) + 1 and given[-1] == 1 and given[:-1] == shape:
            value = np.reshape(np.asarray(value, dtype=float), shape)  # W2 as a (2, 1) column, b2 as [b]
        array = to_array(value, what=what, shape=shape, if_none="replace None with your values.")
        if isinstance(array, Feedback):
            return array
        arrays.append(array)
    W1, b1, W2, b2 = arrays
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    outputs = np.maximum(corners @ W1 + b1, 0) @ W2 + b2
    for point, out, target in zip(corners, outputs, [0, 1, 1, 0]):
        if abs(out - target) > 1e-6:
            return wrong(f"for the input ({point[0]:g}, {point[1]:g}) the network outputs {out:.4g}, "
                         f"but XOR is {target} there.")
    return correct("your ReLU network computes XOR exactly on all four inputs.")


def smallest_width_check(answer, activation: str = "relu", max_error: float = 0.1) -> Feedback:
    """Widget exercise: the smallest width in the explorer whose fit has max error < ``max_error``."""
    expected = approximation.smallest_width(activation, max_error)
    if not isinstance(answer, bool) and shape_of(answer) == ():
        value = float(np.asarray(answer, dtype=float))
        if np.isfinite(value) and value not in approximation.WIDTHS:
            return wrong(f"{value:g} is not one of the explorer's widths "
                         f"({', '.join(map(str, approximation.WIDTHS))}).")
    return check_number(answer, expected=expected, tolerance=0.5,
                        what=f"the smallest width at which {functions.get(activation).label} keeps "
                             f"the error below {max_error:g}",
                        hint="Read the max error printed under the picture for each width.")


def pieces_check(max_pieces) -> Feedback:
    """Check ``max_pieces(width)``: the most linear pieces one hidden ReLU layer can make on a line."""
    failed = check_integer_formula(max_pieces, range(1, 41), lambda width: width + 1, name="max_pieces")
    if failed is not None:
        return failed
    return correct("each ReLU unit adds at most one kink, so width units make at most width + 1 pieces.")
