"""The machine's faults give one line: a full disk, a read-only podcast folder, the cache deleted during a build.

Each time the previous site stays as it was, no traceback is printed, and the
next build (once the fault is gone) succeeds. The disk is a real tmpfs of a few
megabytes, the read-only folder a real read-only bind mount (both need root).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus.folders import EPISODE, Materials, front, make_case_folder
from corpus.run import english_environment, run_portevoix


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def mounted(*args: str) -> None:
    made = subprocess.run(["mount", *args], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount here ({made.stderr.strip()}); run as root with CAP_SYS_ADMIN")


@pytest.fixture()
def podcast(tmp_path) -> Path:
    return make_case_folder(tmp_path / "podcast", {}, Materials(tmp_path / "materials"))


def test_no_space_left_in_the_output_is_one_line(podcast, tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted("-t", "tmpfs", "-o", "size=6m", "tmpfs", str(disk))
    try:
        output = disk / "public"
        assert run_portevoix(podcast, "build", "--output", str(output)).returncode == 0
        before = digest(output)
        free = os.statvfs(disk)
        (disk / "filler").write_bytes(b"\0" * (free.f_bavail * free.f_frsize - 8192))
        (podcast / EPISODE).write_text(front(title='"Un autre titre"'), encoding="utf-8")
        result = run_portevoix(podcast, "build", "--output", str(output))
        assert result.returncode == 1 and "Traceback" not in result.stderr
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].endswith(
            "no space left on this disk: free some space, then run the command again (the previous site is as it was)"), lines
        assert digest(output) == before
        (disk / "filler").unlink()
        assert run_portevoix(podcast, "build", "--output", str(output)).returncode == 0
        assert digest(output) != before
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_read_only_podcast_folder_is_one_line(podcast, tmp_path):
    view = tmp_path / "read-only"
    view.mkdir()
    mounted("--bind", str(podcast), str(view))
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True)
        assert run_portevoix(view, "check").returncode == 0, "check only reads"
        result = run_portevoix(view, "build")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].endswith(
            "this folder is read-only: copy the podcast folder somewhere you may write, or make it writable"), lines
    finally:
        subprocess.run(["umount", "-l", str(view)], check=False)
    assert run_portevoix(podcast, "build").returncode == 0


def test_the_cache_deleted_during_a_build_is_one_line(podcast, tmp_path):
    assert run_portevoix(podcast, "build").returncode == 0
    before = digest(podcast / "site")
    (podcast / EPISODE).write_text(front(title='"Pendant la suppression"'), encoding="utf-8")
    release = tmp_path / "release"
    env = english_environment()
    env["PORTEVOIX_TEST_HOOK"] = "wait@audio"
    env["PORTEVOIX_TEST_RELEASE"] = str(release)
    build = subprocess.Popen([sys.executable, "-m", "pipeline", "-C", str(podcast), "build"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not Path(f"{release}.waiting").exists():
        assert build.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    shutil.rmtree(podcast / ".cache")
    release.touch()
    _, err = build.communicate(timeout=120)
    assert build.returncode == 1 and "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].endswith(
        "disappeared while the command ran (was .cache/ or a folder deleted meanwhile?): run the command again"), lines
    assert digest(podcast / "site") == before
    assert run_portevoix(podcast, "build").returncode == 0
