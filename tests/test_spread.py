"""Gaussian inputs through an activation: means, spreads and flat shares against closed forms."""

import math

import numpy as np
import pytest
from scipy.stats import norm

from activation_lab import functions, spread


@pytest.mark.parametrize("s", [0.5, 1.0, 3.0])
def test_means_and_spreads_have_their_closed_forms(s):
    relu, identity = functions.get("relu"), functions.get("identity")
    assert spread.response(relu, s).mean == pytest.approx(s / math.sqrt(2 * math.pi), rel=1e-7)
    # E[relu(X)^2] = s^2 / 2, so the variance is s^2 / 2 - s^2 / (2 pi).
    assert spread.response(relu, s).std == pytest.approx(s * math.sqrt(0.5 - 1 / (2 * math.pi)), rel=1e-7)
    assert spread.response(identity, s).std == pytest.approx(s, rel=1e-9)
    assert spread.response(functions.get("tanh"), s).mean == pytest.approx(0.0, abs=1e-12)
    assert spread.response(functions.get("sigmoid"), s).mean == pytest.approx(0.5, abs=1e-12)


@pytest.mark.parametrize("s", spread.SPREADS)
def test_the_flat_share_of_tanh_and_sigmoid_is_a_normal_tail(s):
    # tanh'(x) = 1 - tanh(x)^2 < t  <=>  |x| > atanh(sqrt(1 - t)); similarly sigma' = sigma (1 - sigma).
    t = spread.SMALL_GRADIENT
    edge_tanh = math.atanh(math.sqrt(1 - t))
    edge_sigmoid = math.log((1 + math.sqrt(1 - 4 * t)) / (1 - math.sqrt(1 - 4 * t)))
    for name, edge in [("tanh", edge_tanh), ("sigmoid", edge_sigmoid)]:
        expected = 2 * norm.sf(edge / s)
        # The midpoint rule on a step of 1e-3 places each edge of the flat region to within a cell.
        assert spread.response(functions.get(name), s).small_gradient_share == pytest.approx(expected, abs=1e-3)


def test_relu_is_flat_for_exactly_half_its_inputs_at_every_spread():
    relu = functions.get("relu")
    shares = [spread.response(relu, s).small_gradient_share for s in spread.SPREADS]
    assert np.allclose(shares, 0.5, atol=1e-12)
    assert spread.smallest_spread("relu") is None


def test_smallest_spread_is_the_first_listed_spread_past_one_half():
    found = spread.smallest_spread("tanh")
    tanh = functions.get("tanh")
    assert spread.response(tanh, found).small_gradient_share > 0.5
    assert all(spread.response(tanh, s).small_gradient_share <= 0.5 for s in spread.SPREADS if s < found)


def test_a_spread_must_be_positive():
    with pytest.raises(ValueError):
        spread.response(functions.get("tanh"), 0.0)
