"""Every built page in headless Chromium, with every request to another host blocked: nothing
fails to load, nothing logs an error, the maths is typeset, every picture loads, and every
explorer answers when its controls move."""

import shutil

import pytest
from conftest import toc_pages

pytestmark = pytest.mark.site

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PAGES = [f"{page}.html" for page in toc_pages()] + ["index.html", "search.html", "genindex.html"]


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


@pytest.fixture(params=PAGES)
def visit(request, browser, site_url):
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


def test_every_explorer_responds_to_each_of_its_controls(visit):
    page = visit.page
    for root in page.locator(".al-explorer").all():
        image, note = root.locator("img"), root.locator(".al-explorer-note")
        for control in root.locator("[data-control]").all():
            before_src, before_note = image.get_attribute("src"), note.inner_text()
            tag = control.evaluate("el => el.tagName")
            if tag == "SELECT":
                options = control.locator("option").count()
                current = int(control.input_value())
                control.select_option(str((current + 1) % options))
            else:
                control.focus()
                current = int(control.input_value())
                control.press("ArrowLeft" if current == int(control.get_attribute("max")) else "ArrowRight")
            assert image.get_attribute("src") != before_src, "the picture did not change"
            assert note.inner_text() != before_note, "the description did not change"
            assert image.get_attribute("alt").endswith(note.inner_text())
