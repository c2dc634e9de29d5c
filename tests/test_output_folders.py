"""Outputs never destroy: `build --output` replaces only a site portevoix wrote, and site files are copies.

A folder of someone's files given to `--output` by mistake is refused with one
line and left exactly as it was; an empty or new folder gets a site (with its
marker file), which the next build may replace. Folders beside the output that
merely look like our staging folders are left alone. A published file edited
in place does not change the cache.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from corpus.folders import Materials, make_case_folder
from corpus.run import run_portevoix
from pipeline.paths import SITE_MARKER


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def podcast(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("outputs")
    return make_case_folder(base / "podcast", {}, Materials(base / "materials"))


def test_a_folder_of_unrelated_files_is_refused_and_kept(podcast, tmp_path):
    documents = tmp_path / "Documents"
    (documents / "photos").mkdir(parents=True)
    (documents / "lettre.odt").write_bytes(b"PK\x03\x04 une lettre")
    (documents / "photos" / "ete.jpg").write_bytes(b"\xff\xd8\xff une photo")
    (documents / "index.html").write_text("<p>mon ancien site, fait à la main</p>", encoding="utf-8")
    # Folders beside it named like a build's leftovers, but not ours.
    (tmp_path / "Documents.new-abc").mkdir()
    (tmp_path / "Documents.new-abc" / "notes.txt").write_text("à garder", encoding="utf-8")
    (tmp_path / "Documents.old-1").mkdir()
    (tmp_path / "Documents.old-1" / "budget.ods").write_bytes(b"budget")
    before = digest(tmp_path)

    result = run_portevoix(podcast, "build", "--output", str(documents))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"portevoix: {documents}: holds files portevoix did not write (no {SITE_MARKER} file); choose a new or empty folder, nothing was changed"
    ]
    assert digest(tmp_path) == before, "every file is still there, unchanged"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Documents", "Documents.new-abc", "Documents.old-1"]

    a_file = tmp_path / "a-file.txt"
    a_file.write_text("x", encoding="utf-8")
    result = run_portevoix(podcast, "build", "--output", str(a_file))
    assert result.returncode == 1 and result.stderr.splitlines() == [f"portevoix: {a_file}: is a file, not a folder; choose another output folder"]
    assert a_file.read_text(encoding="utf-8") == "x"


def test_an_empty_folder_gets_a_site_that_the_next_build_replaces(podcast, tmp_path):
    output = tmp_path / "public"
    output.mkdir()
    (tmp_path / "public.new-mine").mkdir()
    (tmp_path / "public.new-mine" / "keep.txt").write_text("mine", encoding="utf-8")
    for _ in range(2):
        result = run_portevoix(podcast, "build", "--output", str(output))
        assert result.returncode == 0, result.stderr
        assert (output / SITE_MARKER).is_file() and (output / "feed.xml").is_file()
    assert (tmp_path / "public.new-mine" / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "public.new-mine"]


def test_a_published_file_edited_in_place_does_not_change_the_cache(podcast):
    result = run_portevoix(podcast, "build")
    assert result.returncode == 0, result.stderr
    site, cache = podcast / "site", podcast / ".cache"
    media = sorted((site / "media").glob("*.mp3"))
    assert media
    cached = digest(cache)
    for path in media:
        assert os.stat(path).st_nlink == 1, "a copy, not a hard link into the cache"
        with path.open("r+b") as handle:  # what an editor saving in place, or a truncating copy, does
            handle.truncate(100)
    assert digest(cache) == cached
    rebuilt = run_portevoix(podcast, "build")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert all(path.stat().st_size > 100 for path in media), "the next build publishes whole files again"


def test_a_damaged_cached_file_is_made_again_not_published(podcast):
    assert run_portevoix(podcast, "build").returncode == 0
    tagged = sorted((podcast / ".cache").rglob("tagged/*.mp3"))
    assert tagged
    whole = {path: path.read_bytes() for path in tagged}
    for path in tagged:
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF  # same size, one byte changed
        path.write_bytes(bytes(data))
    result = run_portevoix(podcast, "build")
    assert result.returncode == 0, result.stderr
    assert {path: path.read_bytes() for path in tagged} == whole, "made again, byte for byte"
    published = sorted((podcast / "site/media").glob("*.mp3"))
    assert sorted(p.read_bytes() for p in published) == sorted(whole.values())


def test_checks_run_when_the_base_url_holds_an_ampersand(tmp_path):
    from corpus.folders import CONFIG

    config = CONFIG.replace("https://debats.example.org/", "https://example.org/a&b/")
    root = make_case_folder(tmp_path / "podcast", {"podcast.yaml": config}, Materials(tmp_path / "materials"))
    assert run_portevoix(root, "build").returncode == 0
    assert run_portevoix(root, "check").returncode == 0
    mp3 = next((root / "site/media").glob("*.mp3"))
    size = mp3.stat().st_size
    with mp3.open("r+b") as handle:
        handle.truncate(size - 10)
    result = run_portevoix(root, "check")
    assert result.returncode == 1, "the feed checks were not switched off by the &"
    assert f"length is {size} but the file has {size - 10} bytes" in result.stderr
