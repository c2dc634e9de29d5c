"""What a run leaves for the next one (stats/state.json): counts and reading positions, nothing about anyone.

- downloads of each closed day, as (date, episode, app) → count;
- the requests not counted, by reason;
- the closed days (a later run never counts them again);
- for each log file, known by a fingerprint of its first lines' times, requests and
  sizes (no address, no agent), the offset to read on from: the first line of a day
  still open, which the next run counts again whole, with a new key.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import PortevoixError, Problem
from pipeline.i18n import say

STATE_FILE = "state.json"
VERSION = 1


@dataclass
class State:
    timezone: str
    downloads: Counter = field(default_factory=Counter)
    """(date, episode slug, app) → downloads, closed days only."""
    excluded: Counter = field(default_factory=Counter)
    counted_days: set[dt.date] = field(default_factory=set)
    files: dict[str, int] = field(default_factory=dict)
    """Fingerprint → offset to resume reading at."""

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": VERSION,
                "timezone": self.timezone,
                "downloads": [[d.isoformat(), slug, app, n] for (d, slug, app), n in sorted(self.downloads.items())],
                "excluded": dict(sorted(self.excluded.items())),
                "counted_days": sorted(d.isoformat() for d in self.counted_days),
                "files": dict(sorted(self.files.items())),
            },
            indent=1,
            ensure_ascii=False,
        )


def load_state(folder: Path, timezone: str) -> State:
    path = folder / STATE_FILE
    if not path.is_file():
        return State(timezone)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != VERSION:
            raise ValueError(f"version {data.get('version')}")
        state = State(
            timezone=data["timezone"],
            downloads=Counter({(dt.date.fromisoformat(d), slug, app): int(n) for d, slug, app, n in data["downloads"]}),
            excluded=Counter({str(k): int(v) for k, v in data["excluded"].items()}),
            counted_days={dt.date.fromisoformat(d) for d in data["counted_days"]},
            files={str(k): int(v) for k, v in data["files"].items()},
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PortevoixError(Problem(str(path), say("stats_state_broken", reason=exc))) from None
    if state.timezone != timezone:
        raise PortevoixError(Problem(str(path), say("stats_state_timezone", was=state.timezone, now=timezone)))
    return state


