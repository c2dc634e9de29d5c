"""Podcast folders for tests: a copy of the repository's demo, or a small podcast of generated episodes."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.feed.sidecars import REMEMBERED_FROM

from .cli import REPO, run_cli
from .files import tree_digest
from .sound import make_tone


def copy_demo(target: Path) -> Path:
    """A copy of the repository's demo podcast folder (config, cover, episodes)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "podcast.yaml", target / "podcast.yaml")
    shutil.copy2(REPO / "cover.jpg", target / "cover.jpg")
    shutil.copytree(REPO / "episodes", target / "episodes")
    return target


CONFIG = """\
title: "Essai"
description: "Un podcast d'essai."
author: "Collectif"
owner: {name: "Collectif", email: "contact@example.org"}
base_url: "https://podcast.example.org/"
"""

GOOD = """\
---
title: "Un bon épisode"
date: 2024-03-20T18:30:00+01:00
recording: enregistrement.wav
guid: {guid}
---
Des notes.
"""

DEBATE = """\
---
title: "{title}"
date: {date}
recording: enregistrement.wav
transcript: transcript.vtt
guid: guid-{day}
chapters:
  - {{start: "00:00:00", title: "Ouverture"}}
  - {{start: "00:00:01", title: "Suite"}}
---
Des notes pour **{title}**.
"""
"""An episode with a transcript and two chapters (a recording of 2 s or more), for DEBATE_TRANSCRIPT."""
DEBATE_TRANSCRIPT = "WEBVTT\n\n00:00:00.500 --> 00:00:01.500\n<v Claire>Bonsoir à toutes et à tous.\n"


def make_podcast(root: Path, episodes: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "podcast.yaml").write_text(CONFIG, encoding="utf-8")
    shutil.copy2(REPO / "cover.jpg", root / "cover.jpg")
    add_episodes(root, episodes)
    return root


def add_episodes(root: Path, episodes: dict[str, str]) -> None:
    for slug, text in episodes.items():
        folder = root / "episodes" / slug
        folder.mkdir(parents=True)
        (folder / "episode.md").write_text(text, encoding="utf-8")
        make_tone(folder / "enregistrement.wav", 2.0)


def add_debates(root: Path, transcript, seconds: float = 2.5, volume_db=lambda day: -20.0 - int(day) % 2) -> Path:
    """Two debates (DEBATE) in `root`, on the 20th and 21st: each with `transcript(day)` and a tone of `seconds`
    at `volume_db(day)`, so that the two recordings differ."""
    for day, title in (("20", "Premier débat"), ("21", "Second débat")):
        folder = root / "episodes" / f"2024-03-{day}-debat"
        folder.mkdir(parents=True)
        (folder / "episode.md").write_text(DEBATE.replace("{date}", "2024-03-{day}T18:30:00+01:00").format(title=title, day=day), encoding="utf-8")
        (folder / "transcript.vtt").write_text(transcript(day), encoding="utf-8")
        make_tone(folder / "enregistrement.wav", seconds, volume_db=volume_db(day))
    return root


def long_transcript(day: str) -> str:
    """A transcript long enough for what is made of it to be remembered (sidecars.REMEMBERED_FROM: its search
    document, its files), in a recording of 4 s: 300 cues of 9 ms; `day` is in its first words."""
    lines = ["WEBVTT", ""]
    for n in range(300):
        start = 0.5 + n / 100
        greeting = f"Bonsoir ({day})" if n == 0 else f"Réplique {n} du débat, sur le logement et les transports du quartier."
        lines += [f"00:00:0{start:05.3f} --> 00:00:0{start + 0.009:05.3f}", f"<v Intervenant {n % 3}>{greeting}", ""]
    text = "\n".join(lines)
    assert len(text.encode()) >= REMEMBERED_FROM
    return text


STATE_FILES = ("published.json", "published-feed.json")
"""What was published: part of the sources of the next build (GUIDs, lastBuildDate)."""


def fresh_site(root: Path, scratch: Path, *extra: str) -> dict[str, str]:
    """The site a build from an empty cache makes of a copy of `root`'s sources (and its published state):
    {relative path: sha256}."""
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(root, scratch, ignore=shutil.ignore_patterns(".cache", "site", "site.*"))
    for name in STATE_FILES:
        assert (scratch / name).is_file() or not (root / name).is_file()
    result = run_cli(scratch, "build", *extra)
    assert result.returncode == 0, result.stderr
    return tree_digest(scratch / "site")
