"""Shared fixtures: the built book (built once per test session) and a local web server."""

import functools
import http.server
import os
import pathlib
import subprocess
import threading

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def built_site() -> pathlib.Path:
    """Build the book exactly as the README's build command does (warnings are errors)."""
    result = subprocess.run(
        ["bash", str(ROOT / ".ci" / "build")], cwd=ROOT, env={**os.environ, "SKIP_SETUP": "1"},
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        pytest.fail("the book build failed:\n" + result.stdout[-6000:] + result.stderr[-6000:], pytrace=False)
    return SITE


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site served on localhost, as a reader's browser would load it."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=built_site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def toc_pages() -> list[str]:
    """Every page listed in _toc.yml, as a path relative to the site root without suffix."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [chapter["file"] for chapter in part["chapters"]]
    return pages


def verdict(result, *fragments):
    """An exercise checker's result is failing feedback whose sentence holds every fragment,
    and never a traceback."""
    from activation_lab.exercises import feedback

    assert isinstance(result, feedback.Feedback) and not result.passed, result
    for fragment in fragments:
        assert fragment in result.message, (fragment, result.message)
    assert "Traceback" not in repr(result)
    return result
