"""Batched deep MLPs (stacks), residual blocks (nets) and the gradient-flow diagnostics (gradients).

Every batched computation is checked against the same network built one run at a time from
ordinary PyTorch modules, with autograd as the reference for gradients.
"""

import math

import numpy as np
import pytest
import torch
from torch import nn

from activation_lab import diagnostics, gradients, nets, stacks, training


def loss_of(model, X, y):
    return training.per_run_loss(model(X), y, "cross_entropy").sum()


@pytest.fixture
def batch():
    g = torch.Generator().manual_seed(0)
    return torch.randn(12, 3, generator=g), torch.randint(0, 4, (12,), generator=g)


@pytest.mark.parametrize("options", [{}, {"norm": "batch"}, {"residual": True}, {"norm": "batch", "residual": True}])
@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_every_run_equals_its_sequential_module_outputs_and_gradients(options, activation, batch):
    X, y = batch
    runs = stacks.DeepStacks(3, 6, 4, activation, depths=[1, 3, 5, 5], seeds=[0, 1, 2, 3], **options).double()
    loss_of(runs, X.double(), y).backward()
    batched = gradients.layer_gradient_norms(runs)
    outputs = runs(X.double())
    for r in range(runs.runs):
        module = runs.to_sequential(r).double()
        torch.testing.assert_close(outputs[r], module(X.double()), rtol=1e-10, atol=1e-12)
        nn.functional.cross_entropy(module(X.double()), y).backward()
        expected = diagnostics.gradient_norms(module)
        np.testing.assert_allclose(gradients.run_profile(runs, batched, r), expected, rtol=1e-9)


def test_layers_beyond_a_runs_depth_get_no_gradient(batch):
    X, y = batch
    runs = stacks.DeepStacks(3, 5, 4, "gelu", depths=[2, 6], seeds=[0, 0])
    loss_of(runs, X, y).backward()
    norms = gradients.layer_gradient_norms(runs)
    assert np.all(norms[0, 2:6] == 0) and np.all(norms[1] > 0)
    # the same seed draws the same first layers, whatever the depth
    torch.testing.assert_close(runs.input_weight[0], runs.input_weight[1])


@pytest.mark.parametrize(("init", "variance"), [("xavier", lambda i, o: 2 / (i + o)), ("kaiming", lambda i, o: 2 / i),
                                                ("lecun", lambda i, o: 1 / i)])
def test_initial_weight_variances_follow_the_schemes(init, variance):
    runs = stacks.DeepStacks(300, 200, 100, "relu", depths=[3], seeds=[0], init=init, gain=1.5)
    for W in runs.layer_weights():
        fan_in, fan_out = W.shape[1:]
        assert W.var().item() == pytest.approx(1.5**2 * variance(fan_in, fan_out), rel=0.03)
    assert torch.all(runs.hidden_bias == 0)


def test_default_initialisation_matches_nn_linear_bounds():
    runs = stacks.DeepStacks(50, 40, 3, "relu", depths=[2], seeds=[0])
    for tensor, fan_in in [(runs.input_weight, 50), (runs.input_bias, 50), (runs.hidden_weight, 40)]:
        bound = 1 / math.sqrt(fan_in)
        assert tensor.abs().max() <= bound and tensor.abs().max() > 0.9 * bound


def test_functional_batch_norm_equals_nn_batchnorm1d_in_training_mode():
    z = torch.randn(2, 16, 5, dtype=torch.float64)
    runs = stacks.DeepStacks(5, 5, 2, "relu", depths=[1, 1], seeds=[0, 1], norm="batch").double()
    with torch.no_grad():
        runs.norm_scale.uniform_(0.5, 2)
        runs.norm_shift.uniform_(-1, 1)
    for r in range(2):
        bn = nn.BatchNorm1d(5).double().train()
        with torch.no_grad():
            bn.weight.copy_(runs.norm_scale[r, 0])
            bn.bias.copy_(runs.norm_shift[r, 0])
        torch.testing.assert_close(runs._normalise(z, 0)[r], bn(z[r]))


