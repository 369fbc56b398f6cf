"""Measure the book against the budgets in DESIGN.md and print one table per budget.

    python3 .ci/benchmark.py              # notebooks, explorers and pages (needs a built site)
    python3 .ci/benchmark.py --no-pages   # skip the browser part

* Notebook execution: each notebook in a fresh kernel, top to bottom, wall time.
* Explorer updates: after each run, in the same live kernel, every explorer the notebook
  created is moved through its first control with nothing cached, and each update (compute,
  draw, encode, hand to the widget) is timed.
* Committed notebook size: bytes on disk.
* Page weight: every built page is opened in headless Chromium from a local server and every
  response it loads is counted. "raw" is the bytes as stored; "gzip" is what a server that
  compresses text (as GitHub Pages and most static hosts do) would transfer: text types
  gzip-compressed, images and fonts as they are.

* Incremental rebuild: with a built site in place, one chapter is touched and the HTML is
  built again (only what changed is re-rendered); wall time.

Measurements, not assertions: nothing here fails; the budget column says which lines are over.
"""

import functools
import gzip
import http.server
import json
import os
import pathlib
import shutil
import subprocess
import sys
import threading
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
BUDGET = {"notebook_s": 60.0, "all_notebooks_s": 240.0, "update_ms": 150.0, "notebook_mb": 1.0, "page_mb": 2.0}
TIMING_CELL = (
    "import json as _json\nfrom activation_lab import explore as _explore\n"
    "print('EXPLORER_TIMINGS=' + _json.dumps({e.title: e.time_updates(5) for e in _explore.live_explorers()}))"
)
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


def over(value: float, budget: float) -> str:
    return "within" if value <= budget else "OVER"


def run_notebook(path: pathlib.Path) -> tuple[float, dict[str, list[float]]]:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=900, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}})
    with client.setup_kernel():
        started = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        seconds = time.perf_counter() - started
        probe = nbformat.v4.new_code_cell(TIMING_CELL)
        nb.cells.append(probe)
        client.execute_cell(probe, len(nb.cells) - 1)
    text = "".join(o.get("text", "") for o in probe.outputs if o.output_type == "stream")
    timings = json.loads(text.split("EXPLORER_TIMINGS=", 1)[1]) if "EXPLORER_TIMINGS=" in text else {}
    return seconds, timings


def notebooks() -> None:
    paths = sorted((ROOT / "notebooks").glob("*.ipynb"))
    total = 0.0
    print(f"\n{'notebook':<34}{'run (s)':>9}{'budget':>8}  {'size (MB)':>9}{'budget':>8}")
    explorer_rows = []
    for path in paths:
        seconds, timings = run_notebook(path)
        total += seconds
        size = path.stat().st_size / 1e6
        print(f"{path.stem:<34}{seconds:>9.1f}{over(seconds, BUDGET['notebook_s']):>8}  "
              f"{size:>9.2f}{over(size, BUDGET['notebook_mb']):>8}")
        explorer_rows += [(path.stem, title, times) for title, times in timings.items()]
    print(f"{'all notebooks':<34}{total:>9.1f}{over(total, BUDGET['all_notebooks_s']):>8}"
          f"   (budgets: {BUDGET['notebook_s']:.0f} s each, {BUDGET['all_notebooks_s']:.0f} s in all, "
          f"{BUDGET['notebook_mb']:.0f} MB each)")
    print(f"\n{'explorer (live update, 5 fresh settings)':<58}{'median ms':>10}{'max ms':>8}{'budget':>8}")
    for stem, title, times in explorer_rows:
        ms = sorted(t * 1000 for t in times)
        print(f"{stem[:14] + ': ' + title:<58.58}{ms[len(ms) // 2]:>10.0f}{ms[-1]:>8.0f}"
              f"{over(ms[-1], BUDGET['update_ms']):>8}")
    print(f"(budget: {BUDGET['update_ms']:.0f} ms per update)")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def pages() -> None:
    from playwright.sync_api import sync_playwright

    if not SITE.exists():
        print("\nno built site: run `bash .ci/build` first")
        return
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=SITE))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"]
    print(f"\n{'page':<44}{'files':>6}{'raw MB':>8}{'gzip MB':>9}{'budget':>8}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=args)
        for html in sorted(SITE.rglob("*.html")):
            relative = html.relative_to(SITE).as_posix()
            if relative.startswith(("_static/", "_sources/")):
                continue
            page = browser.new_page()
            responses: list = []
            page.on("response", functools.partial(list.append, responses))
            page.goto(f"{base}/{relative}", wait_until="networkidle")
            page.wait_for_timeout(300)  # MathJax fetches its fonts after typesetting
            raw = packed = 0
            for response in responses:
                try:
                    body = response.body()
                except Exception:  # a redirect has no body
                    continue
                kind = response.headers.get("content-type", "")
                raw += len(body)
                packed += len(gzip.compress(body, 6)) if kind.startswith(COMPRESSIBLE) else len(body)
            page.close()
            print(f"{relative:<44}{len(responses):>6}{raw / 1e6:>8.2f}{packed / 1e6:>9.2f}"
                  f"{over(packed / 1e6, BUDGET['page_mb']):>8}")
        browser.close()
    server.shutdown()
    server.server_close()
    print(f"(budget: {BUDGET['page_mb']:.0f} MB per page, everything it loads, as transferred)")


def rebuild() -> None:
    if not SITE.exists():
        return
    chapter = sorted((ROOT / "notebooks").glob("*.ipynb"))[0]
    os.utime(chapter)
    started = time.perf_counter()
    result = subprocess.run(["jupyter-book", "build", ".", "--builder", "html", "-W", "-n", "--keep-going"],
                            cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    status = "succeeded" if result.returncode == 0 else "FAILED"
    print(f"\nincremental HTML rebuild after touching {chapter.name}: {seconds:.1f} s ({status})")


if __name__ == "__main__":
    notebooks()
    if "--no-pages" not in sys.argv:
        pages()
        rebuild()
