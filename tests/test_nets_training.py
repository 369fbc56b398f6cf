"""Networks, ensembles and the training loop: an ensemble must behave exactly like separate runs."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from activation_lab import data, nets, training


def make(seed):
    return nets.mlp(2, [8, 8], 3, activation="tanh", seed=seed)


def test_mlp_layout_and_linear_network_when_activation_is_none():
    net = nets.mlp(4, [5, 6], 2, activation="relu")
    kinds = [type(m) for m in net]
    assert kinds == [nn.Linear, nn.ReLU, nn.Linear, nn.ReLU, nn.Linear]
    linear = nets.mlp(4, [5, 6], 2, activation=None)
    assert all(isinstance(m, (nn.Linear, nn.Identity)) for m in linear)
    with_bn = nets.mlp(4, [5], 2, activation="elu", batch_norm=True)
    assert [type(m) for m in with_bn] == [nn.Linear, nn.BatchNorm1d, nn.ELU, nn.Linear]


def test_same_seed_same_weights_different_seed_different_weights():
    a, b, c = make(3), make(3), make(4)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert not torch.equal(a[0].weight, c[0].weight)


def test_ensemble_forward_equals_each_member():
    X = torch.randn(17, 2)
    runs = nets.Ensemble(make, seeds=[0, 5, 9])
    out = runs(X)
    assert out.shape == (3, 17, 3)
    for r, seed in enumerate([0, 5, 9]):
        torch.testing.assert_close(out[r], make(seed)(X), rtol=1e-6, atol=1e-6)


def test_ensemble_parameters_are_only_the_stacked_ones_in_forward_order():
    deep = nets.Ensemble(lambda s: nets.mlp(2, [4] * 6, 1, "relu", seed=s), seeds=[0, 1])
    member = deep.member(0)
    # parameters() must not include the meta-device template an optimiser cannot step
    assert all(p.device.type == "cpu" for p in deep.parameters())
    assert sum(p.numel() for p in deep.parameters()) == 2 * sum(p.numel() for p in member.parameters())
    names = [name for name, _ in deep.named_stacked()]
    assert names == [name for name, _ in member.named_parameters()]  # "2.weight" before "10.weight"
    for (_, stacked), (_, own) in zip(deep.named_stacked(), member.named_parameters()):
        torch.testing.assert_close(stacked[0], own)


@pytest.mark.parametrize("optimizer", ["adam", "sgd", "momentum"])
def test_training_an_ensemble_equals_training_each_run_alone(optimizer):
    """Runs must not influence each other: the stacked loss is a sum of per-run losses."""
    ds = data.spirals(n_per_class=30, seed=0)
    runs = nets.Ensemble(make, seeds=[1, 2])
    together = training.train(runs, ds.X, ds.y, loss="cross_entropy", steps=40, lr=0.05, optimizer=optimizer)
    for r, seed in enumerate([1, 2]):
        alone_net = make(seed)
        alone = training.train(alone_net, ds.X, ds.y, loss="cross_entropy", steps=40, lr=0.05, optimizer=optimizer)
        np.testing.assert_allclose(together.loss[r], alone.loss[0], rtol=1e-5, atol=1e-6)
        member = runs.member(r)
        for p, q in zip(member.parameters(), alone_net.parameters()):
            torch.testing.assert_close(p, q, rtol=1e-4, atol=1e-5)


def test_training_is_deterministic_and_learns_xor():
    xor = data.xor(seed=0)
    histories = [
        training.train(nets.Ensemble(lambda s: nets.mlp(2, [8], 2, "relu", seed=s), range(3)), xor.X, xor.y,
                       loss="cross_entropy", steps=200, lr=0.05)
        for _ in range(2)
    ]
    np.testing.assert_array_equal(histories[0].loss, histories[1].loss)
    assert histories[0].loss.shape == (3, 21) and histories[0].steps[-1] == 200
    assert np.all(histories[0].metric[:, -1] == 1.0)
    assert np.all(histories[0].loss[:, -1] < histories[0].loss[:, 0])


def test_losses_and_metrics_match_pytorch_definitions():
    torch.manual_seed(0)
    logits, y = torch.randn(2, 10, 4), torch.randint(0, 4, (10,))
    expected = torch.stack([nn.functional.cross_entropy(logits[r], y) for r in range(2)])
    torch.testing.assert_close(training.per_run_loss(logits, y, "cross_entropy"), expected)
    accuracy = training.per_run_metric(logits, y, "cross_entropy")
    torch.testing.assert_close(accuracy, (logits.argmax(2) == y).float().mean(1))
    values, target = torch.randn(10, 1), torch.randn(10, 1)
    assert training.per_run_loss(values, target, "mse")[0] == pytest.approx(float(((values - target) ** 2).mean()))
    bce = nn.functional.binary_cross_entropy_with_logits(values, (target > 0).float())
    assert training.per_run_loss(values, (target > 0).float(), "bce")[0] == pytest.approx(float(bce))


def test_cosine_schedule_ends_at_zero_learning_rate_and_unknown_names_are_refused():
    net = nets.mlp(1, [4], 1, seed=0)
    X, y = torch.randn(8, 1), torch.randn(8, 1)
    training.train(net, X, y, loss="mse", steps=10, lr=0.1, schedule="cosine")
    with pytest.raises(ValueError, match="unknown loss"):
        training.train(net, X, y, loss="hinge", steps=1, lr=0.1)
    with pytest.raises(ValueError, match="unknown schedule"):
        training.train(net, X, y, loss="mse", steps=1, lr=0.1, schedule="step")


@pytest.mark.parametrize(("scheme", "variance"), [("xavier", lambda i, o: 2 / (i + o)),
                                                  ("kaiming", lambda i, o: 2 / i), ("lecun", lambda i, o: 1 / i)])
def test_initialisation_variances(scheme, variance):
    torch.manual_seed(0)
    net = nets.mlp(400, [300], 200, activation="relu", init=scheme)
    for layer in (net[0], net[2]):
        fan_out, fan_in = layer.weight.shape
        assert layer.weight.var().item() == pytest.approx(variance(fan_in, fan_out), rel=0.02)
        assert torch.all(layer.bias == 0)


def test_pytorch_default_initialisation_is_kept():
    net = nets.mlp(100, [50], 1, init="default", seed=0)
    bound = 1 / math.sqrt(100)
    assert net[0].weight.abs().max() <= bound and net[0].weight.abs().max() > 0.9 * bound
    with pytest.raises(ValueError, match="unknown initialisation"):
        nets.mlp(2, [2], 1, init="orthogonal")


def test_activation_module_accepts_names_modules_factories_and_none():
    assert isinstance(nets.activation_module("gelu"), nn.GELU)
    assert isinstance(nets.activation_module(None), nn.Identity)
    assert isinstance(nets.activation_module(nn.Tanh), nn.Tanh)
    shared = nn.PReLU()
    assert nets.activation_module(shared) is not shared  # each layer gets its own learnable slope
    with pytest.raises(TypeError):
        nets.activation_module(3)
