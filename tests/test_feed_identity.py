"""Identity guard rails, by the real command line on small real podcasts.

A renamed episode keeps its GUID; a changed GUID is refused; an enclosure that
moves needs an explicit flag; the podcast's own guid is computed once and kept,
even when the feed moves (itunes:new-feed-url).
"""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import feedparser
import podcastparser

from support.cli import REPO, run_cli
from support.sound import make_tone
from support.files import tree_digest
from support.podcasts import CONFIG

EPISODE = """\
---
title: "{title}"
date: {date}
recording: enregistrement.wav
guid: {guid}
---
Des notes avec un & et <b>du HTML</b>.
"""


def make_podcast(root: Path, episodes: dict[str, tuple[str, str]]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "podcast.yaml").write_text(CONFIG, encoding="utf-8")
    shutil.copy2(REPO / "cover.jpg", root / "cover.jpg")
    for slug, (guid, date) in episodes.items():
        add_episode(root, slug, guid, date)
    return root


def add_episode(root: Path, slug: str, guid: str, date: str = "2024-03-20T18:30:00+01:00") -> Path:
    folder = root / "episodes" / slug
    folder.mkdir(parents=True)
    (folder / "episode.md").write_text(EPISODE.format(title=slug, date=date, guid=guid), encoding="utf-8")
    make_tone(folder / "enregistrement.wav", 2.0)
    return folder


def feed_guids(root: Path) -> dict[str, str]:
    """{guid: enclosure url}, as gPodder's parser reads the feed."""
    with (root / "site" / "feed.xml").open("rb") as handle:
        parsed = podcastparser.parse("https://podcast.example.org/feed.xml", handle)
    return {e["guid"]: e["enclosures"][0]["url"] for e in parsed["episodes"]}


def test_renamed_episode_keeps_its_guid_and_needs_the_flag(tmp_path):
    root = make_podcast(tmp_path / "p", {"2024-03-20-debat": ("guid-debat-1", "2024-03-20T18:30:00+01:00")})
    assert run_cli(root, "build").returncode == 0
    assert feed_guids(root) == {"guid-debat-1": "https://podcast.example.org/media/2024-03-20-debat.mp3"}
    site_before = tree_digest(root / "site")

    (root / "episodes" / "2024-03-20-debat").rename(root / "episodes" / "2024-03-20-debat-sur-le-numerique")
    refused = run_cli(root, "build")
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert refused.stderr.splitlines() == [
        "episodes/2024-03-20-debat-sur-le-numerique/episode.md: the audio address changes from "
        "https://podcast.example.org/media/2024-03-20-debat.mp3 to https://podcast.example.org/media/2024-03-20-debat-sur-le-numerique.mp3",
        "portevoix: apps that saved the old audio address lose it; if this is meant, run 'portevoix build --allow-enclosure-change'",
    ]
    assert tree_digest(root / "site") == site_before
    checked = run_cli(root, "check")
    assert checked.returncode == 0 and "warning: " in checked.stderr

    allowed = run_cli(root, "build", "--allow-enclosure-change")
    assert allowed.returncode == 0, allowed.stderr
    assert feed_guids(root) == {"guid-debat-1": "https://podcast.example.org/media/2024-03-20-debat-sur-le-numerique.mp3"}
    record = json.loads((root / "published.json").read_text(encoding="utf-8"))["episodes"]["guid-debat-1"]
    assert record["slugs"] == ["2024-03-20-debat", "2024-03-20-debat-sur-le-numerique"]
    assert len(record["enclosures"]) == 2


def test_a_guid_change_is_refused_in_one_line(tmp_path):
    root = make_podcast(tmp_path / "p", {"2024-03-20-debat": ("guid-debat-1", "2024-03-20T18:30:00+01:00")})
    assert run_cli(root, "build").returncode == 0
    site_before = tree_digest(root / "site")
    source = root / "episodes" / "2024-03-20-debat" / "episode.md"
    source.write_text(source.read_text(encoding="utf-8").replace("guid-debat-1", "guid-nouveau"), encoding="utf-8")

    for command in (["build"], ["build", "--allow-enclosure-change"], ["check"]):
        result = run_cli(root, *command)
        assert result.returncode == 1, command
        assert result.stderr.splitlines() == [
            'episodes/2024-03-20-debat/episode.md: guid: an earlier build announced this episode as "guid-debat-1"; a new guid makes every podcast app '
            "download it again as a new episode: put back guid: guid-debat-1"
        ]
    assert tree_digest(root / "site") == site_before
    assert feed_guids(root) == {"guid-debat-1": "https://podcast.example.org/media/2024-03-20-debat.mp3"}


def test_two_episodes_sharing_a_guid_are_refused(tmp_path):
    root = make_podcast(
        tmp_path / "p",
        {"2024-03-20-un": ("meme-guid", "2024-03-20T18:30:00+01:00"), "2024-03-21-deux": ("meme-guid", "2024-03-21T18:30:00+01:00")},
    )
    result = run_cli(root, "build")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "episodes/2024-03-21-deux/episode.md: guid: is the same as in episodes/2024-03-20-un/episode.md: each episode needs its own (run 'portevoix new')"
    ]
    assert not (root / "site").exists()


