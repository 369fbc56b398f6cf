"""The forward pass and the backward pass of each activation, timed separately, relative to ReLU.

An activation is computed once on the way forward and differentiated once on the way back,
and the two can cost very different amounts (PReLU's backward pass also computes the gradient
of its slope, for instance). :func:`relative_costs` times each pass on its own: the forward
pass on a fresh input, the backward pass from a graph built once. As in
``activation_lab.cost``, each round times every function in turn and divides by ReLU's time
in the same round, so a busy moment on the machine affects every ratio alike; within a round
each time is the best of three short bursts; several rounds give the spread.

>>> result = relative_costs(["tanh", "step"], elements=4096, repeats=3, calls=2)
>>> result["relu"].forward.tolist()                      # ReLU against itself
[1.0, 1.0, 1.0]
>>> result["tanh"].backward.shape, result["step"].backward   # PyTorch cannot differentiate the step
((3,), None)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from activation_lab import functions

REFERENCE = "relu"
Runner = Callable[[], object]


@dataclass(frozen=True)
class Cost:
    """Time relative to ReLU, one entry per round (``backward`` is None without a derivative)."""

    forward: np.ndarray
    backward: np.ndarray | None


def _seconds_per_call(run: Runner, calls: int, bursts: int = 3) -> float:
    """Seconds per call: the best of a few short bursts, so that an interruption by another
    program on the machine lengthens one burst but not the result."""
    run()  # warm-up, untimed
    # CPU time of this thread (PyTorch computes here with one thread): another program
    # competing for the cores slows the wall clock but not this count.
    best = float("inf")
    for _ in range(bursts):
        started = time.thread_time()
        for _ in range(calls):
            run()
        best = min(best, (time.thread_time() - started) / calls)
    return best


def interleaved_rounds(runners: Mapping[str, Runner], rounds: int, calls: int,
                       bursts: int = 3) -> dict[str, np.ndarray]:
    """Seconds per call of each runner, one entry per round; every round runs them all in turn,
    so a busy moment on the machine falls on all of them alike."""
    seconds: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(rounds):
        for name, run in runners.items():
            seconds[name].append(_seconds_per_call(run, calls, bursts))
    return {name: np.array(values) for name, values in seconds.items()}


def _backward_runner(function, x: torch.Tensor) -> Runner | None:
    """A callable computing only the gradient of ``function`` at ``x``, or None if PyTorch has none."""
    leaf = x.detach().clone().requires_grad_(True)
    try:
        out = function(leaf)
        grad_out = torch.ones_like(out)
        torch.autograd.grad(out, leaf, grad_out, retain_graph=True)
    except RuntimeError:  # torch.heaviside: "the derivative ... is not implemented"
        return None
    return lambda: torch.autograd.grad(out, leaf, grad_out, retain_graph=True)


def linear_layer(width: int, seed: int = 0) -> Callable[[torch.Tensor], torch.Tensor]:
    """A ``width`` x ``width`` linear layer applied to the elements as rows of length ``width``.

    For comparison: the matrix product that comes before every activation in a dense network.
    """
    layer = torch.nn.Linear(width, width)
    with torch.no_grad():
        generator = torch.Generator().manual_seed(seed)
        layer.weight.copy_(torch.randn(width, width, generator=generator) / width**0.5)
    return lambda x: layer(x.view(-1, width)).view(x.shape)


def relative_costs(names: Sequence[str], *, elements: int = 2**18, repeats: int = 7, calls: int = 5,
                   extra: Mapping[str, Callable[[torch.Tensor], torch.Tensor]] | None = None,
                   seed: int = 0) -> dict[str, Cost]:
    """Forward and backward time of each activation, separately, as ratios to ReLU's.

    ``names`` are registry names (their ``torch_function`` is timed); ``extra`` adds other
    tensor functions under their own labels. The input is a float32 tensor of ``elements``
    standard normal numbers; ``repeats`` rounds, each timing the best of three bursts of ``calls``
    calls. ReLU is always in the result.
    """
    x = torch.randn(elements, generator=torch.Generator().manual_seed(seed))
    timed = {REFERENCE: functions.get(REFERENCE).torch_function}
    timed.update({name: functions.get(name).torch_function for name in names})
    timed.update(extra or {})
    backward_runners = {name: _backward_runner(f, x) for name, f in timed.items()}
    forward = interleaved_rounds({name: (lambda f=f: f(x)) for name, f in timed.items()}, repeats, calls)
    differentiable = {name: run for name, run in backward_runners.items() if run is not None}
    backward = interleaved_rounds(differentiable, repeats, calls)
    return {
        name: Cost(forward[name] / forward[REFERENCE],
                   backward[name] / backward[REFERENCE] if name in backward else None)
        for name in timed
    }
