"""The softmax chapter's checkers: right answers pass, every wrong one gets one sentence."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from test_exercises import anything, verdict

from activation_lab import temperature
from activation_lab.exercises import feedback
from activation_lab.exercises import softmax as check


def good_logsumexp(z):
    m = z.max(axis=1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)  # a fully masked row: keep -inf, avoid -inf - (-inf)
    with np.errstate(divide="ignore"):
        return (m + np.log(np.exp(z - m).sum(axis=1, keepdims=True)))[:, 0]


def stable_softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def good_vjp(z, v):
    p = stable_softmax(z)
    return p * (v - (p * v).sum(axis=1, keepdims=True))


def test_right_answers_pass():
    assert check.logsumexp_check(good_logsumexp).passed
    assert check.logsumexp_check(lambda z: torch.logsumexp(torch.from_numpy(z), dim=1)).passed
    assert check.vjp_check(good_vjp).passed
    assert check.vjp_check(lambda z, v: good_vjp(z, v).tolist()).passed


def test_log_of_zero_is_allowed_for_a_masked_row_but_nothing_else_is():
    def unguarded_log(z):
        m = z.max(axis=1, keepdims=True)
        m = np.where(np.isfinite(m), m, 0.0)
        return (m + np.log(np.exp(z - m).sum(axis=1, keepdims=True)))[:, 0]  # warns "divide by zero" on the masked row

    assert check.logsumexp_check(unguarded_log).passed


@pytest.mark.parametrize(
    ("learner", "fragments"),
    [
        (None, ["is None"]),
        (lambda z: np.log(np.exp(z).sum(axis=1)), ["warn", "overflow"]),
        (lambda z: (z.max(axis=1, keepdims=True) + np.log(np.exp(z - z.max(axis=1, keepdims=True)).sum(axis=1,
                    keepdims=True)))[:, 0], ["warn", "invalid value", "entirely -inf"]),
        (lambda z: np.where(np.isneginf(z.max(axis=1)), 0.0, good_logsumexp(z)), ["entirely -inf", "returned 0"]),
        (lambda z: z.max(axis=1), ["log-sum-exp is wrong"]),
        (lambda z: good_logsumexp(z)[:, None], ["one value per row"]),
        (lambda z: good_logsumexp(z).sum(), ["should have shape"]),
        (lambda z: None, ["is None"]),
        (lambda z: np.full(z.shape[0], np.inf), ["infinite"]),
        (lambda z: z[5], ["IndexError"]),
    ],
    ids=["none", "naive", "unguarded-max", "masked-zero", "max-only", "column", "scalar", "returns-none", "inf",
         "raises"],
)
def test_bad_logsumexps(learner, fragments):
    verdict(check.logsumexp_check(learner), *fragments)


def test_changing_z_in_place_is_caught():
    def in_place(z):
        z -= 1.0
        return good_logsumexp(z) + 1.0

    verdict(check.logsumexp_check(in_place), "changed its input in place (z)")


@pytest.mark.parametrize(
    ("learner", "fragments"),
    [
        (lambda z, v: stable_softmax(z) * v, ["v^T J is wrong"]),
        (lambda z, v: -good_vjp(z, v), ["is wrong"]),
        (lambda z, v: good_vjp(z, v) + 0 * np.exp(z), ["warn", "overflow"]),
        (lambda z, v: good_vjp(z, v)[0], ["should have shape"]),
        (lambda z, v: good_vjp(z, v).astype(complex), ["complex"]),
        (lambda z: z, ["could not be called"]),
    ],
    ids=["no-projection", "sign", "unstable", "first-row", "complex", "signature"],
)
def test_bad_vjps(learner, fragments):
    verdict(check.vjp_check(learner), *fragments)


def test_a_vjp_that_changes_v_is_caught():
    def in_place(z, v):
        p = stable_softmax(z)
        v -= (p * v).sum(axis=1, keepdims=True)
        return p * v

    verdict(check.vjp_check(in_place), "changed its input in place (v)")


def test_the_widget_exercise_brackets_the_exact_temperature():
    exact = temperature.temperature_for_top_probability(check.SEED_LOGITS, 0.5)
    top = [temperature.top_probability(check.SEED_LOGITS, t) for t in (3.0, 4.0)]
    assert top[0] > 0.5 > top[1]
    assert 3.0 < exact < 4.0
    assert check.top_half_temperature_check(4.0).passed and check.top_half_temperature_check(np.float64(4)).passed
    verdict(check.top_half_temperature_check(3.0), "too small")
    verdict(check.top_half_temperature_check(5.0), "too large")
    verdict(check.top_half_temperature_check(0), "must be positive")
    verdict(check.top_half_temperature_check("4"), "text")


@settings(max_examples=100, deadline=None)
@given(returned=anything)
def test_whatever_comes_back_becomes_feedback(returned):
    for result in (check.logsumexp_check(lambda z: returned), check.vjp_check(lambda z, v: returned),
                   check.top_half_temperature_check(returned)):
        assert isinstance(result, feedback.Feedback)
