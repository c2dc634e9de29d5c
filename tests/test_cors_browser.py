"""Browser players on other sites fetch chapters and transcripts across origins.

A real nginx (Debian's) runs the README's own configuration lines on 127.0.0.1,
serving the built demo site; a page from a second origin, in Debian's chromium,
fetches the chapters and the transcript (allowed) and a page (not allowed).
"""

from __future__ import annotations

import os
import re
import threading
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from support.browser import browser_session
from support.cli import REPO
from support.nginx import NGINX, nginx

pytestmark = pytest.mark.skipif(not os.path.exists(NGINX), reason="nginx is installed by make test-deps")

CONFIG = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
{user}
events {{ worker_connections 64; }}
http {{
  types {{ text/html html; application/json json; text/vtt vtt; application/x-subrip srt; }}
  access_log {tmp}/access.log;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {site};
    index index.html;
{readme}
  }}
}}
"""


def readme_nginx_lines() -> str:
    """The nginx block the README gives for framing and CORS, as a collective would paste it."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)```", text, flags=re.S)
    block = next(b for b in blocks if "Access-Control-Allow-Origin" in b)
    return block


def test_chapters_and_transcripts_can_be_fetched_from_another_origin(demo_build, tmp_path):
    slug = "2024-03-20-numerisation-massive"
    site = demo_build / "site"
    assert (site / "media" / f"{slug}.chapters.json").is_file() and (site / "media" / f"{slug}.vtt").is_file()
    partner = tmp_path / "partner"
    partner.mkdir()
    (partner / "index.html").write_text("<!doctype html><title>Partenaire</title><p>Un site partenaire</p>", encoding="utf-8")
    other = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(partner)))
    threading.Thread(target=other.serve_forever, daemon=True).start()
    (tmp_path / "nginx").mkdir()
    try:
        with nginx(site, tmp_path / "nginx", CONFIG, readme=readme_nginx_lines()) as (base, _, _), browser_session() as browser:
            page = browser.new_page()
            page.goto(f"http://localhost:{other.server_port}/")  # another origin than nginx's 127.0.0.1
            fetch = """async (url) => { try { const r = await fetch(url); return [r.status, await r.text()]; } catch (e) { return ["refused", String(e)]; } }"""
            status, body = page.evaluate(fetch, f"{base}media/{slug}.chapters.json")
            assert status == 200 and '"chapters"' in body
            status, body = page.evaluate(fetch, f"{base}media/{slug}.vtt")
            assert status == 200 and body.startswith("WEBVTT")
            status, _ = page.evaluate(fetch, f"{base}index.html")
            assert status == "refused"  # pages are not for other sites' scripts
            headers = urllib.request.urlopen(f"{base}embed/{slug}/", timeout=5).headers
            assert headers["Content-Security-Policy"] == "frame-ancestors *" and headers["X-Frame-Options"] is None
            headers = urllib.request.urlopen(f"{base}media/{slug}.chapters.json", timeout=5).headers
            assert headers["X-Frame-Options"] == "SAMEORIGIN"
    finally:
        other.shutdown()
