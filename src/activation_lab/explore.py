"""Explorers: one definition, two renderings.

An :class:`Explorer` is a drawing function plus the controls that feed it. Displayed in a
notebook it offers, in one output,

* a live ipywidgets view (sliders, dropdowns) that Jupyter shows when a kernel is running,
  redrawing the figure whenever a control moves, and
* a static view for the published book: every combination of control values is drawn in
  advance, and a few lines of plain JavaScript swap the pictures as the reader moves native
  HTML controls. It needs no kernel, no network and no JavaScript library.

The book's build prefers the static view (``nb_mime_priority_overrides`` in ``_config.yml``).

>>> import numpy as np
>>> def draw(fig, slope):
...     ax = fig.subplots()
...     x = np.linspace(-3, 3, 50)
...     ax.plot(x, np.tanh(slope * x))
...     return f"tanh({slope:g} x)"
>>> explorer = Explorer(draw, [slider("slope", [0.5, 1, 2])], title="Steeper and steeper")
>>> len(explorer.frames())
3
"""

from __future__ import annotations

import base64
import gc
import html
import itertools
import json
import re
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure

from activation_lab import plotting

_LIVE_EXPLORERS: weakref.WeakSet[Explorer] = weakref.WeakSet()
# Fixed margins instead of constrained layout keep a live update fast (see plotting.book_style).
DEFAULT_MARGINS = {"left": 0.12, "right": 0.97, "bottom": 0.16, "top": 0.93, "wspace": 0.3}


@dataclass(frozen=True)
class Control:
    """One input of an explorer: the values it takes and how to show them."""

    name: str  # the keyword argument the drawing function receives
    label: str
    values: tuple  # every value the static book offers (and the live widget too)
    shown: tuple[str, ...]  # how each value is displayed
    kind: str  # "slider" or "dropdown"


def slider(name: str, values: Sequence, *, label: str | None = None, fmt: str = "{:g}") -> Control:
    """A slider over the given values, in order."""
    values = tuple(values)
    return Control(name, label or name, values, tuple(fmt.format(v) for v in values), "slider")


def dropdown(name: str, options: Mapping[str, Any] | Sequence[str], *, label: str | None = None) -> Control:
    """A menu; ``options`` maps what the reader sees to the value passed on."""
    if not isinstance(options, Mapping):
        options = {str(o): o for o in options}
    return Control(name, label or name, tuple(options.values()), tuple(options), "dropdown")


