"""The tanh chapter's checkers: right answers pass, every wrong one gets one sentence."""

import numpy as np
import pytest
from hypothesis import given, settings
from test_exercises import anything

from activation_lab import saturation
from activation_lab.exercises import feedback
from activation_lab.exercises import tanh as check
from conftest import verdict


def good_convert(W1, b1, W2, b2):
    # sigma(a) = (1 + tanh(a / 2)) / 2, so each hidden output is an affine function of tanh(a / 2).
    return W1 / 2, b1 / 2, W2 / 2, b2 + W2.sum(axis=0) / 2


def test_the_right_conversion_passes_and_plain_lists_are_accepted():
    assert check.sigmoid_to_tanh_check(good_convert).passed
    assert check.sigmoid_to_tanh_check(lambda *w: [a.tolist() for a in good_convert(*w)]).passed


@pytest.mark.parametrize(
    ("learner", "fragments"),
    [
        (None, ["is None"]),
        (lambda W1, b1, W2, b2: (W1, b1, W2, b2), ["output is wrong"]),
        (lambda W1, b1, W2, b2: (W1 / 2, b1 / 2, W2 / 2, b2), ["output is wrong"]),
        (lambda W1, b1, W2, b2: (2 * W1, 2 * b1, W2 / 2, b2 + W2.sum(axis=0) / 2), ["output is wrong"]),
        (lambda W1, b1, W2, b2: good_convert(W1, b1, W2, b2)[:3], ["four arrays", "tuple"]),
        (lambda W1, b1, W2, b2: None, ["four arrays", "None"]),
        (lambda W1, b1, W2, b2: (W1.T / 2, b1 / 2, W2 / 2, b2 + W2.sum(axis=0) / 2), ["V1 should have shape"]),
        (lambda W1, b1, W2, b2: (W1 / 2, b1 / 2, W2 / 2, np.nan * b2), ["c2 contains NaN"]),
        (lambda W1, b1: (W1, b1), ["could not be called"]),
    ],
    ids=["none", "unchanged", "no-bias-shift", "wrong-scale", "three", "returns-none", "transposed", "nan",
         "signature"],
)
def test_bad_conversions(learner, fragments):
    verdict(check.sigmoid_to_tanh_check(learner), *fragments)


def test_changing_the_given_weights_is_caught():
    def in_place(W1, b1, W2, b2):
        W1 /= 2
        return W1, b1 / 2, W2 / 2, b2 + W2.sum(axis=0) / 2

    verdict(check.sigmoid_to_tanh_check(in_place), "changed its input in place (W1)")


def test_the_widget_exercise_accepts_the_slider_values_around_the_crossing():
    exact = saturation.spread_for_saturated_share(0.5)
    assert saturation.saturated_share(3.0) < 0.5 < saturation.saturated_share(3.5)
    assert 3.0 < exact < 3.5
    assert check.saturated_spread_check(3.5).passed and check.saturated_spread_check(3).passed
    verdict(check.saturated_spread_check(2.5), "too small")
    verdict(check.saturated_spread_check(4.0), "too large")
    verdict(check.saturated_spread_check(-3.0), "not a spread")
    verdict(check.saturated_spread_check([3.5]), "list")


def test_the_tanh_saturation_point():
    x = np.arctanh(np.sqrt(0.99))
    assert 1 - np.tanh(x) ** 2 == pytest.approx(0.01)
    assert check.tanh_saturation_check(round(float(x), 2)).passed
    verdict(check.tanh_saturation_check(4.6), "too large")
    verdict(check.tanh_saturation_check(None), "still None")


@settings(max_examples=100, deadline=None)
@given(returned=anything)
def test_whatever_comes_back_becomes_feedback(returned):
    for result in (check.sigmoid_to_tanh_check(lambda *w: returned), check.saturated_spread_check(returned),
                   check.tanh_saturation_check(returned)):
        assert isinstance(result, feedback.Feedback)
