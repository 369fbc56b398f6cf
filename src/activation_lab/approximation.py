"""How well can one hidden layer of ``width`` units fit a 1-D function?

A fast, exact way to ask the question: fix the hidden layer and solve for the output layer
by least squares. Unit i computes ``f(s * (x - c_i))``: its "knots" c_i are spread evenly over
the interval and its slope s grows with the width, so each unit changes over about one knot
spacing. Training every weight by gradient descent (chapter 1's experiment) can only do as
well or better; this version takes milliseconds, so an explorer can redraw it live.

>>> from activation_lab import data, functions
>>> x = np.linspace(-2, 2, 401)
>>> fit = least_squares_fit(x, data.bumpy(x), functions.get("identity"), width=64)
>>> line = np.polyval(np.polyfit(x, data.bumpy(x), 1), x)   # the best straight line
>>> bool(np.allclose(fit.prediction, line))   # a linear activation: a line, whatever the width
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from activation_lab import data, functions

LOW, HIGH = -2.0, 2.0
GRID = np.linspace(LOW, HIGH, 401)
WIDTHS = (1, 2, 4, 8, 16, 32, 64)
SLOPE_PER_KNOT_SPACING = 2.0


@dataclass(frozen=True)
class Fit:
    prediction: np.ndarray  # the network's output on the grid
    max_error: float  # largest absolute error on the grid
    rms_error: float


def hidden_features(x: np.ndarray, activation, width: int) -> np.ndarray:
    """The outputs of the fixed hidden layer, shape (len(x), width)."""
    spacing = (HIGH - LOW) / width
    knots = LOW + spacing * (np.arange(width) + 0.5)
    slope = SLOPE_PER_KNOT_SPACING / spacing
    return activation(slope * (np.asarray(x, dtype=float)[:, None] - knots[None, :]))


def least_squares_fit(x: np.ndarray, y: np.ndarray, activation, width: int) -> Fit:
    """The best output layer (weights and bias) for the fixed hidden layer, by least squares."""
    design = np.column_stack([hidden_features(x, activation, width), np.ones(len(x))])
    coefficients, *_ = np.linalg.lstsq(design, y, rcond=None)
    prediction = design @ coefficients
    error = np.abs(prediction - y)
    return Fit(prediction, float(error.max()), float(np.sqrt(np.mean(error**2))))


def fit_bumpy(activation_name: str, width: int) -> Fit:
    """Fit the book's bumpy target on the standard grid."""
    return least_squares_fit(GRID, data.bumpy(GRID), functions.get(activation_name), width)


def smallest_width(activation_name: str, max_error: float, widths: Sequence[int] = WIDTHS) -> int | None:
    """The first width in ``widths`` whose fit stays within ``max_error`` everywhere, or None."""
    for width in widths:
        if fit_bumpy(activation_name, width).max_error < max_error:
            return width
    return None
