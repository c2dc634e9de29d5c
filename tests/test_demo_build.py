"""The demo podcast, built by the real command line, read by the parsers podcast apps use."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import podcastparser
import pytest
import yaml
from PIL import Image

from support.cli import REPO, run_cli
from support.sound import ebur128
from support.files import sha256


def demo_episodes(root: Path) -> dict[str, dict]:
    """{guid: front matter} of the demo episodes, read straight from the files."""
    found = {}
    for source in sorted((root / "episodes").glob("*/episode.md")):
        front = source.read_text(encoding="utf-8").split("---")[1]
        meta = yaml.safe_load(front)
        found[meta["guid"]] = meta
    return found


def site_file(root: Path, url: str) -> Path:
    return root / "site" / urlsplit(url).path.lstrip("/")


def test_podcastparser_sees_every_episode_with_real_lengths(demo_build):
    expected = demo_episodes(demo_build)
    with (demo_build / "site" / "feed.xml").open("rb") as handle:
        parsed = podcastparser.parse("https://debats.example.org/feed.xml", handle)
    assert parsed["title"] == "Halte au contrôle numérique — débats"
    episodes = {e["guid"]: e for e in parsed["episodes"]}
    assert set(episodes) == set(expected)
    for guid, episode in episodes.items():
        assert episode["title"] == expected[guid]["title"]
        (enclosure,) = episode["enclosures"]
        assert enclosure["mime_type"] == "audio/mpeg"
        assert enclosure["file_size"] == site_file(demo_build, enclosure["url"]).stat().st_size
        assert episode["total_time"] > 60


def test_feedparser_sees_every_episode_with_real_lengths(demo_build):
    expected = demo_episodes(demo_build)
    parsed = feedparser.parse((demo_build / "site" / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert {e.id for e in parsed.entries} == set(expected)
    for entry in parsed.entries:
        (enclosure,) = entry.enclosures
        assert int(enclosure.length) == site_file(demo_build, enclosure.href).stat().st_size
        assert entry.itunes_duration.isdigit()
    dates = [e.published_parsed for e in parsed.entries]
    assert dates == sorted(dates, reverse=True), "newest first"


def test_every_mp3_reaches_the_loudness_target(demo_build):
    mp3s = sorted((demo_build / "site" / "media").glob("*.mp3"))
    assert len(mp3s) == len(demo_episodes(demo_build))
    for mp3 in mp3s:
        measured = ebur128(mp3)
        assert abs(measured["I"] - -16.0) <= 1.0, (mp3.name, measured)
        assert measured["Peak"] <= -1.0, (mp3.name, measured)


def test_mp3_tags_say_what_the_episode_is(demo_build):
    from mutagen.id3 import ID3

    expected = {meta["title"] for meta in demo_episodes(demo_build).values()}
    titles = set()
    for mp3 in (demo_build / "site" / "media").glob("*.mp3"):
        tags = ID3(mp3)
        titles.add(str(tags["TIT2"]))
        assert str(tags["TALB"]) == "Halte au contrôle numérique — débats"
        assert str(tags["TPE1"]) == "Halte au contrôle numérique"
        cover = tags.getall("APIC")[0]
        assert cover.mime == "image/jpeg"
        assert cover.data == (demo_build / "site" / "cover.jpg").read_bytes()  # the feed's square RGB JPEG
        with Image.open(io.BytesIO(cover.data)) as image:
            assert image.mode == "RGB" and image.size[0] == image.size[1] >= 1400
        assert str(tags["TDRC"])[:4] in ("2017", "2024")
    assert titles == expected


def test_second_build_processes_nothing_and_feed_is_identical(demo_build):
    feed_before = sha256(demo_build / "site" / "feed.xml")
    result = run_cli(demo_build, "build")
    assert result.returncode == 0, result.stderr
    assert "nothing changed since the last build" in result.stdout
    result = run_cli(demo_build, "build", "--full")  # every step, all from the caches
    assert result.returncode == 0, result.stderr
    assert "0 recordings processed" in result.stdout
    assert sha256(demo_build / "site" / "feed.xml") == feed_before


@pytest.fixture(scope="module")
def from_scratch(tmp_path_factory):
    """Another copy of the demo, its recordings hashed, then `check`, `build` (from scratch: no cache) and `build`.

    Shared by the two tests below, each proving its own point on it (one from-scratch build of the demo, about
    18 s of CPU, instead of two)."""
    from support.podcasts import copy_demo

    root = copy_demo(tmp_path_factory.mktemp("from-scratch") / "podcast")
    assert not (root / ".cache").exists()
    recordings = {p: sha256(p) for p in (root / "episodes").rglob("enregistrement.*")}
    results = [run_cli(root, *command) for command in (["check"], ["build"], ["build"])]
    return root, recordings, results


def test_recordings_are_never_written_to(from_scratch):
    root, recordings, results = from_scratch
    assert recordings
    for result in results:
        assert result.returncode == 0, result.stderr
    assert {p: sha256(p) for p in recordings} == recordings


def test_pages_exist_for_every_episode(demo_build):
    site = demo_build / "site"
    index = (site / "index.html").read_text(encoding="utf-8")
    for meta in demo_episodes(demo_build).values():
        assert meta["title"] in index
    pages = sorted(site.glob("episodes/*/index.html"))
    assert len(pages) == 2
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<audio id="player" controls preload="none">' in html  # nothing downloaded before the listener acts
        assert "20 mars 2024" in html or "3 octobre 2017" in html


def test_another_copy_built_from_scratch_gives_the_same_feed_and_media(demo_build, from_scratch):
    """Same input, same bytes, even without the cache: another machine announces the same digests."""
    other, _, (_, built, _) = from_scratch
    assert built.returncode == 0 and "2 recordings processed" in built.stdout, built.stdout
    assert (other / "site" / "feed.xml").read_bytes() == (demo_build / "site" / "feed.xml").read_bytes()
    for media in sorted((demo_build / "site" / "media").iterdir()):
        assert sha256(other / "site" / "media" / media.name) == sha256(media), media.name


def test_a_fresh_build_leaves_the_committed_feed_state_as_it_is(demo_build):
    """What `make demo` does on a fresh clone: published-feed.json (committed) comes out byte-identical.

    Its digest leaves out what the encoder decides (lengths, bitrates, checksums, durations), so that another
    machine, with other encoder bytes, writes the same file."""
    for name in ("published-feed.json", "published.json"):
        assert (demo_build / name).read_bytes() == (REPO / name).read_bytes(), name
