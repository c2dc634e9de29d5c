"""Who asked for the file: the OPAWG user-agents list (bots, apps, libraries, browsers).

The list is data, vendored in `user-agents/` beside this file with its source, date
and licence (SOURCE.json, LICENSE). `portevoix stats --refresh-agents` downloads the
newest one into the podcast's `stats/user-agents/`, which is then preferred to the
vendored copy. Matching follows the list's own rule: the files in the order bots,
apps, libraries, browsers; the first entry whose pattern matches names the agent.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PortevoixError, Problem
from pipeline.i18n import say

VENDORED = Path(__file__).with_name("user-agents")
KINDS = ("bots", "apps", "libraries", "browsers")
"""The list's files, in the order they are matched."""
SOURCE_URL = os.environ.get("PORTEVOIX_AGENTS_URL", "https://raw.githubusercontent.com/opawg/user-agents-v2/master/src/")
"""Where `--refresh-agents` downloads the files from (PORTEVOIX_AGENTS_URL points elsewhere, e.g. a mirror)."""
UNKNOWN = "?"
"""The app of a user agent that no entry names."""
CACHE_SIZE = 20_000


@dataclass(frozen=True)
class Agent:
    kind: str
    """bots, apps, libraries, browsers, or "" when the list does not know it."""
    name: str

    @property
    def is_bot(self) -> bool:
        return self.kind == "bots"


class AgentList:
    """The compiled list; `identify(user_agent)` is cached, since a log repeats a few agents over and over."""

    def __init__(self, entries: dict[str, list[tuple[str, str]]], source: dict[str, str]):
        self.source = source
        self._patterns = [(kind, name, re.compile(pattern)) for kind in KINDS for name, pattern in entries[kind]]
        self._cache: dict[str, Agent] = {}

    def identify(self, user_agent: str) -> Agent:
        found = self._cache.get(user_agent)
        if found is None:
            text = user_agent.replace("\n", "").replace("\r", "")
            found = next((Agent(kind, name) for kind, name, pattern in self._patterns if pattern.search(text)), Agent("", UNKNOWN))
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            self._cache[user_agent] = found
        return found

    @property
    def described(self) -> str:
        """One line for the report: which list, of when."""
        return f"{self.source.get('name', 'OPAWG user-agents-v2')}, {self.source.get('date', '?')} ({self.source.get('source', '')})"


def read_entries(folder: Path) -> dict[str, list[tuple[str, str]]]:
    """{kind: [(name, pattern)]} from the list's JSON files in `folder`; ValueError when one is not a valid list."""
    entries = {}
    for kind in KINDS:
        data = json.loads((folder / f"{kind}.json").read_text(encoding="utf-8"))
        pairs = [(str(entry["name"]), str(entry["pattern"])) for entry in data["entries"]]
        for _, pattern in pairs:
            re.compile(pattern)
        entries[kind] = pairs
    return entries


def load_agents(refreshed: Path | None = None) -> AgentList:
    """The refreshed copy in `refreshed` (a podcast's stats/user-agents/) when there is one, else the vendored list."""
    folder = refreshed if refreshed is not None and (refreshed / "SOURCE.json").is_file() else VENDORED
    source = json.loads((folder / "SOURCE.json").read_text(encoding="utf-8"))
    return AgentList(read_entries(folder), source)


def refresh_agents(into: Path, base_url: str = SOURCE_URL, timeout: float = 30.0) -> dict[str, str]:
    """Download the list's files from `base_url` into `into`, checked before the old copy is replaced.

    Offline (or any network failure): a PortevoixError that says so; the copy in use stays as it was."""
    downloaded: dict[str, bytes] = {}
    for kind in KINDS:
        url = f"{base_url}{kind}.json"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                downloaded[kind] = response.read()
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise PortevoixError(Problem(url, say("agents_offline", reason=reason, date=load_agents(into).source.get("date", "?")))) from None
    into.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".user-agents.", dir=into.parent))
    try:
        for kind, data in downloaded.items():
            (staging / f"{kind}.json").write_bytes(data)
        try:
            read_entries(staging)
        except (ValueError, KeyError, TypeError, re.error) as exc:
            raise PortevoixError(Problem(base_url, say("agents_invalid", reason=exc))) from None
        source = {
            "name": "OPAWG user-agents-v2",
            "source": base_url,
            "date": dt.datetime.now(dt.timezone.utc).date().isoformat(),
            "licence": "MIT (Copyright (c) 2022 Open Podcast Analytics Working Group), see LICENSE beside this file",
        }
        (staging / "SOURCE.json").write_text(json.dumps(source, indent=2) + "\n", encoding="utf-8")
        (staging / "LICENSE").write_bytes((VENDORED / "LICENSE").read_bytes())
        if into.exists():
            for old in into.iterdir():
                old.unlink()
            into.rmdir()
        os.replace(staging, into)
    finally:
        if staging.exists():
            for leftover in staging.iterdir():
                leftover.unlink()
            staging.rmdir()
    return source
