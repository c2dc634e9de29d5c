"""`portevoix new`: a new episode folder, with its permanent GUID, and a copy of the recording.

The original recording is only read: it is probed (its real duration goes into a comment) and
copied, never moved or modified.

The `episode.md` it writes holds the required fields, then optional ones commented out. Each
commented field is valid YAML once its leading "# " is removed, as it is; the explanations are
on comment lines of their own, starting with a capital letter, so that they stay comments.
The show notes are a placeholder that `check` reports until it is replaced.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import uuid
from pathlib import Path

from pipeline.textfmt import CHAPTER, clock
from pipeline.audio.probe import ProbeError, probe
from pipeline.source.config import CONFIG_FILE
from pipeline.source.episodes import EPISODE_FILE, EPISODES_DIR, slugify
from pipeline.errors import PortevoixError, Problem
from pipeline.i18n import language, say

log = logging.getLogger(__name__)

SKELETON = {
    "fr": """---
title: {title}
date: {date}
recording: {recording}
# Identifiant permanent de l'épisode pour les applications : ne le changez jamais.
guid: {guid}
# Une ou deux phrases sur le débat, en texte simple.
summary: ""
# Retirez le « # » des lignes qui vous servent ; les explications restent des commentaires.
# Où le débat a été enregistré :
# venue: {{name: "Salle des fêtes", address: "1 place de la Mairie, 42000 Saint-Étienne"}}
# Qui parle (role : host, co-host, guest, moderator, speaker, panelist, audience) :
# speakers:
#   - {{name: "Prénom Nom", role: host}}
#   - {{name: "Prénom Nom de l'invitée", role: guest}}
# Chapitres : où chacun commence dans l'enregistrement, qui dure {duration} (heures:minutes:secondes).
# chapters:
#   - {{start: "00:00:00", title: "Introduction"}}
# Numéros de saison et d'épisode, si le podcast en a :
# season: 1
# episode: 1
---
{placeholder}
""",
    "en": """---
title: {title}
date: {date}
recording: {recording}
# The episode's permanent identity for podcast apps: never change it.
guid: {guid}
# One or two sentences about the debate, plain text.
summary: ""
# Remove the "# " of the lines you need; the explanations stay comments.
# Where the debate was recorded:
# venue: {{name: "Community hall", address: "1 Town Hall Square, Springfield"}}
# Who speaks (role: host, co-host, guest, moderator, speaker, panelist, audience):
# speakers:
#   - {{name: "First Last", role: host}}
#   - {{name: "Guest Name", role: guest}}
# Chapters: where each starts in the recording, which lasts {duration} (hours:minutes:seconds).
# chapters:
#   - {{start: "00:00:00", title: "Introduction"}}
# Season and episode numbers, if the podcast has them:
# season: 1
# episode: 1
---
{placeholder}
""",
}

PLACEHOLDER_NOTES = {
    "fr": "Notes de l'épisode, en Markdown : remplacez ce paragraphe par le déroulé du débat, les intervenants et les liens utiles.",
    "en": "Show notes, in Markdown: replace this paragraph with what the debate was about, who spoke and useful links.",
}
"""The notes `new` writes; `check` says an episode whose notes still hold one of them is unfinished."""


def yaml_string(text: str) -> str:
    """A YAML scalar that is read back exactly (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def episode_skeleton(title: str, date: dt.date, recording: str, duration: float, guid: str, lang: str | None = None) -> str:
    """The text of a new `episode.md`, with explanations in `lang` (the user's language by default)."""
    lang = lang if lang in SKELETON else language()
    return SKELETON[lang].format(
        title=yaml_string(title),
        date=date.isoformat(),
        recording=recording,
        guid=guid,
        duration=clock(duration, CHAPTER),
        placeholder=PLACEHOLDER_NOTES[lang],
    )


def new_episode(root: Path, title: str, recording: Path, date: dt.date | None = None) -> Path:
    if not (root / CONFIG_FILE).is_file():
        raise PortevoixError(Problem(CONFIG_FILE, say("new_no_podcast", root=root)))
    if not title.strip():
        raise PortevoixError("new: the title is empty")
    if not recording.is_file():
        raise PortevoixError(f"{recording}: recording not found")
    try:
        info = probe(recording, decode=False)
    except ProbeError as exc:
        raise PortevoixError(Problem(str(recording), str(exc))) from None
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
        text = episode_skeleton(title.strip(), date, target_name, info.duration, str(uuid.uuid4()))
        (folder / EPISODE_FILE).write_text(text, encoding="utf-8")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    log.info("created %s", folder)
    return folder
