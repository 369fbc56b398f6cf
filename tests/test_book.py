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
