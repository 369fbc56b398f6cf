"""Data generators, diagnostics and the least-squares approximation helper."""

import numpy as np
import pytest
import torch
from torch import nn

from activation_lab import approximation, data, diagnostics, functions, nets


def test_xor_labels_follow_the_sign_rule_and_generators_are_seeded():
    ds = data.xor(n_per_corner=40, noise=0.1, seed=3)
    signs_differ = (ds.X[:, 0] > 0) != (ds.X[:, 1] > 0)
    assert torch.equal(signs_differ.long(), ds.y)  # noise 0.1 never crosses an axis here
    assert torch.equal(data.xor(seed=3).X, data.xor(seed=3).X)
    assert not torch.equal(data.xor(seed=3).X, data.xor(seed=4).X)


@pytest.mark.parametrize("make", [data.xor, data.two_moons, data.spirals, data.xor_corners])
def test_classification_sets_are_balanced_float32_and_long(make):
    ds = make()
    assert ds.X.dtype == torch.float32 and ds.y.dtype == torch.long and ds.task == "classification"
    counts = torch.bincount(ds.y)
    assert len(counts) == ds.classes and counts.min() == counts.max()


def test_digits_ship_with_scikit_learn_and_split_stratified():
    ds = data.digits()
    assert ds.X.shape[1] == 64 and ds.X.max() <= 1.0
    assert len(ds.X) + len(ds.X_test) == 1797
    train_share = torch.bincount(ds.y) / len(ds.y)
    test_share = torch.bincount(ds.y_test) / len(ds.y_test)
    assert torch.allclose(train_share, test_share, atol=0.01)


def test_count_linear_pieces_matches_the_kinks_of_a_hand_built_network():
    net = nn.Sequential(nn.Linear(1, 3), nn.ReLU(), nn.Linear(3, 1))
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor([[1.0], [1.0], [-2.0]]))
        net[0].bias.copy_(torch.tensor([0.5, -1.0, 1.0]))  # kinks at -0.5, 1.0 and 0.5
    grid = torch.linspace(-2, 2, 4001).reshape(-1, 1)
    assert diagnostics.count_linear_pieces(net, grid) == 4
    assert diagnostics.count_linear_pieces(net, torch.linspace(0.6, 0.9, 100)) == 1


def test_pieces_of_random_networks_never_exceed_width_plus_one():
    grid = torch.linspace(-3, 3, 6001).reshape(-1, 1)
    for seed in range(5):
        net = nets.mlp(1, [10], 1, "relu", seed=seed)
        kinks = -net[0].bias / net[0].weight[:, 0]
        inside = int(((kinks > -3) & (kinks < 3)).sum())
        assert diagnostics.count_linear_pieces(net, grid) == inside + 1 <= 11


def test_dead_and_saturated_fractions():
    outputs = torch.tensor([[0.0, 1.0, 0.0], [0.0, 2.0, 3.0]])
    assert diagnostics.dead_fraction(outputs) == pytest.approx(1 / 3)
    assert diagnostics.saturated_fraction(torch.tensor([0.99, -0.98, 0.5, 0.0])) == 0.5


def test_layer_outputs_and_gradient_norms():
    net = nets.mlp(3, [4, 5], 2, "tanh", seed=0)
    outputs = diagnostics.layer_outputs(net, torch.randn(7, 3))
    assert [o.shape for o in outputs] == [(7, 4), (7, 5)]
    assert not net[0]._forward_hooks  # hooks removed afterwards
    net(torch.randn(7, 3)).sum().backward()
    norms = diagnostics.gradient_norms(net)
    assert len(norms) == 3 and all(n > 0 for n in norms)


def test_midpoint_test_tells_linear_from_non_linear():
    assert diagnostics.looks_affine(nets.mlp(2, [8, 8], 2, activation=None, seed=0), in_features=2)
    assert not diagnostics.looks_affine(nets.mlp(2, [8, 8], 2, activation="relu", seed=0), in_features=2)
    assert not diagnostics.looks_affine(nets.mlp(2, [8], 2, activation="gelu", seed=0), in_features=2)


def test_identity_features_give_exactly_the_least_squares_line():
    x = approximation.GRID
    fit = approximation.fit_bumpy("identity", 64)
    line = np.polyval(np.polyfit(x, data.bumpy(x), 1), x)
    np.testing.assert_allclose(fit.prediction, line, atol=1e-9)


def test_relu_fit_is_piecewise_linear_with_kinks_only_at_the_knots():
    width = 8
    fit = approximation.fit_bumpy("relu", width)
    spacing = 4 / width
    knots = -2 + spacing * (np.arange(width) + 0.5)
    second_difference = np.abs(np.diff(fit.prediction, 2))
    bends = approximation.GRID[1:-1][second_difference > 1e-9]
    assert all(np.min(np.abs(knots - b)) <= 0.011 for b in bends)


def test_more_units_never_hurt_the_least_squares_fit_of_relu_and_tanh():
    # Doubling the width puts the old knots' neighbours in, but not the old knots themselves,
    # so monotonicity is a property worth checking, not a tautology.
    for name in ("relu", "tanh", "sigmoid"):
        errors = [approximation.fit_bumpy(name, w).rms_error for w in approximation.WIDTHS[2:]]
        assert all(b < a for a, b in zip(errors, errors[1:])), (name, errors)


def test_hidden_features_use_the_registry_function():
    x = np.array([0.0])
    assert approximation.hidden_features(x, functions.get("step"), 1)[0, 0] == 1.0


def test_breast_cancer_and_diabetes_ship_with_scikit_learn_and_are_standardised():
    cancer = data.breast_cancer()
    assert cancer.X.shape[1] == 30 and len(cancer.X) + len(cancer.X_test) == 569 and cancer.classes == 2
    assert torch.allclose(cancer.X.mean(0), torch.zeros(30), atol=1e-5)
    assert torch.allclose(cancer.X.std(0, unbiased=False), torch.ones(30), atol=1e-4)
    diabetes = data.diabetes()
    assert diabetes.task == "regression" and diabetes.X.shape[1] == 10
    assert len(diabetes.X) + len(diabetes.X_test) == 442
    assert abs(float(diabetes.y.mean())) < 1e-5 and abs(float(diabetes.y.std(unbiased=False)) - 1) < 1e-4


def test_training_callback_sees_gradients_before_the_step():
    from activation_lab import training

    net = nets.mlp(1, [4], 1, seed=0)
    seen = []

    def record(step, model):
        seen.append((step, float(model[0].weight.grad.norm()), model[0].weight.detach().clone()))

    training.train(net, torch.randn(8, 1), torch.randn(8, 1), loss="mse", steps=3, lr=0.1, callback=record)
    assert [s for s, _, _ in seen] == [0, 1, 2] and all(g > 0 for _, g, _ in seen)
    assert not torch.equal(seen[0][2], seen[1][2])  # the step happened after the callback
