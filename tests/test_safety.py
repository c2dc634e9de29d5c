"""Nothing is lost: killed builds, concurrent builds, and recordings that are only ever read.

Builds are killed with SIGKILL at named steps (the PORTEVOIX_TEST_HOOK points in
pipeline/site/writer.py) and in the middle of an ffmpeg encoding; each time the
previous site/ must be byte-identical, the audio cache must never hold a
half-written entry under its final name, and the next build must succeed.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import feedparser
import pytest

from corpus.folders import EPISODE, RECORDING, Materials, front, make_case_folder
from corpus.run import english_environment, run_portevoix

CACHE = ".cache/portevoix"


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def only_the_spare_is_beside(podcast: Path) -> None:
    """Beside site/ there is nothing left but its spare (writer.py), which holds hard links to site/'s own files only."""
    leftovers = sorted(p.name for p in podcast.glob("site.*"))
    assert leftovers in ([], ["site.spare"]), f"stale staging folders are cleaned up: {leftovers}"
    spare, site = podcast / "site.spare", podcast / "site"
    for path in spare.rglob("*"):
        if not path.is_dir():
            assert not path.is_symlink() and path.stat().st_ino == (site / path.relative_to(spare)).stat().st_ino, path


def recordings(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / "episodes").rglob("enregistrement.*"))}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A one-episode podcast built, then built again doing every step (which leaves the spare folder beside the
    site, see writer.py); tests work on copies of it (`cp -a` keeps the spare's hard links)."""
    work = tmp_path_factory.mktemp("safety")
    root = make_case_folder(work / "podcast", {}, Materials(work / "materials"))
    for extra in ((), ("--full",)):
        result = run_portevoix(root, "build", *extra)
        assert result.returncode == 0, result.stderr
    assert (root / "site.spare").is_dir()
    return root


@pytest.fixture()
def podcast(built, tmp_path) -> Path:
    root = tmp_path / "podcast"
    subprocess.run(["cp", "-a", str(built), str(root)], check=True)
    return root


def hooked(*actions: str, release: Path | None = None) -> dict[str, str]:
    env = english_environment()
    env["PORTEVOIX_TEST_HOOK"] = ",".join(actions)
    if release is not None:
        env["PORTEVOIX_TEST_RELEASE"] = str(release)
    return env


def no_half_written_cache_entry(root: Path) -> None:
    """Every audio cache entry under its final name is complete; leftovers are hidden temporary folders."""
    for entry in (root / CACHE / "audio").iterdir():
        if entry.name.startswith("."):
            continue
        assert (entry / "done.json").is_file(), f"{entry.name} has no done.json"
        for name in ("audio.mp3", "audio.opus"):
            probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(entry / name)],
                                   capture_output=True, text=True, check=True)
            assert float(probe.stdout) > 5.0, f"{entry.name}/{name} is cut short"


@pytest.mark.parametrize("step", ["validated", "audio", "spare", "writing", "staged"])
def test_a_build_killed_at_any_step_leaves_the_previous_site(podcast, step):
    site_before = digest(podcast / "site")
    raw_before = recordings(podcast)
    (podcast / EPISODE).write_text(front(title='"Un titre changé"'), encoding="utf-8")

    killed = run_portevoix(podcast, "build", env=hooked(f"kill@{step}"))
    assert killed.returncode == -signal.SIGKILL
    assert digest(podcast / "site") == site_before
    assert recordings(podcast) == raw_before
    no_half_written_cache_entry(podcast)

    again = run_portevoix(podcast, "build")
    assert again.returncode == 0, again.stderr
    assert "Un titre changé" in (podcast / "site" / "feed.xml").read_text(encoding="utf-8")
    only_the_spare_is_beside(podcast)
    assert recordings(podcast) == raw_before


