"""The troubleshooting chapter's checkers: right answers pass, every wrong one gets one sentence."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from activation_lab import symptoms
from activation_lab.exercises import troubleshooting as check
from conftest import verdict

# ---- the mystery run (widget exercise) --------------------------------------------------------


def test_the_mystery_runs_fix_is_the_one_for_dead_units():
    # independent of the checker: the mystery network's last hidden layer is dead in every seed
    vitals = symptoms.run("mystery").vitals
    assert (vitals.dead[:, -1] > 0.9).all() and vitals.saturated.max() == 0
    assert check.mystery_fix_check("leaky relu").passed
    assert check.mystery_fix_check("  Leaky ReLU ").passed


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [(None, ["still None", "leaky relu"]), (3, ["as text", "int"]), ("dropout", ["not one of the options"]),
     ("he init", ["not the best choice", "three views"])],
)
def test_wrong_mystery_answers_get_specific_feedback(answer, fragments):
    verdict(check.mystery_fix_check(answer), *fragments)


# ---- calibration_error_check ------------------------------------------------------------------


def reference_ece(confidence, correct, bins=10):
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        members = (confidence > lo) & (confidence <= hi) | ((lo == 0) & (confidence == 0))
        if members.any():
            total += members.sum() * abs(correct[members].mean() - confidence[members].mean())
    return total / len(confidence)


def test_an_independent_ece_passes():
    assert check.calibration_error_check(reference_ece).passed
    assert check.calibration_error_check(lambda c, k, b: torch.tensor(reference_ece(c, k, b))).passed


def unweighted(confidence, correct, bins=10):
    which = np.clip(np.ceil(confidence * bins).astype(int) - 1, 0, bins - 1)
    gaps = [abs(correct[which == m].mean() - confidence[which == m].mean()) for m in range(bins) if (which == m).any()]
    return float(np.mean(gaps))


def left_closed(confidence, correct, bins=10):
    which = np.clip(np.floor(confidence * bins).astype(int), 0, bins - 1)
    return sum((which == m).sum() * abs(correct[which == m].mean() - confidence[which == m].mean())
               for m in range(bins) if (which == m).any()) / len(confidence)


def sorting(confidence, correct, bins=10):
    confidence.sort()
    return reference_ece(confidence, correct, bins)


@pytest.mark.parametrize(
    ("learner", "fragments"),
    [
        (None, ["is None"]),
        (lambda c, k: 0.0, ["could not be called"]),
        (lambda c, k, b: None, ["did you forget a `return`"]),
        (lambda c, k, b: [0.1, 0.2], ["shape ()"]),
        (lambda c, k, b: float("nan"), ["NaN"]),
        (unweighted, ["averaged the bins equally"]),
        (left_closed, ["bin edges"]),
        (sorting, ["changed its input in place (confidence)"]),
        (lambda c, k, b: 1 / 0, ["ZeroDivisionError"]),
    ],
    ids=["none", "signature", "no-return", "list", "nan", "unweighted", "left-closed", "mutates", "raises"],
)
def test_wrong_ece_functions_get_specific_feedback(learner, fragments):
    verdict(check.calibration_error_check(learner), *fragments)


# ---- clip_check --------------------------------------------------------------------------------


def reference_clip(grads, max_norm):
    total = np.sqrt(sum(float((g**2).sum()) for g in grads))
    return [g * min(1.0, max_norm / (total + 1e-6)) for g in grads]


def clip_each(grads, max_norm):
    return [g * min(1.0, max_norm / (np.linalg.norm(g) + 1e-6)) for g in grads]


def in_place(grads, max_norm):
    total = np.sqrt(sum(float((g**2).sum()) for g in grads))
    for g in grads:
        g *= min(1.0, max_norm / (total + 1e-6))
    return grads


def test_global_clipping_passes_also_with_tensors():
    assert check.clip_check(reference_clip).passed
    assert check.clip_check(lambda g, m: [torch.tensor(x) for x in reference_clip(g, m)]).passed


@pytest.mark.parametrize(
    ("learner", "fragments"),
    [
        (None, ["is None"]),
        (lambda g, m: None, ["should return a list of 2 arrays", "None"]),
        (lambda g, m: reference_clip(g, m)[0], ["list of 2 arrays"]),
        (clip_each, ["clipped each gradient on its own", "global norm"]),
        (in_place, ["changed its input in place (gradient 0)"]),
        (lambda g, m: [x * 0.5 for x in g], ["clipped gradient 0 is wrong"]),
        (lambda g, m: [x.ravel() for x in reference_clip(g, m)], ["shape (3, 4)"]),
    ],
    ids=["none", "returns-none", "one-array", "each-separately", "in-place", "halved", "flattened"],
)
def test_wrong_clipping_gets_specific_feedback(learner, fragments):
    verdict(check.clip_check(learner), *fragments)


@settings(max_examples=20, deadline=None)
@given(st.one_of(st.none(), st.integers(), st.text(max_size=4), st.floats(allow_nan=True)))
def test_garbage_from_the_learner_becomes_one_sentence(garbage):
    verdict(check.clip_check(lambda g, m: garbage))
    verdict(check.calibration_error_check(lambda c, k, b: garbage if not isinstance(garbage, float) else "x"))


# ---- number exercises -------------------------------------------------------------------------------


def test_the_depth_at_which_a_quarter_per_layer_falls_below_a_millionth():
    assert 0.25**10 < 1e-6 < 0.25**9  # so the answer is 10
    assert check.vanishing_depth_check(10).passed
    verdict(check.vanishing_depth_check(9), "too small")
    verdict(check.vanishing_depth_check("ten"), "text")


def test_the_swiglu_width_keeps_the_parameter_count():
    d, h = 768, 2048
    assert 3 * d * h == 2 * d * 4 * d
    assert check.swiglu_width_check(h).passed
    verdict(check.swiglu_width_check(3072), "too large")
