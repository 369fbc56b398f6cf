"""Gradient flow, layer by layer: gradient norms, update-to-weight ratios, clipping.

Every function here takes a model with a leading *run* dimension on its weights (a
:class:`~activation_lab.stacks.DeepStacks` or a :class:`~activation_lab.nets.Ensemble`) or an
ordinary network (one run), and returns NumPy arrays of shape (runs, layers), input side
first; the output layer is the last column.

>>> from activation_lab import stacks, training
>>> X, y = torch.randn(20, 2), torch.randint(0, 3, (20,))
>>> runs = stacks.DeepStacks(2, 16, 3, "sigmoid", depths=[6, 6], seeds=[0, 1])
>>> training.per_run_loss(runs(X), y, "cross_entropy").sum().backward()
>>> norms = layer_gradient_norms(runs)
>>> norms.shape                                   # 2 runs, 6 hidden layers + the output layer
(2, 7)
>>> bool(np.all(norms[:, 0] < norms[:, -2]))      # sigmoid: the first layer gets the least
True
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from activation_lab import data, nets, stacks, training

# The settings of the depth sweep behind the chapter on vanishing gradients and its explorer.
SWEEP_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "gelu", "selu")
SWEEP_INITS = ("default", "kaiming")
SWEEP_DEPTHS = tuple(range(2, 33, 2))
SWEEP_SEEDS = tuple(range(5))
SWEEP_WIDTH = 32
EXPLORER_DEPTHS = (4, 8, 12, 16, 24, 32)  # the depths the chapter's explorer draws


def weights_and_gradients(model: nn.Module) -> list[tuple[torch.Tensor, torch.Tensor | None]]:
    """(weight, gradient) of every linear layer, each with a leading run dimension.

    Weights are live tensors (not copies); a gradient is None before the first backward pass.
    """
    if isinstance(model, stacks.DeepStacks):
        pairs = [(model.input_weight, model.input_weight.grad)]
        hidden_grad = model.hidden_weight.grad
        for k in range(model.max_depth - 1):
            pairs.append((model.hidden_weight[:, k], None if hidden_grad is None else hidden_grad[:, k]))
        return pairs + [(model.output_weight, model.output_weight.grad)]
    if isinstance(model, nets.Ensemble):
        pairs = []
        for name, module in model._template.named_modules():
            if isinstance(module, (nn.Linear, nn.Conv1d, nn.Conv2d)):
                weight = model.stacked[f"{name}.weight".replace(".", "/")]
                pairs.append((weight, weight.grad))
        return pairs
    return [(m.weight[None], None if m.weight.grad is None else m.weight.grad[None])
            for m in model.modules() if isinstance(m, (nn.Linear, nn.Conv1d, nn.Conv2d))]


def _run_norms(tensors: list[torch.Tensor]) -> np.ndarray:
    return np.stack([t.detach().double().flatten(1).norm(dim=1).numpy() for t in tensors], axis=1)


def layer_gradient_norms(model: nn.Module) -> np.ndarray:
    """Frobenius norm of each layer's weight gradient, shape (runs, layers). Call after backward.

    For a DeepStacks run shorter than the deepest one, the unused layers (between its last
    hidden layer and the output layer) hold 0; :func:`run_profile` drops them.
    """
    pairs = weights_and_gradients(model)
    if any(g is None for _, g in pairs):
        raise ValueError("a layer has no gradient yet: call loss.backward() first")
    return _run_norms([g for _, g in pairs])


def layer_weight_norms(model: nn.Module) -> np.ndarray:
    """Frobenius norm of each layer's weights, shape (runs, layers)."""
    return _run_norms([w for w, _ in weights_and_gradients(model)])


def run_profile(model: stacks.DeepStacks, values: np.ndarray, run: int) -> np.ndarray:
    """The entries of one row of a (runs, layers) array that belong to run ``run``'s layers."""
    depth = model.depths[run]
    return np.concatenate([values[run, :depth], values[run, -1:]])


