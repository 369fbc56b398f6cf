"""Softmax temperature: entropy and top probability against SciPy and their limits."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import entropy as scipy_entropy

from activation_lab import temperature

logits = arrays(np.float64, st.integers(2, 8), elements=st.floats(-20, 20))


@settings(max_examples=100, deadline=None)
@given(z=logits, t=st.floats(0.05, 50.0))
def test_entropy_matches_scipy_and_pytorch(z, t):
    p = torch.softmax(torch.from_numpy(z) / t, dim=0).numpy()
    assert temperature.entropy(p) == pytest.approx(scipy_entropy(p), abs=1e-12)
    assert temperature.softmax_entropy(z, t) == pytest.approx(scipy_entropy(p), abs=1e-9)
    assert temperature.top_probability(z, t) == pytest.approx(p.max(), rel=1e-12)


def test_entropy_treats_zero_probabilities_as_contributing_nothing():
    assert temperature.entropy([1.0, 0.0]) == 0.0
    assert temperature.entropy([[0.5, 0.5], [1.0, 0.0]]).tolist() == [math.log(2), 0.0]


@settings(max_examples=60, deadline=None)
@given(z=logits)
def test_entropy_rises_and_the_top_probability_falls_with_temperature(z):
    ts = np.geomspace(0.05, 50, 40)
    h = np.array([temperature.softmax_entropy(z, t) for t in ts])
    top = np.array([temperature.top_probability(z, t) for t in ts])
    assert np.all(np.diff(h) >= -1e-12) and np.all(np.diff(top) <= 1e-12)
    assert 0 <= h.min() and h.max() <= math.log(len(z)) + 1e-12


def test_limits_argmax_and_uniform():
    z = [-1.0, 2.0, -3.0, 4.0]
    assert temperature.softmax_entropy(z, 1e-3) == pytest.approx(0.0, abs=1e-12)
    assert temperature.softmax_entropy(z, 1e6) == pytest.approx(math.log(4), rel=1e-9)


def test_the_temperature_for_a_top_probability_solves_the_equation():
    z = [-1.0, 2.0, -3.0, 4.0]
    for level in (0.3, 0.5, 0.9):
        t = temperature.temperature_for_top_probability(z, level)
        # independent check: the top probability written out by hand
        top = 1 / sum(math.exp((zk - 4.0) / t) for zk in z)
        assert top == pytest.approx(level, rel=1e-9)
    with pytest.raises(ValueError):
        temperature.temperature_for_top_probability(z, 0.2)  # below 1/n = 0.25
