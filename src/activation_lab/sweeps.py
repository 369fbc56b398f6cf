"""Learning-rate sweeps inside one ensemble: every (learning rate, seed) pair is one run.

An :class:`~activation_lab.nets.Ensemble` trains its runs together, all with the optimiser's
one learning rate. For plain gradient descent and for momentum, scaling run r's gradient by
a factor c_r before the step is exactly the same as giving run r the learning rate
c_r * lr (both optimisers are linear in the gradient). :func:`per_run_learning_rates` does
that from :func:`~activation_lab.training.train`'s callback, so a whole sweep costs one
batched training. (Adam divides the scale out again, so it does not work there.)

>>> from activation_lab import data, nets, training
>>> grid = Grid(learning_rates=[0.1, 1.0], seeds=range(3))
>>> grid.seeds_per_run, grid.learning_rates_per_run
([0, 1, 2, 0, 1, 2], [0.1, 0.1, 0.1, 1.0, 1.0, 1.0])
>>> xor = data.xor(seed=0)
>>> runs = nets.Ensemble(lambda s: nets.mlp(2, [8], 2, "tanh", seed=s), grid.seeds_per_run)
>>> history = training.train(runs, xor.X, xor.y, loss="cross_entropy", steps=50, lr=1.0,
...                          optimizer="momentum", callback=per_run_learning_rates(grid))
>>> grid.split(history.loss).shape             # (learning rates, seeds, records)
(2, 3, 6)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn


@dataclass(frozen=True)
class Grid:
    """Learning rates x seeds, laid out learning rate by learning rate."""

    learning_rates: Sequence[float]
    seeds: Iterable[int]

    def __post_init__(self):
        object.__setattr__(self, "learning_rates", [float(lr) for lr in self.learning_rates])
        object.__setattr__(self, "seeds", list(self.seeds))
        if not self.learning_rates or not self.seeds:
            raise ValueError("a grid needs at least one learning rate and one seed")
        if min(self.learning_rates) <= 0:
            raise ValueError(f"learning rates must be positive, got {self.learning_rates}")

    @property
    def seeds_per_run(self) -> list[int]:
        return [seed for _ in self.learning_rates for seed in self.seeds]

    @property
    def learning_rates_per_run(self) -> list[float]:
        return [lr for lr in self.learning_rates for _ in self.seeds]

    def split(self, per_run: np.ndarray) -> np.ndarray:
        """An array with a leading run axis reshaped to (learning rates, seeds, ...)."""
        per_run = np.asarray(per_run)
        return per_run.reshape(len(self.learning_rates), len(self.seeds), *per_run.shape[1:])


def per_run_learning_rates(grid: Grid) -> Callable[[int, nn.Module], None]:
    """A ``training.train`` callback giving each run of an Ensemble its grid learning rate.

    Train with ``lr=1.0`` and ``optimizer="sgd"`` or ``"momentum"``. The callback multiplies
    each stacked parameter's gradient by its run's learning rate before the step.
    """
    factors = torch.tensor(grid.learning_rates_per_run)

    def scale_gradients(_step: int, model: nn.Module) -> None:
        stacked = getattr(model, "stacked", None)
        if stacked is None:
            raise TypeError("per-run learning rates need an nets.Ensemble (its runs share one optimiser)")
        for parameter in stacked.values():
            if parameter.shape[0] != len(factors):
                raise ValueError(f"the ensemble has {parameter.shape[0]} runs but the grid has {len(factors)}")
            if parameter.grad is not None:
                parameter.grad.mul_(factors.to(parameter.grad.dtype).view(-1, *[1] * (parameter.ndim - 1)))

    return scale_gradients


def best_learning_rate(grid: Grid, final_loss: np.ndarray) -> float:
    """The grid learning rate with the lowest mean final loss over seeds (diverged runs count as inf)."""
    per_lr = grid.split(np.where(np.isfinite(final_loss), final_loss, np.inf)).mean(axis=1)
    return grid.learning_rates[int(np.argmin(per_lr))]


def steps_to_reach(steps: np.ndarray, curves: np.ndarray, threshold: float) -> np.ndarray:
    """For each curve (last axis = records at ``steps``), the first recorded step at which it is
    at or below ``threshold``; NaN where it never gets there."""
    curves = np.asarray(curves, dtype=float)
    below = curves <= threshold
    first = np.argmax(below, axis=-1)
    return np.where(below.any(axis=-1), np.asarray(steps)[first], np.nan)
