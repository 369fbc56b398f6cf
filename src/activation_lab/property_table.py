"""The property table: every registered activation, its properties measured from its values.

:func:`activation_lab.properties.measure` finds the range, zero-centring, monotonicity,
smoothness and saturation of a function from its values. This module adds two columns that
need only the function itself, and builds the book's table:

* :func:`is_linear`: the midpoint test, f((a + b) / 2) = (f(a) + f(b)) / 2 for many pairs; only
  an affine function passes it everywhere.
* :func:`kinks`: where the slope jumps (a *kink*) or the value jumps (a *jump*), found from
  one-sided difference quotients of f on a grid over [-10, 10].

Softmax and log-softmax map vectors to vectors; :func:`coordinate` views one output as a
function of its own input with the other input held at 0 (softmax([x, 0])[0] is sigma(x)).

>>> from activation_lab import functions
>>> kinks(functions.get("relu6"))
[(0.0, 'kink'), (6.0, 'kink')]
>>> kinks(functions.get("step")), kinks(functions.get("gelu"))
([(0.0, 'jump')], [])
>>> is_linear(functions.get("identity")), is_linear(functions.get("relu"))
(True, False)
>>> row("selu")["zero-centred"], row("selu")["kinks"]
('yes', '0')
>>> html_table({"relu": row("relu")}, columns=["kinks"]).count("<tr>")    # the header and one row
2
"""

from __future__ import annotations

import html

import numpy as np

from activation_lab import functions, properties

_GRID = np.round(np.linspace(-10.0, 10.0, 20_001), 6)  # spacing 1e-3, decimal points exactly
_H = 1e-5
_PAIRS = np.random.default_rng(0).uniform(-6, 6, size=(2, 4_000))
# In the order the chapter introduces the properties.
COLUMNS = ["non-linear", "smooth", "kinks", "monotonic", "range", "bounded", "zero-centred", "saturates"]


def is_linear(f, tolerance: float = 1e-9) -> bool:
    """True if f passes the midpoint test on 4,000 random pairs in [-6, 6]."""
    a, b = _PAIRS
    gap = np.abs(f((a + b) / 2) - (f(a) + f(b)) / 2)
    return bool(np.max(gap) <= tolerance * (1 + np.max(np.abs(f(a)))))


def kinks(f, tolerance: float = 1e-3) -> list[tuple[float, str]]:
    """Points of [-10, 10] where f jumps ('jump') or its slope jumps ('kink').

    Compares the difference quotients on either side of each grid point over a step of 1e-5:
    where f is smooth they differ by about 1e-5 f''; at a kink they differ by the size of the
    slope's jump, however small the step.
    """
    left, mid, right = f(_GRID - _H), f(_GRID), f(_GRID + _H)
    value_jump = np.abs(right - left) > 100 * tolerance * _H + tolerance
    slope_jump = np.abs((right - mid) - (mid - left)) / _H > tolerance
    found = []
    for mask, kind in [(value_jump, "jump"), (slope_jump & ~value_jump, "kink")]:
        flagged = np.flatnonzero(mask)
        if flagged.size == 0:
            continue
        # Neighbouring flagged grid points belong to one kink: report the middle of each run.
        runs = np.split(flagged, np.flatnonzero(np.diff(flagged) > 1) + 1)
        found += [(float(_GRID[run[len(run) // 2]]) + 0.0, kind) for run in runs]
    return sorted(found)


class _Coordinate:
    """Output 0 of a vector activation as a function of input 0, with input 1 held at 0."""

    def __init__(self, vector_activation):
        self.vector = vector_activation
        self.label = vector_activation.label

    def _stacked(self, x):
        x = np.asarray(x, dtype=float)
        return np.stack([x, np.zeros_like(x)], axis=-1)

    def __call__(self, x):
        return self.vector(self._stacked(x))[..., 0]

    def derivative(self, x):
        z = self._stacked(x)
        direction = np.zeros_like(z)
        direction[..., 0] = 1.0
        return self.vector.jvp(z, direction)[..., 0]


def coordinate(vector_activation) -> _Coordinate:
    """An element-wise view of softmax or log-softmax: output 0 against input 0 (input 1 at 0)."""
    return _Coordinate(vector_activation)


def elementwise(name: str):
    """The registry entry ``name`` as an element-wise function (vector ones via :func:`coordinate`)."""
    activation = functions.get(name)
    return activation if name in functions.ELEMENTWISE else coordinate(activation)


def _kink_text(found: list[tuple[float, str]]) -> str:
    if not found:
        return "none"
    return ", ".join(f"{x:g}".replace("-", "−") + (" (jump)" if kind == "jump" else "") for x, kind in found)


def row(name: str) -> dict[str, str]:
    """The table row of one registry entry, every entry measured from the function's values."""
    f = elementwise(name)
    measured = properties.measure(f)
    cells = measured.row()
    cells["saturates"] = cells["saturates"].replace("left and right", "both")
    cells["kinks"] = _kink_text(kinks(f))
    cells["non-linear"] = "no" if is_linear(f) else "yes"
    cells["agrees"] = "yes" if properties.agree(measured, functions.get(name).properties) else "no"
    return {key: cells[key] for key in [*COLUMNS, "agrees"]}


def rows(names=None) -> dict[str, dict[str, str]]:
    """Rows for ``names`` (default: every registry entry, in the registry's order)."""
    return {name: row(name) for name in (names or functions.names())}


def html_table(table: dict[str, dict[str, str]], columns=COLUMNS, labels: dict[str, str] | None = None,
               caption: str = "") -> str:
    """An HTML table with one row per entry of ``table``; ``labels`` gives the first column's text.

    (HTML rather than Markdown: a notebook's Markdown output is rendered without table support.)
    """
    labels = labels or {}
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in ["function", *columns])
    body = "".join(
        f'<tr><th scope="row">{html.escape(labels.get(name, name))}</th>'
        + "".join(f"<td>{html.escape(cells[c])}</td>" for c in columns) + "</tr>"
        for name, cells in table.items()
    )
    title = f'<caption style="color: inherit">{html.escape(caption)}</caption>' if caption else ""
    # The wrapper scrolls sideways on a narrow page instead of cutting the last columns off; it can
    # take the keyboard focus, so the scrolling works without a mouse too.
    label = html.escape(caption or "table", quote=True)
    return (f'<div class="al-property-table" role="region" aria-label="{label}" tabindex="0" '
            f'style="overflow-x: auto; font-size: 0.8em">'
            # The table and its caption take the text colour of the cell output around them: the
            # theme's own table colours assume the page background, which differs in dark mode.
            f'<table class="table" style="color: inherit">{title}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")
