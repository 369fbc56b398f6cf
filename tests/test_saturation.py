"""Saturation points and saturated shares against autograd, root finding and sampling."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq
from scipy.special import expit

from activation_lab import saturation


def autograd_derivative(fn, x: float) -> float:
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    fn(t).backward()
    return float(t.grad)


@settings(max_examples=60, deadline=None)
@given(level=st.floats(1e-9, 0.249))
def test_the_sigmoid_derivative_equals_the_level_at_the_saturation_point(level):
    x = saturation.sigmoid_saturation_point(level)
    assert x > 0
    assert autograd_derivative(torch.sigmoid, x) == pytest.approx(level, rel=1e-7)
    # ... and is below it everywhere beyond, on both sides.
    beyond = np.linspace(x, x + 30, 200)[1:]
    slope = expit(beyond) * expit(-beyond)
    assert np.all(slope < level)
    assert autograd_derivative(torch.sigmoid, -x) == pytest.approx(level, rel=1e-7)


@settings(max_examples=60, deadline=None)
@given(level=st.floats(1e-9, 0.999))
def test_the_tanh_derivative_equals_the_level_at_the_saturation_point(level):
    x = saturation.tanh_saturation_point(level)
    assert autograd_derivative(torch.tanh, x) == pytest.approx(level, rel=1e-6)


@pytest.mark.parametrize("level", [0.01, 0.001])
def test_saturation_points_agree_with_a_root_finder(level):
    root = brentq(lambda x: expit(x) * expit(-x) - level, 0, 50, xtol=1e-14)
    assert saturation.sigmoid_saturation_point(level) == pytest.approx(root, rel=1e-10)
    root = brentq(lambda x: 1 - math.tanh(x) ** 2 - level, 0, 50, xtol=1e-14)
    assert saturation.tanh_saturation_point(level) == pytest.approx(root, rel=1e-10)


@pytest.mark.parametrize("spread", [0.5, 1.0, 3.0])
def test_saturated_share_matches_sampling(spread):
    z = np.random.default_rng(0).normal(0, spread, 400_000)
    sampled = np.mean(np.abs(np.tanh(z)) > 0.97)
    assert saturation.saturated_share(spread) == pytest.approx(sampled, abs=3e-3)


@settings(max_examples=60, deadline=None)
@given(share=st.floats(0.001, 0.999), threshold=st.floats(0.5, 0.999))
def test_the_spread_for_a_share_inverts_the_share(share, threshold):
    spread = saturation.spread_for_saturated_share(share, threshold)
    assert saturation.saturated_share(spread, threshold) == pytest.approx(share, rel=1e-9)


def test_the_share_grows_with_the_spread():
    shares = [saturation.saturated_share(s) for s in np.geomspace(0.1, 100, 50)]
    assert np.all(np.diff(shares) > 0) and 0 < shares[0] < shares[-1] < 1


@pytest.mark.parametrize(("function", "argument"), [
    (saturation.sigmoid_saturation_point, 0.25), (saturation.sigmoid_saturation_point, 0.0),
    (saturation.tanh_saturation_point, 1.0), (saturation.saturated_share, -1.0),
    (saturation.spread_for_saturated_share, 1.0),
])
def test_impossible_arguments_are_refused(function, argument):
    with pytest.raises(ValueError):
        function(argument)
