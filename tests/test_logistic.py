"""Logistic regression from scratch against PyTorch, autograd and a general-purpose optimiser."""

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import minimize

from activation_lab import logistic

finite = st.floats(-1e4, 1e4)


@settings(max_examples=100, deadline=None)
@given(z=arrays(np.float64, st.integers(1, 20), elements=finite))
def test_log_sigmoid_matches_pytorch_without_warnings(z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = logistic.log_sigmoid(z)
    np.testing.assert_allclose(got, F.logsigmoid(torch.from_numpy(z)).numpy(), rtol=1e-12, atol=1e-300)


@settings(max_examples=100, deadline=None)
@given(z=arrays(np.float64, st.integers(1, 20), elements=finite), data=st.data())
def test_bce_matches_bce_with_logits_loss(z, data):
    y = data.draw(arrays(np.float64, z.shape, elements=st.sampled_from([0.0, 1.0])))
    expected = F.binary_cross_entropy_with_logits(torch.from_numpy(z), torch.from_numpy(y)).item()
    assert logistic.bce_with_logits(z, y) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def problem(seed=0, n=40, d=3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = (rng.random(n) < 1 / (1 + np.exp(-X @ np.array([1.0, -2.0, 0.5][:d])))).astype(float)
    return X, y, rng.standard_normal(d), float(rng.standard_normal())


def torch_loss(params, X, y):
    w, b = params[:-1], params[-1]
    return F.binary_cross_entropy_with_logits(torch.from_numpy(X) @ w + b, torch.from_numpy(y))


@pytest.mark.parametrize("seed", range(3))
def test_gradient_and_hessian_match_autograd(seed):
    X, y, w, b = problem(seed)
    params = torch.tensor(np.append(w, b), requires_grad=True)
    torch_loss(params, X, y).backward()
    grad_w, grad_b = logistic.gradient(w, b, X, y)
    np.testing.assert_allclose(np.append(grad_w, grad_b), params.grad.numpy(), rtol=1e-10, atol=1e-12)
    expected = torch.autograd.functional.hessian(lambda p: torch_loss(p, X, y), params.detach()).numpy()
    np.testing.assert_allclose(logistic.hessian(w, b, X, y), expected, rtol=1e-10, atol=1e-12)
    assert logistic.loss(w, b, X, y) == pytest.approx(torch_loss(params, X, y).item(), rel=1e-12)


@settings(max_examples=50, deadline=None)
@given(scale=st.floats(0.01, 100.0), seed=st.integers(0, 1000))
def test_the_hessian_is_positive_semidefinite_everywhere(scale, seed):
    X, y, _, _ = problem(seed % 5)
    rng = np.random.default_rng(seed)
    w, b = scale * rng.standard_normal(X.shape[1]), scale * float(rng.standard_normal())
    assert np.linalg.eigvalsh(logistic.hessian(w, b, X, y)).min() >= -1e-12


def test_gradient_descent_reaches_the_minimum_a_general_optimiser_finds():
    X, y, _, _ = problem(1, n=200)
    model = logistic.fit(X, y, lr=1.0, steps=3000)
    best = minimize(lambda p: logistic.loss(p[:-1], p[-1], X, y), np.zeros(4), method="BFGS", options={"gtol": 1e-10})
    assert model.losses[-1] == pytest.approx(best.fun, abs=1e-8)
    np.testing.assert_allclose(np.append(model.w, model.b), best.x, atol=1e-4)
    assert np.all(np.diff(model.losses) <= 1e-15)  # a small enough step never increases a convex loss


def test_predictions_are_probabilities_and_the_class_is_the_sign_of_the_logit():
    X, y, w, b = problem(2)
    model = logistic.LogisticModel(w, b, np.array([0.0]))
    p = model.predict_proba(X)
    assert np.all((p > 0) & (p < 1))
    np.testing.assert_array_equal(model.predict(X), (p > 0.5).astype(int))