class Explorer:
    """A figure that redraws as its controls move.

    ``draw(fig, **values)`` draws onto an empty figure and may return a one-line description
    of what the view shows; the description becomes the picture's alt text and is shown
    under it, so the explorer can be used without seeing the picture. ``start`` chooses the
    setting shown first (by default every control's first value).
    """

    def __init__(self, draw: Callable[..., str | None], controls: Sequence[Control], *, title: str,
                 start: Mapping[str, Any] | None = None, width: float = 6.0, height: float = 3.2,
                 dpi: int = 90, margins: Mapping[str, float] | None = None):
        self.draw, self.controls, self.title = draw, list(controls), title
        self.start = {c.name: c.values[0] for c in self.controls} | dict(start or {})
        self.size, self.dpi = (width, height), dpi
        self.margins = {**DEFAULT_MARGINS, **(margins or {})}
        self.dom_id = "explorer-" + re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        with plotting.book_style(constrained=False):
            self._figure = Figure(figsize=self.size, dpi=dpi)
        self._cache: dict[tuple, tuple[bytes, str]] = {}
        self._live_cache: dict[tuple, tuple[bytes, str]] = {}
        self.widgets: dict[str, Any] = {}
        _LIVE_EXPLORERS.add(self)

    # -- drawing ---------------------------------------------------------------------------

    def view(self, **values) -> tuple[bytes, str]:
        """The PNG picture and the one-line description for one setting of the controls."""
        return self._view(values, live=False)

    def _view(self, values: Mapping[str, Any], live: bool) -> tuple[bytes, str]:
        # A live update skips the PNG optimiser (about 15 ms of a ~80 ms update): the picture
        # goes to the learner's own kernel, not into a page. Live pictures have a cache of
        # their own, so the static page, built from ``_cache``, always holds optimised ones.
        key = tuple(values[c.name] for c in self.controls)
        for cache in (self._cache, self._live_cache) if live else (self._cache,):
            if key in cache:
                return cache[key]
        self._figure.clear()
        if live:
            _settle_heap()
        with plotting.book_style(constrained=False):
            self._figure.subplots_adjust(**self.margins)
            description = self.draw(self._figure, **values) or ""
            png = plotting.png_bytes(self._figure, dpi=self.dpi, tight=False, optimize=not live)
        (self._live_cache if live else self._cache)[key] = (png, description)
        return png, description

    def settings(self) -> list[dict[str, Any]]:
        """Every combination of control values, in the order the static view stores them."""
        return [dict(zip([c.name for c in self.controls], combo))
                for combo in itertools.product(*(c.values for c in self.controls))]

    def frames(self) -> dict[str, tuple[bytes, str]]:
        """All pictures, keyed by the control positions joined with "-" (e.g. "0-3")."""
        positions = itertools.product(*(range(len(c.values)) for c in self.controls))
        return {"-".join(map(str, pos)): self.view(**setting)
                for pos, setting in zip(positions, self.settings())}

    # -- the static rendering ---------------------------------------------------------------

    def static_html(self, start: Mapping[str, Any] | None = None) -> str:
        """Self-contained HTML: native controls, the precomputed pictures, a tiny script."""
        start = self.start | dict(start or {})
        first = [c.values.index(start[c.name]) for c in self.controls]
        frames = {key: [_data_uri(png), text] for key, (png, text) in self.frames().items()}
        png, text = frames["-".join(map(str, first))]
        # "</" would end the <script> element that carries the frames early.
        frames_json = json.dumps(frames, separators=(",", ":")).replace("</", "<\\/")
        controls = "\n".join(_control_html(self.dom_id, c, i) for c, i in zip(self.controls, first))
        width, height = (round(s * self.dpi) for s in self.size)
        return _TEMPLATE.format(
            id=self.dom_id, title=html.escape(self.title), controls=controls,
            src=png, alt=html.escape(f"{self.title}: {text}", quote=True), text=html.escape(text),
            width=width, height=height, count=len(frames), frames=frames_json, script=_SCRIPT % self.dom_id,
        )

    # -- the live rendering -------------------------------------------------------------------

    def widget(self):
        """The live ipywidgets view; moving a control redraws the picture."""
        import ipywidgets as W

        inputs = {c.name: _live_control(W, c, self.start[c.name]) for c in self.controls}
        image = W.Image(format="png", layout=W.Layout(width=f"{round(self.size[0] * self.dpi)}px"))
        note = W.Label()

        def refresh(_change=None):
            image.value, note.value = self._view({name: w.value for name, w in inputs.items()}, live=True)

        for w in inputs.values():
            w.observe(refresh, names="value")
        _settle_heap(full=True)  # the one full collection of the kernel's heap happens now, not mid-update
        refresh()
        self.widgets = {**inputs, "image": image, "note": note}
        return W.VBox([W.HTML(f"<strong>{html.escape(self.title)}</strong>"), *inputs.values(), image, note])

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        bundle = {
            "text/plain": f"{self.title} (explorer; {len(self.settings())} views: "
                          + ", ".join(f"{c.label} × {len(c.values)}" for c in self.controls)
                          + "). Run the notebook in Jupyter to move the controls live.",
            "text/html": self.static_html(),
        }
        view = self.widget()._repr_mimebundle_()
        if "application/vnd.jupyter.widget-view+json" in view:
            bundle["application/vnd.jupyter.widget-view+json"] = view["application/vnd.jupyter.widget-view+json"]
        return bundle

    def time_updates(self, repeats: int = 5) -> list[float]:
        """Seconds per live update, each a setting never drawn before (nothing cached).

        Moves the first control through its values, as a learner would, with the others held.
        """
        if not self.widgets:
            self.widget()
        first = self.controls[0]
        times = []
        for value in list(first.values[1:] + first.values[:1])[:repeats]:
            self._cache.clear()
            self._live_cache.clear()
            started = time.perf_counter()
            self.widgets[first.name].value = value
            times.append(time.perf_counter() - started)
        return times


