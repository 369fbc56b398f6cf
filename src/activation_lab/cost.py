"""What an activation costs: time per call in PyTorch on the CPU, as a ratio to ReLU.

Timings depend on the machine, the PyTorch build and whatever else the machine is doing, so
everything here reports *ratios* to ReLU measured side by side. Each round times every
function once, in turn, and divides by ReLU's time in the same round: a slow moment slows
everything measured alongside it, and the ratio survives it. Several rounds give a spread;
report it, never one number.

:func:`cost_ratios` times the forward and the backward pass together, for any tensor
functions. (``activation_lab.timing`` times the two passes separately.)

>>> import torch
>>> ratios = cost_ratios({"relu": torch.relu, "tanh": torch.tanh}, rounds=3, calls=2)
>>> ratios["relu"].tolist()                     # ReLU against itself
[1.0, 1.0, 1.0]
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

import numpy as np
import torch

REFERENCE = "relu"
Runner = Callable[[], object]


def _seconds(run: Runner, calls: int) -> float:
    run()  # warm-up, untimed: the first call may allocate memory or pick a kernel
    # CPU time of this thread (PyTorch computes here with one thread): another program
    # competing for the cores slows the wall clock but not this count.
    started = time.thread_time()
    for _ in range(calls):
        run()
    return (time.thread_time() - started) / calls


def _interleaved(runners: Mapping[str, Runner | None], rounds: int, calls: int) -> dict[str, np.ndarray]:
    """Seconds per call of each runner, one entry per round; every round runs them all in turn."""
    seconds: dict[str, list[float]] = {name: [] for name, run in runners.items() if run is not None}
    for _ in range(rounds):
        for name in seconds:
            seconds[name].append(_seconds(runners[name], calls))
    return {name: np.array(values) for name, values in seconds.items()}


def _input(elements: int, seed: int) -> torch.Tensor:
    return torch.randn(elements, generator=torch.Generator().manual_seed(seed))


def cost_ratios(timed: Mapping[str, Callable[[torch.Tensor], torch.Tensor]], *, rounds: int = 15,
                calls: int = 32, elements: int = 16_384, reference: str = REFERENCE,
                seed: int = 0) -> dict[str, np.ndarray]:
    """Forward plus backward time of each function as a multiple of ``timed[reference]``'s.

    Each call computes f(x) on ``elements`` standard normal float32 numbers and the gradient
    with respect to x. Returns one ratio per round for every function (the reference gets 1).
    """
    if reference not in timed:
        raise KeyError(f"the functions to time must include the reference {reference!r}")
    x = _input(elements, seed).requires_grad_(True)

    def forward_backward(f):
        def run():
            out = f(x)
            return torch.autograd.grad(out, x, torch.ones_like(out))
        return run

    seconds = _interleaved({name: forward_backward(f) for name, f in timed.items()}, rounds, calls)
    return {name: s / seconds[reference] for name, s in seconds.items()}