class FlowRecorder:
    """A ``training.train`` callback recording per-layer gradient and update statistics.

    Every ``every`` steps it stores, for each run and layer, the gradient norm, the weight
    norm, and the update-to-weight ratio ||W_next - W|| / ||W|| of the step just taken. The
    callback runs after the backward pass and before the optimiser step, so it sees the
    weights a step is about to change; it measures the update by keeping a copy of them
    until its next call. Arrays have shape (records, runs, layers).
    """

    def __init__(self, every: int = 1):
        self.every = every
        self.steps: list[int] = []
        self._grads, self._weights, self._updates = [], [], []
        self._pending: tuple[int, list[torch.Tensor]] | None = None

    def __call__(self, step: int, model: nn.Module) -> None:
        pairs = weights_and_gradients(model)
        if self._pending is not None and self._pending[0] == step - 1:
            before = self._pending[1]
            changes = [w.detach() - b for (w, _), b in zip(pairs, before)]
            self._updates.append(_run_norms(changes) / _run_norms(before))
        self._pending = None
        if step % self.every == 0:
            self.steps.append(step)
            self._grads.append(_run_norms([g for _, g in pairs]))
            self._weights.append(_run_norms([w for w, _ in pairs]))
            self._pending = (step, [w.detach().clone() for w, _ in pairs])

    @property
    def gradient_norms(self) -> np.ndarray:
        return np.stack(self._grads)

    @property
    def weight_norms(self) -> np.ndarray:
        return np.stack(self._weights)

    @property
    def gradient_to_weight(self) -> np.ndarray:
        """||grad W|| / ||W||: how large the gradient is next to the weights it changes."""
        return self.gradient_norms / self.weight_norms

    @property
    def update_to_weight(self) -> np.ndarray:
        """||Delta W|| / ||W|| of the recorded steps (the last recorded step may be missing)."""
        return np.stack(self._updates)


def clip_per_run(model: nn.Module, max_norm: float) -> np.ndarray:
    """Clip the gradient of each run to total norm ``max_norm``, as ``clip_grad_norm_`` would.

    ``torch.nn.utils.clip_grad_norm_`` on stacked runs would measure all runs together and
    let one exploding run shrink the others; this scales each run by its own factor
    min(1, max_norm / (norm + 1e-6)). Returns each run's norm before clipping.
    """
    grads = [p.grad for p in model.parameters() if p.grad is not None]
    norms = torch.sqrt(sum(g.flatten(1).pow(2).sum(dim=1) for g in grads))
    factor = torch.clamp(max_norm / (norms + 1e-6), max=1.0)
    for g in grads:
        g.mul_(factor.view(-1, *([1] * (g.ndim - 1))))
    return norms.detach().numpy()


def scale_per_run(model: nn.Module, factors) -> None:
    """Multiply run r's gradients by ``factors[r]``.

    Called between backward and an SGD step (with or without momentum), this gives run r the
    learning rate ``lr * factors[r]``, so one batched training run can sweep learning rates.
    (Not for Adam, whose steps do not depend on the gradient's scale.)
    """
    factors = torch.as_tensor(factors, dtype=torch.float32)
    for p in model.parameters():
        if p.grad is not None:
            p.grad.mul_(factors.view(-1, *([1] * (p.grad.ndim - 1))))


def combine_callbacks(*callbacks: Callable[[int, nn.Module], None]) -> Callable[[int, nn.Module], None]:
    """One callback that calls each of ``callbacks`` in order (for example, clip, then record)."""
    def combined(step: int, model: nn.Module) -> None:
        for callback in callbacks:
            callback(step, model)

    return combined


def sweep_data() -> data.Dataset:
    """The small data set of the depth sweep: 60 points of the three-armed spirals."""
    return data.spirals(n_per_class=20, seed=0)


@functools.cache
def gradient_profiles(activation: str, init: str) -> dict[int, np.ndarray]:
    """Per-layer weight-gradient norms at initialisation, for every depth of the sweep.

    Maps each depth in ``SWEEP_DEPTHS`` to an array (seeds, depth + 1): the hidden layers,
    then the output layer, of MLPs of width ``SWEEP_WIDTH`` on :func:`sweep_data`, with the
    cross-entropy loss. Cached: the chapter's explorer and its checker share one computation.
    """
    ds = sweep_data()
    profiles = {}
    for depth in SWEEP_DEPTHS:
        model = stacks.DeepStacks(2, SWEEP_WIDTH, ds.classes, activation, depths=[depth] * len(SWEEP_SEEDS),
                                  seeds=SWEEP_SEEDS, init=init)
        training.per_run_loss(model(ds.X), ds.y, "cross_entropy").sum().backward()
        profiles[depth] = layer_gradient_norms(model)
    return profiles


def first_to_last(activation: str, init: str) -> np.ndarray:
    """The ratio of the first layer's gradient norm to the output layer's, for each sweep depth.

    The geometric mean over seeds; an array aligned with ``SWEEP_DEPTHS``.
    """
    profiles = gradient_profiles(activation, init)
    with np.errstate(divide="ignore"):
        ratios = [np.exp(np.mean(np.log(p[:, 0] / p[:, -1]))) for p in profiles.values()]
    return np.array(ratios)


def first_depth_below(activation: str, init: str, level: float = 1e-6,
                      depths: tuple[int, ...] = SWEEP_DEPTHS) -> int | None:
    """The smallest of ``depths`` (sweep depths) at which the first-to-last ratio falls below ``level``."""
    below = [d for d, r in zip(SWEEP_DEPTHS, first_to_last(activation, init)) if r < level and d in depths]
    return below[0] if below else None
