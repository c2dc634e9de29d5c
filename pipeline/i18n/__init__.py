"""The tool's own words in English and French, chosen from the user's locale.

French is chosen when the first of LANGUAGE, LC_ALL, LC_MESSAGES, LANG that is
set starts with "fr" (the order gettext uses); English otherwise. Messages are
declared once, by key, with their `{placeholders}`, in the table of their area;
code calls `say(key, **values)`. Only what users read is here: the command
line's own lines and the most common problems.

- `building`: check and build (their lines, warnings, the analysis of a recording, faults, identity);
- `problems`: what is wrong in a podcast folder (fields, files, recordings);
- `commands`: new, init, transcribe, serve, import, stats;
- `publishing`: publish, its plan, its targets' answers and the check of the live site;
- `studio`, `editors`: the studio's pages, and its transcript and waveform editors;
- `fields`: the studio's names of podcast.yaml and episode.md fields (`field_label`), their docs in French (`field_doc`);
- `cli_help`: the command line's help and argparse's words in French (`words`).
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Mapping

from pipeline.i18n.building import BUILDING
from pipeline.i18n.cli_help import ARGPARSE_FR, HELP_FR
from pipeline.i18n.commands import COMMANDS
from pipeline.i18n.editors import EDITORS
from pipeline.i18n.fields import FIELD_DOCS_FR, FIELD_LABELS
from pipeline.i18n.problems import PROBLEMS
from pipeline.i18n.publishing import PUBLISHING
from pipeline.i18n.studio import STUDIO

__all__ = ["AREAS", "ARGPARSE_FR", "FIELD_DOCS_FR", "FIELD_LABELS", "HELP_FR", "LANGUAGES", "MESSAGES",
           "field_doc", "field_label", "language", "said", "say", "unreadable", "words"]

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
LANGUAGES = ("en", "fr")

# Every area's table; a key belongs to one area only (tests/test_safety_inputs.py checks it).
AREAS: dict[str, dict[str, dict[str, str]]] = {
    "building": BUILDING, "problems": PROBLEMS, "commands": COMMANDS, "publishing": PUBLISHING, "studio": STUDIO, "editors": EDITORS,
}
MESSAGES: dict[str, dict[str, str]] = {key: texts for table in AREAS.values() for key, texts in table.items()}


def field_label(key: str) -> str:
    """What the studio calls the field `key` (its YAML key itself when it has no name yet)."""
    texts = FIELD_LABELS.get(key)
    return texts.get(language(), texts["en"]) if texts else key


def field_doc(doc: str) -> str:
    """A field's doc (the English of its schema) in the user's language, for the studio's help under the field."""
    return FIELD_DOCS_FR.get(doc, doc) if language() == "fr" else doc


def language(environ: Mapping[str, str] | None = None) -> str:
    """ "fr" or "en", from the first locale variable that is set (as gettext reads them)."""
    if environ is None:
        environ = os.environ
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            first = value.split(":")[0]
            return "fr" if first.lower().startswith("fr") else "en"
    return "en"


def say(key: str, **values: object) -> str:
    """The message `key` in the user's language, with its placeholders filled."""
    texts = MESSAGES[key]
    return texts.get(language(), texts["en"]).format(**values)


def said(key: str, line: str) -> bool:
    """Whether `line` starts with the message `key`, in either language, whatever its placeholders held
    (for the studio, which reads the lines of a command it ran in the user's language)."""
    for text in MESSAGES[key].values():
        pattern = "".join(re.escape(literal) + (".*?" if name is not None else "") for literal, name, _, _ in string.Formatter().parse(text))
        if re.match(pattern, line, re.DOTALL):
            return True
    return False


def unreadable(exc: OSError) -> str:
    """Why a file could not be read, in the user's words."""
    return say("unreadable", reason=(exc.strerror or str(exc)).lower())


def words(text: str) -> str:
    """A help text of the command line in the user's language."""
    return HELP_FR.get(text, text) if language() == "fr" else text
