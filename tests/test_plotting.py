"""Figure helpers: the book's colours survive compression, log bands tolerate zeros."""

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from activation_lab import plotting  # noqa: E402


def _hex(rgb):
    return "#{:02X}{:02X}{:02X}".format(*rgb)


def test_png_bytes_keeps_every_palette_colour_exactly():
    fig, ax = plt.subplots(figsize=(4, 3))
    x = np.linspace(0, 1, 50)
    for k, colour in enumerate(plotting.PALETTE):
        ax.plot(x, x + k, color=colour, linewidth=4)
    image = Image.open(io.BytesIO(plotting.png_bytes(fig))).convert("RGB")
    plt.close(fig)
    used = {_hex(rgb) for _, rgb in image.getcolors(maxcolors=1 << 16)}
    assert set(plotting.PALETTE) <= used
    assert len(used) <= 64


def test_plot_band_on_a_log_axis_skips_zeros_without_warnings():
    fig, ax = plt.subplots()
    runs = np.array([[1e-3, 0.0, 0.0], [1e-1, 1e-2, 0.0]])
    plotting.plot_band(ax, [0, 1, 2], runs, label="norms", log=True)  # warnings are errors here
    line = ax.get_lines()[0].get_ydata()
    plt.close(fig)
    np.testing.assert_allclose(line[:2], [1e-2, 1e-2])  # geometric means over the positive runs
    assert np.isnan(line[2])
