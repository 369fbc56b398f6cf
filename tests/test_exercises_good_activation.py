"""Chapter 3's checkers: right answers pass, every kind of wrong answer gets one clear sentence."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from activation_lab import functions, property_table, spread
from activation_lab.exercises import feedback
from activation_lab.exercises import good_activation as check
from conftest import verdict

Z = np.random.default_rng(0).standard_normal(1_000_000)



def quadrature_mean(f):
    x = np.linspace(-10, 10, 20_001)
    return float(np.trapezoid(np.asarray(f(x)) * np.exp(-x * x / 2) / math.sqrt(2 * math.pi), x))


def test_quadrature_and_monte_carlo_means_both_pass():
    assert check.output_mean_check(quadrature_mean).passed
    assert check.output_mean_check(lambda f: float(np.mean(f(Z)))).passed


@pytest.mark.parametrize(
    ("learner", "fragments"),
    [(None, ["is None"]), (lambda f: None, ["returned None"]), (lambda f: f(0.0), ["ReLU", "too small"]),
     (lambda f: "zero", ["text"]), (lambda f: [0.0, 0.0], ["should be a number", "list"]),
     (lambda f: math.nan, ["finite"]),
     (lambda f: float(np.mean(f(Z[:100]))), ["E[f(Z)]"]), (lambda: 0.0, ["could not be called"]),
     (lambda f: f(), ["missing 1 required positional argument"]), (lambda f: quadrature_mean(f) + 0.01, ["too large"])],
)
def test_wrong_means_get_specific_feedback(learner, fragments):
    verdict(check.output_mean_check(learner), *fragments)


def test_the_widget_exercise_uses_the_library_value():
    expected = spread.smallest_spread("tanh", share=0.5)
    tanh = functions.get("tanh")
    assert spread.response(tanh, expected).small_gradient_share > 0.5
    assert check.spread_check(expected).passed and check.spread_check(int(expected)).passed
    verdict(check.spread_check(2.0), "too small")
    verdict(check.spread_check(8.0), "too large")
    verdict(check.spread_check(3.0), "not one of the explorer's spreads")
    verdict(check.spread_check(None), "still None")
    verdict(check.spread_check("4"), "text")


def test_the_table_choice_comes_from_measured_properties():
    found = check.zero_centred_unbounded_nonlinear()
    assert len(found) == 1
    row = property_table.row(found[0])
    assert (row["zero-centred"], row["bounded"], row["non-linear"]) == ("yes", "no", "yes")
    assert check.property_choice_check(found[0].upper()).passed
    verdict(check.property_choice_check("tanh"), "not the best choice")
    verdict(check.property_choice_check("identity"), "not the best choice")
    verdict(check.property_choice_check("swishy"), "not one of the options")
    verdict(check.property_choice_check(None), "still None")
    verdict(check.property_choice_check(3), "int")


@settings(max_examples=100, deadline=None)
@given(returned=st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5)
       | st.lists(st.floats(), max_size=3))
def test_whatever_a_learner_gives_the_checkers_answer_with_feedback(returned):
    for result in (check.output_mean_check(lambda f: returned), check.spread_check(returned),
                   check.property_choice_check(returned)):
        assert isinstance(result, feedback.Feedback)
