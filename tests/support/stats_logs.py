"""Access logs whose right answer is known by construction, for the stats tests.

A `LogScript` writes requests as nginx/Apache combined lines (or S3 access log
lines) and keeps, beside them, the downloads they must make, worked out from the
scenario itself ("this client received 90 s of audio today: one download"), not
from the code under test. Byte counts come from the built files, measured with
ffprobe (duration, position of the first audio packet).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from support.cli import REPO

AGENT_LISTS = REPO / "pipeline" / "stats" / "user-agents"


def example_agent(kind: str, name: str) -> str:
    """A user agent the OPAWG list itself gives as an example of entry `name` in `kind` (bots, apps, browsers)."""
    data = json.loads((AGENT_LISTS / f"{kind}.json").read_text(encoding="utf-8"))
    for entry in data["entries"]:
        if entry["name"] == name and entry.get("examples"):
            return entry["examples"][0]
    raise KeyError(name)


@dataclass(frozen=True)
class Measured:
    """A published file as ffprobe sees it."""

    size: int
    header: int
    """Byte position of the first audio packet."""
    duration: float

    def seconds(self, seconds: float) -> int:
        """Bytes of the header plus `seconds` of audio."""
        return self.header + int((self.size - self.header) / self.duration * seconds)

    def audio(self, seconds: float) -> int:
        """Bytes of `seconds` of audio alone (a range from the middle)."""
        return int((self.size - self.header) / self.duration * seconds)


def measure(path: Path) -> Measured:
    def probe(*args: str) -> str:
        return subprocess.run(["ffprobe", "-v", "error", *args, str(path)], capture_output=True, text=True, check=True).stdout

    duration = float(probe("-show_entries", "format=duration", "-of", "csv=p=0").strip())
    first = probe("-select_streams", "a:0", "-show_entries", "packet=pos", "-read_intervals", "%+#1", "-of", "csv=p=0")
    header = int(first.strip().splitlines()[0].strip(","))
    return Measured(path.stat().st_size, header, duration)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def clf_time(when: dt.datetime) -> str:
    """10/Oct/2000:13:55:36 -0700, as nginx and Apache write it."""
    offset = when.strftime("%z")
    return f"{when.day:02d}/{MONTHS[when.month - 1]}/{when.year}:{when:%H:%M:%S} {offset}"


def combined(ip: str, when: dt.datetime, method: str, path: str, status: int, sent: int, agent: str) -> str:
    agent = agent.replace("\\", "\\\\").replace('"', '\\"')
    return f'{ip} - - [{clf_time(when)}] "{method} {path} HTTP/1.1" {status} {sent} "-" "{agent}"\n'


def s3_line(ip: str, when: dt.datetime, method: str, key: str, status: int, sent: int, agent: str) -> str:
    operation = f"REST.{method}.OBJECT"
    return (
        f"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be podcast-bucket [{clf_time(when)}] {ip} "
        f"arn:aws:iam::123456:user/x 3E57427F3EXAMPLE {operation} {key} \"{method} /podcast-bucket/{key} HTTP/1.1\" "
        f'{status} - {sent if sent else "-"} {sent} 70 10 "-" "{agent}" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= '
        "SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader podcast-bucket.s3.us-west-1.amazonaws.com TLSV1.2 - -\n"
    )


@dataclass
class LogScript:
    tz: dt.tzinfo
    lines: list[str] = field(default_factory=list)
    expected: Counter = field(default_factory=Counter)
    """(date in the podcast's timezone, episode, app) → downloads."""
    ips: set[str] = field(default_factory=set)
    agents: set[str] = field(default_factory=set)

    def request(self, ip: str, when: dt.datetime, path: str, sent: int, agent: str, *, method: str = "GET", status: int = 200, s3: bool = False) -> None:
        self.ips.add(ip)
        self.agents.add(agent)
        if s3:
            self.lines.append(s3_line(ip, when, method, path.lstrip("/"), status, sent, agent))
        else:
            self.lines.append(combined(ip, when, method, path, status, sent, agent))

    def download(self, when: dt.datetime, slug: str, app: str, count: int = 1) -> None:
        """Say that the requests written make `count` downloads of `slug` by `app`, on `when`'s day in the podcast's timezone."""
        self.expected[(when.astimezone(self.tz).date(), slug, app)] += count


def read_csv(path: Path) -> Counter:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["date", "episode", "app", "downloads"]
    return Counter({(dt.date.fromisoformat(d), slug, app): int(n) for d, slug, app, n in rows[1:]})
