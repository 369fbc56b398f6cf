"""Where sigmoid and tanh saturate, in closed form.

A unit *saturates* where its derivative is so small that almost no gradient passes through
it. For the sigmoid, sigma'(x) = sigma(x) (1 - sigma(x)) equals a level eps where
sigma(x) = (1 + sqrt(1 - 4 eps)) / 2; for tanh, tanh'(x) = 1 - tanh(x)^2 equals eps where
tanh(x) = sqrt(1 - eps). Beyond those inputs (in absolute value) the derivative is smaller.

>>> round(sigmoid_saturation_point(0.01), 4)      # sigma'(x) < 0.01 for |x| beyond this
4.5849
>>> round(tanh_saturation_point(0.01), 4)
2.9932

A whole layer saturates when its pre-activations are spread widely. If they are normal with
mean 0 and standard deviation ``spread``, the share of tanh outputs with |tanh(z)| above a
threshold (0.97 by default, the book's saturation test) is known exactly:

>>> round(saturated_share(1.0), 4)
0.0364
>>> round(spread_for_saturated_share(0.5), 3)     # half the units saturated
3.102
"""

from __future__ import annotations

import math

from scipy.special import ndtr, ndtri

SATURATION_THRESHOLD = 0.97  # |tanh(z)| above this counts as saturated (diagnostics.saturated_fraction)


def _check_level(level: float) -> None:
    if not 0 < level < 0.25:
        raise ValueError(f"level must lie strictly between 0 and 0.25 (the largest value of sigma'), got {level!r}")


def sigmoid_saturation_point(level: float) -> float:
    """The input x > 0 with sigma'(x) = ``level``; sigma' is below ``level`` for every |x| beyond it.

    ``level`` must lie in (0, 0.25): sigma' never exceeds 0.25.
    """
    _check_level(level)
    root = math.sqrt(1 - 4 * level)
    # x = log(s / (1 - s)) with s = (1 + root) / 2. Since (1 - root)(1 + root) = 4 level, this is
    # log((1 + root)^2 / (4 level)), which has no cancellation even for tiny levels.
    return 2 * math.log1p(root) - math.log(4 * level)


def tanh_saturation_point(level: float) -> float:
    """The input x > 0 with tanh'(x) = ``level``, for ``level`` in (0, 1)."""
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1 (the largest value of tanh'), got {level!r}")
    return math.atanh(math.sqrt(1 - level))


def saturated_share(spread: float, threshold: float = SATURATION_THRESHOLD) -> float:
    """P(|tanh(z)| > threshold) for z ~ N(0, spread^2): the share of saturated tanh units.

    The same share of sigmoid units has sigma(z) outside (sigma(-2a), sigma(2a)) with a =
    atanh(threshold), because tanh(z) = 2 sigma(2z) - 1.
    """
    if not spread > 0:
        raise ValueError(f"spread must be positive, got {spread!r}")
    if not 0 < threshold < 1:
        raise ValueError(f"threshold must lie strictly between 0 and 1, got {threshold!r}")
    return float(2 * ndtr(-math.atanh(threshold) / spread))


def spread_for_saturated_share(share: float, threshold: float = SATURATION_THRESHOLD) -> float:
    """The spread of normal pre-activations at which ``share`` of tanh units are saturated.

    The inverse of :func:`saturated_share` in its first argument (the share grows with the spread).
    """
    if not 0 < share < 1:
        raise ValueError(f"share must lie strictly between 0 and 1, got {share!r}")
    return float(math.atanh(threshold) / -ndtri(share / 2))
