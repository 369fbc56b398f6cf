"""Checkers for the chapter "Troubleshooting, and the road ahead".

>>> import numpy as np
>>> def clip_by_global_norm(grads, max_norm):
...     total = np.sqrt(sum(float((g ** 2).sum()) for g in grads))
...     scale = min(1.0, max_norm / (total + 1e-6))
...     return [g * scale for g in grads]
>>> clip_check(clip_by_global_norm)
Correct: your clipping matches torch.nn.utils.clip_grad_norm_ on every case, and leaves
small gradients alone.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import torch

from activation_lab import calibration, symptoms
from activation_lab.exercises.feedback import (
    Feedback,
    call_learner,
    check_choice,
    check_number,
    compare,
    correct,
    to_array,
    unchanged,
    wrong,
)


@functools.cache
def _mystery_diagnosis() -> str:
    return symptoms.diagnose(symptoms.run("mystery").vitals)


def mystery_fix_check(answer) -> Feedback:
    """Widget exercise: the fix for the explorer's mystery run, one of ``symptoms.FIXES``.

    The expected answer is the fix of the case that ``symptoms.diagnose`` finds in the run.
    """
    case = symptoms.CASES[_mystery_diagnosis()]
    return check_choice(
        answer, expected=case.fix, options=list(symptoms.FIXES), what="the fix for the mystery run",
        why=f"The run shows {case.symptom}: {case.remedy}.",
        hint="Look at all three views of the mystery run: which one looks like none of the healthy runs?",
    )


def _ece_cases(rng: np.random.Generator) -> list[tuple[str, np.ndarray, np.ndarray, int]]:
    confidence = rng.uniform(0.5, 1.0, 200)
    cases = [
        ("200 random predictions and 10 bins", confidence, (rng.uniform(size=200) < confidence).astype(float), 10),
        ("200 random predictions and 5 bins", confidence, (rng.uniform(size=200) < 0.7).astype(float), 5),
        ("predictions with confidence exactly 1.0 and exactly 0.5 (a bin edge)", np.array([1.0, 1.0, 0.5, 0.55]),
         np.array([1.0, 0.0, 1.0, 0.0]), 10),
        ("a single prediction", np.array([0.9]), np.array([0.0]), 10),
    ]
    return cases


def calibration_error_check(expected_calibration_error) -> Feedback:
    """Check ``expected_calibration_error(confidence, correct, bins)`` against the library's."""
    rng = np.random.default_rng(16)
    for inputs, confidence, is_correct, bins in _ece_cases(rng):
        before = [confidence.copy(), is_correct.copy()]
        result = call_learner(expected_calibration_error, confidence, is_correct, bins,
                              name="expected_calibration_error", inputs=inputs)
        if isinstance(result, Feedback):
            return result
        changed = unchanged(before, [confidence, is_correct], name="expected_calibration_error",
                            labels=["confidence", "correct"])
        if changed is not None:
            return changed
        value = to_array(result, what=f"For {inputs}, your ECE", shape=())
        if isinstance(value, Feedback):
            return value
        expected = calibration.expected_calibration_error(confidence, is_correct, bins)
        if not math.isclose(float(value), expected, rel_tol=1e-9, abs_tol=1e-12):
            gaps = calibration.reliability(confidence, is_correct, bins)
            unweighted = float(np.nanmean(np.abs(gaps[1] - gaps[0])))
            if math.isclose(float(value), unweighted, rel_tol=1e-9, abs_tol=1e-12):
                return wrong(f"for {inputs} you averaged the bins equally; weight each bin's gap by the "
                             "share of predictions that fall in it.")
            return wrong(f"for {inputs} your ECE is {float(value):.6g}, but it should be {expected:.6g}. "
                         "Check the bin edges: bin k holds confidences in (k/bins, (k+1)/bins].")
    return correct("your expected calibration error matches on every case, edge bins included.")


