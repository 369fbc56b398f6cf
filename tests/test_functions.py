"""The registry's NumPy functions against PyTorch, autograd, closed forms and their declared
properties, in float32 and float64, including extreme and NaN inputs."""

import math
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import minimize_scalar
from scipy.special import expit, lambertw

from activation_lab import functions, properties

# Every element-wise entry, with non-default parameters as well, so parameters are really used.
CASES = [(name, {}) for name in functions.ELEMENTWISE] + [
    ("leaky_relu", {"alpha": 0.2}),
    ("prelu", {"alpha": 0.1}),
    ("elu", {"alpha": 0.5}),
    ("elu", {"alpha": 2.0}),
    ("softplus", {"beta": 3.0}),
    ("swish", {"beta": 2.0}),
    ("swish", {"beta": 0.5}),
]
IDS = [name + "".join(f"-{k}={v}" for k, v in params.items()) for name, params in CASES]
DIFFERENTIABLE = [(n, p) for n, p in CASES if n != "step"]  # autograd has no derivative for step
TOLERANCE = {np.float64: dict(rtol=1e-12, atol=1e-12), np.float32: dict(rtol=2e-6, atol=2e-6)}

# Dense near 0, where the shapes differ, plus every kink, plus far out.
GRID = np.unique(np.concatenate([np.linspace(-8, 8, 3201), [-6, -3, -1, 0, 1, 3, 6], np.geomspace(8, 1e4, 50),
                                 -np.geomspace(8, 1e4, 50)]))