def test_a_build_killed_after_the_swap_leaves_the_new_site_whole(podcast):
    (podcast / EPISODE).write_text(front(title='"Après la bascule"'), encoding="utf-8")
    killed = run_portevoix(podcast, "build", env=hooked("kill@committed"))
    assert killed.returncode == -signal.SIGKILL
    feed = feedparser.parse((podcast / "site" / "feed.xml").read_bytes())
    assert not feed.bozo and feed.entries[0].title == "Après la bascule"
    for enclosure in feed.entries[0].enclosures:
        name = enclosure.href.rsplit("/", 1)[-1]
        assert (podcast / "site" / "media" / name).stat().st_size == int(enclosure.length)


def test_without_atomic_exchange_a_kill_between_the_two_renames_is_recovered(podcast):
    """Where renameat2 is missing the swap takes two renames; a kill between them leaves site/ aside, not lost."""
    site_before = digest(podcast / "site")
    (podcast / EPISODE).write_text(front(title='"Bascule en deux temps"'), encoding="utf-8")
    killed = run_portevoix(podcast, "build", env=hooked("no-exchange", "kill@retired"))
    assert killed.returncode == -signal.SIGKILL
    assert not (podcast / "site").exists()
    (aside,) = podcast.glob("site.old-*")
    assert digest(aside) == site_before

    # The next build puts it back first, even when it then refuses to build.
    (podcast / EPISODE).write_text(front(title=None), encoding="utf-8")
    refused = run_portevoix(podcast, "build")
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"restoring {aside.name} left by an interrupted build",
        "episodes/2024-03-20-debat/episode.md: title: is missing (title of the episode)",
    ]
    assert digest(podcast / "site") == site_before
    only_the_spare_is_beside(podcast)


