"""The activation benchmark and its probes: batched networks must be the ordinary ones, and the
statistics must follow their definitions."""

import itertools
import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from activation_lab import benchmark, data, nets, probes, training

ACTIVATIONS = benchmark.ACTIVATIONS


def tiny_task(steps=12):
    train, test = data.spirals(n_per_class=20, seed=0), data.spirals(n_per_class=20, seed=1)
    ds = data.Dataset("tiny spirals", train.X, train.y, 3, X_test=test.X, y_test=test.y)
    return benchmark.Task("tiny", ds, "cross_entropy", steps=steps, lr=0.02, threshold=0.5, record_every=4)


def test_each_copy_of_a_parallel_mlp_is_the_ordinary_mlp_with_that_activation():
    X = torch.randn(30, 5)
    parallel = benchmark.ParallelMLP(5, [7, 6], 3, ACTIVATIONS, seed=11)
    outputs = parallel(X)
    assert outputs.shape == (len(ACTIVATIONS), 30, 3)
    for a, name in enumerate(ACTIVATIONS):
        torch.testing.assert_close(outputs[a], nets.mlp(5, [7, 6], 3, name, seed=11)(X), rtol=1e-6, atol=1e-6)


def test_autograd_gives_each_copy_exactly_its_own_gradient():
    X, y = torch.randn(20, 4), torch.randint(0, 3, (20,))
    parallel = benchmark.ParallelMLP(4, [8], 3, ("tanh", "relu", "gelu"), seed=2)
    training.per_run_loss(parallel(X), y, "cross_entropy").sum().backward()
    for a, name in enumerate(("tanh", "relu", "gelu")):
        alone = nets.mlp(4, [8], 3, name, seed=2)
        training.per_run_loss(alone(X), y, "cross_entropy").sum().backward()
        torch.testing.assert_close(parallel.weight0.grad[a], alone[0].weight.grad.T, rtol=1e-5, atol=1e-7)
        torch.testing.assert_close(parallel.weight1.grad[a], alone[2].weight.grad.T, rtol=1e-5, atol=1e-7)


def test_running_the_benchmark_equals_training_every_network_alone():
    task = tiny_task()
    result = benchmark.run(task, activations=("sigmoid", "relu"), seeds=[3, 4])
    for a, name in enumerate(("sigmoid", "relu")):
        for s, seed in enumerate([3, 4]):
            alone = nets.mlp(2, benchmark.HIDDEN, 3, name, seed=seed)
            history = training.train(alone, task.dataset.X, task.dataset.y, loss="cross_entropy", steps=task.steps,
                                     lr=task.lr, record_every=task.record_every, X_test=task.dataset.X_test,
                                     y_test=task.dataset.y_test)
            np.testing.assert_allclose(result.train_metric[a, s], history.metric[0], atol=1e-6)
            np.testing.assert_allclose(result.test_metric[a, s], history.test_metric[0], atol=1e-6)
    assert result.final.shape == (2, 2) and np.array_equal(result.final, result.test_metric[:, :, -1])


def test_best_along_the_way_is_never_worse_than_the_end():
    result = benchmark.run(tiny_task(), activations=("tanh", "relu"), seeds=[0, 1])
    assert (result.best_along_the_way >= result.final).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=12), st.floats(0, 1), st.booleans())
def test_steps_to_threshold_is_the_first_crossing(curve, threshold, higher):
    steps = [5 * i for i in range(len(curve))]
    found = benchmark.steps_to_threshold(steps, curve, threshold, higher)
    crossings = [s for s, v in zip(steps, curve) if (v >= threshold if higher else v <= threshold)]
    assert found == (crossings[0] if crossings else math.inf)


def test_steps_to_threshold_compares_float32_curves_in_double_precision():
    curve = np.array([0.5, 0.95], dtype=np.float32)  # float32(0.95) is just below 0.95
    assert benchmark.steps_to_threshold([0, 10], curve, 0.95) == math.inf


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=1, max_size=6), st.lists(st.floats(-5, 5), min_size=1, max_size=6))
def test_separated_is_symmetric_and_means_disjoint_ranges(a, b):
    assert benchmark.separated(a, b) == benchmark.separated(b, a)
    assert benchmark.separated(a, b) == (max(a) < min(b) or max(b) < min(a))


