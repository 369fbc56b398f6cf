"""The built book: it builds with warnings as errors, carries its own identity, and every
page refers only to files of the site itself."""

import re

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, toc_pages

pytestmark = pytest.mark.site


def pages(site):
    return sorted(site.rglob("*.html"))


def test_every_toc_page_was_built(built_site):
    for page in toc_pages():
        assert (built_site / f"{page}.html").exists(), page


def test_title_author_and_copyright_are_the_books_own(built_site):
    html = (built_site / "notebooks" / "01_why_nonlinearity.html").read_text()
    assert "Activation Functions, from First Principles to PyTorch" in html
    assert "© Copyright 2026" in html and "Copyright 2023" not in html
    assert "The Activation Lab authors" in html
    assert "executablebooks/jupyter-book" not in html


def test_no_page_loads_anything_from_another_host(built_site):
    for page in pages(built_site):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        for tag, attribute in [("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"),
                               ("source", "src"), ("video", "src"), ("audio", "src")]:
            for element in soup.find_all(tag):
                url = element.get(attribute, "")
                loads = {"stylesheet", "preload", "icon", "modulepreload"}
                if tag == "link" and not set(element.get("rel", [])) & loads:
                    continue  # a plain link to another site is fine; only what the page loads counts
                assert not re.match(r"^(https?:)?//", url), f"{page.relative_to(built_site)}: {tag} {url}"


def test_mathjax_and_the_widget_manager_are_configured_locally_and_shipped(built_site):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"]
    assert config["mathjax_path"] == "vendor/mathjax/tex-chtml.js"
    assert (built_site / "_static" / config["mathjax_path"]).stat().st_size > 500_000
    for script in config["nb_ipywidgets_js"]:
        assert not script.startswith(("http:", "https:", "//"))
        assert (built_site / "_static" / script).exists(), script
    chapter = (built_site / "notebooks" / "01_why_nonlinearity.html").read_text()
    assert 'src="../_static/vendor/mathjax/tex-chtml.js' in chapter


def test_explorers_are_rendered_statically_not_as_empty_widget_boxes(built_site):
    chapter = (built_site / "notebooks" / "01_why_nonlinearity.html").read_text()
    assert chapter.count('class="al-explorer"') >= 1
    assert "application/vnd.jupyter.widget-view+json" not in chapter


def test_solutions_are_collapsed_and_figures_have_captions_and_alt_text(built_site):
    for page in (built_site / "notebooks").glob("*.html"):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        solutions = soup.select(".solution")
        assert solutions and all("dropdown" in s.get("class", []) for s in solutions), page.name
        for figure in soup.select("figure:not(.al-explorer)"):
            assert figure.find("figcaption"), page.name
            for img in figure.find_all("img"):
                assert len(img.get("alt", "")) > 40, (page.name, img.get("alt"))


def test_every_internal_link_and_anchor_resolves(built_site):
    """What Sphinx's link checker would say about internal targets, for every built page."""
    from urllib.parse import unquote, urlparse

    ids: dict = {}

    def anchors(path):
        if path not in ids:
            soup = BeautifulSoup(path.read_text(), "html.parser")
            ids[path] = {e.get("id") for e in soup.find_all(id=True)} | {e.get("name") for e in soup.find_all("a")}
        return ids[path]

    broken = []
    for page in pages(built_site):
        if "_static" in page.parts:
            continue
        for a in BeautifulSoup(page.read_text(), "html.parser").find_all("a", href=True):
            url = urlparse(a["href"])
            if url.scheme or url.netloc or a["href"].startswith(("mailto:", "javascript:")):
                continue
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(built_site)} -> {a['href']}")
            elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in anchors(target):
                broken.append(f"{page.relative_to(built_site)} -> {a['href']} (no such anchor)")
    assert broken == []


def test_pdf_edition_has_every_chapter_bookmarked_and_typeset_maths(built_site):
    from pypdf import PdfReader

    pdf = built_site / "activation-functions.pdf"
    assert pdf.exists(), "the build did not print the PDF edition"
    reader = PdfReader(pdf)
    bookmarks = [item.title for item in reader.outline if not isinstance(item, list)]
    for page in toc_pages():
        title = BeautifulSoup((built_site / f"{page}.html").read_text(), "html.parser").find("h1").get_text()
        assert title.strip("#¶ ").strip() in bookmarks, title
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Contents" in text and "Why neural networks need non-linearity" in text
    for delimiter in ("\\(", "\\[", "$$", "\\frac", "\\begin"):
        assert delimiter not in text, f"untypeset TeX ({delimiter}) in the PDF"
    assert reader.metadata.title.startswith("Activation Functions")
    intro = (built_site / "book" / "intro.html").read_text()
    assert 'href="../activation-functions.pdf"' in intro


def test_pages_state_their_reading_time_from_the_word_count(built_site):
    chapter = BeautifulSoup((built_site / "notebooks" / "01_why_nonlinearity.html").read_text(), "html.parser")
    note = chapter.select_one("h1 + p.reading-time")
    assert note is not None and re.match(r"About \d+ minutes of reading \([\d,]+ words\)", note.get_text())


# The outputs the source articles print (SEEDS.md), with the true values where a seed printed a
# wrong one. Each must appear in its chapter's built page; PyTorch's padding spaces are ignored.
SEED_OUTPUTS = {
    "04_sigmoid": ["0.2689", "0.5000", "0.7311", "0.8808"],
    "05_tanh": ["-0.7616", "0.0000", "0.7616", "0.9640"],
    "07_relu": ["0.", "0.", "1.", "2."],
    "08_leaky_relu_family": ["-0.0100", "0.0000", "1.0000", "2.0000"],
    "06_softmax": ["0.0059", "0.1184", "0.0008", "0.8749"],
}
SOFTMAX_SECOND_ROW_TRUE = ["0.0064", "0.0000", "0.0471", "0.9465"]
SOFTMAX_SECOND_ROW_AS_PRINTED_IN_THE_SEED = ["0.0067", "0.0000", "0.0472", "0.9461"]


def _page_values(page) -> str:
    return re.sub(r"\s+", "", BeautifulSoup(page.read_text(), "html.parser").get_text())


@pytest.mark.parametrize("chapter", sorted(SEED_OUTPUTS))
def test_seed_outputs_appear_exactly_in_their_chapter(built_site, chapter):
    text = _page_values(built_site / "notebooks" / f"{chapter}.html")
    assert "[" + ",".join(SEED_OUTPUTS[chapter]) + "]" in text


def test_softmax_chapter_shows_the_true_second_row_and_names_the_seeds_wrong_one(built_site):
    text = _page_values(built_site / "notebooks" / "06_softmax.html")
    assert "[" + ",".join(SOFTMAX_SECOND_ROW_TRUE) + "]" in text
    assert "[" + ",".join(SOFTMAX_SECOND_ROW_AS_PRINTED_IN_THE_SEED) + "]" in text
