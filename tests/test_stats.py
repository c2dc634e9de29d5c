"""`portevoix stats`: download counts from generated access logs whose right answer is known by construction."""

from __future__ import annotations

import datetime as dt
import gzip
import http.server
import json
import re
import shutil
import os
import subprocess
import sys
import threading
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.sound import make_tone
from support.cli import run_cli
from pipeline.stats.run import run_stats
from support.stats_logs import AGENT_LISTS, LogScript, example_agent, measure, read_csv

PARIS = ZoneInfo("Europe/Paris")
UTC = dt.timezone.utc
NEW = "2024-03-20-numerisation-massive"
OLD = "2017-10-03-construire-la-riposte"

ANTENNAPOD = example_agent("apps", "AntennaPod")
APPLE = example_agent("apps", "Apple Podcasts")
OVERCAST = example_agent("apps", "Overcast")
GOOGLEBOT = example_agent("bots", "Googlebot")


@pytest.fixture(scope="module")
def site(demo_build):
    """The built demo podcast, and its media files as ffprobe measures them."""
    media = demo_build / "site" / "media"
    return demo_build, {(slug, kind): measure(media / f"{slug}.{kind}") for slug in (NEW, OLD) for kind in ("mp3", "opus")}


def stats(root: Path, out: Path, *args: str):
    result = run_cli(root, "stats", "--output", str(out / "stats"), "--csv", str(out / "downloads.csv"), *args, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def scenario(files) -> LogScript:
    """Every rule at least once; the expected downloads are written beside the requests that make them."""
    log = LogScript(PARIS)
    mp3, opus, old_mp3 = files[(NEW, "mp3")], files[(NEW, "opus")], files[(OLD, "mp3")]
    new_mp3, new_opus, old_path = f"/media/{NEW}.mp3", f"/media/{NEW}.opus", f"/media/{OLD}.mp3"
    day1 = dt.datetime(2024, 3, 20, 9, 0, tzinfo=PARIS)
    day2 = day1 + dt.timedelta(days=1)

    # A whole file, then the same client again the same day: one download; again the next day: another.
    log.request("192.0.2.10", day1, new_mp3, mp3.size, ANTENNAPOD)
    log.request("192.0.2.10", day1 + dt.timedelta(hours=3), new_mp3, mp3.size, ANTENNAPOD)
    log.download(day1, NEW, "AntennaPod")
    log.request("192.0.2.10", day2, new_mp3, mp3.size, ANTENNAPOD)
    log.download(day2, NEW, "AntennaPod")
    # Same address, another app: another client.
    log.request("192.0.2.10", day1, new_mp3, mp3.size, OVERCAST)
    log.download(day1, NEW, "Overcast")
    # Ranges of one client summing past one minute (a probe, 30 s from the start, 30 s and 30 s from the middle).
    log.request("198.51.100.7", day1, new_mp3, 2, APPLE, status=206)
    log.request("198.51.100.7", day1, new_mp3, mp3.seconds(30), APPLE, status=206)
    log.request("198.51.100.7", day1 + dt.timedelta(minutes=5), new_mp3, mp3.audio(30), APPLE, status=206)
    log.request("198.51.100.7", day1 + dt.timedelta(minutes=9), new_mp3, mp3.audio(30), APPLE, status=206)
    log.download(day1, NEW, "Apple Podcasts")
    # Ranges of another client staying under one minute (20 s + 25 s): nothing.
    log.request("198.51.100.8", day1, new_mp3, mp3.seconds(20), APPLE, status=206)
    log.request("198.51.100.8", day1, new_mp3, mp3.audio(25), APPLE, status=206)
    # 45 s of MP3 and 45 s of Opus of the same episode by one client: one minute passed across formats.
    log.request("198.51.100.9", day1, new_mp3, mp3.seconds(45), ANTENNAPOD, status=206)
    log.request("198.51.100.9", day1, new_opus, opus.seconds(45), ANTENNAPOD, status=206)
    log.download(day1, NEW, "AntennaPod")
    # Probes and what is not a download: HEAD, bytes=0-1, a bot, no agent, an error, a POST, a page.
    log.request("203.0.113.1", day1, new_mp3, 0, ANTENNAPOD, method="HEAD")
    log.request("203.0.113.2", day1, new_mp3, 2, ANTENNAPOD, status=206)
    log.request("203.0.113.3", day1, new_mp3, mp3.size, GOOGLEBOT)
    log.request("203.0.113.4", day1, new_mp3, mp3.size, "-")
    log.request("203.0.113.5", day1, new_mp3, 153, ANTENNAPOD, status=404)
    log.request("203.0.113.6", day1, new_mp3, mp3.size, ANTENNAPOD, method="POST")
    log.request("203.0.113.7", day1, "/index.html", 4000, ANTENNAPOD)
    log.request("203.0.113.8", day1, "/media/not-an-episode.mp3", mp3.size, ANTENNAPOD)
    # IPv6: two addresses of one /64 are one client (20 s + 50 s: one download); another /64 is another client.
    log.request("2001:db8:1:2::1", day1, new_opus, opus.seconds(20), ANTENNAPOD, status=206)
    log.request("2001:db8:1:2:aaaa:bbbb:cccc:dddd", day1, new_opus, opus.audio(50), ANTENNAPOD, status=206)
    log.download(day1, NEW, "AntennaPod")
    log.request("2001:db8:1:3::1", day1, new_opus, opus.size, ANTENNAPOD)
    log.download(day1, NEW, "AntennaPod")
    # Day boundaries are the podcast's (Paris): 22:30 and 23:30 UTC are two days there, one in UTC.
    late = dt.datetime(2024, 3, 22, 22, 30, tzinfo=UTC)
    log.request("192.0.2.50", late, old_path, old_mp3.size, OVERCAST)
    log.download(late, OLD, "Overcast")
    log.request("192.0.2.50", late + dt.timedelta(hours=1), old_path, old_mp3.size, OVERCAST)
    log.download(late + dt.timedelta(hours=1), OLD, "Overcast")
    # A query string and an escaped quote in the agent are still the same file and a known app.
    log.request("192.0.2.60", day2, old_path + "?from=feed", old_mp3.size, ANTENNAPOD + ' "x"')
    log.download(day2, OLD, "AntennaPod")
    # An app the list does not know still counts, as unidentified.
    log.request("192.0.2.61", day2, old_path, old_mp3.size, "UnheardOfPlayer/0.1")
    log.download(day2, OLD, "?")
    return log


def write_rotated(log: LogScript, folder: Path) -> list[Path]:
    """The lines as logrotate leaves them: access.log.2.gz (oldest), access.log.1, access.log (newest)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = sorted(log.lines, key=line_time)
    third = len(lines) // 3
    with gzip.open(folder / "access.log.2.gz", "wt", encoding="utf-8") as handle:
        handle.writelines(lines[:third])
    (folder / "access.log.1").write_text("".join(lines[third : 2 * third]), encoding="utf-8")
    (folder / "access.log").write_text("".join(lines[2 * third :]), encoding="utf-8")
    return [folder / "access.log", folder / "access.log.2.gz", folder / "access.log.1"]


def line_time(line: str) -> dt.datetime:
    return dt.datetime.strptime(re.search(r"\[([^\]]+)\]", line).group(1), "%d/%b/%Y:%H:%M:%S %z")


class TableText(HTMLParser):
    """The text of each table row of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.svg_rects = 0
        self.scripts = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "rect":
            self.svg_rects += 1
        elif tag == "script":
            self.scripts += 1

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_every_count_of_a_rotated_set(site, tmp_path):
    root, files = site
    log = scenario(files)
    logs = write_rotated(log, tmp_path / "logs")
    result = stats(root, tmp_path, *map(str, logs))
    assert read_csv(tmp_path / "downloads.csv") == +log.expected
    assert f"{sum(log.expected.values())} downloads" in result.stdout
    state = json.loads((tmp_path / "stats" / "state.json").read_text())
    # Not counted, by reason: 3 probes (two 0-1 ranges, one HEAD), a bot, no agent, an error, a POST, one short client.
    assert state["excluded"] == {"bot": 1, "head": 1, "no_agent": 1, "not_get": 1, "probe": 2, "short": 1, "status": 1}

    page = TableText()
    page.feed((tmp_path / "stats" / "index.html").read_text(encoding="utf-8"))
    totals = Counter()
    for (_, slug, _), n in log.expected.items():
        totals[slug] += n
    for slug, n in totals.items():
        row = next(r for r in page.rows if r and slug in r[0])
        assert row[1] == str(n)
    assert page.scripts == 0 and page.svg_rects > 0
    text = (tmp_path / "stats" / "index.html").read_text(encoding="utf-8")
    assert "pas une écoute" in text and "Spotify" in text
    # Nothing fetched from anywhere: no script, no stylesheet, picture or font from an address.
    assert not re.search(r"""(src|href)=|<link|url\(""", text)


def test_since_and_episode(site, tmp_path):
    root, files = site
    log = scenario(files)
    path = tmp_path / "access.log"
    path.write_text("".join(sorted(log.lines, key=line_time)), encoding="utf-8")
    stats(root, tmp_path, str(path), "--since", "2024-03-21", "--episode", OLD)
    expected = Counter({k: n for k, n in log.expected.items() if k[0] >= dt.date(2024, 3, 21) and k[1] == OLD})
    assert read_csv(tmp_path / "downloads.csv") == expected and expected


def test_s3_access_logs(site, tmp_path):
    """S3 server access logs: a folder of small files, the object key naming the media file."""
    root, files = site
    log = LogScript(PARIS)
    mp3 = files[(NEW, "mp3")]
    when = dt.datetime(2024, 4, 2, 10, 0, tzinfo=UTC)
    folder = tmp_path / "s3"
    folder.mkdir()
    for index in range(3):
        log.request(f"192.0.2.{index + 1}", when + dt.timedelta(minutes=index), f"/media/{NEW}.mp3", mp3.size, ANTENNAPOD, s3=True)
        log.download(when, NEW, "AntennaPod")
    log.request("192.0.2.9", when, f"/media/{NEW}.mp3", 0, ANTENNAPOD, method="HEAD", s3=True)
    log.request("192.0.2.8", when, f"/media/{NEW}.mp3", mp3.size, GOOGLEBOT, s3=True)
    for index, line in enumerate(log.lines):
        (folder / f"2024-04-02-10-0{index}-00-5C9F3E0A0D6B0F1E").write_text(line, encoding="utf-8")
    stats(root, tmp_path, str(folder))
    assert read_csv(tmp_path / "downloads.csv") == log.expected


def test_incremental_counts_only_new_lines(site, tmp_path):
    root, files = site
    log = scenario(files)
    path = tmp_path / "access.log"
    path.write_text("".join(sorted(log.lines, key=line_time)), encoding="utf-8")
    first = stats(root, tmp_path, str(path))
    assert f"{len(log.lines)} lines read" in first.stdout
    # The log grows: a later day.
    more = LogScript(PARIS)
    when = dt.datetime(2024, 3, 25, 8, 0, tzinfo=PARIS)
    more.request("192.0.2.10", when, f"/media/{NEW}.mp3", files[(NEW, "mp3")].size, ANTENNAPOD)
    more.download(when, NEW, "AntennaPod")
    more.request("192.0.2.11", when, f"/media/{NEW}.mp3", files[(NEW, "mp3")].size, GOOGLEBOT)
    with path.open("a", encoding="utf-8") as handle:
        handle.writelines(more.lines)
    second = stats(root, tmp_path, str(path))
    assert f"{len(more.lines)} lines read" in second.stdout
    assert read_csv(tmp_path / "downloads.csv") == log.expected + more.expected
    # Nothing new: nothing read, the same counts.
    third = stats(root, tmp_path, str(path))
    assert "0 lines read" in third.stdout
    assert read_csv(tmp_path / "downloads.csv") == log.expected + more.expected
    # Rotated: access.log became access.log.1.gz, a new access.log began; only the new one is read.
    with gzip.open(tmp_path / "access.log.1.gz", "wt", encoding="utf-8") as handle:
        handle.write(path.read_text(encoding="utf-8"))
    newer = LogScript(PARIS)
    when = dt.datetime(2024, 3, 26, 8, 0, tzinfo=PARIS)
    newer.request("192.0.2.10", when, f"/media/{OLD}.mp3", files[(OLD, "mp3")].size, ANTENNAPOD)
    newer.download(when, OLD, "AntennaPod")
    path.write_text("".join(newer.lines), encoding="utf-8")
    fourth = stats(root, tmp_path, str(path), str(tmp_path / "access.log.1.gz"))
    assert f"{len(newer.lines)} lines read" in fourth.stdout
    assert read_csv(tmp_path / "downloads.csv") == log.expected + more.expected + newer.expected


def test_a_day_still_open_is_counted_again_whole(site, tmp_path):
    """Today's requests are provisional: the next run reads them again, with a new key, and counts each client once."""
    root, files = site
    mp3 = files[(NEW, "mp3")]
    now = dt.datetime.now(PARIS).replace(microsecond=0) - dt.timedelta(minutes=2)
    log = LogScript(PARIS)
    log.request("192.0.2.1", now, f"/media/{NEW}.mp3", mp3.size, ANTENNAPOD)
    log.request("192.0.2.2", now, f"/media/{NEW}.mp3", mp3.seconds(40), APPLE, status=206)
    path = tmp_path / "access.log"
    path.write_text("".join(log.lines), encoding="utf-8")
    first = stats(root, tmp_path, str(path))
    assert "provisional" in first.stdout or "provisoires" in first.stdout
    assert read_csv(tmp_path / "downloads.csv") == Counter({(now.date(), NEW, "AntennaPod"): 1})
    # Later the same day: the first client again (still one), the second one passes one minute, a third one.
    more = LogScript(PARIS)
    later = now + dt.timedelta(seconds=30)
    more.request("192.0.2.1", later, f"/media/{NEW}.mp3", mp3.size, ANTENNAPOD)
    more.request("192.0.2.2", later, f"/media/{NEW}.mp3", mp3.audio(30), APPLE, status=206)
    more.request("192.0.2.3", later, f"/media/{NEW}.mp3", mp3.size, ANTENNAPOD)
    with path.open("a", encoding="utf-8") as handle:
        handle.writelines(more.lines)
    second = stats(root, tmp_path, str(path))
    assert f"{len(log.lines) + len(more.lines)} lines read" in second.stdout
    assert read_csv(tmp_path / "downloads.csv") == Counter({(now.date(), NEW, "AntennaPod"): 2, (now.date(), NEW, "Apple Podcasts"): 1})
    state = json.loads((tmp_path / "stats" / "state.json").read_text())
    assert state["downloads"] == [] and state["counted_days"] == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    clients=st.lists(
        st.tuples(
            st.one_of(
                st.tuples(st.integers(11, 223), st.integers(10, 254), st.integers(10, 254), st.integers(10, 254)).map(lambda t: "%d.%d.%d.%d" % t),
                st.tuples(st.integers(0x2001, 0x2fff), st.integers(0x1000, 0xffff), st.integers(0x1000, 0xffff), st.integers(0x1000, 0xffff)).map(
                    lambda t: "%x:%x:%x:%x::%x" % (t + (t[1],))
                ),
            ),
            st.sampled_from([ANTENNAPOD, APPLE, OVERCAST, GOOGLEBOT, "Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0"]),
            # A distinctive last word for each agent (a bare "download" would be found in the report's own words).
            st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=8, max_size=16).map(lambda t: f"ua-{t}-0"),
            st.integers(0, 5 * 24 * 3600),
            st.sampled_from([200, 206, 404]),
            st.floats(0.0, 1.0),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_no_output_holds_an_address_or_an_agent(site, tmp_path_factory, clients):
    """Property: whatever the log, no file written holds an address or a user agent of it."""
    root, files = site
    mp3 = files[(NEW, "mp3")]
    tmp = tmp_path_factory.mktemp("privacy")
    log = LogScript(PARIS)
    start = dt.datetime(2024, 5, 1, tzinfo=UTC)
    for ip, agent, token, seconds, status, part in clients:
        log.request(ip, start + dt.timedelta(seconds=seconds), f"/media/{NEW}.mp3", int(mp3.size * part), f"{agent} {token}", status=status)
    path = tmp / "access.log"
    path.write_text("".join(log.lines), encoding="utf-8")
    # In this process (the command line is tested above): the same run, quicker.
    run_stats(root, [path], tmp / "stats", tmp / "downloads.csv")
    written = [p for p in (tmp / "stats").rglob("*") if p.is_file()] + [tmp / "downloads.csv"]
    for output in written:
        text = output.read_text(encoding="utf-8", errors="replace")
        for ip in log.ips:
            assert ip not in text, (output, ip)
        for agent in log.agents:
            assert agent not in text and agent.split()[-1] not in text, (output, agent)


def test_refresh_agents_downloads_the_list(site, tmp_path):
    """The refresh downloads the list over HTTP (here from a local server holding a copy with one more bot)."""
    root, files = site
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    for kind in ("apps", "libraries", "browsers"):
        shutil.copy(AGENT_LISTS / f"{kind}.json", mirror)
    bots = json.loads((AGENT_LISTS / "bots.json").read_text(encoding="utf-8"))
    bots["entries"].insert(0, {"name": "Collective test robot", "pattern": "^CollectiveTestRobot/"})
    (mirror / "bots.json").write_text(json.dumps(bots), encoding="utf-8")
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(mirror), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env_url = f"http://127.0.0.1:{server.server_port}/"
        result = subprocess.run(
            [sys.executable, "-m", "pipeline", "-C", str(root), "stats", "--refresh-agents", "--output", str(tmp_path / "stats")],
            capture_output=True, text=True, timeout=120, env={**os.environ, "PORTEVOIX_AGENTS_URL": env_url},
        )
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    source = json.loads((tmp_path / "stats" / "user-agents" / "SOURCE.json").read_text())
    assert source["source"] == env_url and source["date"] == dt.datetime.now(UTC).date().isoformat()
    assert "MIT" in (tmp_path / "stats" / "user-agents" / "LICENSE").read_text()
    # The refreshed list is the one used: the new robot is not counted, an app still is.
    log = LogScript(PARIS)
    when = dt.datetime(2024, 6, 1, 12, 0, tzinfo=PARIS)
    log.request("192.0.2.1", when, f"/media/{NEW}.mp3", files[(NEW, "mp3")].size, "CollectiveTestRobot/1.0")
    log.request("192.0.2.2", when, f"/media/{NEW}.mp3", files[(NEW, "mp3")].size, ANTENNAPOD)
    log.download(when, NEW, "AntennaPod")
    (tmp_path / "access.log").write_text("".join(log.lines), encoding="utf-8")
    stats(root, tmp_path, str(tmp_path / "access.log"))
    assert read_csv(tmp_path / "downloads.csv") == log.expected
    assert f"{source['date']} ({env_url})" in (tmp_path / "stats" / "index.html").read_text()


def test_refresh_offline_says_so(site, tmp_path, monkeypatch):
    root, _ = site
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("PORTEVOIX_AGENTS_URL", f"http://127.0.0.1:{port}/")
    result = run_cli(root, "stats", "--refresh-agents", "--output", str(tmp_path / "stats"))
    assert result.returncode == 1
    assert "offline" in result.stderr and "2026-08-06" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "stats" / "user-agents").exists()


def test_bad_logs_are_refused_whole(site, tmp_path):
    root, files = site
    good = tmp_path / "access.log"
    log = scenario(files)
    good.write_text("".join(log.lines), encoding="utf-8")
    damaged = tmp_path / "access.log.2.gz"
    whole = gzip.compress("".join(log.lines * 50).encode())
    damaged.write_bytes(whole[: len(whole) // 2])
    result = run_cli(root, "stats", str(good), str(damaged), "--output", str(tmp_path / "stats"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "access.log.2.gz" in result.stderr
    assert not (tmp_path / "stats" / "state.json").exists()
    missing = run_cli(root, "stats", str(tmp_path / "nope.log"), "--output", str(tmp_path / "stats"))
    assert missing.returncode == 1 and "nope.log" in missing.stderr and "Traceback" not in missing.stderr
    # A file that is no access log: said, not counted.
    other = tmp_path / "app.json.log"
    other.write_text('{"time": "2024-03-20T10:00:00Z", "path": "/media/x.mp3"}\n' * 5, encoding="utf-8")
    unknown = run_cli(root, "stats", str(other), "--output", str(tmp_path / "other"))
    assert unknown.returncode == 0 and "app.json.log" in unknown.stderr and "known format" in unknown.stderr
    nothing = run_cli(root, "stats")
    assert nothing.returncode == 1 and "access.log" in nothing.stderr


@pytest.mark.parametrize(("kind", "codec"), [("mp3", ["-c:a", "libmp3lame", "-b:a", "96k"]), ("opus", ["-c:a", "libopus", "-b:a", "32k"]), ("m4a", ["-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart"])])
def test_one_minute_threshold_of_each_format(tmp_path, kind, codec):
    """Header and byte rate of a real file, checked against ffprobe's first audio packet and duration."""
    from pipeline.stats.thresholds import header_bytes, threshold_of_file

    path = make_tone(tmp_path / f"tone.{kind}", seconds=150.0, codec=[*codec, "-metadata", "title=" + "x" * 3000])
    measured = measure(path)
    # MP3: LAME's info frame comes before the first packet ffprobe reports (one frame, well under 1 kB).
    assert 0 <= measured.header - header_bytes(path, kind) < 1000
    assert measured.header > 3000
    threshold = threshold_of_file(path, kind)
    assert threshold is not None and abs(threshold - measured.seconds(60)) < 0.02 * measured.audio(60)


def test_agent_list_examples_are_identified():
    """The vendored list works with our matcher: each of its own examples is identified as its entry (or an earlier one)."""
    from pipeline.stats.agents import KINDS, load_agents

    agents = load_agents()
    order = {}
    for kind in KINDS:
        for entry in json.loads((AGENT_LISTS / f"{kind}.json").read_text(encoding="utf-8"))["entries"]:
            order[(kind, entry["name"])] = len(order)
    wrong = []
    checked = 0
    for kind in KINDS:
        for entry in json.loads((AGENT_LISTS / f"{kind}.json").read_text(encoding="utf-8"))["entries"]:
            for example in entry.get("examples", []):
                found = agents.identify(example)
                checked += 1
                if (found.kind, found.name) not in order or order[(found.kind, found.name)] > order[(kind, entry["name"])]:
                    wrong.append((example, entry["name"], found))
    assert checked > 500 and not wrong
    assert json.loads((AGENT_LISTS / "SOURCE.json").read_text())["licence"].startswith("MIT")
