"""The ReLU chapter's checkers: right answers pass, each kind of wrong answer gets its sentence."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from activation_lab import functions
from activation_lab.exercises import feedback
from activation_lab.exercises import relu as check
from conftest import verdict


def stable_softplus(x, beta):
    return np.maximum(x, 0) + np.log1p(np.exp(-beta * np.abs(x))) / beta


def test_a_stable_softplus_passes_and_so_does_one_returning_a_list():
    assert check.softplus_check(stable_softplus).passed
    assert check.softplus_check(lambda x, beta: stable_softplus(x, beta).tolist()).passed


def mutating(x, beta):
    x[0] = 0.0
    return stable_softplus(x, beta)


@pytest.mark.parametrize(
    ("learner", "fragments"),
    [
        (None, ["`softplus` is None"]),
        (lambda x: x, ["could not be called"]),
        (lambda x, beta: np.log(1 + np.exp(beta * x)) / beta, ["infinite value", "x = 1000", "overflows"]),
        (lambda x, beta: np.logaddexp(0, x), ["ignores β"]),
        (lambda x, beta: np.maximum(x, 0), ["softplus is wrong"]),
        (lambda x, beta: None, ["None"]),
        (lambda x, beta: "soft", ["text"]),
        (lambda x, beta: stable_softplus(x, beta)[:-1], ["shape"]),
        (lambda x, beta: np.full_like(x, np.nan), ["NaN"]),
        (mutating, ["changed its input in place"]),
        (lambda x, beta: 1 / 0, ["ZeroDivisionError"]),
    ],
    ids=["none", "signature", "overflow", "ignores-beta", "relu", "returns-none", "text", "shape", "nan", "mutates",
         "raises"],
)
def test_wrong_softplus_functions_get_specific_feedback(learner, fragments):
    verdict(check.softplus_check(learner), *fragments)


def test_the_softplus_gap_is_log2_over_beta_and_the_widget_answer_follows():
    for beta in check.SOFTPLUS_BETAS:
        assert check.softplus_gap(beta) == pytest.approx(np.log(2) / beta, rel=1e-9)
    expected = min(b for b in check.SOFTPLUS_BETAS if np.log(2) / b <= 0.01)
    assert check.smallest_beta_within(0.01) == expected
    assert check.softplus_beta_check(expected).passed
    assert check.softplus_beta_check(np.float64(expected)).passed
    smaller = check.SOFTPLUS_BETAS[check.SOFTPLUS_BETAS.index(expected) - 1]
    verdict(check.softplus_beta_check(smaller), "too small")
    verdict(check.softplus_beta_check(100), "not one of the explorer's values")
    verdict(check.softplus_beta_check(None), "still None")
    verdict(check.softplus_beta_check("128"), "text")
    verdict(check.softplus_beta_check([expected]), "should be a number")


def test_the_regions_checker():
    assert check.max_regions_check(lambda n: 1 + n + n * (n - 1) // 2).passed
    verdict(check.max_regions_check(lambda n: n + 1), "too small")
    verdict(check.max_regions_check(lambda n: 2**n), "too large")
    verdict(check.max_regions_check(lambda n: None), "returned None")
    verdict(check.max_regions_check(lambda: 1), "could not be called")


def test_the_registry_softplus_is_what_the_checker_expects():
    x = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(functions.get("softplus", beta=3.0)(x), np.logaddexp(0, 3 * x) / 3, rtol=1e-12)


anything = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5) | st.binary(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.tuples(children, children)
    | st.dictionaries(st.text(max_size=3), children, max_size=2),
    max_leaves=6,
)


@settings(max_examples=100, deadline=None)
@given(returned=anything)
def test_whatever_a_learner_returns_the_checkers_answer_with_a_sentence(returned):
    for result in (check.softplus_check(lambda x, beta: returned), check.max_regions_check(lambda n: returned),
                   check.softplus_beta_check(returned)):
        assert isinstance(result, feedback.Feedback)
        assert "Traceback" not in repr(result)
