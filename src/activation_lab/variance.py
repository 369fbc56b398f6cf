"""How the scale of a signal changes from layer to layer: second moments, gains, fixed points.

A layer computes z' = a W with a = phi(z). If the weights are independent, have mean 0 and
variance g^2 / fan_in (g is the *gain*), and the pre-activations z are normal with mean 0
and second moment q, then every entry of z' has mean 0 and second moment

    q' = g^2 E[phi(sqrt(q) Z)^2],   Z ~ N(0, 1),

and the error signal going backwards is scaled in the same way by g^2 E[phi'(sqrt(q) Z)^2].
This module computes those expectations by numerical integration (Simpson's rule, split at 0,
where ReLU-like functions have their kink), and from them the gain that keeps q = 1.

>>> round(gain("relu"), 6)                        # sqrt(2): He et al. (2015)
1.414214
>>> round(gain("tanh"), 3), round(gain("selu"), 3)
(1.593, 1.0)
>>> [round(q, 3) for q in propagate("relu", gain=1.0, layers=3)]   # Xavier-like weights halve it
[0.5, 0.25, 0.125]
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import numpy as np
import torch
from scipy import integrate

from activation_lab import functions, stacks

# The names torch.nn.init.calculate_gain knows, for the registry's activations.
PYTORCH_GAIN_NAMES = {"identity": "linear", "sigmoid": "sigmoid", "tanh": "tanh", "relu": "relu",
                      "leaky_relu": "leaky_relu", "selu": "selu"}


def _as_callable(activation, derivative: bool = False) -> Callable[[np.ndarray], np.ndarray]:
    if isinstance(activation, str):
        activation = functions.get(activation)
    if derivative:
        return activation.derivative
    return activation


def gaussian_expectation(f: Callable[[np.ndarray], np.ndarray], q: float = 1.0) -> float:
    """E[f(sqrt(q) Z)] for Z ~ N(0, 1), by Simpson's rule on each side of 0.

    Splitting at 0 keeps the rule exact in order for functions with a kink there (ReLU and its
    relatives); the tails beyond |z| = 12 weigh less than 1e-32 and are left out.
    """
    if not q > 0:
        raise ValueError(f"the second moment q must be positive, got {q!r}")
    scale = math.sqrt(q)
    total = 0.0
    for side, inside in ((_LEFT, _LEFT_INSIDE), (_RIGHT, _RIGHT_INSIDE)):
        values = np.asarray(f(scale * inside), dtype=float) * _normal_pdf(side)
        total += float(integrate.simpson(values, x=side))
    return total


_RIGHT = np.linspace(0.0, 12.0, 4001)
_LEFT = -_RIGHT[::-1]
# Where the integrand is evaluated: the same points, but 0 is approached from inside each half,
# so a function with a jump at 0 (ReLU's derivative) contributes its one-sided limit.
_RIGHT_INSIDE = np.concatenate([[1e-300], _RIGHT[1:]])
_LEFT_INSIDE = -_RIGHT_INSIDE[::-1]


def _normal_pdf(z: np.ndarray) -> np.ndarray:
    return np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)


def second_moment(activation, q: float = 1.0) -> float:
    """E[phi(z)^2] for z ~ N(0, q): what the next layer's weights multiply."""
    phi = _as_callable(activation)
    return gaussian_expectation(lambda z: phi(z) ** 2, q)


def slope_moment(activation, q: float = 1.0) -> float:
    """E[phi'(z)^2] for z ~ N(0, q): what the error signal is multiplied by on its way back."""
    slope = _as_callable(activation, derivative=True)
    return gaussian_expectation(lambda z: slope(z) ** 2, q)


def gain(activation) -> float:
    """The weight gain g (variance g^2 / fan_in) that maps pre-activations with q = 1 to q = 1.

    This is the forward condition; q = 1 is then a fixed point of :func:`variance_map`.
    """
    return 1.0 / math.sqrt(second_moment(activation, 1.0))


def backward_gain(activation) -> float:
    """The gain that keeps the error signal's scale when the pre-activations have q = 1."""
    return 1.0 / math.sqrt(slope_moment(activation, 1.0))


def pytorch_gain(name: str) -> float | None:
    """``torch.nn.init.calculate_gain`` for a registry name, or None where PyTorch has none."""
    if name not in PYTORCH_GAIN_NAMES:
        return None
    if name == "leaky_relu":
        return torch.nn.init.calculate_gain("leaky_relu", functions.get("leaky_relu").params["alpha"])
    return torch.nn.init.calculate_gain(PYTORCH_GAIN_NAMES[name])


def variance_map(activation, q: float, gain: float) -> float:
    """q' = gain^2 E[phi(sqrt(q) Z)^2]: the second moment one layer later."""
    return gain**2 * second_moment(activation, q)


def propagate(activation, gain: float, layers: int, q0: float = 1.0) -> list[float]:
    """The predicted second moments q_1, ..., q_layers of the pre-activations of ``layers`` layers
    after inputs with second moment ``q0`` (layer k applies the activation, then weights)."""
    qs, q = [], q0
    for _ in range(layers):
        q = variance_map(activation, q, gain)
        qs.append(q)
    return qs


# The settings of the chapter's explorer: layer statistics of deep networks at initialisation.
EXPLORER_ACTIVATIONS = ("tanh", "relu", "selu")
EXPLORER_GAINS = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0)
EXPLORER_DEPTH, EXPLORER_WIDTH, EXPLORER_SAMPLES = 20, 64, 128


@functools.cache
def layer_statistics(activation: str, gain: float) -> dict[str, np.ndarray]:
    """Measured statistics of every layer of 20-layer MLPs of width 64 at initialisation.

    Weights have variance gain^2 / fan_in and biases are 0; the inputs are 128 standard
    normal vectors; five seeds. Returns ``rms`` (seeds, layers), the root mean square of each
    layer's pre-activations, and ``saturated`` (seeds, layers), the share of tanh units with
    |output| > 0.97 (NaN for other activations). Cached: the explorer and its checker share it.
    """
    X = torch.randn(EXPLORER_SAMPLES, EXPLORER_WIDTH, generator=torch.Generator().manual_seed(0))
    model = stacks.DeepStacks(EXPLORER_WIDTH, EXPLORER_WIDTH, 1, activation, depths=[EXPLORER_DEPTH] * 5,
                              seeds=range(5), init="lecun", gain=gain)
    with torch.no_grad():
        pre = torch.stack(model.pre_activations(X), dim=1).double()  # (seeds, layers, samples, width)
    rms = pre.pow(2).mean(dim=(2, 3)).sqrt().numpy()
    if activation == "tanh":
        saturated = (torch.tanh(pre).abs() > 0.97).double().mean(dim=(2, 3)).numpy()
    else:
        saturated = np.full(rms.shape, np.nan)
    return {"rms": rms, "saturated": saturated}


def smallest_saturating_gain(share: float = 0.25, layer: int = EXPLORER_DEPTH) -> float | None:
    """The smallest explorer gain at which more than ``share`` of tanh layer ``layer`` saturates
    (mean over seeds), or None if no gain does."""
    for g in EXPLORER_GAINS:
        if layer_statistics("tanh", g)["saturated"][:, layer - 1].mean() > share:
            return g
    return None
