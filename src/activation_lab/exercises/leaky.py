"""Checkers for the chapter "Leaky ReLU, PReLU, ELU and SELU".

>>> import numpy as np
>>> elu_check(lambda x, alpha: np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))))
Correct: your ELU uses α (its floor is -α) and stays finite for inputs of ±1000.
>>> prelu_slope_gradient_check(lambda z, upstream: np.sum(upstream * np.minimum(z, 0)))
Correct: dL/dα = Σ upstream · min(0, z): only the units on the negative side move the
slope.
"""

from __future__ import annotations

import warnings

import numpy as np

from activation_lab import functions, slopes
from activation_lab.exercises import widget_answers
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

_X = np.concatenate([np.linspace(-6, 4, 1001), [-1000.0, -30.0, 30.0, 1000.0]])


def _call_quietly(function, *args, name: str, inputs: str):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # an overflow warning from learner code would hide the feedback
        return call_learner(function, *args, name=name, inputs=inputs)


def elu_check(elu) -> Feedback:
    """Check ``elu(x, alpha)``: x for x > 0, alpha (e^x - 1) otherwise; alpha really used."""
    outputs = {}
    for alpha in (1.0, 0.5, 2.0):
        x = _X.copy()
        inputs = f"x from -1000 to 1000 and α = {alpha:g}"
        result = _call_quietly(elu, x, alpha, name="elu", inputs=inputs)
        if isinstance(result, Feedback):
            return result
        changed = unchanged([_X], [x], name="elu", labels=["the array x"])
        if changed is not None:
            return changed
        values = to_array(result, what=f"What elu returned for {inputs}", shape=x.shape)
        if isinstance(values, Feedback):
            return values
        outputs[alpha] = values
        expected = functions.get("elu", alpha=alpha)(x)
        mismatch = compare(values, expected, what="elu", inputs=inputs, rtol=1e-7, atol=1e-12)
        if mismatch is not None:
            if alpha != 1.0 and np.allclose(values, outputs[1.0]):
                return wrong(f"your elu gives the same outputs for α = {alpha:g} as for α = 1: it ignores α. "
                             "The negative side is α (e^x - 1), so its floor is -α.")
            return mismatch
    return correct("your ELU uses α (its floor is -α) and stays finite for inputs of ±1000.")


def prelu_slope_gradient_check(slope_gradient) -> Feedback:
    """Check ``slope_gradient(z, upstream)``: dL/dalpha for one slope shared by a whole layer.

    ``z`` holds a layer's pre-activations (inputs x units) and ``upstream`` is dL/d(output),
    same shape. The answer is one number.
    """
    rng = np.random.default_rng(7)
    for shape in [(5, 3), (1, 4), (20, 8)]:
        z, upstream = rng.standard_normal(shape), rng.standard_normal(shape)
        copies = [z.copy(), upstream.copy()]
        inputs = f"z and upstream of shape {shape}"
        result = call_learner(slope_gradient, z, upstream, name="slope_gradient", inputs=inputs)
        if isinstance(result, Feedback):
            return result
        changed = unchanged(copies, [z, upstream], name="slope_gradient", labels=["z", "upstream"])
        if changed is not None:
            return changed
        if shape_of(result) == shape:
            return wrong(f"slope_gradient returned an array of shape {shape}; the slope is one number shared "
                         "by the whole layer, so add up the contributions of every input and unit.")
        value = to_array(result, what=f"What slope_gradient returned for {inputs}", shape=())
        if isinstance(value, Feedback):
            return value
        expected = float(np.sum(upstream * np.minimum(z, 0)))
        if not np.isclose(float(value), expected, rtol=1e-9, atol=1e-12):
            if np.isclose(float(value), float(np.sum(upstream * z)), rtol=1e-9, atol=1e-12):
                return wrong(f"for {inputs} you added upstream · z over every unit, but units with z > 0 do not "
                             "depend on α at all.")
            return wrong(f"for {inputs} slope_gradient returned {float(value):.6g}, but dL/dα is {expected:.6g}.")
    return correct("dL/dα = Σ upstream · min(0, z): only the units on the negative side move the slope.")


def no_off_units_alpha_check(answer) -> Feedback:
    """Widget exercise: the smallest leak in the explorer after which no unit is off for every input."""
    sweep = slopes.leak_sweep()
    not_offered = widget_answers.not_offered(answer, sweep.alphas, "α")
    if not_offered is not None:
        return not_offered
    return check_number(answer, expected=sweep.smallest_alpha_without_off_units(), tolerance=1e-9,
                        what="the smallest α in the explorer after whose training no hidden unit is off for every "
                             "input",
                        hint="Read the count of units that are off under the picture for each α.")


def selu_constants_check(alpha, scale) -> Feedback:
    """Check SELU's two constants, found from its fixed point E[selu(Z)] = 0, E[selu(Z)^2] = 1."""
    for value, name, expected in ((alpha, "α", functions.SELU_ALPHA), (scale, "λ", functions.SELU_SCALE)):
        verdict = check_number(value, expected=expected, tolerance=1e-4, what=f"SELU's {name}")
        if not verdict:
            swapped = check_number(alpha if name == "λ" else scale, expected=expected, tolerance=1e-4, what="")
            if swapped:
                return wrong("you have α and λ the wrong way round: α (about 1.67) sets the negative side, "
                             "λ (about 1.05) scales the whole function.")
            return verdict
    return correct(f"α = {functions.SELU_ALPHA:.4f} makes the mean 0 and then λ = {functions.SELU_SCALE:.4f} "
                   "makes the second moment 1, the values PyTorch's nn.SELU uses.")
