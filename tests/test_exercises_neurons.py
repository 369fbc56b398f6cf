"""Chapter 2's checkers: right answers pass, every kind of wrong answer gets one clear sentence."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from activation_lab import threshold
from activation_lab.exercises import feedback
from activation_lab.exercises import neurons as check
from conftest import verdict


def good_update(w, b, x, y):
    error = y - (1 if x @ w + b >= 0 else 0)
    return w + error * x, b + error


# ---- gate_check ---------------------------------------------------------------------------


@pytest.mark.parametrize(("gate", "w", "b"), [("and", [1, 1], -1.5), ("or", [1, 1], -0.5), ("nand", [-1, -1], 1.5),
                                              ("not", [-1], 0.5), ("AND", np.array([2.0, 2.0]), -3),
                                              ("or", torch.tensor([1.0, 1.0]), torch.tensor(-1.0))])
def test_working_gates_pass(gate, w, b):
    assert check.gate_check(gate, w, b).passed


@pytest.mark.parametrize(
    ("gate", "w", "b", "fragments"),
    [("xor", [1, 1], 0, ["should be one of"]), ("and", None, 0, ["w is None"]), ("and", [1, 1], None, ["b is None"]),
     ("and", [1, 1, 1], 0, ["needs 2 weight(s)", "gave 3"]), ("not", [1, 1], 0, ["needs 1 weight(s)"]),
     ("and", [1, 1], -0.5, ["for the input (0, 1)", "AND is 0"]), ("and", "ones", 0, ["text"]),
     ("and", [1, np.nan], 0, ["NaN"]), ("and", [1, 1], [1, 2], ["one number"]), ("and", [1, 1], "b", ["one number"]),
     (3, [1, 1], 0, ["should be one of"]), ("and", [1, 1], float("inf"), ["infinite"])],
)
def test_wrong_gates_get_specific_feedback(gate, w, b, fragments):
    verdict(check.gate_check(gate, w, b), *fragments)


# ---- perceptron_update_check -----------------------------------------------------------------


def test_a_correct_update_passes_also_with_lists_and_tensors_returned():
    assert check.perceptron_update_check(good_update).passed
    as_lists = lambda w, b, x, y: tuple(np.asarray(a).tolist() for a in good_update(w, b, x, y))
    as_tensor = lambda w, b, x, y: (torch.tensor(good_update(w, b, x, y)[0]), good_update(w, b, x, y)[1])
    assert check.perceptron_update_check(as_lists).passed
    assert check.perceptron_update_check(as_tensor).passed


def strict_threshold(w, b, x, y):
    error = y - (1 if x @ w + b > 0 else 0)  # H(0) = 0: wrong at the tie
    return w + error * x, b + error


def mutating(w, b, x, y):
    new_w, new_b = good_update(w, b, x, y)
    w[:] = new_w
    return w, new_b


@pytest.mark.parametrize(
    ("learner", "fragments"),
    [(None, ["is None"]), ("rule", ["should be a function"]), (lambda w, b: (w, b), ["could not be called"]),
     (lambda w, b, x, y: None, ["returned None"]), (lambda w, b, x, y: w, ["should return a pair"]),
     (strict_threshold, ["weighted sum is 0", "a mistake"]), (mutating, ["changed its input in place (w)"]),
     (lambda w, b, x, y: (w + x, b), ["expected new_w"]), (lambda w, b, x, y: (w, [b, b]), ["one number"]),
     (lambda w, b, x, y: (w[:1], b), ["shape"]), (lambda w, b, x, y: 1 / 0, ["ZeroDivisionError"]),
     (lambda w, b, x, y: (np.full_like(w, np.nan), b), ["NaN"])],
)
def test_wrong_updates_get_specific_feedback(learner, fragments):
    verdict(check.perceptron_update_check(learner), *fragments)


# ---- slope_formula_check and the widget exercise --------------------------------------------


def test_slope_formula():
    assert check.slope_formula_check(lambda eps, delta: math.log((1 - eps) / eps) / delta).passed
    assert check.slope_formula_check(threshold.slope_for_gap).passed
    verdict(check.slope_formula_check(lambda eps, delta: math.log(1 / eps) / delta), "larger than needed")
    verdict(check.slope_formula_check(lambda eps, delta: 1.0), "more than eps")
    verdict(check.slope_formula_check(lambda eps, delta: None), "returned None")
    verdict(check.slope_formula_check(lambda eps, delta: "k"), "one number")
    verdict(check.slope_formula_check(lambda eps, delta: [1.0, 2.0]), "one number")
    verdict(check.slope_formula_check(lambda eps, delta: math.nan), "but the smallest slope")
    verdict(check.slope_formula_check(lambda eps: 1.0), "could not be called")


def test_the_widget_exercise_uses_the_library_value():
    expected = threshold.smallest_listed_slope(check.EXPLORER_EPS, check.EXPLORER_DELTA)
    assert threshold.gap_outside(expected, 0.1) <= 0.01
    previous = threshold.SLOPES[threshold.SLOPES.index(expected) - 1]
    assert threshold.gap_outside(previous, 0.1) > 0.01
    assert check.sharpness_check(expected).passed and check.sharpness_check(np.int64(expected)).passed
    verdict(check.sharpness_check(previous), "too small")
    verdict(check.sharpness_check(45), "not one of the explorer's slopes")
    verdict(check.sharpness_check(None), "still None")
    verdict(check.sharpness_check("50"), "text")
    verdict(check.sharpness_check(True), "bool")


anything = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.tuples(children, children),
    max_leaves=6,
)


@settings(max_examples=100, deadline=None)
@given(returned=anything)
def test_whatever_a_learner_gives_the_checkers_answer_with_feedback(returned):
    for result in (check.perceptron_update_check(lambda w, b, x, y: returned),
                   check.slope_formula_check(lambda eps, delta: returned),
                   check.sharpness_check(returned), check.gate_check("and", returned, returned)):
        assert isinstance(result, feedback.Feedback)
