"""Linear regions of ReLU networks on the plane: against the hyperplane-arrangement formula,
against autograd (one affine map per region), and properties of the pattern ids."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from torch import nn

from activation_lab import regions


def tangent_lines_network(n: int, radius: float = 0.5) -> nn.Sequential:
    """One hidden layer whose n switching lines touch a small circle: general position, and
    every crossing lies within 1.7 radii of the origin, well inside the square [-3, 3]^2."""
    angles = np.linspace(0, 0.6 * np.pi, n, endpoint=False) + 0.1
    net = nn.Sequential(nn.Linear(2, n), nn.ReLU(), nn.Linear(n, 1)).double()
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor(np.stack([np.cos(angles), np.sin(angles)], axis=1)))
        net[0].bias.fill_(-radius)
    return net


@pytest.mark.parametrize("n", range(1, 7))
def test_lines_in_general_position_reach_the_arrangement_bound(n):
    assert regions.count_regions(tangent_lines_network(n), resolution=400) == 1 + n + n * (n - 1) // 2
    assert regions.max_regions_one_layer(n) == 1 + n + n * (n - 1) // 2


def test_the_bound_on_a_line_is_width_plus_one_and_grows_with_dimension():
    assert [regions.max_regions_one_layer(n, in_features=1) for n in range(5)] == [1, 2, 3, 4, 5]
    assert regions.max_regions_one_layer(3, in_features=3) == 8  # three planes: the eight octants


def test_parallel_lines_make_fewer_regions():
    net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]]))
        net[0].bias.copy_(torch.tensor([1.0, 0.0, -1.0]))  # x1 = -1, 0, 1: four strips
    assert regions.count_regions(net) == 4


def test_every_region_is_one_affine_map():
    """Inside a region the Jacobian is the same everywhere, as piecewise linearity demands."""
    net = regions.random_relu_network(width=6, depth=2, seed=3).double()
    region = regions.region_map(net, resolution=60)
    points = regions.grid(resolution=60).double()
    labels = region.labels.reshape(-1)
    jacobians = torch.func.vmap(torch.func.jacrev(net))(points).reshape(len(points), -1).detach().numpy()
    for label in np.unique(labels)[:25]:
        inside = jacobians[labels == label]
        np.testing.assert_allclose(inside, inside[:1].repeat(len(inside), axis=0), atol=1e-10)
    assert region.count == len(np.unique(labels))


def test_boundaries_mark_where_the_region_changes():
    net = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
    with torch.no_grad():
        net[0].weight.copy_(torch.eye(2))
        net[0].bias.zero_()
    region = regions.region_map(net, resolution=20)  # the axes fall between grid points 9 and 10
    edges = region.boundaries()
    assert region.count == 4
    assert edges[:, 9].all() and edges[9, :].all() and edges.sum() == 20 + 20 - 1
    assert region.active.max() == 2 and region.active.min() == 0


@settings(max_examples=60, deadline=None)
@given(arrays(bool, st.tuples(st.integers(1, 40), st.integers(1, 20))))
def test_equal_patterns_get_equal_ids_and_ids_count_from_zero(patterns):
    ids = regions.pattern_ids(patterns)
    for i in range(len(patterns)):
        for j in range(len(patterns)):
            assert (ids[i] == ids[j]) == bool(np.array_equal(patterns[i], patterns[j]))
    assert ids[0] == 0 and set(ids) == set(range(ids.max() + 1))


def test_random_networks_are_seeded_and_have_the_asked_shape():
    a, b = regions.random_relu_network(8, 3, seed=1), regions.random_relu_network(8, 3, seed=1)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert [m.out_features for m in a if isinstance(m, nn.Linear)] == [8, 8, 8, 1]
