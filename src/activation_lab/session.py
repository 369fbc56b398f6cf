"""The notebook session: reproducible numbers, the book's figure style, and glue.

>>> from activation_lab import session
>>> session.setup(seed=0)
>>> session.glue("best_accuracy", 0.75, display=False)   # {glue:text}`best_accuracy` in prose
"""

from __future__ import annotations

import gc
import random

import numpy as np
import torch

from activation_lab import plotting


def setup(seed: int = 0, threads: int = 1) -> None:
    """Seed every random generator, fix PyTorch's thread count, and apply the figure style.

    One thread keeps floating-point sums in the same order on every machine, so the numbers
    a reader gets match the ones printed in the book; the book's networks are small enough
    that a second thread would not make them faster. ``torch.use_deterministic_algorithms``
    is not called: on one CPU thread the book's operations already run in a fixed order (the
    flag is about GPU kernels), and importing what it needs costs a chapter almost two seconds.
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    np.set_printoptions(precision=4, suppress=True)
    plotting.use_book_style()
    _compact_inline_figures()
    # PyTorch, matplotlib and scikit-learn leave about 250 000 objects for the garbage
    # collector to scan; a full collection then takes over 100 ms and, landing in the middle
    # of an explorer update, makes it miss its 150 ms budget. They live as long as the
    # kernel, so move them out of the collector's sight once, after the imports.
    gc.collect()
    gc.freeze()


GLUE_PREFIX = "application/papermill.record/"


def glue(name: str, variable, display: bool = True) -> None:
    """Store ``variable`` under ``name`` for ``{glue:text}`name``` in the book's prose.

    Writes exactly what ``myst_nb.glue`` writes (the display data of the value, its MIME
    types prefixed when not displayed, and a "scrapbook" entry naming it), without importing
    myst_nb's Sphinx machinery, which costs every chapter about two seconds on first use.
    """
    from IPython.core.formatters import format_display_data
    from IPython.display import display as show

    bundle, metadata = format_display_data(variable)
    prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    show({prefix + key: value for key, value in bundle.items()}, raw=True, metadata=metadata)


def _compact_inline_figures() -> None:
    """In a Jupyter kernel, store figures as palette PNGs (see ``plotting.png_bytes``)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return
    from matplotlib.figure import Figure

    shell.run_line_magic("matplotlib", "inline")  # registers the inline formatter first
    shell.display_formatter.formatters["image/png"].for_type(Figure, plotting.png_bytes)
