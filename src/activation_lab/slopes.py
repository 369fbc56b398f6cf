"""Networks whose units keep a slope on the negative side, and the units they switch off.

Every hidden activation here is an ``nn.PReLU``: ``max(0, z) + a * min(0, z)`` with a
slope ``a`` that is an ordinary parameter. Left free, ``a`` is learned (PReLU, He et al.,
2015). Held fixed, ``a`` is a Leaky ReLU with ``negative_slope=a``, and ``a = 0`` is ReLU.
Because the slope is a parameter, networks with different slopes can be stacked into one
:class:`~activation_lab.nets.Ensemble` and trained together; :func:`hold_slopes` keeps the
slopes of chosen runs where they started.

A unit is *off for every input* of a data set when its pre-activation is at most 0 on all of
them. With ReLU such a unit is dead: it outputs 0 and gets no gradient from these inputs.
With a leak it still gets a gradient, ``a`` times smaller, and can come back.

>>> import torch
>>> net = leaky_mlp(3, [4, 4], 2, alpha=0.0, seed=0)
>>> x = torch.randn(10, 3)
>>> relu_net = torch.nn.Sequential(net[0], torch.nn.ReLU(), net[2], torch.nn.ReLU(), net[4])
>>> torch.equal(net(x), relu_net(x))           # a slope of 0 is ReLU
True
>>> layer_slopes(net)
[0.0, 0.0]
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from activation_lab import data, nets, training


def leaky_mlp(in_features: int, hidden: Sequence[int], out_features: int, alpha: float, *,
              seed: int | None = None) -> nn.Sequential:
    """Linear, PReLU(alpha), ..., Linear: one slope per hidden layer, starting at ``alpha``."""
    if seed is not None:
        torch.manual_seed(seed)
    layers: list[nn.Module] = []
    width_in = in_features
    for width in hidden:
        layers += [nn.Linear(width_in, width), nn.PReLU(init=alpha)]
        width_in = width
    layers.append(nn.Linear(width_in, out_features))
    return nn.Sequential(*layers)


def layer_slopes(model: nn.Module) -> list[float]:
    """The slope of every PReLU layer of an ordinary network, input side first."""
    return [float(m.weight.detach().mean()) for m in model.modules() if isinstance(m, nn.PReLU)]


def _slope_keys(ensemble: nets.Ensemble) -> list[str]:
    # named_stacked() keeps the layers in forward order; the ParameterDict itself is sorted by name.
    return [name.replace(".", "/") for name, _ in ensemble.named_stacked()
            if isinstance(ensemble._template.get_submodule(name.rsplit(".", 1)[0]), nn.PReLU)]


def ensemble_slopes(ensemble: nets.Ensemble) -> np.ndarray:
    """The slopes of every run and PReLU layer of an ensemble, shape (runs, layers)."""
    keys = _slope_keys(ensemble)
    return np.stack([ensemble.stacked[k].detach().reshape(ensemble.runs, -1).mean(dim=1).numpy() for k in keys],
                    axis=1)


def hold_slopes(ensemble: nets.Ensemble, runs: Sequence[int]) -> Callable[[int, nn.Module], None]:
    """A ``training.train`` callback that keeps the slopes of ``runs`` where they started.

    It zeroes those runs' slope gradients before every optimiser step. Adam then never moves
    them: its update is proportional to the running mean of the gradient, which stays 0.
    """
    keys, held = _slope_keys(ensemble), list(runs)

    def callback(_step: int, _model: nn.Module) -> None:
        for key in keys:
            grad = ensemble.stacked[key].grad
            if grad is not None:
                grad[held] = 0.0

    return callback


def preactivations(model: nn.Module, X: torch.Tensor) -> list[torch.Tensor]:
    """The input of every PReLU layer (the pre-activations) for the batch ``X``."""
    found: list[torch.Tensor] = []
    hooks = [m.register_forward_hook(lambda _m, inputs, _out: found.append(inputs[0].detach()))
             for m in model.modules() if isinstance(m, nn.PReLU)]
    try:
        with torch.no_grad():
            model(X)
    finally:
        for hook in hooks:
            hook.remove()
    return found


def off_units(model: nn.Module, X: torch.Tensor) -> list[np.ndarray]:
    """For every hidden layer, which units have pre-activation <= 0 for every row of ``X``."""
    return [(z <= 0).all(dim=0).numpy() for z in preactivations(model, X)]


@dataclass(frozen=True)
class LeakSweep:
    """One network trained once per leak, from the same initial weights."""

    alphas: tuple[float, ...]
    largest_preactivation: np.ndarray  # (alphas, hidden units) each unit's largest pre-activation on the training set
    test_accuracy: np.ndarray  # (alphas,)
    train_accuracy: np.ndarray  # (alphas,)

    @property
    def off_counts(self) -> np.ndarray:
        """How many hidden units are off for every training input, for each leak."""
        return (self.largest_preactivation <= 0).sum(axis=1)

    def smallest_alpha_without_off_units(self) -> float | None:
        """The first leak in ``alphas`` after whose training no unit is off for every input."""
        for alpha, count in zip(self.alphas, self.off_counts):
            if count == 0:
                return alpha
        return None


@functools.lru_cache(maxsize=8)
def leak_sweep(alphas: tuple[float, ...] = (0.0, 0.001, 0.01, 0.03, 0.1, 0.3), *, seed: int = 0,
               hidden: tuple[int, ...] = (32, 32), lr: float = 0.05, steps: int = 60) -> LeakSweep:
    """Train the same digits classifier (seed ``seed``) once for each fixed leak, together.

    The learning rate is deliberately high, so that some units are pushed off for good; the
    sweep shows how many stay off with each leak. Cached: a chapter and its exercise
    checker share one computation.
    """
    digits = data.digits()
    runs = nets.Ensemble(lambda i: leaky_mlp(64, hidden, 10, alpha=alphas[i], seed=seed), range(len(alphas)))
    history = training.train(runs, digits.X, digits.y, loss="cross_entropy", steps=steps, lr=lr,
                             record_every=steps, X_test=digits.X_test, y_test=digits.y_test,
                             callback=hold_slopes(runs, range(len(alphas))))
    largest = [np.concatenate([z.max(dim=0).values.numpy() for z in preactivations(runs.member(r), digits.X)])
               for r in range(len(alphas))]
    return LeakSweep(tuple(alphas), np.stack(largest), history.test_metric[:, -1], history.metric[:, -1])
