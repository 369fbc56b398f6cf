"""Checkers for the chapter "Vanishing and exploding gradients".

Layers use the book's convention ``z = a @ W + b``: a batch of row vectors, ``W`` of shape
(width_in, width_out). The backward step of the chapter maps the error signal of layer l + 1,
``delta_next = dL/dz_{l+1}``, to the error signal of layer l.

>>> def backward_step(delta_next, W_next, z, derivative):
...     return (delta_next @ W_next.T) * derivative(z)
>>> backward_step_check(backward_step)
Correct: your backward step matches autograd for sigmoid, tanh and ReLU layers of
several shapes.
"""

from __future__ import annotations

import numpy as np
import torch

from activation_lab import functions, gradients
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

_CASES = [("sigmoid", 5, 4, 3), ("tanh", 3, 6, 6), ("relu", 7, 2, 5), ("sigmoid", 1, 3, 1)]


def _autograd_delta(delta_next: np.ndarray, W_next: np.ndarray, z: np.ndarray, name: str) -> np.ndarray:
    """dL/dz for L = sum(delta_next * (phi(z) @ W_next)), computed by PyTorch's autograd."""
    z_t = torch.tensor(z, requires_grad=True)
    out = functions.get(name).torch_function(z_t) @ torch.tensor(W_next)
    (out * torch.tensor(delta_next)).sum().backward()
    return z_t.grad.numpy()


def backward_step_check(backward_step) -> Feedback:
    """Check ``backward_step(delta_next, W_next, z, derivative) -> delta`` against autograd."""
    rng = np.random.default_rng(7)
    for name, n, width, width_next in _CASES:
        activation = functions.get(name)
        delta_next = rng.standard_normal((n, width_next))
        W_next = rng.standard_normal((width, width_next))
        z = rng.standard_normal((n, width))
        z[0, 0] = 0.0  # ReLU's kink: autograd uses derivative 0 there, and so does the registry
        before = [delta_next.copy(), W_next.copy(), z.copy()]
        inputs = f"a {name} layer of width {width} feeding a layer of width {width_next}, batch of {n}"
        result = call_learner(backward_step, delta_next, W_next, z, activation.derivative,
                              name="backward_step", inputs=inputs)
        if isinstance(result, Feedback):
            return result
        changed = unchanged(before, [delta_next, W_next, z], name="backward_step",
                            labels=["delta_next", "W_next", "z"])
        if changed is not None:
            return changed
        delta = to_array(result, what=f"For {inputs}, the delta you returned", shape=(n, width))
        if isinstance(delta, Feedback):
            if width != width_next and shape_of(result) == (n, width_next):
                return wrong(f"For {inputs}, delta has the shape of delta_next, {(n, width_next)}; "
                             "multiply by the transpose of W_next to go back one layer.")
            return delta
        expected = _autograd_delta(delta_next, W_next, z, name)
        mismatch = compare(delta, expected, what="delta", inputs=inputs, rtol=1e-6, atol=1e-9)
        if mismatch is not None:
            plain = (delta_next @ W_next.T)
            if np.allclose(delta, plain):
                return wrong(f"For {inputs}, you returned delta_next @ W_next.T without the factor "
                             "derivative(z): every layer multiplies by its activation's slope.")
            return mismatch
    return correct("your backward step matches autograd for sigmoid, tanh and ReLU layers of several shapes.")


def vanishing_depth_check(answer, activation: str = "sigmoid", init: str = "kaiming", level: float = 1e-6) -> Feedback:
    """Widget exercise: the smallest depth in the explorer at which the first layer's gradient
    norm is below ``level`` times the output layer's."""
    expected = gradients.first_depth_below(activation, init, level, depths=gradients.EXPLORER_DEPTHS)
    label = functions.get(activation).label
    what = f"the smallest depth at which the first {label} layer's gradient falls below {level:g} of the last layer's"
    if expected is None:
        return wrong(f"with this setting the ratio never falls below {level:g} in the explorer's depths.")
    if isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool):
        if np.isfinite(answer) and answer not in gradients.EXPLORER_DEPTHS:
            return wrong(f"{answer:g} is not one of the depths the explorer draws "
                         f"({', '.join(map(str, gradients.EXPLORER_DEPTHS))}).")
    return check_number(answer, expected=expected, tolerance=0.5, what=what,
                        hint="Each line starts at layer 1: find the shortest line that starts below the dotted line.")
