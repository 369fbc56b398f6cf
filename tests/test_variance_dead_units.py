"""Second moments and gains (variance) and dead-unit counting (dead_units), against closed
forms, adaptive quadrature, Monte Carlo and PyTorch."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from activation_lab import dead_units, functions, stacks, training, variance


def quad_moment(f, q):
    pdf = lambda z: math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    g = lambda z: float(f(np.array([math.sqrt(q) * z]))[0]) * pdf(z)
    return integrate.quad(g, -np.inf, 0)[0] + integrate.quad(g, 0, np.inf)[0]


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "gelu", "silu", "mish"])
@pytest.mark.parametrize("q", [0.01, 1.0, 9.0])
def test_moments_agree_with_adaptive_quadrature(name, q):
    activation = functions.get(name)
    assert variance.second_moment(name, q) == pytest.approx(quad_moment(lambda z: activation(z) ** 2, q), rel=1e-7)
    slope = quad_moment(lambda z: activation.derivative(np.where(z == 0, 1e-300, z)) ** 2, q)
    assert variance.slope_moment(name, q) == pytest.approx(slope, rel=1e-6)


def test_closed_forms_relu_leaky_identity_and_selu():
    assert variance.gain("relu") == pytest.approx(math.sqrt(2), rel=1e-12)
    assert variance.backward_gain("relu") == pytest.approx(math.sqrt(2), rel=1e-12)
    alpha = functions.get("leaky_relu").params["alpha"]
    assert variance.gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + alpha**2)), rel=1e-12)
    assert variance.gain("identity") == pytest.approx(1.0, rel=1e-12)
    assert variance.gain("selu") == pytest.approx(1.0, abs=1e-6)  # SELU's defining property
    # E[relu(sqrt(q) Z)^2] = q / 2 for every q (the lemma of the chapter)
    for q in (0.3, 2.0, 50.0):
        assert variance.second_moment("relu", q) == pytest.approx(q / 2, rel=1e-10)


def test_gains_match_pytorch_where_pytorch_derives_them():
    for name in ("identity", "relu", "leaky_relu"):
        assert variance.gain(name) == pytest.approx(variance.pytorch_gain(name), rel=1e-9)
    assert variance.pytorch_gain("tanh") == pytest.approx(5 / 3)
    assert variance.pytorch_gain("gelu") is None


def test_monte_carlo_agrees_with_the_moments():
    z = torch.randn(2_000_000, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    for name in ("tanh", "gelu", "sigmoid"):
        sample = functions.get(name).torch_function(z).pow(2).mean().item()
        assert variance.second_moment(name) == pytest.approx(sample, rel=3e-3)


@settings(max_examples=25, deadline=None)
@given(st.floats(0.2, 3.0), st.integers(1, 6))
def test_relu_variance_map_is_geometric(gain, layers):
    predicted = variance.propagate("relu", gain, layers)
    np.testing.assert_allclose(predicted, [(gain**2 / 2) ** k for k in range(1, layers + 1)], rtol=1e-9)


def test_the_gain_makes_q_equal_one_a_fixed_point():
    for name in ("tanh", "gelu", "silu", "elu"):
        assert variance.variance_map(name, 1.0, variance.gain(name)) == pytest.approx(1.0, rel=1e-10)


def test_propagation_predicts_a_wide_network():
    torch.manual_seed(0)
    X = torch.randn(512, 256)
    g = variance.gain("tanh")
    runs = stacks.DeepStacks(256, 256, 1, "tanh", depths=[6], seeds=[0], init="lecun", gain=g)
    with torch.no_grad():
        measured = [z.pow(2).mean().item() for z in runs.pre_activations(X)]
    predicted = [g**2] + variance.propagate("tanh", g, 5, q0=g**2)
    np.testing.assert_allclose(measured, predicted, rtol=0.05)


def test_layer_statistics_and_the_saturating_gain():
    stats = variance.layer_statistics("tanh", 4.0)
    assert stats["rms"].shape == (5, variance.EXPLORER_DEPTH) == stats["saturated"].shape
    assert np.isnan(variance.layer_statistics("relu", 1.0)["saturated"]).all()
    gain = variance.smallest_saturating_gain(0.25)
    assert gain in variance.EXPLORER_GAINS
    assert variance.layer_statistics("tanh", gain)["saturated"][:, -1].mean() > 0.25
    smaller = [g for g in variance.EXPLORER_GAINS if g < gain]
    assert all(variance.layer_statistics("tanh", g)["saturated"][:, -1].mean() <= 0.25 for g in smaller)
    with pytest.raises(ValueError):
        variance.second_moment("tanh", 0.0)


def test_inactive_units_and_fractions():
    z = torch.tensor([[[-1.0, 2.0, 0.0], [-0.5, -3.0, 0.0]]])  # 1 run, 2 inputs, 3 units
    assert dead_units.inactive_units([z, -z.abs()]).tolist() == [[[True, False, True], [True, True, True]]]
    runs = stacks.DeepStacks(2, 8, 2, "relu", depths=[2, 2], seeds=[0, 1])
    X = torch.randn(30, 2)
    with torch.no_grad():
        runs.hidden_bias[0].fill_(-100.0)  # every unit of run 0's second layer is dead
        outputs = [m for m in runs.to_sequential(0) if isinstance(m, torch.nn.ReLU)]
    fractions = dead_units.inactive_fraction(runs, X)
    assert fractions[0] >= 0.5 and len(outputs) == 2
    with torch.no_grad():
        runs.input_weight[1].fill_(float("nan"))
    assert np.isnan(dead_units.inactive_fraction(runs, X)[1])


def test_a_dead_first_layer_unit_never_changes_under_sgd():
    X = torch.randn(40, 2)
    y = torch.randint(0, 2, (40,))
    runs = stacks.DeepStacks(2, 6, 2, "relu", depths=[2], seeds=[0], init="kaiming")
    with torch.no_grad():
        runs.input_weight[0, :, 0] = 0.1
        runs.input_bias[0, 0] = -10.0  # unit 0 of layer 1 is off for every input
    before = runs.input_weight[0, :, 0].clone(), runs.input_bias[0, 0].clone()
    training.train(runs, X, y, loss="cross_entropy", steps=30, lr=0.5, optimizer="sgd")
    assert torch.equal(runs.input_weight[0, :, 0], before[0]) and torch.equal(runs.input_bias[0, 0], before[1])


def test_per_run_activation_matches_separate_stacks():
    X, y = torch.randn(20, 2), torch.randint(0, 3, (20,))
    mixed = stacks.DeepStacks(2, 5, 3, dead_units.PerRunActivation(["relu", "gelu"], 2), depths=[2] * 4,
                              seeds=[0, 1, 0, 1])
    for k, name in enumerate(["relu", "gelu"]):
        alone = stacks.DeepStacks(2, 5, 3, name, depths=[2, 2], seeds=[0, 1])
        torch.testing.assert_close(mixed(X)[2 * k: 2 * k + 2], alone(X))
    with pytest.raises(ValueError, match="expected 4 runs"):
        mixed.activation(torch.zeros(3, 1, 5))
    training.per_run_loss(mixed(X), y, "cross_entropy").sum().backward()


def test_the_learning_rate_sweep_and_its_killing_rate():
    sweep = dead_units.learning_rate_sweep("default")
    A, R, S = len(dead_units.SWEEP_ACTIVATIONS), len(dead_units.SWEEP_LEARNING_RATES), len(dead_units.SWEEP_SEEDS)
    assert sweep["inactive"].shape == (A, R, S, len(sweep["steps"])) and sweep["steps"][-1] == dead_units.SWEEP_STEPS
    assert sweep["accuracy"].shape == (A, R, S) and sweep["revived"].shape == (A, dead_units.SWEEP_DEPTH)
    assert sweep["revived"][0, 0] == 0.0  # dead first-layer ReLU units never come back (plain SGD)
    rate = dead_units.smallest_killing_rate("relu", 0.5)
    final = np.nanmean(sweep["inactive"][0, :, :, -1], axis=1)
    k = dead_units.SWEEP_LEARNING_RATES.index(rate)
    assert final[k] > 0.5 and np.all(final[:k] <= 0.5)
