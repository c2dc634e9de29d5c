"""Podcast folders for tests: a copy of the repository's demo, or a small podcast of generated episodes."""

from __future__ import annotations

import shutil
from pathlib import Path

from .cli import REPO
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
