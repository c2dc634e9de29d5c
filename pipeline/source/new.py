"""`portevoix new`: a new episode folder, with its permanent GUID, and a copy of the recording.

The original recording is copied, never moved or modified.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import uuid
from pathlib import Path

from pipeline.source.episodes import EPISODE_FILE, EPISODES_DIR, slugify
from pipeline.errors import PortevoixError

log = logging.getLogger(__name__)

TEMPLATE = """---
title: {title}
date: {date}
recording: {recording}
guid: {guid}
summary: ""
# speakers:            (who speaks, one per line)
#   - name: Prénom Nom
#     role: host       (host, guest, moderator, audience…)
# chapters:            (start times in the recording)
#   - start: "00:00:00"
#     title: Introduction
---
Notes de l'épisode, en Markdown.
"""


def yaml_string(text: str) -> str:
    """A YAML scalar that is read back exactly (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def new_episode(root: Path, title: str, recording: Path, date: dt.date | None = None) -> Path:
    if not title.strip():
        raise PortevoixError("new: the title is empty")
    if not recording.is_file():
        raise PortevoixError(f"{recording}: recording not found")
    date = date or dt.datetime.now().astimezone().date()  # today, where the user is
    slug = slugify(title)
    if not slug:
        raise PortevoixError(f'new: "{title}" gives an empty address; add letters or digits to the title')
    folder = root / EPISODES_DIR / f"{date.isoformat()}-{slug}"
    if folder.exists():
        raise PortevoixError(f"{folder.relative_to(root)}: already exists; choose another title or date")
    target_name = "enregistrement" + recording.suffix.lower()
    folder.mkdir(parents=True)
    try:
        shutil.copyfile(recording, folder / target_name)
        text = TEMPLATE.format(
            title=yaml_string(title.strip()),
            date=date.isoformat(),
            recording=target_name,
            guid=uuid.uuid4(),
        )
        (folder / EPISODE_FILE).write_text(text, encoding="utf-8")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    log.info("created %s", folder)
    return folder
