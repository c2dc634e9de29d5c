"""`portevoix new`: an episode folder with a permanent GUID; the original recording untouched."""

from __future__ import annotations

import uuid

import yaml

from support.sound import make_tone
from support.cli import run_cli
from support.files import sha256
from support.podcasts import make_podcast


def test_new_creates_a_checkable_episode_and_copies_the_recording(tmp_path):
    root = make_podcast(tmp_path / "podcast", {})
    (tmp_path / "raw").mkdir()
    original = make_tone(tmp_path / "raw" / "debat.flac", 2.0)
    digest = sha256(original)

    result = run_cli(root, "new", "Numérisation : quels impacts ?", "--audio", str(original), "--date", "2024-03-20")
    assert result.returncode == 0, result.stderr
    folder = root / "episodes" / "2024-03-20-numerisation-quels-impacts"
    assert (folder / "enregistrement.flac").read_bytes() == original.read_bytes()
    assert sha256(original) == digest
    meta = yaml.safe_load((folder / "episode.md").read_text(encoding="utf-8").split("---")[1])
    assert meta["title"] == "Numérisation : quels impacts ?"
    assert uuid.UUID(meta["guid"]).version == 4

    check = run_cli(root, "check")
    assert check.returncode == 0, check.stderr

    again = run_cli(root, "new", "Numérisation : quels impacts ?", "--audio", str(original), "--date", "2024-03-20")
    assert again.returncode == 1
    assert "already exists" in again.stderr


def test_new_refuses_a_missing_recording(tmp_path):
    root = make_podcast(tmp_path / "podcast", {})
    result = run_cli(root, "new", "Titre", "--audio", str(tmp_path / "absent.wav"))
    assert result.returncode == 1
    assert result.stderr.strip().endswith("absent.wav: recording not found")
    assert not (root / "episodes").exists() or not any((root / "episodes").iterdir())
