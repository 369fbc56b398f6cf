"""The leaky-family chapter's checkers."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from activation_lab import functions, slopes
from activation_lab.exercises import feedback
from activation_lab.exercises import leaky as check
from conftest import verdict


def good_elu(x, alpha):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def test_elu_checker_accepts_a_correct_elu_even_one_that_warns():
    assert check.elu_check(good_elu).passed
    assert check.elu_check(lambda x, alpha: np.where(x > 0, x, alpha * (np.exp(x) - 1))).passed  # overflows, unused


@pytest.mark.parametrize(
    ("learner", "fragments"),
    [
        (lambda x, alpha: np.where(x > 0, x, np.exp(x) - 1), ["ignores α"]),
        (lambda x, alpha: np.where(x > 0, x, alpha * np.exp(x)), ["elu is wrong"]),
        (lambda x, alpha: np.maximum(x, 0), ["elu is wrong"]),
        (lambda x: x, ["could not be called"]),
        (None, ["is None"]),
        (lambda x, alpha: [1.0], ["shape"]),
    ],
    ids=["ignores-alpha", "no-minus-one", "relu", "signature", "none", "shape"],
)
def test_wrong_elus_get_specific_feedback(learner, fragments):
    verdict(check.elu_check(learner), *fragments)


def test_prelu_slope_gradient_checker():
    assert check.prelu_slope_gradient_check(lambda z, u: np.sum(u * np.minimum(z, 0))).passed
    verdict(check.prelu_slope_gradient_check(lambda z, u: u * np.minimum(z, 0)), "one number shared")
    verdict(check.prelu_slope_gradient_check(lambda z, u: np.sum(u * z)), "do not depend on α")
    verdict(check.prelu_slope_gradient_check(lambda z, u: np.sum(np.minimum(z, 0))), "but dL/dα is")
    verdict(check.prelu_slope_gradient_check(lambda z, u: None), "None")

    def mutating(z, u):
        z[:] = 0
        return 0.0

    verdict(check.prelu_slope_gradient_check(mutating), "changed its input in place (z)")


def test_selu_constants_checker_knows_pytorchs_values_and_a_swap():
    assert check.selu_constants_check(functions.SELU_ALPHA, functions.SELU_SCALE).passed
    verdict(check.selu_constants_check(functions.SELU_SCALE, functions.SELU_ALPHA), "wrong way round")
    verdict(check.selu_constants_check(1.67, functions.SELU_SCALE), "too small")
    verdict(check.selu_constants_check(None, None), "still None")


def test_the_widget_answer_comes_from_the_sweep():
    sweep = slopes.leak_sweep()
    expected = sweep.smallest_alpha_without_off_units()
    assert expected is not None and sweep.off_counts[sweep.alphas.index(expected)] == 0
    assert all(count > 0 for alpha, count in zip(sweep.alphas, sweep.off_counts) if alpha < expected)
    assert check.no_off_units_alpha_check(expected).passed
    verdict(check.no_off_units_alpha_check(0.5), "not one of the explorer's values")
    verdict(check.no_off_units_alpha_check(0.0), "too small")
    verdict(check.no_off_units_alpha_check("0.3"), "text")


@settings(max_examples=60, deadline=None)
@given(returned=st.none() | st.booleans() | st.floats() | st.text(max_size=4) | st.lists(st.floats(), max_size=3))
def test_garbage_becomes_a_sentence(returned):
    for result in (check.elu_check(lambda x, a: returned), check.prelu_slope_gradient_check(lambda z, u: returned),
                   check.selu_constants_check(returned, returned)):
        assert isinstance(result, feedback.Feedback) and "Traceback" not in repr(result)
