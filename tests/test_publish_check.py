"""`publish --check` fetches only the site's own http(s) addresses, checks every file the feed announces, one line each.

The feed served here is hostile or damaged on purpose: a `file:` enclosure and
one on another host are named and never fetched; an Opus alternate enclosure,
a transcript and chapters served with the wrong length or type are each
reported; a server that answers garbage is one line, not a traceback.
"""

from __future__ import annotations

import socket
import threading

from support.publish import web_root  # noqa: F401 - fixture
from pipeline.publish.verify import check_site

BASE = "https://debats.example.org/"
FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel><title>t</title><itunes:image href="{base}cover.jpg"/>
<item><title>a</title>
  <enclosure url="{base}media/a.mp3" length="{mp3}" type="audio/mpeg"/>
  <podcast:alternateEnclosure type="audio/ogg" length="999"><podcast:source uri="{base}media/a.opus"/></podcast:alternateEnclosure>
  <podcast:transcript url="{base}media/a.vtt" type="text/vtt"/>
  <podcast:chapters url="{base}media/a.chapters.json" type="application/json+chapters"/>
</item>
<item><title>b</title><enclosure url="file:///etc/passwd" length="1" type="audio/mpeg"/></item>
<item><title>c</title><enclosure url="https://tracker.example.net/c.mp3" length="1" type="audio/mpeg"/></item>
</channel></rss>
"""


def test_every_announced_file_is_checked_and_nothing_outside_is_fetched(tmp_path, web_root):
    site = tmp_path / "site"
    (site / "media").mkdir(parents=True)
    (site / "media/a.mp3").write_bytes(b"\xff\xfb" * 500)
    (site / "media/a.opus").write_bytes(b"OggS" * 10)  # 40 bytes, the feed says 999
    (site / "media/a.vtt").write_text("WEBVTT\n", encoding="utf-8")
    (site / "media/a.chapters.json").write_text("{}", encoding="utf-8")
    (site / "cover.jpg").write_bytes(b"\xff\xd8\xff")
    (site / "feed.xml").write_text(FEED.format(base=BASE, mp3=1000), encoding="utf-8")
    url = web_root(site)
    result = check_site(BASE, url)
    assert result.enclosures == 3
    assert result.problems == [
        f"{url}media/a.opus: length 40, the feed announces 999",
        "file:///etc/passwd: not under https://debats.example.org/: not fetched (the feed should only point into the site)",
        "https://tracker.example.net/c.mp3: not under https://debats.example.org/: not fetched (the feed should only point into the site)",
    ]
    (site / "media/a.vtt").rename(site / "media/a.txt")
    assert f"{url}media/a.vtt: answers 404, not 200" in check_site(BASE, url).problems


def test_a_server_answering_garbage_is_one_line():
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def answer():
        for _ in range(2):  # until the test closes the listener
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connection.recv(65536)
            connection.sendall(b"HELLO THERE\r\n\r\n")
            connection.close()

    threading.Thread(target=answer, daemon=True).start()
    result = check_site(BASE, f"http://127.0.0.1:{port}/")
    listener.close()
    assert len(result.problems) == 1
    assert result.problems[0].startswith(f"http://127.0.0.1:{port}/feed.xml: cannot fetch the feed (")


def test_chapters_and_transcripts_without_cors_are_reported(tmp_path, web_root):
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    site = tmp_path / "site"
    (site / "media").mkdir(parents=True)
    (site / "media/a.mp3").write_bytes(b"\xff\xfb" * 500)
    (site / "media/a.opus").write_bytes(b"OggS" * 10)
    (site / "media/a.vtt").write_text("WEBVTT\n", encoding="utf-8")
    (site / "media/a.chapters.json").write_text("{}", encoding="utf-8")
    (site / "cover.jpg").write_bytes(b"\xff\xd8\xff")
    (site / "feed.xml").write_text(FEED.format(base=BASE, mp3=1000).replace('length="999"', 'length="40"'), encoding="utf-8")
    served = web_root(site)  # portevoix serve: sends the header on chapters and transcripts
    assert not [p for p in check_site(BASE, served).problems if "Access-Control" in p]
    plain = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(site)))  # a server left as installed
    threading.Thread(target=plain.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{plain.server_port}/"
        cors = [p for p in check_site(BASE, url).problems if "Access-Control" in p]
    finally:
        plain.shutdown()
    assert cors == [
        f"{url}media/a.vtt: no 'Access-Control-Allow-Origin' header: browser players on other sites cannot read it (see the README's web server lines)",
        f"{url}media/a.chapters.json: no 'Access-Control-Allow-Origin' header: browser players on other sites cannot read it (see the README's web server lines)",
    ]
