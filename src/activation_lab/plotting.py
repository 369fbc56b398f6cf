"""The book's plot style and the plots every chapter draws.

Colours come from the Okabe–Ito palette, which stays distinguishable under the common forms
of colour blindness; every series also differs by line style or marker, so colour is never
the only carrier of meaning. Figures have an opaque white background, so they stay legible
when the book is read in dark mode.

>>> from activation_lab import functions
>>> fig, ax = figure()
>>> plot_activation(ax, functions.get("tanh"))
>>> [line.get_label() for line in ax.get_lines()][:2]     # then the two axis lines
['Tanh', "Tanh'"]
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from PIL import Image

# Okabe & Ito (2008): blue, vermillion, bluish green, orange, reddish purple, sky blue, black.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#000000"]
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (1, 1)), (0, (8, 2))]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
# Light tints of the first palette colours for filled class regions.
REGION_TINTS = ["#B3D4EA", "#F4CCB0", "#B3E3D6", "#F8E2B0", "#F0D7E5", "#CDE8F8", "#CCCCCC"]
_FIXED_COLOURS = [*PALETTE, *REGION_TINTS, "#FFFFFF", "#888888", "#333333"]

STYLE = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.figsize": (6.4, 3.6),
    "figure.constrained_layout.use": True,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.framealpha": 0.9,
    "axes.grid": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=PALETTE, linestyle=LINESTYLES),
    "lines.linewidth": 2.0,
    "image.cmap": "cividis",
}


def use_book_style() -> None:
    """Apply the book's style to every figure drawn from now on."""
    mpl.rcParams.update(STYLE)


@contextmanager
def book_style(constrained: bool = True) -> Iterator[None]:
    """The book's style for the figures drawn inside the ``with`` block only.

    ``constrained=False`` leaves the layout to ``fig.subplots_adjust``: constrained layout
    places labels perfectly but costs about 40 ms a draw, too slow for a live explorer.
    """
    with mpl.rc_context({**STYLE, "figure.constrained_layout.use": constrained}):
        yield


def figure(ncols: int = 1, nrows: int = 1, *, width: float = 6.4, height: float = 3.6, **kwargs):
    """A new figure and its axes (a single ``Axes`` when there is one)."""
    return plt.subplots(nrows, ncols, figsize=(width, height), **kwargs)


def png_bytes(fig, dpi: int = 100, colours: int = 64, tight: bool = True, optimize: bool = True) -> bytes:
    """The figure as a PNG reduced to a palette of ``colours`` colours.

    Line plots use few colours, so this keeps them sharp at about a third of the size of a
    full-colour PNG: notebooks and pages stay within their size budgets. With
    ``tight=False`` the picture keeps the figure's exact size (explorer frames must all match).
    ``optimize=False`` skips the slow search for the smallest PNG encoding (live explorer updates).
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight" if tight else None)
    image = Image.open(buffer).convert("RGB")
    # The book's own colours go into the palette exactly; median cut alone can merge two
    # nearby palette colours into one in-between shade. The rest of the palette adapts to
    # the picture (anti-aliased edges, colour maps).
    fixed = [int(c[i:i + 2], 16) for c in _FIXED_COLOURS for i in (1, 3, 5)]
    adaptive_count = max(colours - len(_FIXED_COLOURS), 1)
    adaptive = image.quantize(colors=adaptive_count, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette = Image.new("P", (1, 1))
    palette.putpalette(fixed + adaptive.getpalette()[:3 * adaptive_count])
    reduced = image.quantize(palette=palette, dither=Image.Dither.NONE)
    out = io.BytesIO()
    reduced.save(out, format="png", optimize=optimize)
    return out.getvalue()


def plot_activation(ax, activation, x=None, *, derivative: bool = True, colour: int = 0) -> None:
    """Draw f (solid) and, optionally, f' (dashed) of an element-wise activation."""
    x = np.linspace(-5, 5, 1001) if x is None else np.asarray(x)
    ax.plot(x, activation(x), color=PALETTE[colour], linestyle="-", label=activation.label)
    if derivative:
        ax.plot(x, activation.derivative(x), color=PALETTE[colour], linestyle="--", label=f"{activation.label}'")
    ax.axhline(0, color="#888888", linewidth=0.8)
    ax.axvline(0, color="#888888", linewidth=0.8)
    ax.set_xlabel("input $x$")
    ax.set_ylabel("output")


def plot_band(ax, x, runs, *, label: str, colour: int = 0, linestyle="-", log: bool = False) -> None:
    """The mean over runs as a line, and the full range from the lowest to the highest run
    as a shaded band: with five seeds, the band shows every run, hiding none.

    ``runs`` has shape (runs, len(x)); with ``log=True`` the mean is geometric, taken over
    the positive values only (a zero, such as the gradient of a dead layer, has no place on
    a log axis), and a point where no run is positive is left out of the line.
    """
    runs = np.asarray(runs, dtype=float)
    if log:
        positive = np.where(runs > 0, runs, np.nan)
        any_positive = np.isfinite(positive).any(axis=0)
        safe = np.where(any_positive, positive, 1.0)  # keeps nanmean off all-NaN columns
        centre = np.where(any_positive, np.exp(np.nanmean(np.log(safe), axis=0)), np.nan)
        low = np.where(any_positive, np.nanmin(safe, axis=0), np.nan)
        high = np.where(any_positive, np.nanmax(safe, axis=0), np.nan)
    else:
        centre, low, high = runs.mean(axis=0), runs.min(axis=0), runs.max(axis=0)
    ax.plot(x, centre, color=PALETTE[colour], linestyle=linestyle, label=label)
    ax.fill_between(x, low, high, color=PALETTE[colour], alpha=0.2, linewidth=0)
    if log:
        ax.set_yscale("log")


def plot_decision_regions(ax, predict: Callable[[np.ndarray], np.ndarray], X, y, *,
                          resolution: int = 200, padding: float = 0.3) -> None:
    """Shade the class each point of the plane is assigned to, and draw the data on top.

    ``predict`` maps an (n, 2) array of points to n class labels. Classes differ in both
    tint and marker shape.
    """
    X, y = np.asarray(X), np.asarray(y)
    lo, hi = X.min(axis=0) - padding, X.max(axis=0) + padding
    g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    labels = np.asarray(predict(np.column_stack([g0.ravel(), g1.ravel()]))).reshape(g0.shape)
    classes = int(max(y.max(), labels.max())) + 1
    ax.pcolormesh(g0, g1, labels, cmap=ListedColormap(REGION_TINTS[:classes]), vmin=-0.5,
                  vmax=classes - 0.5, shading="auto", rasterized=True)
    if labels.min() != labels.max():
        ax.contour(g0, g1, labels, levels=np.arange(classes - 1) + 0.5, colors="#333333", linewidths=1.0)
    for k in range(classes):
        mask = y == k
        ax.scatter(X[mask, 0], X[mask, 1], s=18, marker=MARKERS[k], color=PALETTE[k],
                   edgecolor="white", linewidth=0.5, label=f"class {k}")
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)
