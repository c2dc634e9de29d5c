"""The transcripts' search documents kept across builds (site/transcript_memo.py) follow what they are made from.

Each change is checked from the outside: the documents kept in the cache (a file for each episode with a long
transcript, holding its words), and the site, byte for byte the site a build from an empty cache makes of the same sources.
The search bundle Pagefind makes from the documents is part of that site."""

from __future__ import annotations

import shutil
from pathlib import Path

from support.cli import run_cli
from support.files import tree_digest
from support.podcasts import add_debates, fresh_site, long_transcript, make_podcast


def documents(root: Path) -> dict[str, str]:
    """{key: document} of the documents kept in the cache."""
    folder = root / ".cache/portevoix/transcript-documents"
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())}


def build(root: Path, *extra: str) -> None:
    result = run_cli(root, "build", *extra)
    assert result.returncode == 0, result.stderr


def test_the_transcripts_documents_are_kept_and_made_again_when_what_they_show_changes(tmp_path):
    root = add_debates(make_podcast(tmp_path / "podcast", {}), long_transcript, seconds=4.0, volume_db=lambda day: -21.0)
    scratch = tmp_path / "fresh"

    build(root)
    first = documents(root)
    assert len(first) == 2
    assert sorted("Bonsoir (20)" in text for text in first.values()) == [False, True]
    assert tree_digest(root / "site") == fresh_site(root, scratch)

    # Every step again, nothing changed: the same documents, the same site.
    build(root, "--full")
    assert documents(root) == first

    # One transcript edited: its document only is made again, with the new words.
    transcript = root / "episodes/2024-03-21-debat/transcript.vtt"
    transcript.write_text(transcript.read_text(encoding="utf-8").replace("Bonsoir (21)", "Bonjour (21)"), encoding="utf-8")
    build(root)
    second = documents(root)
    assert len(second) == 2 and len(set(first) & set(second)) == 1
    assert any("Bonjour (21)" in text for text in second.values())
    assert not any("Bonsoir (21)" in text for text in second.values())
    assert "Bonjour (21)" in (root / "site/episodes/2024-03-21-debat/transcription/index.html").read_text(encoding="utf-8")
    assert tree_digest(root / "site") == fresh_site(root, scratch)

    # The published audio cut at the start: every moment of the transcript moves, so do its page and document.
    episode = root / "episodes/2024-03-20-debat/episode.md"
    episode.write_text(episode.read_text(encoding="utf-8").replace("guid: guid-20\n", 'guid: guid-20\ncuts: [{start: "00:00:00", end: "00:00:00.300"}]\n'),
                       encoding="utf-8")
    build(root)
    third = documents(root)
    assert len(third) == 2 and len(set(second) & set(third)) == 1
    assert tree_digest(root / "site") == fresh_site(root, scratch)

    # A kept document removed (the cache cleared in part): made again, the site is the same.
    removed = next(iter(third))
    (root / f".cache/portevoix/transcript-documents/{removed}.html").unlink()
    build(root, "--full")
    assert documents(root) == third
    assert tree_digest(root / "site") == fresh_site(root, scratch)

    # An episode removed: its document leaves the cache.
    shutil.rmtree(root / "episodes/2024-03-21-debat")
    build(root)
    assert len(documents(root)) == 1 and set(documents(root)) < set(third)
    assert tree_digest(root / "site") == fresh_site(root, scratch)
