"""Dead units: finding them, counting them during training, and the learning-rate sweep.

A ReLU unit is *dead* on a data set when its pre-activation is negative (or zero) for every
input: it then outputs 0 everywhere, and its incoming weights and bias receive a gradient of
exactly 0. The same test, "off for every input", applies to any activation; for Leaky ReLU,
ELU or GELU such a unit still passes a (small) gradient, so it is inactive but not stuck.

>>> z = torch.tensor([[[-1.0, 2.0], [-0.5, -3.0]]])   # 1 run, 2 inputs, 2 units
>>> inactive_units([z]).tolist()                       # unit 0 is off for both inputs
[[[True, False]]]
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from activation_lab import data, gradients, nets, stacks, training


def inactive_units(pre_activations: Sequence[torch.Tensor]) -> torch.Tensor:
    """Which units are off (z <= 0) for every input: (runs, layers, width) booleans.

    ``pre_activations`` is a list over layers of (runs, samples, width) tensors, as
    :meth:`~activation_lab.stacks.DeepStacks.pre_activations` returns.
    """
    return torch.stack([(z <= 0).all(dim=1) for z in pre_activations], dim=1)


def inactive_fraction(model: stacks.DeepStacks, X: torch.Tensor) -> np.ndarray:
    """The share of hidden units of each run that are off for every input in ``X``; shape (runs,).

    A run whose pre-activations are no longer finite (training diverged) gets NaN.
    """
    with torch.no_grad():
        return _fractions(model.pre_activations(X))[0]


def _fractions(pre: Sequence[torch.Tensor]) -> tuple[np.ndarray, torch.Tensor]:
    off = inactive_units(pre)
    finite = torch.stack([torch.isfinite(z).flatten(1).all(dim=1) for z in pre]).all(dim=0)
    fractions = off.double().mean(dim=(1, 2))
    return torch.where(finite, fractions, torch.nan).numpy(), off


class PerRunActivation(nn.Module):
    """Different activations for consecutive groups of runs, so one DeepStacks can compare them.

    ``activations`` are registry names; the first ``runs_each`` runs use the first one, and so
    on. Inputs have the run dimension first.
    """

    def __init__(self, activations: Sequence[str], runs_each: int):
        super().__init__()
        self.names = list(activations)
        self.runs_each = runs_each
        self.modules_ = nn.ModuleList(nets.activation_module(name) for name in self.names)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if z.shape[0] != len(self.modules_) * self.runs_each:
            raise ValueError(f"expected {len(self.modules_) * self.runs_each} runs, got {z.shape[0]}")
        groups = z.split(self.runs_each, dim=0)
        return torch.cat([f(g) for f, g in zip(self.modules_, groups)], dim=0)


class InactiveRecorder:
    """A ``training.train`` callback recording each run's inactive fraction every ``every`` steps.

    It measures on ``X`` with the weights of the step about to be taken; ``fractions`` has
    shape (records, runs) and ``steps`` the step of each record.
    """

    def __init__(self, X: torch.Tensor, every: int = 5):
        self.X, self.every = X, every
        self.steps: list[int] = []
        self._fractions: list[np.ndarray] = []
        self.off: list[torch.Tensor] = []  # per record: (runs, layers, width) booleans

    def __call__(self, step: int, model: nn.Module) -> None:
        if step % self.every == 0:
            with torch.no_grad():
                fractions, off = _fractions(model.pre_activations(self.X))
            self.steps.append(step)
            self._fractions.append(fractions)
            self.off.append(off)

    @property
    def fractions(self) -> np.ndarray:
        return np.stack(self._fractions)


# The learning-rate sweep of the chapter on dead neurons (and of its explorer and checker).
SWEEP_ACTIVATIONS = ("relu", "leaky_relu", "elu", "gelu")
SWEEP_LEARNING_RATES = (0.1, 0.3, 0.6, 1.0, 1.5, 2.0, 3.0, 5.0)
SWEEP_SEEDS = tuple(range(5))
SWEEP_STEPS, SWEEP_WIDTH, SWEEP_DEPTH = 50, 32, 3


def sweep_data() -> data.Dataset:
    """The training data of the sweep: 90 points of the three spiral arms."""
    return data.spirals(n_per_class=30, seed=0)


@functools.cache
def learning_rate_sweep(init: str = "default", norm: str | None = None,
                        activations: tuple[str, ...] = SWEEP_ACTIVATIONS) -> dict[str, np.ndarray]:
    """Train every (activation, learning rate, seed) of the sweep at once, with plain SGD.

    One DeepStacks holds all runs (``PerRunActivation`` gives each group its activation;
    ``gradients.scale_per_run`` gives each run its learning rate). Returns ``steps``
    (records,); ``inactive`` (activations, rates, seeds, records), the share of hidden units
    off for every training input (NaN once a run has diverged); ``accuracy`` (activations,
    rates, seeds) at the end (NaN for diverged runs); and ``revived`` (activations, layers): of
    the units that were off at some record, the share that were on again at the end.
    Cached, so the explorer, the text and the checker share one computation.
    """
    ds = sweep_data()
    A, R, S = len(activations), len(SWEEP_LEARNING_RATES), len(SWEEP_SEEDS)
    seeds = [s for _ in activations for _ in SWEEP_LEARNING_RATES for s in SWEEP_SEEDS]
    model = stacks.DeepStacks(2, SWEEP_WIDTH, ds.classes, PerRunActivation(activations, R * S),
                              depths=[SWEEP_DEPTH] * len(seeds), seeds=seeds, init=init, norm=norm)
    rates = torch.tensor([lr for _ in activations for lr in SWEEP_LEARNING_RATES for _ in SWEEP_SEEDS])
    recorder = InactiveRecorder(ds.X, every=5)

    def callback(step: int, m: nn.Module) -> None:
        recorder(step, m)
        gradients.scale_per_run(m, rates)

    history = training.train(model, ds.X, ds.y, loss="cross_entropy", steps=SWEEP_STEPS, lr=1.0, optimizer="sgd",
                             callback=callback, record_every=SWEEP_STEPS)
    recorder(SWEEP_STEPS, model)  # the state after the last step
    fractions = recorder.fractions  # (records, runs)
    off = torch.stack(recorder.off)  # (records, runs, layers, width)
    ever_off, off_at_end = off[:-1].any(dim=0), off[-1]
    alive = torch.from_numpy(np.isfinite(fractions[-1]))[:, None, None]
    revived = ((ever_off & ~off_at_end & alive).reshape(A, -1, SWEEP_DEPTH, SWEEP_WIDTH).sum(dim=(1, 3))
               / (ever_off & alive).reshape(A, -1, SWEEP_DEPTH, SWEEP_WIDTH).sum(dim=(1, 3)).clamp(min=1))
    accuracy = np.where(np.isfinite(fractions[-1]), history.metric[:, -1], np.nan)
    return {"steps": np.array(recorder.steps), "inactive": fractions.T.reshape(A, R, S, len(recorder.steps)),
            "accuracy": accuracy.reshape(A, R, S), "revived": revived.double().numpy()}


def smallest_killing_rate(activation: str = "relu", share: float = 0.5, init: str = "default") -> float | None:
    """The smallest sweep learning rate after which more than ``share`` of the units are off
    for every input at the end of training (mean over seeds), or None."""
    sweep = learning_rate_sweep(init)
    final = np.nanmean(sweep["inactive"][SWEEP_ACTIVATIONS.index(activation), :, :, -1], axis=1)
    for lr, fraction in zip(SWEEP_LEARNING_RATES, final):
        if fraction > share:
            return lr
    return None