def ffmpeg_children_of(root: Path) -> list[int]:
    """Process ids of running programs whose command line names a file of `root` (a build's ffmpeg)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and command and b"ffmpeg" in command[0] and any(str(root).encode() in part for part in command):
            found.append(int(entry.name))
    return found


def test_a_build_killed_while_ffmpeg_encodes_never_leaves_half_written_audio(podcast, tmp_path):
    site_before = digest(podcast / "site")
    # A new, longer recording: a new cache entry, and time to catch ffmpeg at work.
    longer = tmp_path / "longer.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "aevalsrc='0.3*sin(2*PI*330*t)':s=44100:d=240", str(longer)], check=True)
    (podcast / RECORDING).write_bytes(longer.read_bytes())
    raw_before = recordings(podcast)
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "-C", str(podcast), "build"], env=english_environment(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    audio = podcast / CACHE / "audio"
    deadline = time.monotonic() + 120
    partial = []
    while time.monotonic() < deadline and process.poll() is None:
        partial = [p for p in audio.glob(".*/audio.mp3") if p.stat().st_size > 0]
        if partial:
            break
        time.sleep(0.02)
    assert partial, "the build was caught while encoding"
    os.kill(process.pid, signal.SIGKILL)  # the build only: its ffmpeg must die with it
    process.wait(timeout=30)
    survivors = ffmpeg_children_of(podcast)
    deadline = time.monotonic() + 10
    while survivors and time.monotonic() < deadline:
        time.sleep(0.1)
        survivors = ffmpeg_children_of(podcast)
    if survivors:
        os.killpg(process.pid, signal.SIGKILL)
    assert not survivors, "an ffmpeg outlived the killed build"

    assert digest(podcast / "site") == site_before
    assert recordings(podcast) == raw_before
    no_half_written_cache_entry(podcast)

    assert list(audio.glob(".*")), "the killed build left its temporary entry (never served)"
    again = run_portevoix(podcast, "build")
    assert again.returncode == 0, again.stderr
    no_half_written_cache_entry(podcast)
    assert not list(audio.glob(".*")), "and the next build cleared it"
    mp3 = next((podcast / "site" / "media").glob("*.mp3"))
    decoded = subprocess.run(["ffmpeg", "-v", "error", "-i", str(mp3), "-f", "null", "-"], capture_output=True, text=True, check=True)
    assert decoded.stderr == ""
    duration = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(mp3)],
                              capture_output=True, text=True, check=True)
    assert abs(float(duration.stdout) - 240) < 2
    assert recordings(podcast) == raw_before


def test_a_second_build_is_refused_while_one_runs_and_neither_spoils_the_other(podcast, tmp_path):
    release = tmp_path / "release"
    (podcast / EPISODE).write_text(front(title='"Construction concurrente"'), encoding="utf-8")
    first = subprocess.Popen([sys.executable, "-m", "pipeline", "-C", str(podcast), "build"],
                             env=hooked("wait@staged", release=release), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not Path(f"{release}.waiting").exists():
        assert first.poll() is None and time.monotonic() < deadline, first.stderr.read() if first.poll() is not None else "timeout"
        time.sleep(0.05)
    site_during = digest(podcast / "site")

    second = run_portevoix(podcast, "build")
    assert second.returncode == 1
    assert second.stderr.splitlines() == [
        "<folder>: another build or publish is running in this folder; wait for it to finish, then run the command again".replace("<folder>", str(podcast))
    ]
    assert digest(podcast / "site") == site_during
    # Deleting what looks like the lock does not let a second build in: the lock is the folder's own.
    for leftover in (podcast / CACHE).glob("*.lock"):
        leftover.unlink()
    third = run_portevoix(podcast, "build")
    assert third.returncode == 1 and third.stderr.splitlines() == second.stderr.splitlines()
    assert digest(podcast / "site") == site_during
    assert run_portevoix(podcast, "check").returncode == 0, "check only reads, it is never locked out"

    release.touch()
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    feed = feedparser.parse((podcast / "site" / "feed.xml").read_bytes())
    assert not feed.bozo and feed.entries[0].title == "Construction concurrente"
    assert run_portevoix(podcast, "build").returncode == 0, "the lock is released"


def test_the_lock_of_a_killed_build_does_not_block_the_next(podcast):
    killed = run_portevoix(podcast, "build", env=hooked("kill@validated"))
    assert killed.returncode == -signal.SIGKILL
    assert run_portevoix(podcast, "build").returncode == 0


KILLED_WRITER = """
import os, sys, time
from pathlib import Path
from pipeline.fsutil import writing_atomically
with writing_atomically(Path(sys.argv[1])) as out:
    out.write(b"half of a new version")
    out.flush()
    print("written", flush=True)
    time.sleep(60)
"""


def killed_while_writing(path: Path) -> None:
    """A real process killed (SIGKILL) inside fsutil.writing_atomically's block: its temporary stays behind."""
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None and writer.stdout.readline() == "written\n"
    writer.kill()
    writer.wait()


def test_the_temporaries_of_a_killed_build_are_removed_from_the_cache_only(podcast):
    """A build killed between writing a record and renaming it into place leaves a hidden temporary beside it;
    the next build removes those of the cache, and nothing of the podcast folder's own."""
    cache = podcast / CACHE
    records, item_folder = cache / "episode-records.txt", cache / "feed-items"
    (item,) = item_folder.glob("*.xml")
    episode = next(podcast.glob("episodes/*/episode.md"))
    kept = {path: path.read_bytes() for path in (records, item, episode)}
    for path in kept:
        killed_while_writing(path)
    left = {path: next(path.parent.glob(f".{path.name}.*")) for path in kept}
    running = cache / f".feed-cache.json.{os.getpid()}.1"  # a temporary of a process still running (this one)
    running.write_bytes(b"being written")

    result = run_portevoix(podcast, "build")
    assert result.returncode == 0, result.stderr
    assert not left[records].exists() and not left[item].exists()
    assert left[episode].read_bytes() == b"half of a new version"  # the podcast folder's own: not the build's to delete
    assert running.read_bytes() == b"being written"
    assert episode.read_bytes() == kept[episode]
    for path in kept:
        assert b"half of a new version" not in path.read_bytes()  # the killed writes never replaced anything
