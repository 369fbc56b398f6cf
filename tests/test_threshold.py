"""Threshold units, the perceptron and the steep sigmoid, against PyTorch, autograd and closed forms."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from activation_lab import data, threshold

floats = st.floats(-5, 5, allow_nan=False)


def separable_clouds(seed, n=30, gap=1.0):
    """Two clouds on either side of a random line, at least ``gap`` / 2 away from it."""
    rng = np.random.default_rng(seed)
    normal = rng.standard_normal(2)
    normal /= np.linalg.norm(normal)
    X = rng.uniform(-3, 3, size=(4 * n, 2))
    side = X @ normal + 0.3
    keep = np.abs(side) > gap / 2
    return X[keep][:n * 2], (side[keep][:n * 2] > 0).astype(int)


def test_predict_matches_torch_heaviside_on_a_linear_layer():
    rng = np.random.default_rng(0)
    X, w, b = rng.standard_normal((500, 4)), rng.standard_normal(4), -0.2
    z = torch.from_numpy(X) @ torch.from_numpy(w) + b
    assert np.array_equal(threshold.predict(w, b, X), torch.heaviside(z, torch.tensor(1.0, dtype=z.dtype)).numpy())
    assert threshold.predict([1.0, 1.0], -1.0, [[0.5, 0.5]]).tolist() == [1]  # H(0) = 1


@settings(max_examples=100, deadline=None)
@given(w=st.lists(floats, min_size=3, max_size=3), b=floats, x=st.lists(floats, min_size=3, max_size=3),
       y=st.integers(0, 1))
def test_the_update_is_a_gradient_step_on_the_perceptron_loss(w, b, x, y):
    w, x = np.array(w), np.array(x)
    z = x @ w + b
    if abs(z) < 1e-9:  # the kink: the rule and the subgradient may pick different sides
        return
    w_t, b_t = torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True, dtype=torch.float64)
    torch.relu(-(2 * y - 1) * (torch.tensor(x) @ w_t + b_t)).backward()
    new_w, new_b = threshold.perceptron_update(w, b, x, y)
    assert np.allclose(new_w, w - w_t.grad.numpy()) and math.isclose(new_b, b - b_t.grad.item(), abs_tol=1e-12)


def test_the_update_leaves_its_inputs_alone_and_uses_the_learning_rate():
    w, x = np.zeros(2), np.array([1.0, 2.0])
    new_w, new_b = threshold.perceptron_update(w, 0.0, x, 0, lr=0.5)
    assert w.tolist() == [0.0, 0.0] and new_w.tolist() == [-0.5, -1.0] and new_b == -0.5


@pytest.mark.parametrize("seed", range(6))
def test_on_separable_data_the_perceptron_converges_within_novikoffs_bound(seed):
    X, y = separable_clouds(seed)
    run = threshold.train_perceptron(X, y, epochs=500, seed=seed)
    assert run.converged and run.accuracy[-1] == 1.0
    assert np.array_equal(threshold.predict(run.w, run.b, X), y)
    u_w, u_b = threshold.max_margin(X, y)
    assert run.total_mistakes <= threshold.mistake_bound(X, y, u_w, u_b)
    # Any separating direction gives a valid, and at best equal, bound.
    assert threshold.mistake_bound(X, y, u_w, u_b) <= threshold.mistake_bound(X, y, run.w, run.b) + 1e-6


def test_on_xor_the_perceptron_never_stops_and_the_pocket_keeps_the_best_epoch():
    xor = data.xor(n_per_corner=10, seed=0)
    run = threshold.train_perceptron(xor.X.numpy(), xor.y.numpy(), epochs=30, seed=0)
    assert not run.converged and len(run.mistakes) == 30 and (run.mistakes > 0).all()
    pocket = np.mean(threshold.predict(run.pocket_w, run.pocket_b, xor.X.numpy()) == xor.y.numpy())
    assert pocket == run.accuracy.max()
    with pytest.raises(ValueError):
        threshold.max_margin(xor.X.numpy(), xor.y.numpy(), iterations=2000)
    with pytest.raises(ValueError):
        threshold.mistake_bound(xor.X.numpy(), xor.y.numpy(), run.w, run.b)


@pytest.mark.parametrize("seed", range(3))
def test_max_margin_agrees_with_a_general_purpose_solver(seed):
    X, y = separable_clouds(seed, n=20)
    t, Xa = 2 * y - 1, np.column_stack([X, np.ones(len(X))])
    w, b = threshold.max_margin(X, y, tolerance=1e-10)
    constraint = {"type": "ineq", "fun": lambda u: t * (Xa @ u) - 1}
    reference = minimize(lambda u: u @ u, np.append(w, b) * 1.5, method="SLSQP", constraints=[constraint]).x
    ours = threshold.augmented_margin(X, y, w, b)
    theirs = threshold.augmented_margin(X, y, reference[:-1], reference[-1])
    assert ours == pytest.approx(theirs, rel=1e-4)


@pytest.mark.parametrize(("eps", "delta"), [(0.01, 0.1), (0.1, 1.0), (0.001, 0.3), (0.4, 2.0)])
def test_the_slope_formula_is_exactly_where_the_numerical_gap_reaches_eps(eps, delta):
    k = threshold.slope_for_gap(eps, delta)
    assert threshold.gap_outside(k, delta) == pytest.approx(eps, rel=1e-9)
    assert threshold.gap_outside(0.99 * k, delta) > eps
    assert threshold.gap_outside(k, delta) == pytest.approx(1 / (1 + math.exp(k * delta)))


def test_slope_for_gap_rejects_impossible_requests():
    for eps, delta in [(0.0, 1.0), (0.5, 1.0), (0.1, 0.0)]:
        with pytest.raises(ValueError):
            threshold.slope_for_gap(eps, delta)


def test_the_listed_slope_is_the_first_slider_value_past_the_formula():
    k_exact = threshold.slope_for_gap(0.01, 0.1)
    listed = threshold.smallest_listed_slope(0.01, 0.1)
    earlier = [k for k in threshold.SLOPES if k < listed]
    assert listed >= k_exact and all(k < k_exact for k in earlier)
    assert threshold.smallest_listed_slope(1e-9, 0.01) is None


@pytest.mark.parametrize("k", [0.5, 1.0, 16.0, 256.0])
def test_steep_sigmoid_and_its_derivative_against_autograd(k):
    z = torch.linspace(-3, 3, 61, dtype=torch.float64, requires_grad=True)
    (grad,) = torch.autograd.grad(torch.sigmoid(k * z).sum(), z)
    assert np.allclose(threshold.steep_sigmoid(z.detach().numpy(), k), torch.sigmoid(k * z).detach().numpy())
    assert np.allclose(threshold.steep_sigmoid_derivative(z.detach().numpy(), k), grad.numpy())
    module = threshold.SteepSigmoid(k)
    assert torch.allclose(module(z.detach().float()), torch.sigmoid(k * z.detach().float()))


def test_gradient_share_matches_the_closed_form_band():
    # k sigma'(kz) >= f k / 4  <=>  sigma(kz)(1 - sigma(kz)) >= f / 4  <=>  |kz| <= 2 acosh(1 / sqrt(f))
    z = np.linspace(-1, 1, 200_001)
    for k, f in [(1.0, 0.01), (16.0, 0.01), (256.0, 0.1)]:
        half_width = 2 * math.acosh(1 / math.sqrt(f)) / k
        assert threshold.gradient_share(z, k, f) == pytest.approx(min(half_width, 1.0), abs=1e-4)


def test_torch_step_has_the_steps_values_and_a_zero_derivative():
    z = torch.tensor([-2.0, -1e-8, 0.0, 1e-8, 3.0], requires_grad=True)
    out = threshold.torch_step(z)
    assert out.tolist() == threshold.heaviside(z.detach().numpy()).tolist() == [0.0, 0.0, 1.0, 1.0, 1.0]
    out.sum().backward()
    assert z.grad.tolist() == [0.0] * 5
    assert torch.equal(threshold.Step()(z.detach()), out.detach())
