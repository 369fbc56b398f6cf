"""Checkers for the chapter "From biological neurons to activation functions".

A threshold unit outputs H(x . w + b), with H(z) = 1 for z >= 0 and 0 otherwise (the
convention of the registry's step function).

>>> gate_check("and", [1.0, 1.0], -1.5)
Correct: your threshold unit computes AND on all four inputs.
>>> sharpness_check(None)
Not yet: the smallest slope in the explorer at which σ(kx) stays within 0.01 of the step
for |x| ≥ 0.1 is still None; replace None with your answer.
"""

from __future__ import annotations

import numbers

import numpy as np

from activation_lab import threshold
from activation_lab.exercises.feedback import (
    Feedback,
    call_learner,
    check_number,
    correct,
    shape_of,
    to_array,
    unchanged,
    wrong,
)

GATES = {
    "and": ([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 0, 0, 1]),
    "or": ([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 1]),
    "nand": ([[0, 0], [0, 1], [1, 0], [1, 1]], [1, 1, 1, 0]),
    "not": ([[0], [1]], [1, 0]),
}
EXPLORER_EPS, EXPLORER_DELTA = 0.01, 0.1


def gate_check(gate: str, w, b) -> Feedback:
    """Check hand-chosen weights ``w`` and bias ``b`` of a threshold unit computing ``gate``."""
    if not isinstance(gate, str) or gate.lower() not in GATES:
        return wrong(f"the gate should be one of {', '.join(GATES)}, but it is {gate!r}.")
    inputs, targets = (np.array(a) for a in GATES[gate.lower()])
    n_inputs = inputs.shape[1]
    weights = to_array(w, what="w", shape=(n_inputs,), if_none="replace None with your weights.")
    if isinstance(weights, Feedback):
        if shape_of(w) is not None and np.size(w) != n_inputs:
            return wrong(f"{gate.upper()} has {n_inputs} input(s), so w needs {n_inputs} weight(s), "
                         f"but you gave {np.size(w)}.")
        return weights
    if shape_of(b) not in ((), (1,)):
        return wrong("b should be one number (the bias).") if b is not None else wrong(
            "b is None; replace None with your bias.")
    bias = to_array(np.reshape(np.asarray(b, dtype=float), ()), what="b", shape=())
    if isinstance(bias, Feedback):
        return bias
    outputs = threshold.predict(weights, float(bias), inputs)
    for x, out, target in zip(inputs, outputs, targets):
        if out != target:
            shown = ", ".join(str(int(v)) for v in x)
            z = float(x @ weights + bias)
            return wrong(f"for the input ({shown}) the weighted sum is {z:g}, so the unit outputs {out}, "
                         f"but {gate.upper()} is {target} there.")
    count = {2: "all four", 1: "both"}[n_inputs]
    return correct(f"your threshold unit computes {gate.upper()} on {count} inputs.")


def _cases(rng) -> list[tuple[np.ndarray, float, np.ndarray, int]]:
    """Examples for the update checker: random ones, and ties where x . w + b is exactly 0."""
    cases = [(np.zeros(2), 0.0, np.array([1.0, 2.0]), 0), (np.zeros(2), 0.0, np.array([1.0, 2.0]), 1),
             (np.array([1.0, -1.0]), 0.0, np.array([2.0, 2.0]), 0)]
    for d in (1, 2, 3, 5):
        for _ in range(6):
            cases.append((rng.standard_normal(d), float(rng.standard_normal()), rng.standard_normal(d),
                          int(rng.integers(0, 2))))
    return cases


