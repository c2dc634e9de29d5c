"""The build's caches (file identities, probes, digests, processed audio) are invalidated exactly when they must be.

After each change, the site built incrementally is compared, byte for byte, with the site a
build from an empty cache makes of a copy of the same sources. What was (re)processed is
measured from the outside: the build's own count of processed recordings, and which
recordings its processes read (the kernel's page-cache residency after evicting them).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from conftest import make_tone, run_cli, tree_digest
from test_check import make_podcast

EPISODE = """\
---
title: "{title}"
date: 2024-03-{day}T18:30:00+01:00
recording: enregistrement.wav
transcript: transcript.vtt
guid: guid-{day}
chapters:
  - {{start: "00:00:00", title: "Ouverture"}}
  - {{start: "00:00:01", title: "Suite"}}
---
Des notes pour **{title}**.
"""

TRANSCRIPT = "WEBVTT\n\n00:00:00.500 --> 00:00:01.500\n<v Claire>Bonsoir à toutes et à tous.\n"
STATE_FILES = ("published.json", "published-feed.json")


def built(root: Path, *extra: str) -> dict:
    result = run_cli(root, "build", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads((root / ".cache/portevoix/identity.json").read_text())["files"]


def processed_count(root: Path, *extra: str) -> int:
    result = run_cli(root, "build", *extra)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.split(" episodes, ")[1].split(" ")[0])


def fresh_site(root: Path, scratch: Path, *extra: str) -> dict[str, str]:
    """The site a build from an empty cache makes of a copy of `root`'s sources (and its published state)."""
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(root, scratch, ignore=shutil.ignore_patterns(".cache", "site", "site.*"))
    for name in STATE_FILES:  # what was published is part of the sources of the next build (GUIDs, lastBuildDate)
        assert (scratch / name).is_file() or not (root / name).is_file()
    result = run_cli(scratch, "build", *extra)
    assert result.returncode == 0, result.stderr
    return tree_digest(scratch / "site")


def stamp_of(entries: dict, path: Path) -> list[int]:
    stat = path.stat()
    return entries[f"{stat.st_dev}:{stat.st_ino}"]["stamp"]


def test_every_change_gives_the_site_of_an_empty_cache(tmp_path):
    root = make_podcast(tmp_path / "podcast", {})
    for day, title in (("20", "Premier débat"), ("21", "Second débat")):
        folder = root / "episodes" / f"2024-03-{day}-debat"
        folder.mkdir(parents=True)
        (folder / "episode.md").write_text(EPISODE.format(title=title, day=day), encoding="utf-8")
        (folder / "transcript.vtt").write_text(TRANSCRIPT, encoding="utf-8")
        make_tone(folder / "enregistrement.wav", 2.5, volume_db=-20.0 - int(day) % 2)
    scratch = tmp_path / "fresh"
    first = root / "episodes/2024-03-20-debat"
    recording = first / "enregistrement.wav"

    assert processed_count(root) == 2
    assert processed_count(root) == 0  # nothing changed: nothing processed

    # A recording replaced by another of the same size, with a new mtime: processed again.
    size = recording.stat().st_size
    make_tone(tmp_path / "other.wav", 2.5, volume_db=-26.0)
    shutil.copyfile(tmp_path / "other.wav", recording)
    assert recording.stat().st_size == size
    assert processed_count(root) == 1
    assert tree_digest(root / "site") == fresh_site(root, scratch)

    # A touch without change: the digest is recomputed (new stamp), the audio kept.
    before = built(root)
    old_stamp = stamp_of(before, recording)
    time.sleep(0.01)
    os.utime(recording)
    assert processed_count(root) == 0
    after = json.loads((root / ".cache/portevoix/identity.json").read_text())["files"]
    assert stamp_of(after, recording) != old_stamp
    assert stamp_of(after, recording)[1] == recording.stat().st_mtime_ns
    assert tree_digest(root / "site") == fresh_site(root, scratch)

    # A changed preset: that episode's audio is made again.
    text = (first / "episode.md").read_text(encoding="utf-8")
    (first / "episode.md").write_text(text.replace("guid: guid-20\n", "guid: guid-20\naudio_preset: speech-mono\n"), encoding="utf-8")
    assert processed_count(root) == 1
    assert tree_digest(root / "site") == fresh_site(root, scratch)

    # An edited transcript: no audio made, the pages follow.
    transcript_page = root / "site/episodes/2024-03-21-debat/transcription/index.html"
    (root / "episodes/2024-03-21-debat/transcript.vtt").write_text(TRANSCRIPT.replace("Bonsoir", "Bonjour"), encoding="utf-8")
    assert processed_count(root) == 0
    assert "Bonjour à toutes" in transcript_page.read_text(encoding="utf-8")
    assert tree_digest(root / "site") == fresh_site(root, scratch)

    # A renamed episode folder: same recording (same inode), no audio made; new addresses, redirects from the old.
    first.rename(root / "episodes/2024-03-20-premier-debat")
    assert processed_count(root, "--allow-enclosure-change") == 0
    site = tree_digest(root / "site")
    assert any(name.startswith("episodes/2024-03-20-premier-debat/") for name in site)
    assert site == fresh_site(root, scratch, "--allow-enclosure-change")