@pytest.mark.parametrize(("n_a", "n_b"), [(1, 1), (2, 3), (3, 3), (4, 2)])
def test_chance_of_separation_counts_the_orderings(n_a, n_b):
    n = n_a + n_b
    disjoint = sum(1 for ranks in itertools.combinations(range(n), n_a)
                   if max(ranks) < min(set(range(n)) - set(ranks)) or min(ranks) > max(set(range(n)) - set(ranks)))
    assert math.isclose(benchmark.chance_of_separation(n_a, n_b), disjoint / math.comb(n, n_a))


def test_chance_of_separation_agrees_with_simulation():
    draws = np.random.default_rng(1).standard_normal((100_000, 10))
    a, b = draws[:, :5], draws[:, 5:]
    share = ((a.max(1) < b.min(1)) | (b.max(1) < a.min(1))).mean()
    assert abs(share - benchmark.chance_of_separation(5)) < 0.002


def test_behind_best_never_marks_the_best_and_follows_separation():
    values = np.array([[0.90, 0.91, 0.92], [0.95, 0.96, 0.97], [0.93, 0.955, 0.94]])
    assert benchmark.behind_best(values).tolist() == [True, False, False]
    errors = np.array([[0.7, 0.71], [0.8, 0.9]])
    assert benchmark.behind_best(errors, higher_is_better=False).tolist() == [False, True]


def test_ranking_is_sorted_and_the_table_names_every_activation():
    result = benchmark.run(tiny_task(), activations=("sigmoid", "tanh", "relu"), seeds=[0, 1])
    rows = benchmark.ranking(result)
    assert [r.rank for r in rows] == [1, 2, 3]
    assert [r.mean for r in rows] == sorted((r.mean for r in rows), reverse=True)
    table = benchmark.format_ranking(result)
    assert all(benchmark.label(a) in table for a in ("sigmoid", "tanh", "relu"))


def test_tanh_units_are_never_dead_and_dead_shares_are_fractions():
    result = benchmark.run(tiny_task(), activations=("tanh", "relu"), seeds=[0, 1])
    assert (benchmark.dead_fraction(result, "tanh") == 0).all()
    relu = benchmark.dead_fraction(result, "relu")
    assert ((relu >= 0) & (relu <= 1)).all()


def test_gradient_ratio_matches_a_single_network_and_autograd():
    ds = data.spirals(n_per_class=20)
    ratios = probes.gradient_ratio_at_init("tanh", depth=4, dataset=ds, width=8, seeds=[5, 6])
    for r, seed in enumerate([5, 6]):
        net = nets.mlp(2, [8] * 4, 3, "tanh", seed=seed)
        torch.nn.functional.cross_entropy(net(ds.X), ds.y).backward()
        expected = net[0].weight.grad.norm() / net[8].weight.grad.norm()
        assert math.isclose(ratios[r], float(expected), rel_tol=1e-4)


def test_sigmoid_gradients_vanish_faster_with_depth_than_tanh_with_xavier():
    ds = data.spirals(n_per_class=20)
    sigmoid = probes.gradient_ratio_at_init("sigmoid", 12, ds, init="xavier", seeds=range(3))
    tanh = probes.gradient_ratio_at_init("tanh", 12, ds, init="xavier", seeds=range(3))
    assert sigmoid.max() < tanh.min()


def test_timing_ratios_are_paired_with_the_reference():
    calls = probes.call_time_ratios(("relu", "tanh"), size=1024, rounds=3, calls=1)
    steps = probes.step_time_ratios(tiny_task(), ("relu", "tanh"), seeds=[0], rounds=2, steps=1)
    for ratios in (calls, steps):
        assert ratios["relu"].tolist() == [1.0] * len(ratios["relu"])
        assert (ratios["tanh"] > 0).all()
    with pytest.raises(ValueError):
        probes.call_time_ratios(("tanh",), rounds=1)
