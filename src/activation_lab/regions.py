"""The linear regions of a ReLU network with a 2-D input, found on a grid and drawn.

A ReLU network is piecewise linear: wherever the pattern of switched-on units is the same,
it computes the same affine map. Every distinct pattern over a square of the plane is one
*activation region* (Hanin & Rolnick, 2019). We sample the square on a fine grid, give each
grid point the id of its pattern, and count the ids. Regions smaller than a grid cell can be
missed, so a grid count is a lower bound that rises towards the true count as the grid gets
finer.

>>> import torch
>>> from torch import nn
>>> net = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
>>> with torch.no_grad():                      # two hinges: the lines x1 = 0 and x2 = 0
...     _ = net[0].weight.copy_(torch.eye(2)), net[0].bias.zero_()
>>> count_regions(net)                         # the four quadrants
4
>>> max_regions_one_layer(2)                   # the most that two lines can make
4
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb

import numpy as np
import torch
from torch import nn

from activation_lab import diagnostics

LOW, HIGH = -3.0, 3.0
RESOLUTION = 200


@dataclass(frozen=True)
class RegionMap:
    """Where each region lies on a square grid of the plane."""

    labels: np.ndarray  # (resolution, resolution) region id of every grid point, row = x2, column = x1
    active: np.ndarray  # (resolution, resolution) how many hidden units are on at each grid point
    extent: tuple[float, float, float, float]  # (x1 low, x1 high, x2 low, x2 high), for imshow

    @property
    def count(self) -> int:
        """The number of distinct regions seen on the grid."""
        return int(self.labels.max()) + 1

    def boundaries(self) -> np.ndarray:
        """True at grid points whose right or upper neighbour lies in another region."""
        edge = np.zeros(self.labels.shape, dtype=bool)
        edge[:, :-1] |= self.labels[:, :-1] != self.labels[:, 1:]
        edge[:-1, :] |= self.labels[:-1, :] != self.labels[1:, :]
        return edge


def grid(low: float = LOW, high: float = HIGH, resolution: int = RESOLUTION) -> torch.Tensor:
    """The grid points of the square [low, high]^2, shape (resolution^2, 2), x1 varying fastest."""
    ticks = torch.linspace(low, high, resolution)
    x2, x1 = torch.meshgrid(ticks, ticks, indexing="ij")
    return torch.stack([x1.reshape(-1), x2.reshape(-1)], dim=1)


def pattern_ids(patterns: np.ndarray) -> np.ndarray:
    """One integer per row of a boolean (points, units) array: equal rows get equal ids.

    Ids are numbered in order of first appearance, so they do not depend on how NumPy sorts.
    """
    patterns = np.asarray(patterns, dtype=bool)
    packed = np.ascontiguousarray(np.packbits(patterns, axis=1))
    rows = packed.view(np.dtype((np.void, packed.shape[1]))).reshape(-1)
    _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))  # rank of each unique row by its first appearance
    return order[inverse.reshape(-1)]


def region_map(model: nn.Module, low: float = LOW, high: float = HIGH, resolution: int = RESOLUTION) -> RegionMap:
    """The activation regions of ``model`` (2 inputs) over the square [low, high]^2."""
    points = grid(low, high, resolution).to(next(model.parameters()).dtype)
    patterns = diagnostics.activation_patterns(model, points)
    shape = (resolution, resolution)
    return RegionMap(pattern_ids(patterns).reshape(shape), patterns.sum(axis=1).reshape(shape),
                     (low, high, low, high))


def count_regions(model: nn.Module, low: float = LOW, high: float = HIGH, resolution: int = RESOLUTION) -> int:
    """How many activation regions of ``model`` the grid over [low, high]^2 finds."""
    return region_map(model, low, high, resolution).count


def max_regions_one_layer(width: int, in_features: int = 2) -> int:
    """The most regions ``width`` ReLU units of one hidden layer can cut R^in_features into.

    Each unit switches on one side of a hyperplane; ``width`` hyperplanes in general position
    make sum_{k <= in_features} C(width, k) regions (Zaslavsky, 1975). In the plane this is
    1 + width + width (width - 1) / 2.
    """
    return sum(comb(width, k) for k in range(in_features + 1))


def random_relu_network(width: int, depth: int, seed: int) -> nn.Sequential:
    """A ReLU network with 2 inputs, ``depth`` hidden layers of ``width`` units, 1 output.

    PyTorch's default initialisation (what ``nn.Linear`` gives a reader), seeded.
    """
    torch.manual_seed(seed)
    layers: list[nn.Module] = []
    width_in = 2
    for _ in range(depth):
        layers += [nn.Linear(width_in, width), nn.ReLU()]
        width_in = width
    layers.append(nn.Linear(width_in, 1))
    return nn.Sequential(*layers)
