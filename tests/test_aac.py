"""AAC (M4A) output, off by default, asked for in podcast.yaml with `formats: [mp3, opus, aac]`.

One small podcast is built and published by the real command line. The M4A is
measured by ffmpeg's ebur128 (not by portevoix), its tags, cover and chapters
are read back by mutagen and by ffprobe, the feed announces it as a
podcast:alternateEnclosure with its real byte count, the episode page offers
it, and the publish sends it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from mutagen.mp4 import MP4

from support.audio import voice
from support.cli import REPO, run_cli
from support.sound import ebur128

SLUG = "2024-05-02-essai"
EPISODE = """---
title: "Essai en AAC"
date: 2024-05-02T18:30:00+02:00
recording: enregistrement.flac
guid: 6f1d2c1e-2b7a-4a53-9e61-3c1a0d9b7a21
summary: "Deux voix, deux chapitres."
chapters:
  - start: "00:00:00"
    title: "Ouverture"
  - start: "00:00:08"
    title: "Deuxième voix"
---
Notes.
"""
P = "{https://podcastindex.org/namespace/1.0}"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("aac")
    config = (REPO / "podcast.yaml").read_text(encoding="utf-8")
    config += f"\nformats: [mp3, opus, aac]\npublish:\n  web: {{type: local, path: {root.parent / (root.name + '-www')}}}\n"
    (root / "podcast.yaml").write_text(config, encoding="utf-8")
    shutil.copy2(REPO / "cover.jpg", root / "cover.jpg")
    folder = root / "episodes" / SLUG
    folder.mkdir(parents=True)
    (folder / "episode.md").write_text(EPISODE, encoding="utf-8")
    expression = f"{voice(0)}*between(t,0.5,7)+0.5*{voice(1)}*between(t,8,14)"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"aevalsrc='{expression}':s=48000:d=14.5:c=stereo",
                    "-af", "volume=-22dB", "-c:a", "flac", str(folder / "enregistrement.flac")], check=True)
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    return root


def test_the_m4a_meets_the_loudness_target(built):
    measured = ebur128(built / "site" / "media" / f"{SLUG}.m4a")
    assert abs(measured["I"] - -16.0) <= 0.5 and measured["Peak"] <= -1.0, measured


def test_mp4_tags_cover_and_chapters_are_read_back(built):
    path = built / "site" / "media" / f"{SLUG}.m4a"
    audio = MP4(path)
    assert audio.tags is not None
    assert audio.tags["\xa9nam"] == ["Essai en AAC"]
    assert audio.tags["\xa9ART"] == ["Halte au contrôle numérique"]
    assert audio.tags["\xa9cmt"] == ["Deux voix, deux chapitres."]
    assert audio.tags["purl"] == [f"https://debats.example.org/episodes/{SLUG}/"]
    cover = audio.tags["covr"][0]
    assert bytes(cover)[:3] == b"\xff\xd8\xff"  # a JPEG
    assert [c.title for c in audio.chapters] == ["Ouverture", "Deuxième voix"]
    probed = json.loads(subprocess.run(["ffprobe", "-v", "error", "-show_chapters", "-show_streams", "-of", "json", str(path)],
                                       capture_output=True, text=True, check=True).stdout)
    assert [c["tags"]["title"] for c in probed["chapters"]] == ["Ouverture", "Deuxième voix"]
    first, second = (float(c["start_time"]) for c in probed["chapters"])
    assert first == 0.0 and second == pytest.approx(8.0, abs=0.01)  # 0.5 s of lead-in: too short to be cut
    assert [s["codec_name"] for s in probed["streams"] if s["codec_type"] == "audio"] == ["aac"]


def test_the_feed_announces_it_as_an_alternate_enclosure(built):
    item = ET.parse(built / "site" / "feed.xml").getroot().find("channel/item")
    assert item is not None
    enclosure = item.find("enclosure")
    assert enclosure is not None and enclosure.get("type") == "audio/mpeg"
    alternates = {a.get("type"): a for a in item.findall(P + "alternateEnclosure")}
    assert set(alternates) == {"audio/ogg", "audio/mp4"}
    aac = alternates["audio/mp4"]
    size = (built / "site" / "media" / f"{SLUG}.m4a").stat().st_size
    assert aac.get("length") == str(size) and aac.get("codecs") == "mp4a.40.2" and aac.get("title") == "AAC"
    source = aac.find(P + "source")
    assert source is not None and source.get("uri") == f"https://debats.example.org/media/{SLUG}.m4a"


def test_the_page_offers_it_and_the_publish_sends_it(built):
    html = (built / "site" / "episodes" / SLUG / "index.html").read_text(encoding="utf-8")
    assert f'<source src="../../media/{SLUG}.m4a" type="audio/mp4; codecs=mp4a.40.2">' in html
    assert f'href="../../media/{SLUG}.m4a" type="audio/mp4" download>AAC' in html
    result = run_cli(built, "publish")
    assert result.returncode == 0, result.stderr
    sent = built.parent / (built.name + "-www") / "current" / "media" / f"{SLUG}.m4a"  # a publish folder outside the podcast
    assert sent.read_bytes() == (built / "site" / "media" / f"{SLUG}.m4a").read_bytes()


def test_formats_without_mp3_are_refused(tmp_path):
    shutil.copytree(REPO / "episodes", tmp_path / "episodes")
    shutil.copy2(REPO / "cover.jpg", tmp_path / "cover.jpg")
    config = (REPO / "podcast.yaml").read_text(encoding="utf-8") + "\nformats: [opus, aac, flac]\n"
    (tmp_path / "podcast.yaml").write_text(config, encoding="utf-8")
    result = run_cli(tmp_path, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        'podcast.yaml: formats[3]: "flac" is not one of mp3, opus, aac',
        "podcast.yaml: formats: must include mp3: it is the file every podcast app plays (write [mp3, opus, aac])",
    ]
