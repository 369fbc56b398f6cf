"""The smooth-activations chapter's checkers, and the numbers they compare against."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit, lambertw

from activation_lab.exercises import feedback
from activation_lab.exercises import smooth as check
from conftest import verdict


def test_silu_minimum_has_a_closed_form_through_lambert_w():
    # 1 + x (1 - sigma(x)) = 0 is solved by x = -1 - W(e^-1), W the principal Lambert function.
    x_min = float(np.real(-1 - lambertw(np.exp(-1))))
    found_x, found_f = check.minimum("silu")
    assert found_x == pytest.approx(x_min, abs=1e-7)
    assert found_f == pytest.approx(x_min * expit(x_min), abs=1e-10)


def test_swish_gap_is_the_silu_depth_over_beta():
    depth = -check.minimum("silu")[1]
    for beta in check.SWISH_BETAS:
        assert check.swish_gap(beta) == pytest.approx(depth / beta, rel=1e-6)
    expected = check.smallest_beta_within(0.05)
    assert depth / expected <= 0.05 < depth / check.SWISH_BETAS[check.SWISH_BETAS.index(expected) - 1]
    assert check.swish_beta_check(expected).passed
    verdict(check.swish_beta_check(5), "too small")
    verdict(check.swish_beta_check(7), "not one of the explorer's values")
    verdict(check.swish_beta_check(None), "still None")


def test_mish_minimum_checker():
    x_min, f_min = check.minimum("mish")
    assert check.mish_minimum_check(x_min, f_min).passed
    assert check.mish_minimum_check(round(x_min, 3), round(f_min, 3)).passed
    verdict(check.mish_minimum_check(-1.0, f_min), "too large")
    verdict(check.mish_minimum_check(x_min, 0.3), "too large", "Evaluate Mish")
    verdict(check.mish_minimum_check(None, None), "still None")


def swiglu(x, W, V, W2):
    gate = x @ W
    return (gate * expit(gate) * (x @ V)) @ W2


def test_swiglu_checker_recognises_the_usual_mistakes():
    assert check.swiglu_check(swiglu).passed
    verdict(check.swiglu_check(lambda x, W, V, W2: (expit(x @ W) * (x @ V)) @ W2), "GLU, not SwiGLU")
    verdict(check.swiglu_check(lambda x, W, V, W2: ((x @ W) * (x @ V) * expit(x @ V)) @ W2), "x V instead of x W")
    verdict(check.swiglu_check(lambda x, W, V, W2: (x @ W * expit(x @ W)) @ W2), "left out the value")
    verdict(check.swiglu_check(lambda x, W, V, W2: swiglu(x, W, V, W2) + 1), "swiglu is wrong")
    verdict(check.swiglu_check(lambda x, W, V, W2: swiglu(x, W, V, W2).T), "shape")

    def mutating(x, W, V, W2):
        W *= 2
        return swiglu(x, W, V, W2)

    verdict(check.swiglu_check(mutating), "changed its input in place (W)")


@settings(max_examples=60, deadline=None)
@given(returned=st.none() | st.booleans() | st.floats() | st.text(max_size=4) | st.lists(st.floats(), max_size=3))
def test_garbage_becomes_a_sentence(returned):
    for result in (check.swiglu_check(lambda *arrays: returned), check.mish_minimum_check(returned, returned),
                   check.swish_beta_check(returned)):
        assert isinstance(result, feedback.Feedback) and "Traceback" not in repr(result)
