"""Networks with a negative-side slope: the slope is used, held or learned as asked, and
off units are counted from the pre-activations themselves."""

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from activation_lab import nets, slopes, training


def test_a_fixed_slope_is_leaky_relu_and_zero_is_relu():
    net = slopes.leaky_mlp(3, [5, 4], 2, alpha=0.2, seed=0)
    x = torch.randn(7, 3)
    h = F.leaky_relu(net[0](x), 0.2)
    h = F.leaky_relu(net[2](h), 0.2)
    torch.testing.assert_close(net(x), net[4](h))
    np.testing.assert_allclose(slopes.layer_slopes(net), [0.2, 0.2])


def test_preactivations_and_off_units_against_a_hand_computation():
    net = slopes.leaky_mlp(2, [3], 1, alpha=0.0, seed=0)
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]]))
        net[0].bias.copy_(torch.tensor([0.0, -10.0, 0.0]))
    X = torch.tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]])
    (z,) = slopes.preactivations(net, X)
    torch.testing.assert_close(z, X @ net[0].weight.T + net[0].bias)
    # unit 2 is below 0 everywhere (x2 - 10); unit 3 is -(x1 + x2) < 0 for all three inputs
    assert slopes.off_units(net, X)[0].tolist() == [False, True, True]


def test_held_slopes_stay_put_and_free_ones_learn():
    torch.manual_seed(0)
    X, y = torch.randn(64, 4), torch.randint(0, 3, (64,))
    runs = nets.Ensemble(lambda i: slopes.leaky_mlp(4, [8, 8], 3, alpha=0.25, seed=i), range(4))
    training.train(runs, X, y, loss="cross_entropy", steps=30, lr=0.05, record_every=30,
                   callback=slopes.hold_slopes(runs, [0, 2]))
    learned = slopes.ensemble_slopes(runs)
    assert learned.shape == (4, 2)
    np.testing.assert_array_equal(learned[[0, 2]], 0.25)
    assert np.all(np.abs(learned[[1, 3]] - 0.25) > 1e-4)
    for run in range(4):  # the ensemble view and each member agree
        np.testing.assert_allclose(slopes.layer_slopes(runs.member(run)), learned[run], rtol=1e-6)


def test_off_counts_and_the_smallest_alpha_without_off_units():
    largest = np.array([[-1.0, 2.0, -0.5], [-0.1, 1.0, 3.0], [0.2, 1.0, 3.0], [1.0, -2.0, 3.0]])
    sweep = slopes.LeakSweep((0.0, 0.1, 0.2, 0.3), largest, np.zeros(4), np.zeros(4))
    assert sweep.off_counts.tolist() == [2, 1, 0, 1]
    assert sweep.smallest_alpha_without_off_units() == 0.2
    never = slopes.LeakSweep((0.0,), np.array([[-1.0]]), np.zeros(1), np.zeros(1))
    assert never.smallest_alpha_without_off_units() is None


def test_a_small_leak_sweep_trains_one_network_per_slope_from_the_same_start():
    sweep = slopes.leak_sweep((0.0, 0.5), hidden=(8,), steps=3)
    assert sweep.largest_preactivation.shape == (2, 8)
    assert ((sweep.test_accuracy >= 0) & (sweep.test_accuracy <= 1)).all()
    assert slopes.leak_sweep((0.0, 0.5), hidden=(8,), steps=3) is sweep  # cached


def test_a_reused_module_shares_its_slope():
    shared = nn.PReLU()
    net = nn.Sequential(nn.Linear(2, 2), shared, nn.Linear(2, 2), shared)
    assert slopes.layer_slopes(net) == [0.25]  # two activation layers, one module, one slope
