"""`portevoix serve` as an honest web server: raw requests on a real socket, checked byte by byte.

Malformed, too long or unsupported requests get 400/414/505 (never an empty
reply); NUL bytes and huge range numbers get 400/416; no folder is listed;
links leading out of site/ and special files are not served; the framing
headers follow the file actually served; idle connections are closed; an
invalid range is ignored (RFC 9110); transcripts and chapters carry the types
the feed announces and CORS.
"""

from __future__ import annotations

import http.client
import os
import socket
import threading
import time
from pathlib import Path

import pytest

from pipeline.site import serve


@pytest.fixture()
def site(tmp_path) -> Path:
    root = tmp_path / "site"
    (root / "embed" / "ep").mkdir(parents=True)
    (root / "media").mkdir()
    (root / "empty-folder").mkdir()
    (root / "index.html").write_text("<p>accueil</p>", encoding="utf-8")
    (root / "embed" / "ep" / "index.html").write_text("<p>lecteur</p>", encoding="utf-8")
    (root / "media" / "ep.mp3").write_bytes(bytes(range(256)) * 40)
    for name in ("ep.opus", "ep.vtt", "ep.srt", "ep.chapters.json", "ep.transcript.json"):
        (root / "media" / name).write_bytes(b"x" * 10)
    secret = tmp_path / "secret.txt"
    secret.write_text("outside the site", encoding="utf-8")
    os.symlink(secret, root / "leak.txt")
    os.symlink(tmp_path, root / "up")
    os.symlink(root / "index.html", root / "alias.html")
    os.mkfifo(root / "pipe.mp3")
    return root


@pytest.fixture()
def port(site, monkeypatch):
    monkeypatch.setattr(serve.RangeRequestHandler, "timeout", 2)
    server = serve.make_server(site, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def raw(port: int, data: bytes) -> bytes:
    """Send `data` as it is; everything the server answers until it closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status_of(reply: bytes) -> int:
    assert reply, "an empty reply"
    return int(reply.split(b" ", 2)[1])


def get(port: int, path: str, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_malformed_too_long_and_unsupported_requests(port):
    assert status_of(raw(port, b"GET / HTTP/2.0\r\n\r\n")) == 505
    assert status_of(raw(port, b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n")) == 414
    assert status_of(raw(port, b"NONSENSE\r\n\r\n")) == 400
    assert status_of(raw(port, b"GET / HTTP/1.1 extra\r\n\r\n")) == 400
    assert status_of(raw(port, b"GET /index.html%00.mp3 HTTP/1.0\r\n\r\n")) == 400
    assert status_of(raw(port, b"GET /media/%00 HTTP/1.0\r\n\r\n")) == 400


def test_ranges_huge_and_invalid(port, site):
    data = (site / "media/ep.mp3").read_bytes()
    response, body = get(port, "/media/ep.mp3", {"Range": "bytes=" + "9" * 5000 + "-"})
    assert response.status == 416 and response.getheader("Content-Range") == f"bytes */{len(data)}"
    response, body = get(port, "/media/ep.mp3", {"Range": "bytes=10-" + "9" * 5000})
    assert response.status == 206 and body == data[10:]
    response, body = get(port, "/media/ep.mp3", {"Range": "bytes=5-1"})
    assert response.status == 200 and body == data, "an invalid range is ignored: the whole file"
    response, body = get(port, "/media/ep.mp3", {"Range": "bytes=100-199"})
    assert response.status == 206 and body == data[100:200]


def test_no_listing_no_link_out_no_special_file(port):
    for path in ("/empty-folder/", "/media/", "/leak.txt", "/up/secret.txt", "/pipe.mp3", "/../secret.txt", "/%2e%2e/secret.txt"):
        response, body = get(port, path)
        assert response.status == 404, path
        assert b"outside the site" not in body and b"<li>" not in body
    response, body = get(port, "/alias.html")
    assert response.status == 200 and body == b"<p>accueil</p>"


def test_framing_follows_the_file_served(port):
    response, body = get(port, "/embed/ep/")
    assert body == b"<p>lecteur</p>" and response.getheader("Content-Security-Policy") == "frame-ancestors *"
    assert response.getheader("X-Frame-Options") is None
    for path in ("/embed/..%2findex.html", "/embed/ep/..%2F..%2Findex.html", "/"):
        response, body = get(port, path)
        assert response.status == 200 and body == b"<p>accueil</p>", path
        assert response.getheader("Content-Security-Policy") == "frame-ancestors 'self'", path
        assert response.getheader("X-Frame-Options") == "SAMEORIGIN", path


def test_types_as_the_feed_announces_and_cors_on_transcripts_and_chapters(port):
    expected = {
        "/media/ep.opus": ("audio/ogg", None), "/media/ep.vtt": ("text/vtt", "*"), "/media/ep.srt": ("application/x-subrip", "*"),
        "/media/ep.chapters.json": ("application/json+chapters", "*"), "/media/ep.transcript.json": ("application/json", "*"),
        "/media/ep.mp3": ("audio/mpeg", None), "/": ("text/html", None),
    }
    for path, (kind, cors) in expected.items():
        response, _ = get(port, path)
        assert response.getheader("Content-Type") == kind, path
        assert response.getheader("Access-Control-Allow-Origin") == cors, path


def test_an_idle_connection_is_closed(port):
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        assert sock.recv(100) == b""  # the server hangs up on a client that says nothing
    assert time.monotonic() - started < 15
    response, _ = get(port, "/")
    assert response.status == 200, "and keeps serving others"
