"""Softmax and log-softmax against PyTorch and autograd, and their defining properties."""

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from activation_lab import functions, softmax

logits = arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(2, 6)), elements=st.floats(-1e4, 1e4))
temperatures = st.floats(0.05, 20.0)


@settings(max_examples=100, deadline=None)
@given(z=logits, temperature=temperatures)
def test_softmax_matches_pytorch_and_rows_sum_to_one(z, temperature):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = softmax.softmax(z, temperature=temperature)
    expected = torch.softmax(torch.from_numpy(z) / temperature, dim=-1).numpy()
    np.testing.assert_allclose(p, expected, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-12)
    assert np.all(p >= 0)


@settings(max_examples=100, deadline=None)
@given(z=logits, shift=st.floats(-1e3, 1e3))
def test_softmax_is_shift_invariant(z, shift):
    np.testing.assert_allclose(softmax.softmax(z + shift), softmax.softmax(z), rtol=1e-9, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(z=logits, temperature=temperatures)
def test_log_softmax_matches_pytorch_even_where_softmax_underflows(z, temperature):
    expected = torch.log_softmax(torch.from_numpy(z) / temperature, dim=-1).numpy()
    got = softmax.log_softmax(z, temperature=temperature)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-9)
    assert np.all(np.isfinite(got))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_huge_logits_do_not_overflow_in_either_dtype(dtype):
    z = np.array([[1000.0, 999.0, -1e4], [1e4, 1e4, 1e4]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = softmax.softmax(z)
    assert p.dtype == dtype
    np.testing.assert_allclose(p[0, :2], [1 / (1 + np.exp(-1)), np.exp(-1) / (1 + np.exp(-1))], rtol=1e-6)
    np.testing.assert_allclose(p[1], [1 / 3] * 3, rtol=1e-6)


@pytest.mark.parametrize("temperature", [0.5, 1.0, 3.0])
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_jacobian_and_jvp_match_autograd(name, temperature):
    activation = functions.get(name, temperature=temperature)
    rng = np.random.default_rng(0)
    z, v = rng.standard_normal(5), rng.standard_normal(5)
    autograd = torch.autograd.functional.jacobian(activation.torch_function, torch.from_numpy(z)).numpy()
    np.testing.assert_allclose(activation.jacobian(z), autograd, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(activation.jvp(z, v), autograd @ v, rtol=1e-12, atol=1e-14)


def test_softmax_jacobian_is_diag_p_minus_ppt_symmetric_with_zero_row_sums():
    z = np.array([[0.3, -1.2, 2.0, 0.0]])
    p = softmax.softmax(z)[0]
    jacobian = softmax.softmax_jacobian(z)[0]
    np.testing.assert_allclose(jacobian, np.diag(p) - np.outer(p, p), atol=1e-15)
    np.testing.assert_allclose(jacobian, jacobian.T, atol=1e-15)
    np.testing.assert_allclose(jacobian.sum(axis=1), 0, atol=1e-15)


def test_axis_is_respected_like_nn_softmax_dim():
    z = np.array([[-1.0, 2.0, -3.0, 4.0], [5.0, -6.0, 7.0, 10.0]])
    for axis in (0, 1):
        activation = functions.get("softmax", axis=axis)
        expected = torch.nn.Softmax(dim=axis)(torch.from_numpy(z)).numpy()
        np.testing.assert_allclose(activation(z), expected, rtol=1e-12)
        np.testing.assert_allclose(activation(z).sum(axis=axis), 1.0)
        v = np.ones_like(z)
        np.testing.assert_allclose(activation.jvp(z, v), 0.0, atol=1e-15)  # the sum never changes


def test_two_class_softmax_is_the_sigmoid_of_the_difference():
    rng = np.random.default_rng(1)
    z = rng.standard_normal((100, 2)) * 5
    np.testing.assert_allclose(softmax.softmax(z)[:, 0], functions.get("sigmoid")(z[:, 0] - z[:, 1]), rtol=1e-12)


def test_nan_logit_poisons_only_its_own_slice():
    p = softmax.softmax(np.array([[0.0, np.nan], [1.0, 2.0]]))
    assert np.isnan(p[0]).all() and np.isfinite(p[1]).all()


def test_modules_match_and_bad_temperature_is_refused():
    z = torch.randn(3, 4, dtype=torch.float64)
    assert torch.allclose(functions.get("softmax", axis=1, temperature=2.0).torch_module()(z), torch.softmax(z / 2, 1))
    assert isinstance(functions.get("log_softmax", axis=1).torch_module(), torch.nn.LogSoftmax)
    with pytest.raises(ValueError, match="temperature must be positive"):
        softmax.softmax([1.0, 2.0], temperature=0)
