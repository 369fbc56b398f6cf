"""The two-weight zig-zag example: its inputs, derivatives and descent paths."""

import numpy as np
import pytest
import torch
from scipy.special import expit

from activation_lab import zigzag


def test_offset_one_half_gives_exactly_sigmoid_outputs():
    u = np.random.default_rng(0).standard_normal((200, 2))
    np.testing.assert_allclose(zigzag.unit_inputs(0.5), expit(u), rtol=1e-14)
    centred = zigzag.unit_inputs(0.0)
    assert abs(centred.mean()) < 0.05 and zigzag.unit_inputs(0.5).min() > 0


def test_gradient_and_hessian_match_autograd():
    h = zigzag.unit_inputs(0.5)
    t = zigzag.targets(h)
    w = np.array([0.3, -2.0])
    w_t = torch.tensor(w, requires_grad=True)
    torch_loss = lambda v: 0.5 * torch.mean((torch.from_numpy(h) @ v - torch.from_numpy(t)) ** 2)
    torch_loss(w_t).backward()
    np.testing.assert_allclose(zigzag.gradient(w, h, t), w_t.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(zigzag.hessian(h), torch.autograd.functional.hessian(torch_loss, w_t.detach()).numpy(),
                               rtol=1e-12)
    assert zigzag.loss(w, h, t) == pytest.approx(torch_loss(w_t).item(), rel=1e-12)


def test_loss_on_a_grid_equals_the_loss_at_each_point():
    h = zigzag.unit_inputs(0.2)
    t = zigzag.targets(h)
    grid = np.random.default_rng(1).standard_normal((3, 4, 2))
    on_grid = zigzag.loss(grid, h, t)
    assert on_grid.shape == (3, 4)
    assert on_grid[2, 1] == pytest.approx(zigzag.loss(grid[2, 1], h, t))


def test_the_mean_adds_curvature_along_the_diagonal():
    h = zigzag.unit_inputs(0.5)
    centred = h - h.mean(axis=0)
    mean = h.mean(axis=0)
    np.testing.assert_allclose(zigzag.hessian(h), zigzag.hessian(centred) + np.outer(mean, mean), atol=1e-12)
    assert zigzag.condition_number(h) > 10 * zigzag.condition_number(zigzag.unit_inputs(0.0))


@pytest.mark.parametrize("offset", [0.0, 0.5])
def test_descent_with_the_best_rate_converges_and_the_rate_is_optimal(offset):
    h = zigzag.unit_inputs(offset)
    t = zigzag.targets(h)
    lr = zigzag.best_learning_rate(h)
    path = zigzag.descent_path(h, t, lr, 300)
    np.testing.assert_allclose(path[-1], zigzag.W_STAR, atol=1e-8)
    steps = zigzag.steps_to_converge(path)
    for other in (0.8 * lr, 1.2 * lr):  # a different constant rate is never faster (None: never converges)
        other_steps = zigzag.steps_to_converge(zigzag.descent_path(h, t, other, 300))
        assert other_steps is None or other_steps >= steps
    assert zigzag.steps_to_converge(path[:2]) is None


def test_positive_inputs_zig_zag_and_centred_ones_do_not():
    h = zigzag.unit_inputs(0.5)
    path = zigzag.descent_path(h, zigzag.targets(h), zigzag.best_learning_rate(h), 20)
    steps = np.diff(path, axis=0)
    diagonal = steps @ np.array([1.0, 1.0])
    assert np.all(diagonal[1:] * diagonal[:-1] < 0)  # the (1, 1) component flips sign every step
    c = zigzag.unit_inputs(0.0)
    assert zigzag.steps_to_converge(zigzag.descent_path(c, zigzag.targets(c), zigzag.best_learning_rate(c), 50)) < 10


def test_with_positive_inputs_every_example_moves_both_weights_the_same_way():
    h = zigzag.unit_inputs(0.5)
    t = zigzag.targets(h)
    for w in ([0.0, 0.0], [-1.0, 1.5], [3.0, 2.0]):
        assert zigzag.same_sign_share(h, t, w) == 1.0
    c = zigzag.unit_inputs(0.0)
    assert 0.3 < zigzag.same_sign_share(c, zigzag.targets(c), [-1.0, 1.5]) < 0.7