def _settle_heap(full: bool = False) -> None:
    """Collect garbage, then exempt every surviving object from later collections.

    A notebook that has trained a few networks holds 100 000 or more objects that live as long
    as the kernel. Python's full garbage collection scans them all (70 ms and more here), and
    when one lands inside a live update the update misses its 150 ms budget. Freezing the
    survivors right before each redraw keeps every later collection small: it scans only what
    was made since. Before a redraw only the young generations are collected (a millisecond),
    which is where the previous picture's garbage lives; the full collection happens once,
    when the widget is created (``full=True``). Objects are still freed by reference counting;
    only reference cycles among frozen survivors wait for ``gc.unfreeze()``, and a redraw
    happens at most once per setting (pictures are cached), which bounds them.
    """
    gc.collect(2 if full else 1)
    gc.freeze()


def live_explorers() -> list[Explorer]:
    """The explorers created in this Python session (for the benchmark)."""
    return list(_LIVE_EXPLORERS)


def _live_control(W, control: Control, value):
    options = list(zip(control.shown, control.values))
    style = {"description_width": "initial"}
    if control.kind == "dropdown":
        return W.Dropdown(options=options, value=value, description=control.label, style=style)
    return W.SelectionSlider(options=options, value=value, description=control.label,
                             continuous_update=False, style=style)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _control_html(root: str, control: Control, position: int) -> str:
    cid = f"{root}-{control.name}"
    label = html.escape(control.label)
    if control.kind == "dropdown":
        options = "".join(
            f'<option value="{i}"{" selected" if i == position else ""}>{html.escape(s)}</option>'
            for i, s in enumerate(control.shown)
        )
        return f'<label for="{cid}">{label}</label> <select id="{cid}" data-control>{options}</select>'
    shown = html.escape(json.dumps(list(control.shown)), quote=True)
    value = html.escape(control.shown[position])
    return (f'<label for="{cid}">{label}</label> <input type="range" id="{cid}" data-control min="0" '
            f'max="{len(control.values) - 1}" step="1" value="{position}" data-shown="{shown}" '
            f'aria-valuetext="{value}"> <output for="{cid}">{value}</output>')


_TEMPLATE = """<figure class="al-explorer" id="{id}" data-title="{title}">
<div class="al-explorer-controls">
{controls}
</div>
<img src="{src}" alt="{alt}" width="{width}" height="{height}">
<figcaption><strong>{title}</strong> <span class="al-explorer-note" aria-live="polite">{text}</span>
<span class="al-explorer-hint">({count} precomputed views; in Jupyter the same explorer runs live.)</span></figcaption>
<script type="application/json" class="al-explorer-frames">{frames}</script>
<script>{script}</script>
</figure>"""

_SCRIPT = """(function () {
  var root = document.getElementById("%s");
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "1";
  var frames = JSON.parse(root.querySelector(".al-explorer-frames").textContent);
  var image = root.querySelector("img"), note = root.querySelector(".al-explorer-note");
  var inputs = Array.prototype.slice.call(root.querySelectorAll("[data-control]"));
  function update() {
    var frame = frames[inputs.map(function (el) { return el.value; }).join("-")];
    image.src = frame[0]; image.alt = root.dataset.title + ": " + frame[1]; note.textContent = frame[1];
    inputs.forEach(function (el) {
      if (el.type !== "range") return;
      var shown = JSON.parse(el.dataset.shown)[el.value];
      el.setAttribute("aria-valuetext", shown);
      root.querySelector('output[for="' + el.id + '"]').textContent = shown;
    });
  }
  inputs.forEach(function (el) { el.addEventListener("input", update); });
})();"""