def test_pre_activations_are_the_inputs_of_the_activation_layers(batch):
    X, _ = batch
    runs = stacks.DeepStacks(3, 6, 4, "tanh", depths=[4, 4], seeds=[0, 1])
    pre = runs.pre_activations(X)
    for r in range(2):
        outputs = diagnostics.layer_outputs(runs.to_sequential(r), X)
        for z, out in zip(pre, outputs):
            torch.testing.assert_close(torch.tanh(z[r]), out)


def test_training_deep_stacks_equals_training_each_run_alone(batch):
    X, y = batch
    runs = stacks.DeepStacks(3, 6, 4, "relu", depths=[2, 4], seeds=[5, 6], init="kaiming")
    alone = [runs.to_sequential(r) for r in range(2)]
    together = training.train(runs, X, y, loss="cross_entropy", steps=15, lr=0.1, optimizer="momentum")
    for r, module in enumerate(alone):
        history = training.train(module, X, y, loss="cross_entropy", steps=15, lr=0.1, optimizer="momentum")
        np.testing.assert_allclose(together.loss[r], history.loss[0], rtol=1e-5)


def test_invalid_stacks_are_refused():
    with pytest.raises(ValueError, match="one depth and one seed"):
        stacks.DeepStacks(2, 4, 2, "relu", depths=[2, 3], seeds=[0])
    with pytest.raises(ValueError, match="at least one hidden layer"):
        stacks.DeepStacks(2, 4, 2, "relu", depths=[0], seeds=[0])
    with pytest.raises(ValueError, match="unknown initialisation"):
        stacks.DeepStacks(2, 4, 2, "relu", depths=[1], seeds=[0], init="orthogonal")
    with pytest.raises(ValueError, match="unknown normalisation"):
        stacks.DeepStacks(2, 4, 2, "relu", depths=[1], seeds=[0], norm="layer")


def test_residual_mlp_adds_the_identity_path():
    net = nets.mlp(3, [4, 4, 4], 2, "tanh", residual=True, seed=0)
    residuals = [m for m in net if isinstance(m, nets.Residual)]
    assert len(residuals) == 2
    x = torch.randn(5, 4)
    torch.testing.assert_close(residuals[0](x), x + residuals[0].block(x))
    # a block that outputs zero leaves its input unchanged
    zero = nets.Residual(nn.Sequential(nn.Linear(4, 4), nn.Tanh()))
    with torch.no_grad():
        zero.block[0].weight.zero_()
        zero.block[0].bias.zero_()
    torch.testing.assert_close(zero(x), x)
    # Ensembles batch residual networks too
    ensemble = nets.Ensemble(lambda s: nets.mlp(3, [4, 4], 2, "relu", residual=True, seed=s), [0, 1])
    torch.testing.assert_close(ensemble(torch.ones(2, 3))[1], ensemble.member(1)(torch.ones(2, 3)))


def test_gradient_norms_of_an_ensemble_and_a_plain_module(batch):
    X, y = batch
    ensemble = nets.Ensemble(lambda s: nets.mlp(3, [5, 5], 4, "tanh", seed=s), [0, 1, 2])
    loss_of(ensemble, X, y).backward()
    norms = gradients.layer_gradient_norms(ensemble)
    assert norms.shape == (3, 3)
    for r in range(3):
        member = ensemble.member(r)
        nn.functional.cross_entropy(member(X), y).backward()
        np.testing.assert_allclose(norms[r], diagnostics.gradient_norms(member), rtol=1e-5)
    plain = nets.mlp(3, [5], 4, seed=0)
    with pytest.raises(ValueError, match="backward"):
        gradients.layer_gradient_norms(plain)
    nn.functional.cross_entropy(plain(X), y).backward()
    np.testing.assert_allclose(gradients.layer_gradient_norms(plain)[0], diagnostics.gradient_norms(plain), rtol=1e-6)


def test_norms_are_computed_in_double_precision_so_tiny_gradients_do_not_underflow():
    runs = stacks.DeepStacks(2, 4, 2, "relu", depths=[1], seeds=[0])
    for p in runs.parameters():
        p.grad = torch.full_like(p, 1e-24)
    assert torch.full((4, 4), 1e-24).norm().item() == 0.0  # float32 underflows
    assert gradients.layer_gradient_norms(runs)[0, 0] == pytest.approx(1e-24 * math.sqrt(8))


