"""Quick measurements behind the book's decision guide: how much gradient reaches the first layer
of a deep network at initialisation, and what an activation costs, per call and per training step.

Timings are CPU time (not wall time, which grows whenever other programs hold the processor),
taken in turns round after round and divided by the reference's time in the same round.

>>> from activation_lab import data
>>> ratios = gradient_ratio_at_init("sigmoid", depth=10, dataset=data.spirals(), seeds=range(3))
>>> bool(ratios.max() < 1e-3)      # ten sigmoid layers: almost nothing reaches the first layer
True
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

import numpy as np
import torch

from activation_lab import data, functions, nets, training
from activation_lab.benchmark import ACTIVATIONS, HIDDEN, SEEDS, Task


def gradient_ratio_at_init(activation: str, depth: int, dataset: data.Dataset, *, width: int = 32,
                           init: str = "default", seeds: Iterable[int] = SEEDS) -> np.ndarray:
    """Per seed, |grad of the first layer's weights| / |grad of the last layer's weights| for a
    fresh network of ``depth`` hidden layers, from one full-batch backward pass.

    Values far below 1 mean the gradient vanishes on its way back to the first layer.
    """
    runs = nets.Ensemble(lambda seed: nets.mlp(dataset.X.shape[1], [width] * depth, dataset.classes, activation,
                                               init=init, seed=seed), seeds)
    training.per_run_loss(runs(dataset.X), dataset.y, "cross_entropy").sum().backward()
    first, last = runs.stacked["0/weight"].grad, runs.stacked[f"{2 * depth}/weight"].grad
    return (first.flatten(1).norm(dim=1) / last.flatten(1).norm(dim=1)).numpy()


def call_time_ratios(activations: Sequence[str] = ACTIVATIONS, *, reference: str = "relu", size: int = 2**18,
                     rounds: int = 7, calls: int = 3, seed: int = 0) -> dict[str, np.ndarray]:
    """CPU time of ``calls`` forward and backward passes of each activation on ``size`` standard
    normal numbers, divided by ``reference``'s time in the same round: ``rounds`` ratios each.

    The input is large enough (a million bytes) that each timing lasts milliseconds, well above
    the clock's resolution; the activations take turns round after round, as in
    :func:`step_time_ratios`.
    """
    x = torch.randn(size, generator=torch.Generator().manual_seed(seed)).requires_grad_()
    upstream = torch.ones(size)

    def cpu_seconds(name: str) -> float:
        function = functions.get(name).torch_function
        start = time.process_time()
        for _ in range(calls):
            function(x).backward(upstream)
        return time.process_time() - start

    return _paired_ratios(cpu_seconds, activations, reference, rounds)


def _paired_ratios(cpu_seconds, names: Sequence[str], reference: str, rounds: int) -> dict[str, np.ndarray]:
    """Time every name once untimed (warm-up), then ``rounds`` times in turn; ratios to the reference."""
    if reference not in names:
        raise ValueError(f"the reference {reference!r} is not among {list(names)}")
    for name in names:
        cpu_seconds(name)
    seconds = {name: np.empty(rounds) for name in names}
    for r in range(rounds):
        for name in names:
            seconds[name][r] = cpu_seconds(name)
    return {name: times / seconds[reference] for name, times in seconds.items()}


def step_time_ratios(task: Task, activations: Sequence[str] = ACTIVATIONS, *, reference: str = "relu",
                     seeds: Iterable[int] = SEEDS, rounds: int = 7, steps: int = 3) -> dict[str, np.ndarray]:
    """CPU time of a training step (forward, backward, Adam) of the task's network with each
    activation, divided by ``reference``'s time in the same round: ``rounds`` paired ratios each.

    The activations take turns, round after round, so a slow moment on a shared machine hits
    them all alike; CPU time (not wall time) ignores the time other programs hold the processor.
    """
    ds, seeds = task.dataset, tuple(seeds)
    workloads = {}
    for name in activations:
        runs = nets.Ensemble(lambda seed, name=name: nets.mlp(ds.X.shape[1], HIDDEN, task.out_features, name,
                                                              seed=seed), seeds)
        optimizer = torch.optim.Adam(runs.parameters(), lr=task.lr)
        workloads[name] = (runs, optimizer)

    def cpu_seconds(name: str) -> float:
        runs, optimizer = workloads[name]
        start = time.process_time()
        for _ in range(steps):
            optimizer.zero_grad()
            training.per_run_loss(runs(ds.X), ds.y, task.loss).sum().backward()
            optimizer.step()
        return time.process_time() - start

    return _paired_ratios(cpu_seconds, list(workloads), reference, rounds)
