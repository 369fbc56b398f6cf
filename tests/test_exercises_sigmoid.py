"""The sigmoid chapter's checkers: right answers pass, every wrong one gets one sentence."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from scipy.special import expit
from test_exercises import anything

from activation_lab import saturation
from activation_lab.exercises import feedback
from activation_lab.exercises import sigmoid as check
from conftest import verdict


def good_softplus(x):
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def good_gradient(w, b, X, y):
    error = expit(X @ w + b) - y
    return X.T @ error / len(X), float(error.mean())


def test_right_answers_pass():
    assert check.softplus_check(good_softplus).passed
    assert check.softplus_check(lambda x: -torch.nn.functional.logsigmoid(-torch.from_numpy(x))).passed
    assert check.bce_gradient_check(good_gradient).passed
    assert check.bce_gradient_check(lambda w, b, X, y: tuple(np.asarray(g) for g in good_gradient(w, b, X, y))).passed


@pytest.mark.parametrize(
    ("learner", "fragments"),
    [
        (None, ["is None"]),
        ("log", ["should be a function", "str"]),
        (lambda: 0, ["could not be called"]),
        (lambda x: np.log(1 + np.exp(x)), ["warn", "overflow"]),
        (lambda x: -np.log(expit(-x)), ["warn", "divide by zero"]),
        (lambda x: None, ["is None", "return"]),
        (lambda x: x.sum(), ["shape (4,)"]),
        (lambda x: np.log1p(np.exp(-np.abs(x))), ["softplus(x) is wrong", "entry"]),
        (lambda x: good_softplus(x) > 1, ["True/False"]),
        (lambda x: np.full(x.shape, np.nan), ["NaN"]),
        (lambda x: [str(v) for v in x], ["real numbers"]),
        (lambda x: 1 / 0, ["ZeroDivisionError"]),
    ],
    ids=["none", "text", "signature", "overflow", "log-zero", "returns-none", "wrong-shape", "wrong-values",
         "bool", "nan", "strings", "raises"],
)
def test_bad_softpluses(learner, fragments):
    verdict(check.softplus_check(learner), *fragments)


def test_a_softplus_that_changes_its_input_is_caught():
    def in_place(x):
        np.negative(np.abs(x), out=x)
        return good_softplus(x)

    verdict(check.softplus_check(in_place), "changed its input in place (x)")


def test_a_softplus_that_loses_precision_for_large_negative_inputs_is_caught():
    # log1p(exp(x)) is fine for x < 0 but overflows for x > 709; log(1 + exp(x)) rounds e^-40 away.
    verdict(check.softplus_check(lambda x: np.where(x > 30, x, np.log(1 + np.exp(np.minimum(x, 30))))),
            "softplus(x) is wrong")


@pytest.mark.parametrize(
    ("learner", "fragments"),
    [
        (lambda w, b, X, y: None, ["should return a pair", "None"]),
        (lambda w, b, X, y: good_gradient(w, b, X, y)[0], ["should return a pair", "ndarray"]),
        (lambda w, b, X, y: (good_gradient(w, b, X, y)[0], np.array([0.0])), ["single number"]),
        (lambda w, b, X, y: (X.T @ (expit(X @ w + b) - y), 0.0), ["grad_w is wrong"]),
        (lambda w, b, X, y: (good_gradient(w, b, X, y)[0], -good_gradient(w, b, X, y)[1]), ["grad_b is wrong"]),
        (lambda w, b, X, y: (good_gradient(w, b, X, y)[0][:1], good_gradient(w, b, X, y)[1]), ["should have shape"]),
        (lambda w, b, X, y: X[0, 0] / 0.0 * np.zeros(3), ["NaN", "shape"]),
        (lambda w: w, ["could not be called"]),
    ],
    ids=["none", "one-array", "bias-array", "no-mean", "sign", "shape", "nan-or-shape", "signature"],
)
def test_bad_gradients(learner, fragments):
    with np.errstate(all="ignore"):
        result = check.bce_gradient_check(learner)
    assert isinstance(result, feedback.Feedback) and not result.passed
    assert any(f in result.message for f in fragments), result.message


def test_a_gradient_that_changes_y_is_caught():
    def in_place(w, b, X, y):
        y *= 1.0
        y[:] = 1 - y
        return good_gradient(w, b, X, 1 - y)

    verdict(check.bce_gradient_check(in_place), "changed its input in place (y)")


def test_the_widget_exercise_accepts_one_slider_step_around_the_exact_point():
    exact = saturation.sigmoid_saturation_point(0.01)
    slope = expit(exact) * expit(-exact)
    assert slope == pytest.approx(0.01)
    assert check.saturation_check(5.0).passed and check.saturation_check(np.float32(4.5)).passed
    verdict(check.saturation_check(3.5), "too small")
    verdict(check.saturation_check(6.0), "too large")
    verdict(check.saturation_check(-4.5), "negative", "symmetric")
    verdict(check.saturation_check("4.5"), "text")
    verdict(check.saturation_check(None), "still None")
    assert check.saturation_check(7.0, level=0.001).passed


@settings(max_examples=100, deadline=None)
@given(returned=anything)
def test_whatever_comes_back_becomes_feedback(returned):
    for result in (check.softplus_check(lambda x: returned), check.bce_gradient_check(lambda *a: returned),
                   check.saturation_check(returned)):
        assert isinstance(result, feedback.Feedback)
