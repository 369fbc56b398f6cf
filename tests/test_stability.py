"""The output layer's largest stable step, checked by running gradient descent."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from activation_lab import nets, stability


def gradient_descent_converges(H, y, lr, steps=3000):
    v = np.zeros(H.shape[1])
    for _ in range(steps):
        v = v - lr * 2 * H.T @ (H @ v - y) / len(H)
    return bool(np.all(np.isfinite(v)) and np.linalg.norm(H.T @ (H @ v - y)) < 1e-6 * (1 + np.linalg.norm(y)))


@pytest.mark.parametrize("seed", range(3))
def test_gradient_descent_converges_just_below_the_limit_and_diverges_just_above(seed):
    rng = np.random.default_rng(seed)
    H = np.column_stack([rng.standard_normal((50, 3)), np.ones(50)])
    y = rng.standard_normal(50)
    limit = stability.largest_stable_lr(H)
    assert gradient_descent_converges(H, y, 0.95 * limit, steps=20_000)
    assert not gradient_descent_converges(H, y, 1.05 * limit)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 1000), width=st.integers(1, 20), bound=st.floats(0.1, 5))
def test_bounded_features_never_push_the_limit_below_the_guarantee(seed, width, bound):
    rng = np.random.default_rng(seed)
    H = np.column_stack([rng.uniform(-bound, bound, (30, width)), np.ones(30)])
    assert stability.largest_stable_lr(H) >= stability.bounded_guarantee(width, bound) * (1 - 1e-12)


def test_features_are_the_hidden_outputs_with_a_bias_column():
    model = nets.mlp(3, [4], 1, "tanh", seed=0)
    X = torch.randn(7, 3)
    H = stability.features(model, X)
    assert H.shape == (7, 5) and np.all(H[:, -1] == 1)
    assert np.allclose(H[:, :-1], torch.tanh(model[0](X)).detach().numpy(), atol=1e-6)


def test_scaling_relu_inputs_scales_the_limit_by_the_square_once_the_inputs_dominate():
    model = nets.mlp(3, [16], 1, "relu", seed=0)
    with torch.no_grad():
        model[0].bias.zero_()  # then relu(c x W) = c relu(x W) exactly, bias column aside
    X = torch.randn(200, 3, dtype=torch.float32)
    large, larger = (stability.largest_stable_lr(stability.features(model, c * X)) for c in (100.0, 1000.0))
    assert larger == pytest.approx(large / 10**2, rel=0.01)