def _clip_cases(rng: np.random.Generator) -> list[tuple[str, list[np.ndarray], float]]:
    return [
        ("two large gradients and max_norm = 1", [rng.normal(0, 5, (3, 4)), rng.normal(0, 5, 4)], 1.0),
        ("three gradients and max_norm = 0.5", [rng.normal(0, 1, (2, 2)), rng.normal(0, 1, 3), rng.normal(0, 1, (1,))],
         0.5),
        ("small gradients below max_norm = 100", [rng.normal(0, 0.1, (4, 2)), rng.normal(0, 0.1, 2)], 100.0),
    ]


def clip_check(clip_by_global_norm) -> Feedback:
    """Check ``clip_by_global_norm(grads, max_norm)`` against ``torch.nn.utils.clip_grad_norm_``.

    ``grads`` is a list of arrays; the answer is a list of arrays of the same shapes whose joint
    (global) norm is at most ``max_norm``, all scaled by the same factor.
    """
    rng = np.random.default_rng(7)
    for inputs, grads, max_norm in _clip_cases(rng):
        before = [g.copy() for g in grads]
        result = call_learner(clip_by_global_norm, grads, max_norm, name="clip_by_global_norm", inputs=inputs)
        if isinstance(result, Feedback):
            return result
        changed = unchanged(before, grads, name="clip_by_global_norm",
                            labels=[f"gradient {k}" for k in range(len(grads))])
        if changed is not None:
            return changed
        if not isinstance(result, (list, tuple)) or len(result) != len(grads):
            return wrong(f"for {inputs}, `clip_by_global_norm` should return a list of {len(grads)} arrays, "
                         f"one per gradient, but it returned {_describe(result)}.")
        parameters = [torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.float64)) for g in before]
        for p, g in zip(parameters, before):
            p.grad = torch.tensor(g)
        torch.nn.utils.clip_grad_norm_(parameters, max_norm)
        for k, (answer, p) in enumerate(zip(result, parameters)):
            array = to_array(answer, what=f"For {inputs}, clipped gradient {k}", shape=tuple(p.shape))
            if isinstance(array, Feedback):
                return array
            expected = p.grad.numpy()
            if k == 0 and not np.allclose(array, expected, rtol=1e-5, atol=1e-9):
                separately = before[0] * min(1.0, max_norm / (np.linalg.norm(before[0]) + 1e-6))
                if np.allclose(array, separately, rtol=1e-5, atol=1e-9) and len(grads) > 1:
                    return wrong(f"for {inputs} you clipped each gradient on its own; clip by the norm of "
                                 "all of them together (the global norm), so they keep their proportions.")
            mismatch = compare(array, expected, what=f"clipped gradient {k}", inputs=inputs, rtol=1e-5, atol=1e-9)
            if mismatch is not None:
                return mismatch
    return correct("your clipping matches torch.nn.utils.clip_grad_norm_ on every case, and leaves small "
                   "gradients alone.")


def _describe(value) -> str:
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} items"
    return "None" if value is None else f"a {type(value).__name__}"


def vanishing_depth_check(answer, factor: float = 0.25, threshold: float = 1e-6) -> Feedback:
    """The smallest depth L at which factor ** L falls below ``threshold``."""
    expected = math.floor(math.log(threshold) / math.log(factor)) + 1
    return check_number(answer, expected=expected, tolerance=0.5,
                        what=f"the smallest number of sigmoid layers at which {factor:g}^L < {threshold:g}",
                        hint="Solve 0.25^L < 10^-6 for L with logarithms, then round up.")


def swiglu_width_check(answer, d_model: int = 768) -> Feedback:
    """The SwiGLU hidden width with the parameter count of a 4 d_model ReLU feed-forward layer."""
    return check_number(answer, expected=8 * d_model / 3, tolerance=1.0,
                        what=f"the SwiGLU hidden width for d_model = {d_model}",
                        hint="Count weights: a ReLU layer has two d x h matrices, SwiGLU has three.")