def test_flow_recorder_measures_sgd_updates_exactly(batch):
    X, y = batch
    runs = stacks.DeepStacks(3, 6, 4, "tanh", depths=[3, 3], seeds=[0, 1]).double()
    recorder = gradients.FlowRecorder(every=2)
    lr = 0.1
    training.train(runs, X.double(), y, loss="cross_entropy", steps=7, lr=lr, optimizer="sgd", callback=recorder)
    assert recorder.steps == [0, 2, 4, 6]
    assert recorder.gradient_norms.shape == (4, 2, 4)
    # plain SGD: the update is lr * gradient, so update/weight = lr * gradient/weight
    np.testing.assert_allclose(recorder.update_to_weight, lr * recorder.gradient_to_weight[:3], rtol=1e-9)


def test_clip_per_run_matches_clip_grad_norm_on_each_run(batch):
    X, y = batch
    runs = stacks.DeepStacks(3, 6, 4, "relu", depths=[2, 2, 2], seeds=[0, 1, 2], init="kaiming", gain=3.0)
    loss_of(runs, X, y).backward()
    members = [runs.to_sequential(r) for r in range(3)]
    before = gradients.clip_per_run(runs, max_norm=1.0)
    for r, member in enumerate(members):
        nn.functional.cross_entropy(member(X), y).backward()
        total = nn.utils.clip_grad_norm_(member.parameters(), max_norm=1.0)
        assert before[r] == pytest.approx(float(total), rel=1e-5)
        linears = [m for m in member if isinstance(m, nn.Linear)]
        torch.testing.assert_close(runs.input_weight.grad[r], linears[0].weight.grad.T, rtol=1e-5, atol=1e-7)
        torch.testing.assert_close(runs.output_bias.grad[r], linears[-1].bias.grad, rtol=1e-5, atol=1e-7)


def test_scaling_gradients_per_run_is_a_per_run_learning_rate(batch):
    X, y = batch
    runs = stacks.DeepStacks(3, 6, 4, "relu", depths=[2, 2], seeds=[0, 0])
    factors = torch.tensor([1.0, 0.25])
    training.train(runs, X, y, loss="cross_entropy", steps=5, lr=0.4, optimizer="momentum",
                   callback=lambda step, m: gradients.scale_per_run(m, factors))
    reference = stacks.DeepStacks(3, 6, 4, "relu", depths=[2], seeds=[0])
    training.train(reference, X, y, loss="cross_entropy", steps=5, lr=0.1, optimizer="momentum")
    torch.testing.assert_close(runs.hidden_weight[1], reference.hidden_weight[0], rtol=1e-5, atol=1e-6)


def test_combined_callbacks_run_in_order():
    calls = []
    combined = gradients.combine_callbacks(lambda s, m: calls.append(("a", s)), lambda s, m: calls.append(("b", s)))
    combined(3, None)
    assert calls == [("a", 3), ("b", 3)]


def test_depth_sweep_shapes_and_the_sigmoid_bound():
    profiles = gradients.gradient_profiles("sigmoid", "kaiming")
    assert list(profiles) == list(gradients.SWEEP_DEPTHS)
    assert all(p.shape == (5, d + 1) for d, p in profiles.items())
    ratios = gradients.first_to_last("sigmoid", "kaiming")
    assert np.all(np.diff(np.log(ratios)) < 0)  # deeper sigmoid networks lose more
    depth = gradients.first_depth_below("sigmoid", "kaiming", 1e-6)
    assert ratios[gradients.SWEEP_DEPTHS.index(depth)] < 1e-6
    assert depth == gradients.SWEEP_DEPTHS[0] or ratios[gradients.SWEEP_DEPTHS.index(depth) - 1] >= 1e-6
    assert gradients.first_depth_below("relu", "kaiming", 1e-6) is None
    shown = gradients.first_depth_below("sigmoid", "kaiming", 1e-6, depths=gradients.EXPLORER_DEPTHS)
    assert shown in gradients.EXPLORER_DEPTHS and shown >= depth
