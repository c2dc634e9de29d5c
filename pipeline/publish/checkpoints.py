"""Named points of a publish, where fault tests stop it deterministically.

When the environment variable PORTEVOIX_PUBLISH_HOLD names a point, the publish
says so on stderr when it gets there and waits, so that a test can kill it at
exactly that moment. Points: `media` (some media sent, not all), `pages`
(media sent and verified, no page yet), `feed` (the feed is being written).
"""

from __future__ import annotations

import logging
import os
import sys
import time

log = logging.getLogger(__name__)

HOLD_VARIABLE = "PORTEVOIX_PUBLISH_HOLD"
POINTS = ("media", "pages", "feed")


def holding(point: str) -> bool:
    return os.environ.get(HOLD_VARIABLE) == point


def checkpoint(point: str) -> None:
    log.debug("publish reached %s", point)
    if holding(point):
        print(f"portevoix: holding at {point}", file=sys.stderr, flush=True)
        while True:
            time.sleep(1)
