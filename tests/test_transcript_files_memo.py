"""The transcript files (WebVTT, SubRip, plain text) known from earlier builds (feed/sidecar_memo.py) follow what
they are made from, and a transcript remembered as readable is read again once it changes.

Each change is checked from the outside: the sizes and digests the cache keeps for each episode's files are those of
the files in the site, and the site is byte for byte the one a build from an empty cache makes of the same sources."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from support.cli import run_cli
from support.files import tree_digest
from support.podcasts import add_debates, fresh_site, long_transcript, make_podcast

MEMO = ".cache/portevoix/transcript-files.json"


def short_transcript(day: str) -> str:
    return f"WEBVTT\n\n00:00:00.500 --> 00:00:01.500\n<v Claire>Bonsoir ({day}) à toutes et à tous.\n"


def build(root: Path, *extra: str) -> None:
    result = run_cli(root, "build", *extra)
    assert result.returncode == 0, result.stderr


def known(root: Path) -> dict[str, dict[str, list]]:
    """{key: {site path: [size, sha256]}} as the cache keeps them."""
    data = json.loads((root / MEMO).read_text(encoding="utf-8"))
    return data["files"]


def as_in_the_site(root: Path) -> dict[str, list]:
    """{site path: [size, sha256]} of the site's transcript files."""
    found = {}
    for path in sorted((root / "site/media").glob("*")):
        if path.suffix in (".vtt", ".srt", ".txt"):
            data = path.read_bytes()
            found[f"media/{path.name}"] = [len(data), hashlib.sha256(data).hexdigest()]
    return found


def kept_files(root: Path) -> dict[str, list]:
    return {name: fact for entry in known(root).values() for name, fact in entry.items()}


def test_the_transcript_files_are_known_and_made_again_when_what_they_are_made_from_changes(tmp_path):
    root = add_debates(make_podcast(tmp_path / "podcast", {}), long_transcript, seconds=4.0)
    scratch = tmp_path / "fresh"

    build(root)
    first = known(root)
    assert len(first) == 2 and all(len(entry) == 3 for entry in first.values())
    assert kept_files(root) == as_in_the_site(root) and len(as_in_the_site(root)) == 6
    assert tree_digest(root / "site") == fresh_site(root, scratch)

    # Every step again, nothing changed: the same facts, the same site.
    build(root, "--full")
    assert known(root) == first
    assert tree_digest(root / "site") == fresh_site(root, scratch)

    # One transcript edited without changing its size: its files are made again, with the new words.
    vtt = root / "episodes/2024-03-21-debat/transcript.vtt"
    vtt.write_text(vtt.read_text(encoding="utf-8").replace("Bonsoir (21)", "Bonjour (21)"), encoding="utf-8")
    build(root)
    second = known(root)
    assert len(second) == 2 and len(set(first) & set(second)) == 1
    assert "Bonjour (21)" in (root / "site/media/2024-03-21-debat.txt").read_text(encoding="utf-8")
    assert kept_files(root) == as_in_the_site(root)
    assert tree_digest(root / "site") == fresh_site(root, scratch)

    # What the files show besides the cues: the title heads the plain text, a draft says so in each file.
    episode = root / "episodes/2024-03-20-debat/episode.md"
    text = episode.read_text(encoding="utf-8")
    episode.write_text(text.replace('title: "Premier débat"', 'title: "Débat d\'ouverture"\ntranscript_status: draft'), encoding="utf-8")
    build(root)
    third = known(root)
    assert len(third) == 2 and len(set(second) & set(third)) == 1
    assert (root / "site/media/2024-03-20-debat.txt").read_text(encoding="utf-8").startswith("Débat d'ouverture\n")
    assert kept_files(root) == as_in_the_site(root)
    assert tree_digest(root / "site") == fresh_site(root, scratch)

    # The published audio cut at the start: every cue moves.
    episode.write_text(episode.read_text(encoding="utf-8").replace("guid: guid-20\n", 'guid: guid-20\ncuts: [{start: "00:00:00", end: "00:00:00.300"}]\n'),
                       encoding="utf-8")
    build(root)
    assert len(set(third) & set(known(root))) == 1
    assert kept_files(root) == as_in_the_site(root)
    assert tree_digest(root / "site") == fresh_site(root, scratch)

    # A published copy edited by hand in site/: made again from the transcript, as it should be.
    published = root / "site/media/2024-03-21-debat.srt"
    published.write_text("1\n00:00:00,000 --> 00:00:01,000\nautre chose\n", encoding="utf-8")
    build(root, "--full")
    assert kept_files(root) == as_in_the_site(root)
    assert tree_digest(root / "site") == fresh_site(root, scratch)

    # The cache's facts damaged, then lost: nothing is trusted, the files are made and the facts kept again.
    facts = known(root)
    (root / MEMO).write_text("{", encoding="utf-8")
    build(root, "--full")
    assert known(root) == facts
    (root / MEMO).unlink()
    (root / "site/media/2024-03-20-debat.vtt").unlink()
    build(root, "--full")
    assert known(root) == facts
    assert tree_digest(root / "site") == fresh_site(root, scratch)


def test_a_transcript_remembered_as_readable_is_read_again_once_it_changes(tmp_path):
    root = add_debates(make_podcast(tmp_path / "podcast", {}), long_transcript, seconds=4.0)
    build(root)
    site = tree_digest(root / "site")
    vtt = root / "episodes/2024-03-20-debat/transcript.vtt"
    vtt.write_text("WEBVTT\n\nrien ici\n", encoding="utf-8")
    for command in ("build", "check"):
        result = run_cli(root, command)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "transcript.vtt" in result.stderr and "holds no cue" in result.stderr, result.stderr
    assert tree_digest(root / "site") == site, "the previous site is intact"
    vtt.write_text(long_transcript("20"), encoding="utf-8")
    build(root)
    assert tree_digest(root / "site") == site


def test_a_short_transcript_is_made_at_each_build_not_remembered(tmp_path):
    """Below REMEMBERED_FROM a transcript's files cost less than remembering them (see sidecars.py)."""
    root = add_debates(make_podcast(tmp_path / "podcast", {}), short_transcript, seconds=3.0)
    build(root)
    assert not (root / MEMO).exists() or known(root) == {}
    assert len(as_in_the_site(root)) == 6
    assert tree_digest(root / "site") == fresh_site(root, tmp_path / "fresh")
