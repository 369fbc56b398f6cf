"""Print the built book to one PDF with headless Chromium: bash .ci/build does this after the
HTML build; on its own, `python3 .ci/pdf.py` (needs _build/html).

Every page of the table of contents is opened from a local server, MathJax is given time to
typeset (the script fails if any equation is left untypeset), and the page is printed with the
book's print stylesheet. A title page and a table of contents with page numbers go in front,
and the PDF gets one bookmark per chapter. No network is used.

The result is _build/html/activation-functions.pdf, so the site can link to it.
"""

import functools
import html
import http.server
import io
import pathlib
import shutil
import sys
import threading

import yaml
from playwright.sync_api import sync_playwright
from pypdf import PdfReader, PdfWriter

ROOT = pathlib.Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
OUTPUT = SITE / "activation-functions.pdf"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PDF_OPTIONS = dict(format="A4", print_background=True, outline=True, tagged=True,
                   margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"})


def toc_pages() -> list[tuple[str, str]]:
    """(page path, part caption) in reading order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [(toc["root"], "")]
    for part in toc.get("parts", []):
        pages += [(chapter["file"], part["caption"]) for chapter in part["chapters"]]
    return pages


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def print_page(browser, base: str, path: str) -> tuple[bytes, str]:
    page = browser.new_page()
    url, foreign = f"{base}/{path}.html", []

    def only_local(route):
        if route.request.url.startswith((base, "data:")):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(url, wait_until="networkidle")
    page.emulate_media(media="print")
    if page.locator(".math").count():
        page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("MathJax.startup.promise")
        typeset, maths = page.locator("mjx-container").count(), page.locator(".math").count()
        if typeset < maths:
            sys.exit(f"{url}: only {typeset} of {maths} equations typeset; not printing")
    if foreign:
        sys.exit(f"{url}: tried to load from other hosts: {foreign[:3]}")
    title = page.locator("article h1").first.inner_text().strip().rstrip("#").strip()
    pdf = page.pdf(**PDF_OPTIONS)
    page.close()
    return pdf, title


def front_matter(browser, entries: list[tuple[str, str, int]]) -> bytes:
    """Title page and contents; ``entries`` are (part, title, first page number)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    rows, current_part = [], None
    for part, title, number in entries:
        if part and part != current_part:
            rows.append(f'<tr class="part"><td colspan="2">{html.escape(part)}</td></tr>')
            current_part = part
        rows.append(f"<tr><td>{html.escape(title)}</td><td class='n'>{number}</td></tr>")
    document = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><style>
      body {{ font-family: "DejaVu Sans", sans-serif; color: #111; }}
      .cover {{ height: 250mm; display: flex; flex-direction: column; justify-content: center; }}
      h1 {{ font-size: 30pt; margin: 0 0 8mm; }} .by {{ font-size: 14pt; }}
      h2 {{ break-before: page; font-size: 20pt; }}
      table {{ width: 100%; border-collapse: collapse; font-size: 11pt; }}
      td {{ padding: 2mm 0; border-bottom: 1px dotted #999; }} td.n {{ text-align: right; }}
      tr.part td {{ font-weight: bold; padding-top: 5mm; border: none; }}
    </style></head><body>
      <div class="cover"><h1>{html.escape(config["title"])}</h1>
      <p class="by">{html.escape(config["author"])}, {html.escape(str(config["copyright"]))}</p>
      <p>Printed from the web edition. The explorers show their first view; run the notebooks
      to move their controls.</p></div>
      <h2>Contents</h2><table>{''.join(rows)}</table></body></html>"""
    page = browser.new_page()
    page.set_content(document)
    pdf = page.pdf(**(PDF_OPTIONS | {"outline": False}))  # the bookmarks start with the chapters
    page.close()
    return pdf


def main() -> None:
    if not SITE.exists():
        sys.exit("no built site: run `bash .ci/build` first")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=SITE))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        chapters = []
        for path, part in toc_pages():
            pdf, title = print_page(browser, base, path)
            chapters.append((part, title, PdfReader(io.BytesIO(pdf))))
        # Two passes: the contents needs page numbers, which depend on its own length.
        front_pages = 2
        for _ in range(3):
            first_page, entries = front_pages + 1, []
            for part, title, reader in chapters:
                entries.append((part, title, first_page))
                first_page += len(reader.pages)
            front = PdfReader(io.BytesIO(front_matter(browser, entries)))
            if len(front.pages) == front_pages:
                break
            front_pages = len(front.pages)
        browser.close()
    server.shutdown()
    server.server_close()

    writer = PdfWriter()
    writer.append(front)
    for _part, title, reader in chapters:
        writer.append(reader, outline_item=title)
    writer.add_metadata({"/Title": yaml.safe_load((ROOT / "_config.yml").read_text())["title"]})
    with open(OUTPUT, "wb") as handle:
        writer.write(handle)
    print(f"PDF edition: {OUTPUT.relative_to(ROOT)} ({len(writer.pages)} pages, {OUTPUT.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