def torch_values(activation, x: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return activation.torch_function(torch.from_numpy(x)).numpy()


def autograd_derivative(activation, x: np.ndarray) -> np.ndarray:
    t = torch.from_numpy(x.copy()).requires_grad_()
    (grad,) = torch.autograd.grad(activation.torch_function(t).sum(), t)
    return grad.numpy()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_forward_matches_pytorch_functional(name, params, dtype):
    act = functions.get(name, **params)
    x = GRID.astype(dtype)
    ours = act(x)
    assert ours.dtype == dtype
    tolerance = dict(TOLERANCE[dtype])
    if name == "softplus":
        # PyTorch's softplus returns x itself once beta*x > 20 (documented), which is off by
        # log(1 + e^-20)/beta < 2.1e-9/beta; ours keeps the exact formula there.
        tolerance["atol"] = max(tolerance["atol"], math.exp(-20) / params.get("beta", 1.0))
        np.testing.assert_allclose(ours, np.logaddexp(0, params.get("beta", 1.0) * x) / params.get("beta", 1.0),
                                   **TOLERANCE[dtype])
    np.testing.assert_allclose(ours, torch_values(act, x), **tolerance)


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_module_form_matches_functional_form(name, params):
    act = functions.get(name, **params)
    x = torch.from_numpy(GRID)
    module = act.torch_module().double()
    with torch.no_grad():
        if name == "prelu":  # nn.PReLU stores its initial slope in float32; restore it exactly
            module.weight.fill_(params.get("alpha", 0.25))
        np.testing.assert_allclose(module(x).numpy(), torch_values(act, GRID), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("name", "params"), DIFFERENTIABLE, ids=[i for i, c in zip(IDS, CASES) if c[0] != "step"])
def test_derivative_matches_autograd_including_kinks(name, params, dtype):
    """Also at x = 0, +-1, +-3 and 6 exactly, where PyTorch picks a one-sided value."""
    act = functions.get(name, **params)
    x = GRID.astype(dtype)
    tolerance = dict(TOLERANCE[dtype])
    if name == "softplus":  # PyTorch's linear regime above beta*x = 20 has slope exactly 1
        tolerance["atol"] = max(tolerance["atol"], math.exp(-20))
    if name == "hard_sigmoid":  # PyTorch's backward uses 1/6 rounded to float32, even for float64
        tolerance["atol"] = max(tolerance["atol"], 1e-8)
        assert set(np.unique(act.derivative(x))) == {0.0, dtype(1 / 6)}
    np.testing.assert_allclose(act.derivative(x), autograd_derivative(act, x), **tolerance)


def test_step_derivative_is_zero_away_from_zero_by_finite_differences():
    step = functions.get("step")
    x = GRID[np.abs(GRID) > 1e-3]
    finite_difference = (step(x + 1e-6) - step(x - 1e-6)) / 2e-6
    assert np.all(step.derivative(x) == 0) and np.all(finite_difference == 0)


@pytest.mark.parametrize(("name", "params"), DIFFERENTIABLE, ids=[i for i, c in zip(IDS, CASES) if c[0] != "step"])
@settings(max_examples=60, deadline=None)
@given(x=st.floats(-30, 30, allow_nan=False))
def test_derivative_matches_central_difference(name, params, x):
    act = functions.get(name, **params)
    h = 1e-6
    kinks = [0.0, -1.0, 1.0, -3.0, 3.0, 6.0]
    if any(abs(x - k) < 10 * h for k in kinks):
        return
    numeric = (act(np.array([x + h])) - act(np.array([x - h])))[0] / (2 * h)
    assert act.derivative(np.array([x]))[0] == pytest.approx(numeric, rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_extreme_inputs_give_finite_outputs_without_warnings(name, params, dtype):
    act = functions.get(name, **params)
    x = np.array([-1e4, -1e3, -710, -89, 89, 710, 1e3, 1e4], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any overflow or invalid-value warning fails
        y, dy = act(x), act.derivative(x)
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(dy))


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
@settings(max_examples=40, deadline=None)
@given(x=arrays(np.float64, st.integers(1, 20), elements=st.floats(-1e4, 1e4) | st.just(math.nan)))
def test_nan_in_nan_out_and_finite_in_finite_out(name, params, x):
    act = functions.get(name, **params)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y, dy = act(x), act.derivative(x)
    nan = np.isnan(x)
    assert np.array_equal(np.isnan(y), nan) and np.array_equal(np.isnan(dy), nan)
    assert np.all(np.isfinite(y[~nan]))


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_input_is_not_modified_and_integers_and_lists_are_accepted(name, params):
    act = functions.get(name, **params)
    x = np.array([-2.0, 0.0, 3.0])
    before = x.copy()
    act(x), act.derivative(x)
    assert np.array_equal(x, before)
    np.testing.assert_array_equal(act([-2, 0, 3]), act(before))
    assert act(np.float64(1.0)).shape == ()


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_declared_properties_agree_with_measurement(name, params):
    act = functions.get(name, **params)
    assert properties.agree(properties.measure(act), act.properties)


# Independent checks of the property claims that matter most in the book.


def test_sigmoid_is_the_logistic_function_and_its_derivative_peaks_at_a_quarter():
    sigmoid = functions.get("sigmoid")
    np.testing.assert_allclose(sigmoid(GRID), expit(GRID), rtol=1e-14, atol=1e-300)
    assert sigmoid.derivative(np.array([0.0]))[0] == 0.25
    assert np.max(sigmoid.derivative(GRID)) == 0.25


def test_tanh_is_a_rescaled_sigmoid():
    tanh, sigmoid = functions.get("tanh"), functions.get("sigmoid")
    np.testing.assert_allclose(tanh(GRID), 2 * sigmoid(2 * GRID) - 1, atol=1e-15)


def test_silu_minimum_matches_the_lambert_w_closed_form():
    # d/dx x*sigmoid(x) = 0  <=>  x = -(1 + W(1/e)); the minimum value is x* sigmoid(x*).
    x_star = -(1 + lambertw(np.exp(-1)).real)
    closed_form = x_star * expit(x_star)
    assert functions.get("silu").properties.output_range[0] == pytest.approx(closed_form, abs=1e-12)
    assert functions.get("swish", beta=2.0).properties.output_range[0] == pytest.approx(closed_form / 2, abs=1e-12)


@pytest.mark.parametrize("name", ["gelu", "gelu_tanh", "mish"])
def test_declared_minimum_matches_an_optimiser_run_on_pytorch(name):
    act = functions.get(name)

    def torch_scalar(x: float) -> float:
        return float(act.torch_function(torch.tensor([x], dtype=torch.float64))[0])

    found = minimize_scalar(torch_scalar, bounds=(-3, 0), method="bounded", options={"xatol": 1e-10})
    assert act.properties.output_range[0] == pytest.approx(found.fun, abs=1e-5)


def test_selu_constants_make_the_standard_normal_fixed_point():
    """Klambauer et al. (2017): mean 0 and variance 1 in, mean 0 and variance 1 out."""
    selu = functions.get("selu")
    x = np.linspace(-12, 12, 400_001)
    density = np.exp(-x**2 / 2) / math.sqrt(2 * math.pi)
    mean = np.trapezoid(selu(x) * density, x)
    second_moment = np.trapezoid(selu(x) ** 2 * density, x)
    assert abs(mean) < 1e-9 and second_moment == pytest.approx(1.0, abs=1e-9)


def test_elu_really_uses_alpha():
    """A well-known tutorial's ELU ignores its alpha; ours must not."""
    x = np.array([-2.0, -0.5])
    for alpha in (0.5, 1.0, 2.0):
        np.testing.assert_allclose(functions.get("elu", alpha=alpha)(x), alpha * np.expm1(x))
    assert functions.get("elu", alpha=2.0).properties.output_range[0] == -2.0


def test_softplus_derivative_is_the_sigmoid():
    np.testing.assert_allclose(functions.get("softplus").derivative(GRID), expit(GRID), rtol=1e-14, atol=1e-300)


def test_relu_convention_at_zero_is_pytorchs():
    relu = functions.get("relu")
    assert relu.derivative(np.array([0.0]))[0] == 0.0 == autograd_derivative(relu, np.array([0.0]))[0]


def test_unknown_names_and_bad_parameters_are_explained():
    with pytest.raises(KeyError, match="choose one of"):
        functions.get("relu7")
    with pytest.raises(TypeError, match="swish"):
        functions.get("silu", beta=2.0)
