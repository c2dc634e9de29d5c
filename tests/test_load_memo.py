"""episode.md's parse kept in the cache (issue 13): `check` says the same lines whether it parses the file or
finds its parse kept, and an edit is never hidden by what was kept, even one that keeps the file's size and
modification time. A damaged cache file is ignored and made again.

The meter is the real command line's stderr against the corpus case's expected lines, and the cache file itself
(read here as JSON, not through the code that writes it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from corpus.cases import CASES
from corpus.folders import Materials
from corpus.run import lines_of, run_case, run_portevoix

IDENTITY = ".cache/portevoix/identity.json"
EPISODE = "episodes/2024-03-20-debat/episode.md"
CASE = next(case for case in CASES if case.name == "mistyped-fields")
SEASON_LINE = 'episodes/2024-03-20-debat/episode.md: season: "un" is not a whole number'


@pytest.fixture(scope="module")
def materials(tmp_path_factory) -> Materials:
    return Materials(tmp_path_factory.mktemp("memo-materials"))


def kept_parses(root: Path) -> list[dict]:
    """The parses of episode.md files that the cache file holds."""
    files = json.loads((root / IDENTITY).read_text(encoding="utf-8"))["files"]
    return [entry["episode.md"] for entry in files.values() if "episode.md" in entry]


def check_lines(root: Path) -> list[str]:
    result = run_portevoix(root, "check")
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    return lines_of(result, root)


def test_the_second_check_reads_the_kept_parse_and_says_the_same(tmp_path, materials):
    assert SEASON_LINE in CASE.lines
    root, first = run_case(CASE, tmp_path, materials)
    assert lines_of(first, root) == CASE.lines
    assert len(kept_parses(root)) == 1
    cache_before = (root / IDENTITY).read_bytes()
    assert check_lines(root) == CASE.lines
    assert (root / IDENTITY).read_bytes() == cache_before, "nothing was parsed again, so nothing new was kept"
    _, built = run_case(CASE, tmp_path, materials, command="build")
    assert lines_of(built, root) == CASE.lines
    assert not (root / "site").exists()


@pytest.mark.parametrize("mtime", ["new", "same"])
def test_an_edit_of_the_same_size_is_seen(tmp_path, materials, mtime):
    root, first = run_case(CASE, tmp_path, materials)
    assert lines_of(first, root) == CASE.lines
    episode = root / EPISODE
    before = episode.stat()
    text = episode.read_text(encoding="utf-8")
    assert 'season: "un"' in text
    episode.write_text(text.replace('season: "un"', "season: 1234"), encoding="utf-8")  # in place: the same inode
    after = episode.stat()
    assert (after.st_ino, after.st_size) == (before.st_ino, before.st_size)
    if mtime == "new":
        os.utime(episode, ns=(after.st_atime_ns, before.st_mtime_ns + 5_000_000_000))
    else:  # an editor or a copy that puts the old time back: the identity alone would not see the change
        os.utime(episode, ns=(after.st_atime_ns, before.st_mtime_ns))
        assert episode.stat().st_mtime_ns == before.st_mtime_ns
    assert check_lines(root) == [line for line in CASE.lines if line != SEASON_LINE]


@pytest.mark.parametrize("damage", ["truncated", "kept-text", "kept-shape"])
def test_a_damaged_cache_is_ignored_and_made_again(tmp_path, materials, damage):
    root, first = run_case(CASE, tmp_path, materials)
    assert lines_of(first, root) == CASE.lines
    cache = root / IDENTITY
    if damage == "truncated":
        data = cache.read_bytes()
        cache.write_bytes(data[: len(data) // 2])
    else:
        saved = json.loads(cache.read_text(encoding="utf-8"))
        for entry in saved["files"].values():
            if "episode.md" in entry:
                entry["episode.md"]["json"] = '{"data": ' if damage == "kept-text" else '{"data": 1}'
        cache.write_text(json.dumps(saved), encoding="utf-8")
    assert check_lines(root) == CASE.lines
    assert check_lines(root) == CASE.lines
    parses = kept_parses(root)
    assert len(parses) == 1 and json.loads(parses[0]["json"])["data"]["season"] == "un", "made again and kept"