def perceptron_update_check(perceptron_update) -> Feedback:
    """Check ``perceptron_update(w, b, x, y) -> (new_w, new_b)``: Rosenblatt's rule, learning rate 1."""
    for w, b, x, y in _cases(np.random.default_rng(1958)):
        copies = [w.copy(), x.copy()]
        inputs = f"w = {np.round(w, 3).tolist()}, b = {b:.3g}, x = {np.round(x, 3).tolist()}, y = {y}"
        result = call_learner(perceptron_update, w, b, x, y, name="perceptron_update", inputs=inputs)
        if isinstance(result, Feedback):
            return result
        changed = unchanged(copies, [w, x], name="perceptron_update", labels=["w", "x"])
        if changed is not None:
            return changed
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            kind = "None" if result is None else f"a {type(result).__name__}"
            return wrong(f"`perceptron_update` should return a pair (new_w, new_b), but for {inputs} "
                         f"it returned {kind}.")
        new_w = to_array(result[0], what=f"For {inputs}, the new w you returned", shape=w.shape)
        if isinstance(new_w, Feedback):
            return new_w
        if shape_of(result[1]) not in ((), (1,)):
            return wrong(f"For {inputs}, the new b should be one number.")
        new_b = float(np.reshape(np.asarray(result[1], dtype=float), ()))
        expected_w, expected_b = threshold.perceptron_update(w, b, x, y)
        z = float(x @ w + b)
        if not (np.allclose(new_w, expected_w, atol=1e-9) and np.isclose(new_b, expected_b, atol=1e-9)):
            made = int(threshold.heaviside(z))
            verdict = "a mistake, so the weights should move" if made != y else "right, so nothing should change"
            return wrong(f"for {inputs} the weighted sum is {z:.3g}, the unit outputs {made}, which is {verdict}: "
                         f"expected new_w = {np.round(expected_w, 3).tolist()} and new_b = {expected_b:.3g}, "
                         f"got {np.round(new_w, 3).tolist()} and {new_b:.3g}.")
    return correct("your update is Rosenblatt's rule: it moves the weights by (y − ŷ) x on a mistake, "
                   "and only then.")


def slope_formula_check(smallest_slope) -> Feedback:
    """Check ``smallest_slope(eps, delta)``: the least k with |σ(kx) − H(x)| ≤ eps for |x| ≥ delta."""
    for eps, delta in [(0.01, 0.1), (0.1, 1.0), (0.001, 0.5), (0.25, 0.2), (1e-6, 2.0)]:
        inputs = f"eps = {eps:g}, delta = {delta:g}"
        result = call_learner(smallest_slope, eps, delta, name="smallest_slope", inputs=inputs)
        if isinstance(result, Feedback):
            return result
        if result is None:
            return wrong(f"`smallest_slope({eps:g}, {delta:g})` returned None; did you forget a `return`?")
        if isinstance(result, bool) or not isinstance(result, (numbers.Real, np.number, np.ndarray)) \
                or np.size(result) != 1:
            return wrong(f"`smallest_slope({eps:g}, {delta:g})` should return one number.")
        value = float(np.reshape(np.asarray(result, dtype=float), ()))
        expected = threshold.slope_for_gap(eps, delta)
        if not np.isfinite(value) or abs(value - expected) > 1e-6 * expected:
            gap = threshold.gap_outside(value, delta) if np.isfinite(value) and value > 0 else None
            why = (f" At k = {value:g} the largest gap is {gap:.3g}, more than eps." if gap is not None and gap > eps
                   else " That slope is larger than needed." if np.isfinite(value) and value > expected else "")
            return wrong(f"for {inputs} you gave k = {value:g}, but the smallest slope is {expected:.6g}.{why}")
    return correct("k = log((1 − eps) / eps) / delta: the gap is largest at |x| = delta, where it is σ(−k·delta).")


def sharpness_check(answer) -> Feedback:
    """Widget exercise: the smallest explorer slope with σ(kx) within 0.01 of the step for |x| ≥ 0.1."""
    expected = threshold.smallest_listed_slope(EXPLORER_EPS, EXPLORER_DELTA)
    what = (f"the smallest slope in the explorer at which σ(kx) stays within {EXPLORER_EPS:g} of the step "
            f"for |x| ≥ {EXPLORER_DELTA:g}")
    if not isinstance(answer, bool) and shape_of(answer) == ():
        value = float(np.asarray(answer, dtype=float))
        if np.isfinite(value) and value not in threshold.SLOPES:
            return wrong(f"{value:g} is not one of the explorer's slopes ({', '.join(map(str, threshold.SLOPES))}).")
    return check_number(answer, expected=expected, tolerance=1e-9, what=what,
                        hint="Read the largest gap printed under the picture for each slope.")
