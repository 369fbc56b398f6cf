"""A learning-rate sweep inside one ensemble equals separate trainings."""

import numpy as np
import pytest
import torch

from activation_lab import data, nets, sweeps, training


def make(seed):
    return nets.mlp(2, [8], 3, "tanh", seed=seed)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
def test_a_sweep_equals_separate_trainings(optimizer):
    ds = data.spirals(n_per_class=30)
    grid = sweeps.Grid([0.05, 0.3], seeds=range(2))
    runs = nets.Ensemble(make, grid.seeds_per_run)
    swept = training.train(runs, ds.X, ds.y, loss="cross_entropy", steps=30, lr=1.0, optimizer=optimizer,
                           callback=sweeps.per_run_learning_rates(grid))
    for i, lr in enumerate(grid.learning_rates):
        alone = training.train(nets.Ensemble(make, grid.seeds), ds.X, ds.y, loss="cross_entropy", steps=30, lr=lr,
                               optimizer=optimizer)
        np.testing.assert_allclose(grid.split(swept.loss)[i], alone.loss, rtol=1e-5, atol=1e-6)


def test_the_callback_refuses_what_it_cannot_handle():
    grid = sweeps.Grid([0.1, 1.0], seeds=range(2))
    callback = sweeps.per_run_learning_rates(grid)
    with pytest.raises(TypeError):
        callback(0, make(0))
    wrong_size = nets.Ensemble(make, range(3))
    wrong_size(torch.zeros(1, 2)).sum().backward()
    with pytest.raises(ValueError):
        callback(0, wrong_size)
    with pytest.raises(ValueError):
        sweeps.Grid([], seeds=range(2))
    with pytest.raises(ValueError):
        sweeps.Grid([0.0, 1.0], seeds=range(2))


def test_best_learning_rate_and_steps_to_reach():
    grid = sweeps.Grid([0.1, 1.0, 10.0], seeds=range(2))
    final = np.array([0.5, 0.4, 0.1, 0.2, np.nan, 0.0])  # the largest rate diverged in one seed
    assert sweeps.best_learning_rate(grid, final) == 1.0
    steps = np.array([0, 10, 20, 30])
    curves = np.array([[2.0, 1.0, 0.4, 0.1], [2.0, 2.0, 2.0, 2.0]])
    np.testing.assert_array_equal(sweeps.steps_to_reach(steps, curves, 0.5), [20.0, np.nan])
