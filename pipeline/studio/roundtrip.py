"""Reading and writing podcast.yaml and episode.md front matter with their comments and key order kept.

ruamel.yaml's round-trip mode keeps what a person wrote by hand (comments, key order, quoting of
untouched values), so that the studio and a text editor can be used on the same folder. Only the
keys whose value changed are touched; the show notes below the front matter are kept byte for byte
when they did not change.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from pipeline import fsutil
from pipeline.source.yamlio import YamlError, read_text


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold a long summary over several lines
    return yaml


def load_mapping(text: str) -> CommentedMap:
    """The round-trip mapping of a YAML text (an empty one for an empty text)."""
    try:
        data = _yaml().load(text)
    except Exception as exc:  # ruamel's errors have no common public base worth naming here
        raise YamlError(str(exc).splitlines()[0] if str(exc) else "not valid YAML") from None
    if data is None:
        return CommentedMap()
    if not isinstance(data, CommentedMap):
        raise YamlError("must be a mapping of 'key: value' lines")
    return data


def dump_mapping(data: CommentedMap) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


@dataclass
class EpisodeText:
    """An episode.md split into its round-trip front matter and the text after the closing `---`."""

    front: CommentedMap
    tail: str
    """Everything after the closing `---` line, as written (usually a blank line, then the notes)."""

    @property
    def notes(self) -> str:
        return self.tail.strip("\n")

    def with_notes(self, notes: str) -> EpisodeText:
        notes = notes.replace("\r\n", "\n").strip("\n")
        if notes == self.notes:
            return self
        return EpisodeText(self.front, notes + "\n" if notes else "")

    def text(self) -> str:
        return "---\n" + dump_mapping(self.front) + "---\n" + self.tail


def split_episode(text: str) -> EpisodeText:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise YamlError("line 1: the file must start with a line '---', then the episode's fields, then '---'")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return EpisodeText(load_mapping("\n".join(lines[1:index]) + "\n"), "\n".join(lines[index + 1 :]))
    raise YamlError("the fields are not closed by a line '---' before the show notes")


def read_episode(path: Path) -> EpisodeText:
    return split_episode(read_text(path))


def read_config(path: Path) -> CommentedMap:
    return load_mapping(read_text(path))


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` by `text` in one step (a reader sees the old file or the new one), keeping its mode."""
    fsutil.write_atomically(path, text, keep_mode=True)


def plain(value: Any) -> Any:
    """A round-trip value as plain dicts, lists and scalars, as the project's YAML loader gives them."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
