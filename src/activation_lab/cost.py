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

from collections.abc import Callable, Mapping

import numpy as np
import torch

from activation_lab import timing

REFERENCE = timing.REFERENCE


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

    # One burst per round: the rounds themselves give the spread the chapter reports.
    seconds = timing.interleaved_rounds({name: forward_backward(f) for name, f in timed.items()},
                                        rounds, calls, bursts=1)
    return {name: s / seconds[reference] for name, s in seconds.items()}
