"""Named points where the fault tests stop a build or a publish: one mechanism, one variable.

The environment variable PORTEVOIX_TEST_HOOK (tests only) holds comma-separated actions:

- `kill@POINT`: the process kills itself with SIGKILL when it reaches POINT;
- `wait@POINT`: it pauses at POINT (touching `<release>.waiting`) until the file named by
  PORTEVOIX_TEST_RELEASE exists;
- `hold@POINT`: it says `portevoix: holding at POINT` on stderr and waits until the test kills it;
- `no-exchange`: the site writer swaps folders with two renames, as on systems without renameat2.

Points of a build (`build.py`, `site/writer.py`): validated, audio, rendered (every file made, none written), writing,
staged, retired, committed.
Points of a publish (`publish/`): media (some media sent, not all), pages (media sent and verified, no
page yet), feed (the feed is being written). When the variable is unset, as in every real run, nothing
happens. This module imports nothing heavy: the build stamp reads it before loading the stages.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from pathlib import Path

log = logging.getLogger(__name__)

VARIABLE = "PORTEVOIX_TEST_HOOK"
RELEASE_VARIABLE = "PORTEVOIX_TEST_RELEASE"
BUILD_POINTS = ("validated", "audio", "rendered", "writing", "staged", "retired", "committed")
PUBLISH_POINTS = ("media", "pages", "feed")


def actions() -> list[str]:
    return [a for a in os.environ.get(VARIABLE, "").split(",") if a]


def active() -> bool:
    """Whether a test asked for anything (a build then never skips a step)."""
    return bool(actions())


def flag(name: str) -> bool:
    """A plain switch such as `no-exchange`."""
    return name in actions()


def holding(point: str) -> bool:
    """Whether the process will hold at `point` (a step may then stop half-way to let the test see it)."""
    return f"hold@{point}" in actions()


def reach(point: str) -> None:
    """The process is at `point`: do what the test asked there, if anything."""
    log.debug("reached %s", point)
    wanted = actions()
    if f"kill@{point}" in wanted:
        log.debug("test hook: killing the process at %s", point)
        os.kill(os.getpid(), signal.SIGKILL)
    if f"wait@{point}" in wanted:
        release = Path(os.environ[RELEASE_VARIABLE])
        Path(f"{release}.waiting").touch()
        while not release.exists():
            time.sleep(0.05)
    if f"hold@{point}" in wanted:
        print(f"portevoix: holding at {point}", file=sys.stderr, flush=True)
        while True:
            time.sleep(1)
