"""`portevoix serve`: a real HTTP server on loopback, with byte ranges so that players can seek."""

from __future__ import annotations

import http.client
import re
import subprocess
import sys

import pytest


@pytest.fixture()
def server(demo_build):
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "-C", str(demo_build), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    port = int(re.search(r":(\d+)/", line).group(1))
    yield demo_build / "site", port
    process.terminate()
    process.wait(timeout=10)


def request(port: int, method: str, path: str, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    return response, response.read()


def test_range_requests_return_the_exact_bytes(server):
    site, port = server
    mp3 = sorted((site / "media").glob("*.mp3"))[0]
    data = mp3.read_bytes()
    path = f"/media/{mp3.name}"

    response, body = request(port, "GET", path, {"Range": "bytes=1000-1999"})
    assert response.status == 206
    assert response.getheader("Content-Range") == f"bytes 1000-1999/{len(data)}"
    assert body == data[1000:2000]

    response, body = request(port, "GET", path, {"Range": "bytes=-500"})
    assert response.status == 206 and body == data[-500:]

    response, body = request(port, "GET", path, {"Range": f"bytes={len(data)}-"})
    assert response.status == 416

    response, body = request(port, "HEAD", path)
    assert response.status == 200
    assert response.getheader("Accept-Ranges") == "bytes"
    assert int(response.getheader("Content-Length")) == len(data)
    assert response.getheader("Content-Type") == "audio/mpeg"


def test_pages_and_feed_are_served(server):
    site, port = server
    response, body = request(port, "GET", "/")
    assert response.status == 200 and b"<audio" not in body and b"<h1>" in body
    response, body = request(port, "GET", "/feed.xml")
    assert response.status == 200 and body == (site / "feed.xml").read_bytes()
    assert response.getheader("Content-Type") == "application/rss+xml"


def test_only_the_embed_player_may_be_framed_by_other_sites(server):
    site, port = server
    embed = sorted((site / "embed").iterdir())[0].name
    response, _ = request(port, "GET", f"/embed/{embed}/")
    assert response.status == 200
    assert response.getheader("Content-Security-Policy") == "frame-ancestors *"
    assert response.getheader("X-Frame-Options") is None
    response, _ = request(port, "GET", "/")
    assert response.getheader("Content-Security-Policy") == "frame-ancestors 'self'"
    assert response.getheader("X-Frame-Options") == "SAMEORIGIN"
