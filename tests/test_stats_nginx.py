"""A real nginx serves the built site to real clients (curl with ranges, chromium seeking); `stats` counts its log.

nginx is Debian's, started here on 127.0.0.1 with a free port and its own
configuration, prefix and log in a temporary folder (no global configuration is
read or written). What each client received is known from the client's side: curl
asks for exact byte ranges; the browser's own buffered ranges say how much audio it got.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from support.browser import browser_session
from support.cli import run_cli
from support.stats_logs import example_agent, measure, read_csv
from support.nginx import NGINX, nginx

PARIS = ZoneInfo("Europe/Paris")
NEW = "2024-03-20-numerisation-massive"
OLD = "2017-10-03-construire-la-riposte"

pytestmark = pytest.mark.skipif(not os.path.exists(NGINX), reason="nginx is installed by make test-deps")

def curl(url: str, agent: str, *args: str) -> int:
    """Bytes curl received."""
    result = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{size_download}", "-A", agent, *args, url], capture_output=True, text=True, timeout=60, check=True)
    return int(result.stdout)


def wait_until(page, predicate: str, timeout: float = 60) -> None:
    """Poll a predicate from here (the pages' Content-Security-Policy forbids the eval that wait_for_function uses)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(predicate):
        assert time.monotonic() < deadline, f"timed out waiting for {predicate}"
        time.sleep(0.2)


def test_nginx_log_of_real_clients(demo_build, tmp_path):
    site = demo_build / "site"
    new_mp3 = measure(site / "media" / f"{NEW}.mp3")
    antennapod = example_agent("apps", "AntennaPod")
    pocketcasts = example_agent("apps", "Pocket Casts")
    castro = example_agent("apps", "Castro")
    overcast = example_agent("apps", "Overcast")
    chrome = example_agent("browsers", "Chrome")
    expected: Counter = Counter()
    (tmp_path / "nginx").mkdir()
    with nginx(site, tmp_path / "nginx") as (base, access_log, ranges_log):
        today = dt.datetime.now(PARIS).date()
        url = f"{base}media/{NEW}.mp3"
        # A whole download.
        assert curl(url, antennapod) == new_mp3.size
        expected[(today, NEW, "AntennaPod")] += 1
        # A probe, then 35 s from the start and 35 s from the middle: one download.
        assert curl(url, pocketcasts, "-r", "0-1") == 2
        start = new_mp3.seconds(35)
        assert curl(url, pocketcasts, "-r", f"0-{start - 1}") == start
        middle = new_mp3.size // 2
        assert curl(url, pocketcasts, "-r", f"{middle}-{middle + new_mp3.audio(35) - 1}") == new_mp3.audio(35)
        expected[(today, NEW, "Pocket Casts")] += 1
        # 20 s and 20 s: under one minute, nothing.
        curl(url, castro, "-r", f"0-{new_mp3.seconds(20) - 1}")
        curl(url, castro, "-r", f"{middle}-{middle + new_mp3.audio(20) - 1}")
        # HEAD, and a bot downloading the whole file: nothing.
        curl(url, overcast, "-I")
        curl(url, example_agent("bots", "Googlebot"))

        # A browser on the episode page, playing from a third of the way in (Range requests from there).
        with browser_session() as browser:
            context = browser.new_context(user_agent=chrome)
            page = context.new_page()
            page.goto(f"{base}episodes/{OLD}/")
            page.evaluate("""() => { const a = document.getElementById('player'); a.muted = true; a.preload = 'auto'; a.load(); }""")
            wait_until(page, "() => document.getElementById('player').readyState >= 1")
            page.evaluate("""async () => { const a = document.getElementById('player'); a.currentTime = a.duration / 3; await a.play(); }""")
            wait_until(
                page,
                """() => { const b = document.getElementById('player').buffered; let s = 0;
                   for (let i = 0; i < b.length; i++) s += b.end(i) - b.start(i); return s >= 75; }""",
            )
            source = page.evaluate("document.getElementById('player').currentSrc")
            context.close()
        expected[(today, OLD, "Chrome")] += 1
    lines = access_log.read_text(encoding="utf-8").splitlines()
    # The browser sought: a second request for a range that starts further in.
    browser_ranges = [line.split("|") for line in ranges_log.read_text(encoding="utf-8").splitlines() if line.endswith(chrome)]
    starts = [int(r[0].removeprefix("bytes=").split("-")[0]) for r in browser_ranges if r[0].startswith("bytes=") and r[1] == "206"]
    assert len(starts) >= 2 and max(starts) > 0, browser_ranges
    assert source.endswith((".opus", ".mp3"))

    result = run_cli(demo_build, "stats", str(access_log), "--output", str(tmp_path / "stats"), "--csv", str(tmp_path / "downloads.csv"))
    assert result.returncode == 0, result.stderr
    assert read_csv(tmp_path / "downloads.csv") == expected
    report = (tmp_path / "stats" / "index.html").read_text(encoding="utf-8")
    for line in lines:
        assert line.split(" ", 1)[0] not in report
