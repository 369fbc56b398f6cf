"""What an activation does to inputs of a given spread.

In a network, a unit's pre-activations are spread around 0; how widely depends on the
weights and the data. Model them as normal with mean 0 and standard deviation ``spread``.
:func:`response` then gives, by quadrature rather than by sampling (so the same every run),
the mean and standard deviation of the unit's outputs and the share of inputs at which its
derivative is small: the share of examples that send almost no gradient back through the
unit. Means are accurate to about 1e-7, shares to about 1e-3.

>>> from activation_lab import functions
>>> tanh = functions.get("tanh")
>>> r = response(tanh, spread=1.0)
>>> round(r.mean, 6), round(r.small_gradient_share, 3)    # zero-centred; few flat inputs
(0.0, 0.029)
>>> round(response(tanh, spread=4.0).small_gradient_share, 3)
0.586
>>> smallest_spread("tanh", share=0.5)         # of SPREADS: half the inputs on the flat parts
4.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from activation_lab import functions

SPREADS = (1.0, 2.0, 4.0, 8.0)  # the spreads the chapter's explorer offers
SMALL_GRADIENT = 0.05  # |f'(x)| below this counts as "almost no gradient"
# Midpoint rule for the standard normal on [-8, 8] (the tails beyond add < 1e-14). The grid
# avoids 0 itself, so a kink there cannot tip a share that is exactly one half.
_STEP = 1e-3
_Z = -8.0 + _STEP * (np.arange(16_000) + 0.5)
_WEIGHTS = _STEP * np.exp(-0.5 * _Z**2) / math.sqrt(2 * math.pi)


@dataclass(frozen=True)
class Response:
    """How a unit answers normally distributed inputs."""

    mean: float  # E[f(X)]
    std: float  # standard deviation of f(X)
    small_gradient_share: float  # P(|f'(X)| < threshold)


def _expectation(values: np.ndarray) -> float:
    return float(np.sum(values * _WEIGHTS))


def response(activation, spread: float, threshold: float = SMALL_GRADIENT) -> Response:
    """Output mean and spread, and the share of small derivatives, for X ~ N(0, spread^2)."""
    if not spread > 0:
        raise ValueError(f"spread must be positive, got {spread!r}")
    x = spread * _Z
    f = np.asarray(activation(x), dtype=float)
    mean = _expectation(f)
    variance = max(_expectation((f - mean) ** 2), 0.0)
    small = (np.abs(np.asarray(activation.derivative(x), dtype=float)) < threshold).astype(float)
    return Response(mean, math.sqrt(variance), _expectation(small))


def smallest_spread(name: str, share: float = 0.5, threshold: float = SMALL_GRADIENT,
                    spreads=SPREADS) -> float | None:
    """The smallest of ``spreads`` at which more than ``share`` of inputs get |f'| < threshold.

    None if no spread on the list gets there (ReLU, for example, sits at exactly one half for
    every spread: its flat side is half the line, whatever the scale).
    """
    activation = functions.get(name)
    for s in spreads:
        if response(activation, s, threshold).small_gradient_share > share:
            return float(s)
    return None
