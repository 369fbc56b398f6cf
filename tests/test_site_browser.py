"""Every built page in headless Chromium, with every request to another host blocked: nothing
fails to load, nothing logs an error, the maths is typeset, every picture loads, and every
explorer answers when its controls move."""

import io
import pathlib
import shutil

import axe_playwright_python
import numpy as np
import pytest
from PIL import Image

from conftest import ROOT, toc_pages

pytestmark = pytest.mark.site

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PAGES = [f"{page}.html" for page in toc_pages()] + ["index.html", "search.html", "genindex.html"]
NOTEBOOK_PAGES = [f"{page}.html" for page in toc_pages() if (ROOT / f"{page}.ipynb").exists()]
AXE_SCRIPT = (pathlib.Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
SCREENSHOTS = ROOT / "_build" / "screenshots"


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.fail("Chromium is not installed; run `bash .ci/setup --browser` (or .ci/run)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageVisit:
    """One page loaded with a record of everything that went wrong."""

    def __init__(self, browser, site_url, path):
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.foreign, self.failed, self.errors = [], [], []
        self.page.route("**/*", self._route(site_url))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on("response", lambda r: self.failed.append(f"{r.url} ({r.status})") if r.status >= 400 else None)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(f"{site_url}/{path}", wait_until="networkidle")

    def _route(self, site_url):
        def handle(route):
            url = route.request.url
            if url.startswith(site_url) or url.startswith("data:"):
                route.continue_()
            else:
                self.foreign.append(url)
                route.abort()

        return handle


    def set_theme(self, theme: str) -> None:
        """Switch the theme's colour mode as its own toggle does."""
        # The theme fades colours over a few frames; axe or a screenshot taken mid-fade sees
        # in-between colours. Turn transitions off and wait until the page is really dark/light.
        self.page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
        self.page.evaluate(f"document.documentElement.dataset.mode = '{theme}';"
                           f"document.documentElement.dataset.theme = '{theme}'")
        self.page.wait_for_function(
            "dark => { const c = getComputedStyle(document.body).backgroundColor.match(/\\d+/g);"
            " return c && ((Number(c[0]) + Number(c[1]) + Number(c[2])) / 3 < 80) === dark; }",
            arg=theme == "dark", timeout=5_000)
        self.page.wait_for_timeout(100)


@pytest.fixture(params=PAGES)
def visit(request, browser, site_url):
    v = PageVisit(browser, site_url, request.param)
    yield v
    v.page.close()


@pytest.fixture(params=NOTEBOOK_PAGES)
def chapter_visit(request, browser, site_url):
    v = PageVisit(browser, site_url, request.param)
    yield v
    v.page.close()


def test_page_loads_only_from_its_own_site_without_errors(visit):
    assert visit.foreign == [], "requests to other hosts"
    assert visit.failed == [], "failed requests"
    assert visit.errors == [], "console errors"


def test_maths_is_typeset_and_no_raw_tex_is_visible(visit):
    page = visit.page
    math_elements = page.locator(".math").count()
    if math_elements:
        page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("MathJax.startup.promise")
        assert page.locator("mjx-container").count() >= math_elements
    text = page.locator("article").inner_text() if page.locator("article").count() else ""
    for delimiter in ("\\(", "\\)", "\\[", "\\]", "$$"):
        assert delimiter not in text, f"raw TeX delimiter {delimiter} on the page"


def test_every_image_loads(visit):
    broken = visit.page.evaluate(
        "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80))"
    )
    assert broken == []


def test_every_explorer_responds_to_each_of_its_controls_from_the_keyboard(visit):
    """Each control is reached with Tab and moved with the arrow keys, as a keyboard user would."""
    page = visit.page
    for root in page.locator(".al-explorer").all():
        image, note = root.locator("img"), root.locator(".al-explorer-note")
        controls = root.locator("[data-control]").all()
        controls[0].focus()
        for index, control in enumerate(controls):
            if index:
                page.keyboard.press("Tab")
            assert control.evaluate("el => el === document.activeElement"), "control not reachable with Tab"
            before_src, before_note = image.get_attribute("src"), note.inner_text()
            current, last = int(control.input_value()), control.evaluate(
                "el => el.tagName === 'SELECT' ? el.options.length - 1 : Number(el.max)")
            key = "ArrowLeft" if current == last else "ArrowRight"
            if control.evaluate("el => el.tagName") == "SELECT":
                key = "ArrowUp" if current == last else "ArrowDown"
            page.keyboard.press(key)
            assert int(control.input_value()) != current, f"{key} did not move the control"
            assert image.get_attribute("src") != before_src, "the picture did not change"
            assert note.inner_text() != before_note, "the description did not change"
            assert image.get_attribute("alt").endswith(note.inner_text())


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_no_serious_or_critical_accessibility_violations(visit, theme):
    visit.set_theme(theme)
    visit.page.evaluate(AXE_SCRIPT)
    results = visit.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}"
               for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


def _luminance(png: bytes) -> float:
    """Mean brightness of a screenshot, 0 (black) to 1 (white)."""
    return float(np.asarray(Image.open(io.BytesIO(png)).convert("L")).mean()) / 255


def test_figures_stay_legible_in_dark_mode(chapter_visit):
    """Screenshots in both modes: the page goes dark, every figure keeps its light background
    (no black axes on a dark page). The screenshots are kept in _build/screenshots."""
    page, name = chapter_visit.page, pathlib.Path(chapter_visit.page.url).stem
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    figures = page.locator("article .cell_output img, article .al-explorer img").all()
    assert figures, "a chapter without figures"
    for theme in ("light", "dark"):
        chapter_visit.set_theme(theme)
        page.screenshot(path=SCREENSHOTS / f"{name}-{theme}.png")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        channels = [int(c) for c in background[background.index("(") + 1:-1].split(",")[:3]]
        assert (sum(channels) / 3 < 80) == (theme == "dark"), background
        for figure in figures[:12]:
            figure.scroll_into_view_if_needed()
            assert _luminance(figure.screenshot()) > 0.55, f"a dark figure in {theme} mode"


def test_notebook_pages_offer_launch_download_source_and_edit_links(chapter_visit):
    page, path = chapter_visit.page, chapter_visit.page.url.split("/", 3)[3]
    stem = path.removesuffix(".html")
    hrefs = page.eval_on_selector_all(".article-header-buttons a", "els => els.map(e => e.href)")
    assert any("mybinder.org" in h and f"{stem}.ipynb" in h for h in hrefs), "no Binder button"
    assert any("colab.research.google.com" in h and f"{stem}.ipynb" in h for h in hrefs), "no Colab button"
    assert any(h.endswith(f"_sources/{stem}.ipynb") for h in hrefs), "no notebook download"
    assert any(f"/edit/main/{stem}.ipynb" in h for h in hrefs), "no edit-this-page link"
    assert any(h.rstrip("/").endswith("activation-lab/activation-functions-book") for h in hrefs), "no source link"


def test_every_page_offers_source_and_edit_links(visit):
    if visit.page.url.endswith(("search.html", "genindex.html")) or visit.page.url.endswith("/index.html"):
        return  # generated pages have no source file to edit
    hrefs = visit.page.eval_on_selector_all(".article-header-buttons a", "els => els.map(e => e.href)")
    assert any("/edit/main/" in h for h in hrefs) and any("/_sources/" in h for h in hrefs)


def test_search_works_offline(browser, site_url):
    v = PageVisit(browser, site_url, "search.html")
    page = v.page
    page.locator("article input[name='q']:visible, input[name='q']:visible").first.fill("perceptron XOR")
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-results li", timeout=15_000)
    results = page.locator("#search-results li").all_inner_texts()
    assert any("non-linearity" in r for r in results), results
    assert v.foreign == [] and v.errors == []
    page.close()
