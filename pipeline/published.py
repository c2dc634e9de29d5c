"""The record of what has been published: every episode GUID, with its addresses.

`published.json` lives in the podcast folder and is meant to be committed with
the episodes. It remembers, for each GUID, every slug and enclosure URL it has
had, so that a renamed episode can leave a redirect at its old address and the
build can refuse what would break podcast apps.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

RECORD_FILE = "published.json"


@dataclass
class PublishedEpisode:
    guid: str
    slugs: list[str] = field(default_factory=list)
    """Every slug the episode has had, oldest first; the last is the current one."""
    enclosures: list[str] = field(default_factory=list)
    """Every enclosure URL announced for it, oldest first."""


def load_record(root: Path) -> dict[str, PublishedEpisode]:
    path = root / RECORD_FILE
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {guid: PublishedEpisode(guid=guid, **entry) for guid, entry in data.get("episodes", {}).items()}


def remember(record: dict[str, PublishedEpisode], guid: str, slug: str, enclosure: str) -> None:
    entry = record.setdefault(guid, PublishedEpisode(guid=guid))
    if not entry.slugs or entry.slugs[-1] != slug:
        if slug in entry.slugs:
            entry.slugs.remove(slug)
        entry.slugs.append(slug)
    if enclosure not in entry.enclosures:
        entry.enclosures.append(enclosure)


def save_record(root: Path, record: dict[str, PublishedEpisode]) -> None:
    """Write the record atomically, sorted, so that its diffs are readable in git."""
    data = {"episodes": {guid: {k: v for k, v in asdict(e).items() if k != "guid"} for guid, e in sorted(record.items())}}
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    path = root / RECORD_FILE
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    handle, temporary = tempfile.mkstemp(prefix=".published.", dir=root)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)
