"""The demo's feed read by the four parsers podcast apps and indexes use.

gPodder's podcastparser and feedparser (Python), podcast-partytime and feedsmith
(node, installed by `make node-deps` from package.json). Every expected value
comes from the demo's own files or from the published files measured here
(ffprobe, hashlib), never from the code that wrote the feed.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import hashlib
import json
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import podcastparser
import pytest
import yaml

from support.cli import run_cli
from support.feeds import node

def demo_meta(root: Path) -> dict[str, dict]:
    """{guid: front matter} of the demo episodes, read straight from episode.md."""
    found = {}
    for source in sorted((root / "episodes").glob("*/episode.md")):
        meta = yaml.safe_load(source.read_text(encoding="utf-8").split("---")[1])
        found[meta["guid"]] = meta
    return found


def site_file(root: Path, url: str) -> Path:
    assert url.startswith("https://debats.example.org/"), url
    return root / "site" / urlsplit(url).path.lstrip("/")


def ffprobe_seconds(path: Path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True, text=True, check=True,
    ).stdout
    return float(out)


def sri(path: Path) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()


def expected_date(meta: dict) -> dt.datetime:
    value = meta["date"]
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


@pytest.fixture(scope="module")
def feed(demo_build) -> Path:
    return demo_build / "site" / "feed.xml"


def check_core(root: Path, guid: str, url: str, length: int, duration: float, published: dt.datetime) -> None:
    """What every parser must see right: enclosure address and exact length, duration, date."""
    meta = demo_meta(root)[guid]
    mp3 = site_file(root, url)
    assert mp3.name == f"{Path(meta_folder(root, guid)).name}.mp3"
    assert length == mp3.stat().st_size
    assert abs(duration - ffprobe_seconds(mp3)) <= 1.0
    assert published == expected_date(meta)


def meta_folder(root: Path, guid: str) -> str:
    for source in (root / "episodes").glob("*/episode.md"):
        if guid in source.read_text(encoding="utf-8"):
            return source.parent.name
    raise AssertionError(guid)


def test_podcastparser_sees_every_episode(demo_build, feed):
    with feed.open("rb") as handle:
        parsed = podcastparser.parse("https://debats.example.org/feed.xml", handle)
    episodes = {e["guid"]: e for e in parsed["episodes"]}
    assert set(episodes) == set(demo_meta(demo_build))
    for guid, episode in episodes.items():
        (enclosure,) = episode["enclosures"]
        published = dt.datetime.fromtimestamp(episode["published"], dt.timezone.utc)
        check_core(demo_build, guid, enclosure["url"], enclosure["file_size"], episode["total_time"], published)


def test_feedparser_sees_every_episode(demo_build, feed):
    parsed = feedparser.parse(feed.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert {e.id for e in parsed.entries} == set(demo_meta(demo_build))
    for entry in parsed.entries:
        (enclosure,) = entry.enclosures
        published = email.utils.parsedate_to_datetime(entry.published)
        check_core(demo_build, entry.id, enclosure.href, int(enclosure.length), float(entry.itunes_duration), published)


def check_extras(root: Path, guid: str, *, chapters_url, transcripts, persons, location, season, episode, alternate) -> None:
    """Podcasting 2.0: what partytime and feedsmith must both see."""
    meta = demo_meta(root)[guid]
    chapters = json.loads(site_file(root, chapters_url).read_text(encoding="utf-8"))
    assert chapters["version"] == "1.2.0"
    assert [c["title"] for c in chapters["chapters"]] == [c["title"] for c in meta["chapters"]]
    types = {t["type"]: t for t in transcripts}
    assert types["text/vtt"]["rel"] == "captions" and types["text/vtt"]["language"] == "fr"
    assert site_file(root, types["text/vtt"]["url"]).read_text(encoding="utf-8").startswith("WEBVTT")
    srt = [t for t in transcripts if t["type"] in ("application/x-subrip", "application/srt")]
    assert len(srt) == 1 and " --> " in site_file(root, srt[0]["url"]).read_text(encoding="utf-8")
    roles = {"host": "host", "guest": "guest", "audience": "guest"}
    assert [(p[0], p[1].lower()) for p in persons] == [(s["name"], roles[s["role"]]) for s in meta["speakers"]]
    assert location == meta["venue"]["name"]
    assert (season, episode) == (meta["season"], meta["episode"])
    opus_url, opus_length, integrity = alternate
    opus = site_file(root, opus_url)
    assert opus.suffix == ".opus" and opus_length == opus.stat().st_size
    assert integrity == sri(opus)


def test_partytime_sees_podcasting_2_0(demo_build, feed):
    parsed = node("partytime.cjs", feed)
    assert parsed["guid"] == "245f0c51-097a-58b7-98f4-ae536297c3d2"
    assert parsed["license"]["identifier"] == "cc-by-sa-4.0"
    assert parsed["locked"] is True and parsed["podcastOwner"] == "contact@example.org"
    items = {i["guid"]: i for i in parsed["items"]}
    assert set(items) == set(demo_meta(demo_build))
    for guid, item in items.items():
        enclosure = item["enclosure"]
        published = dt.datetime.fromisoformat(item["pubDate"].replace("Z", "+00:00"))
        check_core(demo_build, guid, enclosure["url"], enclosure["length"], item["duration"], published)
        (alternate,) = item["alternativeEnclosures"]
        check_extras(
            demo_build,
            guid,
            chapters_url=item["podcastChapters"]["url"],
            transcripts=item["podcastTranscripts"],
            persons=[(p["name"], p["role"]) for p in item["podcastPeople"]],
            location=item["podcastLocation"]["name"],
            season=item["podcastSeason"]["number"],
            episode=item["podcastEpisode"]["number"],
            alternate=(alternate["source"][0]["uri"], alternate["length"], alternate["integrity"]["value"]),
        )
        assert alternate["integrity"]["type"] == "sri"


def test_feedsmith_sees_podcasting_2_0(demo_build, feed):
    parsed = node("feedsmith.mjs", feed)
    assert parsed["podcast"]["guid"] == "245f0c51-097a-58b7-98f4-ae536297c3d2"
    assert parsed["podcast"]["license"]["display"] == "cc-by-sa-4.0"
    assert parsed["itunes"]["explicit"] is False
    items = {i["guid"]["value"]: i for i in parsed["items"]}
    assert set(items) == set(demo_meta(demo_build))
    for guid, item in items.items():
        (enclosure,) = item["enclosures"]
        published = email.utils.parsedate_to_datetime(item["pubDate"])
        check_core(demo_build, guid, enclosure["url"], enclosure["length"], item["itunes"]["duration"], published)
        podcast = item["podcast"]
        (alternate,) = podcast["alternateEnclosures"]
        (location,) = podcast["locations"]
        check_extras(
            demo_build,
            guid,
            chapters_url=podcast["chapters"]["url"],
            transcripts=podcast["transcripts"],
            persons=[(p["display"], p["role"]) for p in podcast["persons"]],
            location=location["display"],
            season=podcast["season"]["number"],
            episode=podcast["episode"]["number"],
            alternate=(alternate["sources"][0]["uri"], alternate["length"], alternate["integrity"]["value"]),
        )


def test_feed_is_checked_clean_and_uses_https_everywhere(demo_build, feed):
    result = run_cli(demo_build, "check")
    assert result.returncode == 0, result.stderr
    text = feed.read_text(encoding="utf-8")
    assert "http://" not in text.replace('xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"', "").replace(
        'xmlns:atom="http://www.w3.org/2005/Atom"', ""
    ).replace('xmlns:content="http://purl.org/rss/1.0/modules/content/"', "").replace(
        'xmlns:psc="http://podlove.org/simple-chapters"', ""
    )  # namespace names are identifiers, never fetched
    assert "<itunes:explicit>false</itunes:explicit>" in text
    assert "<content:encoded><![CDATA[<p>" in text


def test_chapter_times_match_the_episode(demo_build):
    for guid, meta in demo_meta(demo_build).items():
        chapters = json.loads((demo_build / "site" / "media" / f"{meta_folder(demo_build, guid)}.chapters.json").read_text())
        starts = [c["startTime"] for c in chapters["chapters"]]
        written = [sum(int(p) * 60**i for i, p in enumerate(reversed(c["start"].split(":")))) for c in meta["chapters"]]
        # Published times are the written ones moved back by one constant (dead air cut at the start, if any).
        assert starts[0] == 0
        shifts = {round(w - s, 3) for w, s in zip(written[1:], starts[1:])}
        assert len(shifts) == 1 and min(shifts) >= 0, shifts
