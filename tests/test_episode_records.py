"""Episode records (pipeline/source/episode_records.py): an unchanged episode's fields are taken from what the last
read found, and a change to any input a record depends on gives the site of an empty cache, byte for byte.

The inputs: episode.md (even edited in place with its size and time kept), the files it names (transcript, cover,
recording: replaced, or turned into a link), podcast.yaml (the episode's date and preset come from it), the code
that reads an episode (its stamp), and the records file itself (damaged). The meter is the site a build from an
empty cache makes of a copy of the same sources (support.podcasts.fresh_site), the command's own messages, and the
records file read here as text.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from support.cli import REPO, run_cli
from support.files import tree_digest
from support.podcasts import DEBATE, DEBATE_TRANSCRIPT, fresh_site, make_podcast
from support.sound import make_tone

RECORDS = ".cache/portevoix/episode-records.txt"
EPISODE = DEBATE
TRANSCRIPT = DEBATE_TRANSCRIPT
DATES = {"20": "2024-03-20T18:30:00+01:00", "21": "2024-03-21"}  # the second without a time: podcast.yaml's timezone gives it


def podcast(root: Path) -> Path:
    make_podcast(root, {})
    for day, title in (("20", "Premier débat"), ("21", "Second débat")):
        folder = root / "episodes" / f"2024-03-{day}-debat"
        folder.mkdir(parents=True)
        (folder / "episode.md").write_text(EPISODE.format(title=title, day=day, date=DATES[day]), encoding="utf-8")
        (folder / "transcript.vtt").write_text(TRANSCRIPT, encoding="utf-8")
        make_tone(folder / "enregistrement.wav", 2.5, volume_db=-20.0 - int(day) % 2)
    return root


def records(root: Path) -> dict[str, str]:
    """{episode folder: its record's line} as the file holds them (its first line apart)."""
    lines = (root / RECORDS).read_text(encoding="utf-8").splitlines()[1:]
    return dict(line.split("\t", 1) for line in lines)


def build(root: Path, *extra: str) -> str:
    result = run_cli(root, "build", *extra)
    assert result.returncode == 0, result.stderr
    return result.stdout


def failed_build(root: Path) -> str:
    result = run_cli(root, "build")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    return result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A podcast of two episodes built once (its audio in the cache), copied by each test."""
    root = podcast(tmp_path_factory.mktemp("records") / "podcast")
    build(root)
    return root


@pytest.fixture
def root(built, tmp_path) -> Path:
    copy = tmp_path / "podcast"
    shutil.copytree(built, copy, symlinks=True, ignore=shutil.ignore_patterns("site", "site.*"))
    build(copy)
    return copy


def test_a_build_keeps_a_record_of_each_episode_and_uses_it(root):
    kept = records(root)
    assert set(kept) == {"2024-03-20-debat", "2024-03-21-debat"}
    before = (root / RECORDS).read_bytes()
    build(root, "--full")
    assert (root / RECORDS).read_bytes() == before, "every episode came from its record: nothing read again, nothing kept anew"
    assert tree_digest(root / "site") == fresh_site(root, root.parent / "fresh")


@pytest.mark.parametrize("mtime", ["new", "kept"])
def test_episode_md_edited_in_place(root, mtime):
    episode = root / "episodes/2024-03-20-debat/episode.md"
    before = episode.stat()
    old = records(root)["2024-03-20-debat"]
    text = episode.read_text(encoding="utf-8")
    episode.write_text(text.replace("Premier débat", "Premier débit"), encoding="utf-8")  # the same size, the same inode
    after = episode.stat()
    assert (after.st_ino, after.st_size) == (before.st_ino, before.st_size)
    if mtime == "kept":  # an editor or a copy that puts the old time back: the identity alone would not see it
        os.utime(episode, ns=(after.st_atime_ns, before.st_mtime_ns))
    build(root, "--full")  # the build stamp would take an identical identity for no change: every step
    assert "Premier débit" in (root / "site/index.html").read_text(encoding="utf-8")
    assert records(root)["2024-03-20-debat"] != old
    assert tree_digest(root / "site") == fresh_site(root, root.parent / "fresh")


def test_transcript_edited(root):
    (root / "episodes/2024-03-21-debat/transcript.vtt").write_text(TRANSCRIPT.replace("Bonsoir", "Bonjour"), encoding="utf-8")
    build(root)
    assert "Bonjour à toutes" in (root / "site/episodes/2024-03-21-debat/transcription/index.html").read_text(encoding="utf-8")
    assert tree_digest(root / "site") == fresh_site(root, root.parent / "fresh")


def test_transcript_made_unreadable_is_said_as_from_an_empty_cache(root):
    transcript = root / "episodes/2024-03-21-debat/transcript.vtt"
    transcript.write_text("pas un WebVTT\n", encoding="utf-8")
    said = failed_build(root)
    assert "episodes/2024-03-21-debat/episode.md" in said and "transcript" in said
    shutil.rmtree(root / ".cache")
    assert failed_build(root) == said


def test_a_named_file_turned_into_a_link_leaving_the_folder_is_refused(root):
    transcript = root / "episodes/2024-03-21-debat/transcript.vtt"
    outside = root.parent / "elsewhere.vtt"
    shutil.copyfile(transcript, outside)
    transcript.unlink()
    transcript.symlink_to(outside)
    said = failed_build(root)
    assert "transcript.vtt" in said
    shutil.rmtree(root / ".cache")
    assert failed_build(root) == said


def test_a_cover_replaced_by_one_that_cannot_be_used(root):
    folder = root / "episodes/2024-03-20-debat"
    shutil.copyfile(REPO / "cover.jpg", folder / "cover.jpg")
    text = (folder / "episode.md").read_text(encoding="utf-8")
    (folder / "episode.md").write_text(text.replace("transcript: transcript.vtt\n", "transcript: transcript.vtt\ncover: cover.jpg\n"), encoding="utf-8")
    build(root)
    assert "cover.jpg" in records(root)["2024-03-20-debat"]
    assert tree_digest(root / "site") == fresh_site(root, root.parent / "fresh")
    from PIL import Image

    Image.new("RGB", (1400, 1000), "white").save(folder / "cover.jpg")  # not square
    said = failed_build(root)
    assert "cover.jpg" in said and "square" in said


def test_podcast_yaml_changes_what_comes_from_it(root):
    with (root / "podcast.yaml").open("a", encoding="utf-8") as config:
        config.write("timezone: America/Montreal\n")  # the episode dated without a time moves
    before = records(root)
    build(root)
    assert records(root) == before, "the records do not depend on podcast.yaml: what does is made each time"
    assert tree_digest(root / "site") == fresh_site(root, root.parent / "fresh")


def test_a_recording_replaced(root):
    recording = root / "episodes/2024-03-20-debat/enregistrement.wav"
    make_tone(recording, 1.5, volume_db=-24.0)  # shorter: the second chapter is still within it
    build(root)
    assert tree_digest(root / "site") == fresh_site(root, root.parent / "fresh")


@pytest.mark.parametrize("damage", ["other-code", "cut-short", "not-json", "other-files"])
def test_a_damaged_or_foreign_records_file_is_ignored(root, damage):
    path = root / RECORDS
    text = path.read_text(encoding="utf-8")
    first, _, rest = text.partition("\n")
    if damage == "other-code":
        changed = first[:-4] + "0000\n" + rest
    elif damage == "cut-short":
        changed = text[: len(text) - 40]
    elif damage == "not-json":
        changed = first + "\n" + "\n".join(line.split("\t")[0] + "\t{\"files\": [" for line in rest.splitlines()) + "\n"
    else:  # the record of one episode given to the other
        lines = rest.splitlines()
        names = [line.split("\t")[0] for line in lines]
        changed = first + "\n" + "\n".join(f"{name}\t{lines[0].split(chr(9), 1)[1]}" for name in names) + "\n"
    path.write_text(changed, encoding="utf-8")
    build(root, "--full")
    assert tree_digest(root / "site") == fresh_site(root, root.parent / "fresh")
    assert (root / RECORDS).read_text(encoding="utf-8").partition("\n")[0] == first
    assert set(records(root)) == {"2024-03-20-debat", "2024-03-21-debat"}


def test_the_code_that_reads_an_episode_is_in_the_records_stamp():
    from pipeline.source import episode_meta, episodes, fields, transcripts, cues, yamlio
    from pipeline.source.episode_records import records_sources
    from pipeline.media import images
    from pipeline import i18n

    sources = set(records_sources())
    for module in (episodes, episode_meta, fields, transcripts, cues, yamlio, images, i18n):
        assert Path(module.__file__).resolve() in sources, module.__name__
    assert (REPO / "pipeline/presets/podcast.json").resolve() in sources
