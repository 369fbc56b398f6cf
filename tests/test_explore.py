"""Explorers: the static rendering holds every view, and the live widget redraws on change."""

import base64
import io
import json
import re

import numpy as np
import pytest
from PIL import Image

from activation_lab import explore


def draw(fig, slope, shape):
    ax = fig.subplots()
    x = np.linspace(-3, 3, 50)
    ax.plot(x, np.tanh(slope * x) if shape == "tanh" else np.maximum(slope * x, 0))
    ax.set_xlabel("input x")
    return f"{shape} with slope {slope:g} </script>"  # a hostile description must stay inert


@pytest.fixture(scope="module")
def explorer():
    return explore.Explorer(
        draw,
        [explore.slider("slope", [0.5, 1, 2], label="slope"),
         explore.dropdown("shape", {"hyperbolic tangent": "tanh", "rectifier": "relu"}, label="shape")],
        title="Test: shapes & slopes",
    )


def frames_of(html: str) -> dict:
    blob = re.search(r'<script type="application/json" class="al-explorer-frames">(.*?)</script>', html, re.S)
    return json.loads(blob.group(1))


def png_size(data_uri: str) -> tuple[int, int]:
    return Image.open(io.BytesIO(base64.b64decode(data_uri.split(",", 1)[1]))).size


def test_static_html_holds_one_frame_per_setting_all_the_same_size(explorer):
    html = explorer.static_html()
    frames = frames_of(html)
    assert sorted(frames) == ["0-0", "0-1", "1-0", "1-1", "2-0", "2-1"]
    sizes = {png_size(uri) for uri, _ in frames.values()}
    assert sizes == {(round(6.0 * 90), round(3.2 * 90))}
    assert frames["2-1"][1] == "relu with slope 2 </script>"
    assert html.count("</script>") == 2  # the description's "</script>" was escaped inside the JSON


def test_static_html_is_accessible_and_self_contained(explorer):
    html = explorer.static_html()
    for control in ("slope", "shape"):
        cid = f"{explorer.dom_id}-{control}"
        assert f'<label for="{cid}">' in html and f'id="{cid}"' in html
    assert 'aria-live="polite"' in html and 'alt="Test: shapes &amp; slopes: tanh with slope 0.5' in html
    assert "http://" not in html and "https://" not in html and "src=\"//" not in html
    assert '<option value="1">rectifier</option>' in html


def test_start_setting_selects_the_initial_frame(explorer):
    html = explorer.static_html(start={"slope": 2, "shape": "relu"})
    assert 'value="2"' in html and '<option value="1" selected>' in html


def test_live_widget_redraws_when_a_control_moves(explorer):
    box = explorer.widget()
    image, note = explorer.widgets["image"], explorer.widgets["note"]
    first = image.value
    explorer.widgets["shape"].value = "relu"
    assert image.value != first and note.value.startswith("relu with slope 0.5")
    explorer.widgets["slope"].value = 2
    assert note.value.startswith("relu with slope 2")
    assert box.children[-1] is note


def test_a_live_picture_shows_the_same_pixels_as_the_static_one_and_is_not_cached():
    fresh = explore.Explorer(draw, [explore.slider("slope", [0.5, 1, 2], label="slope"),
                                    explore.dropdown("shape", {"tanh": "tanh", "relu": "relu"}, label="shape")],
                             title="Test: live pictures")
    fresh.widget()
    fresh.widgets["slope"].value = 2  # drawn live, with the fast PNG encoder
    live = fresh.widgets["image"].value
    assert (2, "tanh") not in fresh._cache
    static, _ = fresh.view(slope=2, shape="tanh")
    pixels = [np.asarray(Image.open(io.BytesIO(png)).convert("RGB")) for png in (live, static)]
    np.testing.assert_array_equal(*pixels)
    assert len(static) <= len(live)


def test_mime_bundle_offers_the_widget_and_the_static_view(explorer):
    bundle = explorer._repr_mimebundle_()
    assert {"text/plain", "text/html", "application/vnd.jupyter.widget-view+json"} <= set(bundle)
    assert "6 views" in bundle["text/plain"]


def test_timing_measures_uncached_updates(explorer):
    times = explorer.time_updates(repeats=2)
    assert len(times) == 2 and all(t > 0 for t in times)
    assert explorer in explore.live_explorers()


def test_constructor_start_applies_to_both_renderings():
    controls = [explore.slider("slope", [0.5, 1, 2]), explore.dropdown("shape", ["tanh", "relu"])]
    explorer = explore.Explorer(draw, controls, title="Start here", start={"slope": 1})
    assert 'aria-valuetext="1"> <output' in explorer.static_html()
    explorer.widget()
    assert explorer.widgets["slope"].value == 1 and explorer.widgets["note"].value.startswith("tanh with slope 1")
