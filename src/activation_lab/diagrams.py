"""Box-and-arrow diagrams (flowcharts) drawn with matplotlib, in the book's style.

A diagram is a list of :class:`Box` es placed on a grid of axis coordinates and a list of
arrows between them, each optionally labelled. Questions, answers and notes are drawn in
different box shapes and line styles, so the diagram does not rely on colour.

>>> import matplotlib.pyplot as plt
>>> fig, ax = plt.subplots()
>>> boxes = [Box("q", 0.5, 0.8, "Which layer?", "question"), Box("a", 0.5, 0.2, "ReLU", "answer")]
>>> drawn = draw(ax, boxes, [Arrow("q", "a", "hidden")])
>>> sorted(drawn)
['a', 'q']
>>> plt.close(fig)
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from activation_lab import plotting

# Box kinds: shape, edge colour, fill and line style, so that each kind reads without colour.
STYLES = {
    "question": {"boxstyle": "round,pad=0.35", "edgecolor": plotting.PALETTE[0], "facecolor": "#EAF2F8",
                 "linestyle": "-"},
    "answer": {"boxstyle": "square,pad=0.35", "edgecolor": plotting.PALETTE[2], "facecolor": "#E8F6F1",
               "linestyle": "-"},
    "warning": {"boxstyle": "sawtooth,pad=0.35", "edgecolor": plotting.PALETTE[1], "facecolor": "#FBEDE4",
                "linestyle": "-"},
    "note": {"boxstyle": "round,pad=0.3", "edgecolor": "#777777", "facecolor": "white", "linestyle": "--"},
}


@dataclass(frozen=True)
class Box:
    """A box with text centred at (x, y) in axis coordinates (0 to 1)."""

    name: str
    x: float
    y: float
    text: str
    kind: str = "answer"
    width: int = 26  # characters per line before the text wraps


@dataclass(frozen=True)
class Arrow:
    """An arrow from one box to another, with an optional label at its middle."""

    start: str
    end: str
    label: str = ""


def draw(ax, boxes: Sequence[Box], arrows: Sequence[Arrow], *, fontsize: float = 7.5) -> dict:
    """Draw the boxes and arrows on ``ax`` (axes switched off); return the text artists by name."""
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    drawn = {}
    for box in boxes:
        if box.kind not in STYLES:
            raise ValueError(f"unknown box kind {box.kind!r}; choose one of {', '.join(STYLES)}")
        text = "\n".join(textwrap.wrap(box.text, box.width, break_long_words=False)) if box.width else box.text
        drawn[box.name] = ax.text(box.x, box.y, text, ha="center", va="center", fontsize=fontsize,
                                  bbox={**STYLES[box.kind], "linewidth": 1.2}, zorder=3)
    for arrow in arrows:
        start, end = drawn[arrow.start], drawn[arrow.end]
        props = {"arrowstyle": "-|>", "color": "#333333", "linewidth": 1.0, "shrinkA": 2, "shrinkB": 2,
                 "patchA": start.get_bbox_patch(), "patchB": end.get_bbox_patch()}
        ax.annotate("", xy=end.get_position(), xytext=start.get_position(), arrowprops=props, zorder=2)
        if arrow.label:
            (x0, y0), (x1, y1) = start.get_position(), end.get_position()
            ax.text((x0 + x1) / 2, (y0 + y1) / 2, arrow.label, ha="center", va="center", fontsize=fontsize - 0.5,
                    style="italic", bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
                    zorder=4)
    return drawn
