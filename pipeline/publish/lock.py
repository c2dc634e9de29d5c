"""One publish at a time: a lock in the podcast folder, and one on the target itself.

The folder lock also keeps a build from swapping `site/` while it is being sent.
The target lock is a `flock` held by a process on the target for as long as
the publish lives: when the publish dies, its pipe closes and the lock goes.
"""

from __future__ import annotations

import fcntl
import select
import subprocess
from contextlib import contextmanager
from pathlib import Path

from pipeline.audio.cache import CACHE_DIR
from pipeline.folderlock import FolderBusy, podcast_folder_locked
from pipeline.errors import PortevoixError
from pipeline.i18n import say


@contextmanager
def folder_lock(root: Path, target: str):
    """Held for the whole publish: no other publish to this target, no build, from this folder."""
    folder = root / CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"publish-{target}.lock").open("w") as publish:
        try:
            fcntl.flock(publish, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PortevoixError(say("publish_busy", where=target)) from None
        try:
            with podcast_folder_locked(root):
                yield
        except FolderBusy:
            raise PortevoixError(say("publish_build_running", root=root)) from None


LOCK_TIMEOUT = 120
"""Seconds the target may take to answer the lock command (an ssh that hangs is not waited for forever)."""
LOCK_SCRIPT = 'mkdir -p {base} && exec flock -n {base}/.publish.lock sh -c "echo locked; exec cat >/dev/null"'


@contextmanager
def held_on_target(command: list[str], what: str):
    """Run `command` (a shell on the target running LOCK_SCRIPT) and keep it alive while the publish runs."""
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdin and process.stdout and process.stderr  # all three are pipes
    ready, _, _ = select.select([process.stdout], [], [], LOCK_TIMEOUT)
    if not ready:
        process.kill()
        process.wait()
        raise PortevoixError(say("publish_lock_no_answer", where=what, seconds=LOCK_TIMEOUT))
    line = process.stdout.readline()
    if line.strip() != "locked":
        process.stdin.close()
        process.wait(timeout=30)
        error = process.stderr.read().strip()
        if process.returncode == 1 and not error:
            raise PortevoixError(say("publish_busy", where=what))
        raise LockFailed(error, process.returncode)
    try:
        yield
    finally:
        process.stdin.close()
        process.wait(timeout=30)


class LockFailed(Exception):
    """The lock command itself failed (the target explains why in `error`)."""

    def __init__(self, error: str, returncode: int):
        super().__init__(error)
        self.error = error
        self.returncode = returncode
