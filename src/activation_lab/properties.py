"""The properties of an activation function: declared by hand, and measured numerically.

Every entry of the registry declares its :class:`Properties` from the mathematics.
:func:`measure` finds the same properties from the function's values alone, so a claim such
as "GELU is not monotonic" or "SELU is zero-centred" is checked, not just typed.

>>> from activation_lab import functions, properties
>>> tanh = functions.get("tanh")
>>> properties.agree(properties.measure(tanh), tanh.properties)
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Properties:
    """What the book claims about a function."""

    output_range: tuple[float, float]  # infimum and supremum of the outputs (may be +-inf)
    zero_centred: bool  # mean output is 0 for a standard normal input
    monotonic: bool  # non-decreasing everywhere
    smooth: bool  # continuously differentiable everywhere (no kinks, no jumps)
    saturates_left: bool  # derivative tends to 0 as x -> -inf
    saturates_right: bool  # derivative tends to 0 as x -> +inf
    attains_low: bool = False  # the infimum is a value f takes, not only a limit: [lo rather than (lo
    attains_high: bool = False  # likewise for the supremum: hi] rather than hi)

    @property
    def bounded(self) -> bool:
        return all(math.isfinite(v) for v in self.output_range)

    @property
    def saturating(self) -> bool:
        return self.saturates_left or self.saturates_right

    def row(self) -> dict[str, str]:
        """The properties as the short strings of the book's tables."""
        lo, hi = self.output_range
        sides = [s for s, on in (("left", self.saturates_left), ("right", self.saturates_right)) if on]
        return {
            "range": f"{'[' if self.attains_low else '('}{_fmt(lo)}, {_fmt(hi)}{']' if self.attains_high else ')'}",
            "bounded": _yes(self.bounded),
            "zero-centred": _yes(self.zero_centred),
            "monotonic": _yes(self.monotonic),
            "smooth": _yes(self.smooth),
            "saturates": " and ".join(sides) if sides else "no",
        }


def _fmt(v: float) -> str:
    return {math.inf: "∞", -math.inf: "−∞"}.get(v, f"{v:.4g}".replace("-", "−"))


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


# The grid the measurements use: dense near 0, where the shapes differ, out to |x| = 1e4.
_CORE = np.linspace(-12.0, 12.0, 240_001)
_FAR = np.geomspace(12.0, 1e4, 2_000)
GRID = np.unique(np.concatenate([-_FAR[::-1], _CORE, _FAR]))
SATURATION_POINT = 40.0  # |x| where a saturating derivative is below 1e-6 for every entry
KINK_STEP = 1e-7


def standard_normal_mean(f: Callable[[np.ndarray], np.ndarray]) -> float:
    """E[f(X)] for X ~ N(0, 1), by the trapezoidal rule on [-12, 12] (the tails add < 1e-30)."""
    x = _CORE
    density = np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
    return float(np.trapezoid(f(x) * density, x))


def measured_range(f: Callable[[np.ndarray], np.ndarray]) -> tuple[float, float]:
    """Infimum and supremum of f on the grid; a side that keeps growing far out is infinite."""
    y = f(GRID)
    lo, hi = float(np.min(y)), float(np.max(y))
    far = np.array([-1e4, -1e3, 1e3, 1e4])
    f_far = f(far)
    if f_far[0] < f_far[1] - 1.0:  # still falling by more than 1 between -1e3 and -1e4
        lo = -math.inf
    if f_far[3] > f_far[2] + 1.0:
        hi = math.inf
    return lo, hi


def attained_bounds(f: Callable[[np.ndarray], np.ndarray]) -> tuple[bool, bool]:
    """Whether f reaches its infimum and supremum rather than only approaching them far out.

    A bound counts as reached when the extreme over |x| <= 12 is exactly the extreme over the
    whole grid out to |x| = 1e4: the sigmoid's 0 is only approached (sigmoid(-12) is about
    6e-6, while sigmoid(-1e4) underflows to 0), ReLU's 0 is reached at x = 0.
    """
    core, everywhere = f(_CORE), f(GRID)
    lo, hi = float(np.min(everywhere)), float(np.max(everywhere))
    return (math.isfinite(lo) and float(np.min(core)) == lo,
            math.isfinite(hi) and float(np.max(core)) == hi)


def is_monotonic(f: Callable[[np.ndarray], np.ndarray]) -> bool:
    return bool(np.all(np.diff(f(GRID)) >= -1e-12))


def is_smooth(f, derivative, points: np.ndarray | None = None) -> bool:
    """True if neither f nor f' jumps anywhere on the grid (C^1 to the grid's resolution).

    At every grid point we compare values a step of 1e-7 to each side: at a kink the
    derivative jumps by a fixed amount however small the step; where f' is continuous the
    difference shrinks with the step.
    """
    x = _CORE[::10] if points is None else points
    left, right = x - KINK_STEP, x + KINK_STEP
    value_jump = np.max(np.abs(f(right) - f(left)))
    slope_jump = np.max(np.abs(derivative(right) - derivative(left)))
    return bool(value_jump < 1e-4 and slope_jump < 1e-4)


def saturates(derivative, side: int) -> bool:
    """True if |f'| is below 1e-6 far out on the given side (-1 left, +1 right)."""
    far = side * np.array([SATURATION_POINT, 1e3, 1e4])
    return bool(np.all(np.abs(derivative(far)) < 1e-6))


def measure(activation) -> Properties:
    """Measure every property of an element-wise activation from its values alone."""
    f, df = activation, activation.derivative
    # The kink candidates 0, +-1, +-3 and 6 all lie on the grid; add them explicitly anyway.
    kinks = np.concatenate([_CORE[::10], [-3.0, -1.0, 0.0, 1.0, 3.0, 6.0]])
    output_range = measured_range(f)
    attains_low, attains_high = attained_bounds(f)
    return Properties(
        output_range=output_range,
        zero_centred=abs(standard_normal_mean(f)) < 1e-6,
        monotonic=is_monotonic(f),
        smooth=is_smooth(f, df, kinks),
        saturates_left=saturates(df, -1),
        saturates_right=saturates(df, +1),
        attains_low=attains_low and math.isfinite(output_range[0]),
        attains_high=attains_high and math.isfinite(output_range[1]),
    )


def agree(measured: Properties, declared: Properties, range_tolerance: float = 1e-4) -> bool:
    """True if two sets of properties agree, ranges to within ``range_tolerance``."""
    same_flags = (measured.zero_centred, measured.monotonic, measured.smooth,
                  measured.saturates_left, measured.saturates_right,
                  measured.attains_low, measured.attains_high) == (
                  declared.zero_centred, declared.monotonic, declared.smooth,
                  declared.saturates_left, declared.saturates_right,
                  declared.attains_low, declared.attains_high)
    return same_flags and all(
        a == b or abs(a - b) <= range_tolerance
        for a, b in zip(measured.output_range, declared.output_range)
    )