def test_podcast_guid_is_computed_once_and_survives_a_move(tmp_path):
    root = make_podcast(tmp_path / "p", {"2024-03-20-debat": ("guid-debat-1", "2024-03-20T18:30:00+01:00")})
    assert run_cli(root, "build").returncode == 0
    expected = str(uuid.uuid5(uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), "podcast.example.org/feed.xml"))
    config = (root / "podcast.yaml").read_text(encoding="utf-8")
    assert config.startswith(CONFIG) and f'guid: "{expected}"' in config
    assert f"<podcast:guid>{expected}</podcast:guid>" in (root / "site" / "feed.xml").read_text(encoding="utf-8")

    # The podcast moves to another host: the feed announces its new address, the guid stays.
    moved = config.replace("https://podcast.example.org/", "https://nouveau.example.net/")
    moved += 'new_feed_url: "https://nouveau.example.net/feed.xml"\n'
    (root / "podcast.yaml").write_text(moved, encoding="utf-8")
    stale = run_cli(root, "check")
    assert stale.returncode == 0, stale.stderr
    assert "warning: site/feed.xml was built for https://podcast.example.org/feed.xml; 'portevoix build' makes it again" in stale.stderr
    assert run_cli(root, "build", "--allow-enclosure-change").returncode == 0
    text = (root / "site" / "feed.xml").read_text(encoding="utf-8")
    assert f"<podcast:guid>{expected}</podcast:guid>" in text
    assert "<itunes:new-feed-url>https://nouveau.example.net/feed.xml</itunes:new-feed-url>" in text
    assert (root / "podcast.yaml").read_text(encoding="utf-8").count("guid:") == 1

    # Someone "fixes" the guid to match the new address: refused, the published one stays.
    recomputed = str(uuid.uuid5(uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), "nouveau.example.net/feed.xml"))
    (root / "podcast.yaml").write_text(moved.replace(expected, recomputed), encoding="utf-8")
    result = run_cli(root, "build")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f'podcast.yaml: guid: an earlier build announced the podcast as "{expected}"; apps and directories know it by that guid: put back guid: "{expected}"'
    ]


def test_a_broken_transcript_is_refused_before_any_audio_work(tmp_path):
    root = make_podcast(tmp_path / "p", {"2024-03-20-debat": ("guid-debat-1", "2024-03-20T18:30:00+01:00")})
    folder = root / "episodes" / "2024-03-20-debat"
    (folder / "transcript.vtt").write_text("WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nBonjour\n", encoding="utf-8")
    source = folder / "episode.md"
    source.write_text(source.read_text(encoding="utf-8").replace("guid: guid-debat-1", "guid: guid-debat-1\ntranscript: transcript.vtt"), encoding="utf-8")
    for command in ("check", "build"):
        result = run_cli(root, command)
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            'episodes/2024-03-20-debat/episode.md: transcript: "transcript.vtt": line 3: the timing is not start --> end (write 00:01:02.500 --> 00:01:05.000)'
        ]
    assert not (root / ".cache" / "portevoix" / "audio").exists() or not any((root / ".cache" / "portevoix" / "audio").iterdir())


def test_last_build_date_follows_content_not_the_clock(tmp_path):
    root = make_podcast(
        tmp_path / "p",
        {"2024-03-20-un": ("guid-1", "2024-03-20T18:30:00+01:00"), "2023-01-05-zero": ("guid-0", "2023-01-05T10:00:00+01:00")},
    )
    assert run_cli(root, "build").returncode == 0
    first = (root / "site" / "feed.xml").read_bytes()
    parsed = feedparser.parse(first)
    assert parsed.feed.updated == "Wed, 20 Mar 2024 18:30:00 +0100"  # the newest episode
    assert run_cli(root, "build").returncode == 0
    assert (root / "site" / "feed.xml").read_bytes() == first  # same input, same bytes

    config = root / "podcast.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("Un podcast d'essai.", "Un podcast d'essai, revu."), encoding="utf-8")
    assert run_cli(root, "build").returncode == 0
    changed = (root / "site" / "feed.xml").read_bytes()
    assert feedparser.parse(changed).feed.updated_parsed > parsed.feed.updated_parsed  # the change moved it
    assert run_cli(root, "build").returncode == 0
    assert (root / "site" / "feed.xml").read_bytes() == changed  # and it stays put afterwards


def test_config_mistakes_for_apple_are_reported(tmp_path):
    root = make_podcast(tmp_path / "p", {"2024-03-20-debat": ("guid-debat-1", "2024-03-20T18:30:00+01:00")})
    (root / "podcast.yaml").write_text(
        CONFIG + 'categories: ["Society & Cultur", "News > Politic"]\nlicense: "Tous droits réservés"\nguid: "pas-un-uuid"\n',
        encoding="utf-8",
    )
    from PIL import Image

    Image.new("RGB", (1200, 1000), "white").save(root / "cover.jpg")
    result = run_cli(root, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        'podcast.yaml: guid: "pas-un-uuid" is not a UUID; put back the guid the first build wrote here',
        'podcast.yaml: license_url: is missing: "Tous droits réservés" is not a Creative Commons licence, give the address of its text',
        'podcast.yaml: categories[1]: "Society & Cultur" is not an Apple Podcasts category (did you mean Society & Culture?)',
        'podcast.yaml: categories[2]: "Politic" is not a subcategory of News (did you mean Politics?)',
        'podcast.yaml: cover: "cover.jpg" is 1200x1000 px; a cover must be square (crop it to 1000x1000)',
        'podcast.yaml: cover: "cover.jpg" is 1200x1000 px; podcast apps need at least 1400x1400',
    ]
