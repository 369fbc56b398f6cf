"""Looking inside a network: per-layer activations and gradients, dead and saturated units,
and the linear pieces of a ReLU network.

The functions take an ordinary ``nn.Sequential`` (for an ensemble, take one run with
``Ensemble.member``). "Activation layers" are the modules that follow a linear layer and are
not themselves linear or normalising: ReLU, Tanh, and so on.

>>> import torch
>>> from activation_lab import nets
>>> net = nets.mlp(1, [4], 1, "relu", seed=0)
>>> [a.shape for a in layer_outputs(net, torch.zeros(3, 1))]
[torch.Size([3, 4])]
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

_NOT_ACTIVATIONS = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.BatchNorm1d, nn.BatchNorm2d,
                    nn.LayerNorm, nn.Dropout, nn.Flatten, nn.Sequential, nn.Identity)


def activation_layers(model: nn.Module) -> list[nn.Module]:
    """The activation modules of ``model``, in forward order."""
    return [m for m in model.modules() if not isinstance(m, _NOT_ACTIVATIONS) and not list(m.children())]


def layer_outputs(model: nn.Module, X: torch.Tensor) -> list[torch.Tensor]:
    """The output of every activation layer for the batch ``X`` (no gradients kept)."""
    outputs: list[torch.Tensor] = []
    hooks = [m.register_forward_hook(lambda _m, _i, out: outputs.append(out.detach()))
             for m in activation_layers(model)]
    try:
        with torch.no_grad():
            model(X)
    finally:
        for hook in hooks:
            hook.remove()
    return outputs


def dead_fraction(outputs: torch.Tensor) -> float:
    """Fraction of units (columns) that output exactly 0 for every input (rows).

    A ReLU unit in that state gets no gradient from any of these inputs: it is dead.
    """
    flat = outputs.reshape(outputs.shape[0], -1)
    return float((flat == 0).all(dim=0).float().mean())


def saturated_fraction(outputs: torch.Tensor, threshold: float = 0.97) -> float:
    """Fraction of outputs with absolute value above ``threshold`` (for tanh-like units)."""
    return float((outputs.abs() > threshold).float().mean())


def activation_patterns(model: nn.Module, X: torch.Tensor) -> np.ndarray:
    """For each input, which units of every activation layer are on (output != 0).

    Shape (inputs, total units). Inputs with the same pattern are treated by a ReLU network
    with the same affine map, so each distinct pattern is one linear region.
    """
    return np.concatenate([(out != 0).numpy().reshape(len(X), -1) for out in layer_outputs(model, X)], axis=1)


def count_linear_pieces(model: nn.Module, x: torch.Tensor) -> int:
    """The number of linear pieces of a ReLU network with 1-D input along the sorted grid ``x``.

    Counts how often the activation pattern changes between neighbouring grid points, plus
    one. Pieces narrower than the grid spacing can be missed, so use a fine grid.
    """
    x = torch.sort(x.reshape(-1))[0].reshape(-1, 1)
    patterns = activation_patterns(model, x)
    changes = np.any(patterns[1:] != patterns[:-1], axis=1)
    return int(changes.sum()) + 1


def gradient_norms(model: nn.Module) -> list[float]:
    """The Frobenius norm of the weight gradient of every linear layer, input side first.

    Call after ``loss.backward()``.
    """
    return [float(m.weight.grad.norm()) for m in model.modules()
            if isinstance(m, (nn.Linear, nn.Conv1d, nn.Conv2d)) and m.weight.grad is not None]


def looks_affine(model: nn.Module, in_features: int, trials: int = 200, seed: int = 0,
                 tolerance: float = 1e-4) -> bool:
    """The midpoint test: True if f((a + b) / 2) = (f(a) + f(b)) / 2 for random pairs a, b.

    Every affine map passes; a network with a working non-linearity fails for almost every
    pair that straddles a kink or a bend. A network that passes has lost its activations.
    """
    generator = torch.Generator().manual_seed(seed)
    dtype = next(model.parameters()).dtype
    a, b = torch.randn(2, trials, in_features, generator=generator, dtype=dtype)
    with torch.no_grad():
        midpoint, average = model((a + b) / 2), (model(a) + model(b)) / 2
    scale = float(average.abs().max()) + 1.0
    return bool(float((midpoint - average).abs().max()) / scale < tolerance)
