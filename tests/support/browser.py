"""A real browser for page tests: Debian's chromium driven by Playwright, against `portevoix serve`.

One chromium for the whole session (`browser`, registered in conftest.py, and
`browser_session`; every context a test opens, with its cookies and storage, is
closed after the test); axe-core from node_modules is injected into pages to check accessibility.
The fixtures `site` (the demo, built and served) and `page` (a fresh page that
fails the test on any request to another host, console error or failed response)
are shared by the browser test modules, which import them.
"""

from __future__ import annotations

import re
import time
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from support.cli import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "tests" / "artifacts"
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


_SHARED: dict = {}


def shared_browser():
    """The one headless chromium of the session, launched on first use (about a second of CPU each launch saved)."""
    if "browser" not in _SHARED:
        from playwright.sync_api import sync_playwright

        _SHARED["playwright"] = sync_playwright().start()
        _SHARED["browser"] = _SHARED["playwright"].chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    return _SHARED["browser"]


def close_shared_browser() -> None:
    """At the end of the session (conftest.py's pytest_sessionfinish)."""
    browser, playwright = _SHARED.pop("browser", None), _SHARED.pop("playwright", None)
    if browser is not None:
        browser.close()
    if playwright is not None:
        playwright.stop()


@contextmanager
def browser_session():
    """The session's chromium for a block; every context (cookies, storage, pages) opened in it is closed after it.

    (Playwright's sync API allows one instance per thread: a second sync_playwright() while one runs is refused.)"""
    browser = shared_browser()
    before = set(browser.contexts)
    try:
        yield browser
    finally:
        for context in browser.contexts:
            if context not in before:
                context.close()


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


@pytest.fixture(scope="module")
def site(demo_build):
    """(podcast folder, base URL) of the demo site, built once and served for the module."""
    with served(demo_build) as base_url:
        yield demo_build, base_url


@pytest.fixture()
def browser():
    """The session's chromium (registered in conftest.py); what a test opens in it is closed after the test."""
    with browser_session() as browser:
        yield browser


def watch(page, allowed_hosts: set[str]):
    """Record every request and every console error (a CSP refusal is one) of a page."""
    page.requests = []
    page.errors = []
    page.allowed_hosts = set(allowed_hosts)
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("response", lambda response: response.status >= 400 and page.errors.append(f"{response.status} {response.url}"))
    return page


def check_watched(page):
    hosts = {urlsplit(url).netloc for url in page.requests if not url.startswith(("data:", "about:", "blob:"))}
    assert hosts <= page.allowed_hosts, f"requests to other hosts: {hosts - page.allowed_hosts}"
    assert not page.errors, page.errors


@pytest.fixture()
def page(browser, site):
    """A fresh page (1280 × 900) whose requests all stay on the site, with no console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = watch(context.new_page(), {urlsplit(site[1]).netloc})
    yield page
    check_watched(page)
    context.close()
