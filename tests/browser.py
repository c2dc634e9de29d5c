"""A real browser for page tests: Debian's chromium driven by Playwright, against `portevoix serve`.

One browser per test module (see `browser_session`); axe-core from node_modules
is injected into pages to check accessibility.
"""

from __future__ import annotations

import re
import time
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
WIDTHS = (360, 1280)


@contextmanager
def served(root: Path):
    """`portevoix serve` on a free port for the podcast folder `root`; yields the base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "-C", str(root), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, f"serve did not start: {line!r} {process.stderr.read() if process.poll() is not None else ''}"
        yield f"http://127.0.0.1:{match.group(1)}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def browser_session():
    """One headless chromium for a whole test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page) -> list[dict]:
    """Every axe-core violation on the page (all rules axe runs by default, WCAG 2.x A/AA and best practices)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_until(target, expression: str, timeout: float = 15.0):
    """Poll a JavaScript expression in a page or frame until it is truthy.

    (Playwright's wait_for_function evaluates strings with eval(), which the
    pages' Content-Security-Policy rightly refuses; evaluate() is not affected.)
    """
    deadline = time.monotonic() + timeout
    while True:
        value = target.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(0.05)


@contextmanager
def other_site(folder: Path, html: str):
    """Another origin (a second server on loopback) serving one page, e.g. a partner site embedding the player."""
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    (folder / "index.html").write_text(html, encoding="utf-8")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
