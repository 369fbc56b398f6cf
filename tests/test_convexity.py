"""Convex and non-convex losses: Hessians against closed forms, lines against chords."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from activation_lab import convexity, nets


def toy(seed=0, n=40, d=3):
    generator = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d, generator=generator, dtype=torch.float64)
    y = (torch.rand(n, generator=generator, dtype=torch.float64) < 0.5).double()
    return X, y


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), scale=st.floats(0.1, 10))
def test_the_logistic_hessian_is_the_closed_form_and_never_negative(seed, scale):
    X, y = toy(seed % 7)
    params = scale * torch.randn(4, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    Xa = torch.cat([X, torch.ones(len(X), 1, dtype=X.dtype)], dim=1)
    p = torch.sigmoid(Xa @ params)
    closed_form = (Xa.T * (p * (1 - p))) @ Xa / len(X)
    hessian = torch.autograd.functional.hessian(lambda q: convexity.logistic_loss(q, X, y), params)
    assert torch.allclose(hessian, closed_form, atol=1e-10)
    assert convexity.hessian_eigenvalues(lambda q: convexity.logistic_loss(q, X, y), params).min() >= -1e-12


def test_sigmoid_with_squared_error_curves_down_where_the_closed_form_says():
    # One example x = 1, y = 1, no bias: L(w) = sigma(-w)^2, L'' = s^2 (1 - s)(4 - 6 s) with s = sigma(-w).
    X, y = torch.ones(1, 1, dtype=torch.float64), torch.ones(1, dtype=torch.float64)
    for w in [-3.0, -1.0, 0.0, 2.0]:
        params = torch.tensor([w, 0.0], dtype=torch.float64)
        hessian = torch.autograd.functional.hessian(lambda q: convexity.sigmoid_squared_loss(q, X, y), params)
        s = 1 / (1 + np.exp(w))
        assert hessian[0, 0].item() == pytest.approx(s**2 * (1 - s) * (4 - 6 * s), abs=1e-12)
    params = torch.tensor([-3.0, 0.0], dtype=torch.float64)
    assert convexity.hessian_eigenvalues(lambda q: convexity.sigmoid_squared_loss(q, X, y), params).min() < 0


def test_chord_excess_is_positive_only_above_the_chord():
    ts = np.linspace(0, 1, 21)
    assert convexity.chord_excess(ts**2, ts) <= 1e-15
    assert convexity.chord_excess(np.sin(np.pi * ts), ts) == pytest.approx(1.0)
    line = convexity.along_line(lambda p: (p**2).sum(), torch.tensor([-1.0]), torch.tensor([1.0]), ts)
    assert np.allclose(line, (2 * ts - 1) ** 2, atol=1e-6)


def test_swapping_hidden_units_keeps_the_function_and_changes_the_weights():
    model = nets.mlp(3, [5], 2, "tanh", seed=0)
    swapped = convexity.swap_hidden_units(model, 0, 3)
    x = torch.randn(10, 3)
    assert torch.allclose(model(x), swapped(x), atol=1e-6)
    assert not torch.equal(model[0].weight, swapped[0].weight)
    assert torch.equal(model[0].weight[0], swapped[0].weight[3])
    assert torch.equal(model[2].weight[:, 0], swapped[2].weight[:, 3])


def test_loss_between_runs_the_model_at_each_interpolated_point():
    a, b = nets.mlp(2, [4], 2, "relu", seed=0), nets.mlp(2, [4], 2, "relu", seed=1)
    X, y = torch.randn(30, 2), torch.randint(0, 2, (30,))
    values = convexity.loss_between(a, b, X, y, "cross_entropy", [0.0, 0.5, 1.0])
    middle = nets.mlp(2, [4], 2, "relu", seed=0)
    with torch.no_grad():
        for p_mid, p_a, p_b in zip(middle.parameters(), a.parameters(), b.parameters()):
            p_mid.copy_((p_a + p_b) / 2)
    expected = [torch.nn.functional.cross_entropy(m(X), y).item() for m in (a, middle, b)]
    assert np.allclose(values, expected, atol=1e-6)
