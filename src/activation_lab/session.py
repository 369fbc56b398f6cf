"""The first cell of every chapter: reproducible numbers and the book's figure style.

>>> from activation_lab import session
>>> session.setup(seed=0)
"""

from __future__ import annotations

import random

import numpy as np
import torch

from activation_lab import plotting


def setup(seed: int = 0, threads: int = 1) -> None:
    """Seed every random generator, fix PyTorch's thread count, and apply the figure style.

    One thread keeps floating-point sums in the same order on every machine, so the numbers
    a reader gets match the ones printed in the book; the book's networks are small enough
    that a second thread would not make them faster.
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    np.set_printoptions(precision=4, suppress=True)
    plotting.use_book_style()
    _compact_inline_figures()


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
