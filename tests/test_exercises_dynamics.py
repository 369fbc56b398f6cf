"""The checkers of the training-dynamics chapters: right answers pass, every kind of wrong or
broken answer becomes one sentence of feedback, never a traceback."""

import numpy as np
import pytest
import torch

from activation_lab import dead_units, gradients, variance
from activation_lab.exercises import dead_neurons, initialisation
from activation_lab.exercises import gradients as grad_check
from conftest import verdict

GARBAGE = [None, "ten", True, [1, 2], {"a": 1}, float("nan"), float("inf"), object()]


# ---- vanishing and exploding gradients ----------------------------------------------------

def good_step(delta_next, W_next, z, derivative):
    return (delta_next @ W_next.T) * derivative(z)


def test_backward_step_accepts_numpy_and_torch_answers():
    assert grad_check.backward_step_check(good_step).passed
    as_torch = lambda d, W, z, f: torch.from_numpy(good_step(d, W, z, f))
    assert grad_check.backward_step_check(as_torch).passed


def mutating_step(delta_next, W_next, z, derivative):
    z *= 2
    return good_step(delta_next, W_next, z / 2, derivative)


@pytest.mark.parametrize(("learner", "fragments"), [
    (None, ["is None"]),
    ("not a function", ["should be a function"]),
    (lambda d, W: d, ["could not be called"]),
    (lambda d, W, z, f: 1 / 0, ["ZeroDivisionError"]),
    (lambda d, W, z, f: None, ["None"]),
    (lambda d, W, z, f: d, ["shape of delta_next"]),
    (lambda d, W, z, f: d @ W.T, ["without the factor"]),
    (lambda d, W, z, f: (d @ W.T) * f(z) + 1e-3, ["delta is wrong"]),
    (lambda d, W, z, f: np.full(z.shape, np.nan), ["NaN"]),
    (lambda d, W, z, f: "delta", ["text"]),
    (mutating_step, ["changed its input in place", "z"]),
    (lambda d, W, z, f: (d @ W.T) * f(z) > 0, ["True/False"]),
])
def test_backward_step_feedback(learner, fragments):
    verdict(grad_check.backward_step_check(learner), *fragments)


def test_vanishing_depth_widget_checker():
    depths = gradients.EXPLORER_DEPTHS
    answer = gradients.first_depth_below("sigmoid", "kaiming", 1e-6, depths=depths)
    assert grad_check.vanishing_depth_check(answer).passed
    assert grad_check.vanishing_depth_check(float(answer)).passed
    verdict(grad_check.vanishing_depth_check(depths[depths.index(answer) + 1]), "too large")
    verdict(grad_check.vanishing_depth_check(depths[depths.index(answer) - 1]), "too small")
    verdict(grad_check.vanishing_depth_check(7), "not one of the depths")
    for bad in GARBAGE:
        verdict(grad_check.vanishing_depth_check(bad))
    verdict(grad_check.vanishing_depth_check(12, activation="relu"), "never falls below")


# ---- initialisation and normalisation -----------------------------------------------------

def good_gain(phi):
    z = np.random.default_rng(0).standard_normal(300_000)
    return 1 / np.sqrt(np.mean(phi(z) ** 2))


@pytest.mark.parametrize(("learner", "fragments"), [
    (None, ["is None"]),
    (lambda phi: None, ["returned None"]),
    (lambda phi: "1.4", ["should return one number"]),
    (lambda phi: [1.0, 2.0], ["should return one number"]),
    (lambda phi: float("nan"), ["nan"]),
    (lambda phi: good_gain(phi) ** 2, ["square"]),
    (lambda phi: 1 / good_gain(phi), ["reciprocal"]),
    (lambda phi: 1.0, ["should be"]),
    (lambda phi: phi.nonexistent, ["AttributeError"]),
])
def test_gain_feedback(learner, fragments):
    verdict(initialisation.gain_check(learner), *fragments)


def test_gain_checker_accepts_good_answers_and_numpy_scalars():
    assert initialisation.gain_check(good_gain).passed
    assert initialisation.gain_check(lambda phi: np.float32(good_gain(phi))).passed


def test_leaky_gain_and_saturation_widget_checkers():
    assert initialisation.leaky_gain_check(np.sqrt(2 / 1.04)).passed
    verdict(initialisation.leaky_gain_check(np.sqrt(2)), "too large")
    answer = variance.smallest_saturating_gain(0.25)
    assert initialisation.saturation_gain_check(answer).passed
    verdict(initialisation.saturation_gain_check(2.2), "not one of the explorer's gains")
    smaller = [g for g in variance.EXPLORER_GAINS if g < answer][-1]
    verdict(initialisation.saturation_gain_check(smaller), "too small")
    for bad in GARBAGE:
        verdict(initialisation.leaky_gain_check(bad))
        verdict(initialisation.saturation_gain_check(bad))


# ---- dead neurons -------------------------------------------------------------------------

def test_dead_units_checker_accepts_numpy_torch_and_integer_masks():
    assert dead_neurons.dead_units_check(lambda Z: np.all(Z <= 0, axis=0)).passed
    assert dead_neurons.dead_units_check(lambda Z: torch.from_numpy(Z <= 0).all(dim=0)).passed
    assert dead_neurons.dead_units_check(lambda Z: np.all(Z <= 0, axis=0).astype(int)).passed


def mutating_find(Z):
    Z[Z < 0] = 0
    return np.all(Z <= 0, axis=0)


@pytest.mark.parametrize(("learner", "fragments"), [
    (None, ["is None"]),
    (lambda Z: None, ["returned None"]),
    (lambda Z: np.all(Z < 0, axis=0), ["Use <= 0"]),
    (lambda Z: np.all(Z <= 0, axis=1), ["per unit"]),
    (lambda Z: np.any(Z <= 0, axis=0), ["your mask says"]),
    (lambda Z: np.full(Z.shape[1], 0.5), ["True/False"]),
    (lambda Z: "dead", ["shape"]),
    (mutating_find, ["changed its input in place"]),
    (lambda Z: Z.undefined, ["AttributeError"]),
])
def test_dead_units_feedback(learner, fragments):
    verdict(dead_neurons.dead_units_check(learner), *fragments)


def test_killing_step_checker_uses_autograd_gradients():
    w, b = torch.tensor([[1.0]], requires_grad=True), torch.tensor([0.0], requires_grad=True)
    x, y = dead_neurons.DEMO_X, dead_neurons.DEMO_Y
    ((torch.relu(x @ w + b) - y) ** 2).mean().backward()
    threshold = 1 / (w.grad.item() + b.grad.item())
    assert dead_neurons.killing_step_check(threshold).passed
    # just above the threshold the unit's largest pre-activation is <= 0; just below it is not
    for lr, dead in [(threshold * 1.01, True), (threshold * 0.99, False)]:
        z = x * (1 - lr * w.grad.item()) - lr * b.grad.item()
        assert bool((z <= 0).all()) is dead
    verdict(dead_neurons.killing_step_check(2.0), "too large")
    for bad in GARBAGE:
        verdict(dead_neurons.killing_step_check(bad))


def test_killing_rate_widget_checker():
    answer = dead_units.smallest_killing_rate("relu", 0.5)
    assert dead_neurons.killing_rate_check(answer).passed
    verdict(dead_neurons.killing_rate_check(0.7), "not one of the explorer's learning rates")
    verdict(dead_neurons.killing_rate_check(0.1), "too small")
    for bad in GARBAGE:
        verdict(dead_neurons.killing_rate_check(bad))
