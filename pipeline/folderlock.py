"""The podcast folder's lock: one build or publish at a time, whatever is deleted meanwhile.

The lock is the kernel's (flock) on the podcast folder itself, not on a file
inside it: deleting `.cache/` or a lock file cannot let a second build in, and
a build that is killed releases the lock with its process.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class FolderBusy(Exception):
    """Another build or publish holds the podcast folder."""


@contextmanager
def podcast_folder_locked(root: Path) -> Iterator[None]:
    """Hold the lock of the podcast folder `root`; FolderBusy when another process holds it."""
    descriptor = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderBusy(str(root)) from None
        yield
    finally:
        os.close(descriptor)
