"""Finding and running ffmpeg and ffprobe, the programs that do the heavy audio work."""

from __future__ import annotations

import logging
import shutil
import subprocess
from functools import cache

from pipeline.errors import PortevoixError

log = logging.getLogger(__name__)


@cache
def executable(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise PortevoixError(
            f"{name} not found: install it (on Debian or Ubuntu: sudo apt-get install ffmpeg), or run 'make demo' once"
        )
    return path


def run(args: list[str], *, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """Run ffmpeg/ffprobe (args[0] is the program's name), capturing its text output."""
    command = [executable(args[0]), *args[1:]]
    log.debug("running %s", " ".join(command))
    return subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=timeout, stdin=subprocess.DEVNULL)


FFMPEG_QUIET = ["-hide_banner", "-nostdin", "-nostats"]
