"""HTML forms generated from the schemas (PodcastConfig, EpisodeMeta), and form data written back.

Each `Field` of a schema becomes one widget named by its path in the file, the way problems name it
(`date`, `venue.name`, `speakers[2].role`), so that a problem from the loader lands next to the
widget it concerns. A nested mapping is a group of widgets; a list of mappings is one group per item
plus an empty one to add an item; a list of plain values is a text area, one value per line.

Writing back touches only what changed: a value shown as it was written is left alone (its quotes and
comments with it), an emptied field loses its key, and everything else keeps its place.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from pipeline.i18n import field_doc, field_label
from pipeline.source.fields import (
    Boolean,
    Choice,
    DateTime,
    Email,
    Field,
    Integer,
    ListOf,
    Nested,
    Schema,
    Text,
    Url,
)


@dataclass
class Widget:
    """One form control (or a group of them) for a schema field."""

    name: str
    """Path of the key in the file, as problems name it: title, venue.name, speakers[2].role."""
    key: str
    help: str
    kind: str
    """text, textarea, url, email, number, select, lines, group, items."""
    value: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    children: list[Widget] = field(default_factory=list)
    """A group's widgets; for items, one group per list item (the last one empty, to add one)."""
    problems: list[str] = field(default_factory=list)
    label: str = ""
    """What the page calls the field, in the user's language (pipeline/i18n/fields.py, field_label)."""

    @property
    def html_id(self) -> str:
        return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.name)


def shown_value(value: Any) -> str:
    """A value as a form shows it: dates in ISO form, booleans as true/false, nothing for absent."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def kind_of(spec: Field[Any]) -> str:
    if isinstance(spec, Boolean):
        return "select"
    if isinstance(spec, Choice):
        return "select"
    if isinstance(spec, Integer):
        return "number"
    if isinstance(spec, Url):
        return "url"
    if isinstance(spec, Email):
        return "email"
    if isinstance(spec, Text) and not spec.single_line:
        return "textarea"
    return "text"


def widgets(schema: type[Schema], data: Any, prefix: str = "", skip: tuple[str, ...] = (), notes: dict[str, str] | None = None) -> list[Widget]:
    """The widgets of `schema`, filled from the round-trip mapping `data` (values as written).

    Each is labelled in the user's language; its help is `notes[key]` when given (init's explanation of a
    podcast.yaml field, in French for a French user), else the field's doc in the user's language."""
    data = data if isinstance(data, dict) else {}
    notes = notes or {}
    made = []
    for key, spec in schema.fields.items():
        if key in skip:
            continue
        name = prefix + key
        raw = data.get(key)
        label = field_label(key)
        help = notes.get(key) or field_doc(spec.doc)
        if isinstance(spec, Nested):
            made.append(Widget(name, key, help, "group", children=widgets(spec.schema, raw, name + "."), label=label))
        elif isinstance(spec, ListOf) and not isinstance(spec.item, Field):
            items = list(raw) if isinstance(raw, list) else []
            groups = [Widget(f"{name}[{i}]", f"{key} {i}", "", "group", children=widgets(spec.item, item, f"{name}[{i}]."), label=f"{label} {i}")
                      for i, item in enumerate(items + [None], start=1)]
            made.append(Widget(name, key, help, "items", children=groups, label=label))
        elif isinstance(spec, ListOf):
            lines = [shown_value(v) for v in raw] if isinstance(raw, list) else ([] if raw is None else [shown_value(raw)])
            made.append(Widget(name, key, help, "lines", value="\n".join(lines), label=label))
        else:
            choices: tuple[str, ...] = ()
            if isinstance(spec, Boolean):
                choices = ("true", "false")
            elif isinstance(spec, Choice):
                choices = tuple(spec.choices)
            made.append(Widget(name, key, help, kind_of(spec), value=shown_value(raw), required=spec.required, choices=choices, label=label))
    return made


def place_problems(made: list[Widget], problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Attach each (field, message) to the widget of that field, or of its nearest enclosing group.

    Returns the problems no widget shows (about the file as a whole, or a key the form does not have)."""
    by_name: dict[str, Widget] = {}

    def index(group: list[Widget]) -> None:
        for widget in group:
            by_name[widget.name] = widget
            index(widget.children)

    index(made)
    left = []
    for where, message in problems:
        target = where
        while target and target not in by_name:
            target = re.sub(r"(\.[^.\[\]]*|\[\d+\])$", "", target) if re.search(r"(\.[^.\[\]]*|\[\d+\])$", target) else ""
        if target:
            by_name[target].problems.append(message)
        else:
            left.append((where, message))
    return left


def flagged(made: list[Widget]) -> list[Widget]:
    """Every widget that shows a problem, in the order of the form (for the summary at the top)."""
    found = []
    for widget in made:
        if widget.problems:
            found.append(widget)
        found.extend(flagged(widget.children))
    return found


def typed(spec: Field[Any], text: str) -> Any:
    """The YAML value to write for what was typed: numbers and booleans as such when they read so,
    everything else as text (the loader then says what is wrong with it, in check's words)."""
    if isinstance(spec, Boolean) and text in ("true", "false"):
        return text == "true"
    if isinstance(spec, Integer) and re.fullmatch(r"-?\d+", text):
        return int(text)
    if isinstance(spec, DateTime) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


def update(schema: type[Schema], data: CommentedMap, form: Any, prefix: str = "", skip: tuple[str, ...] = ()) -> None:
    """Write the submitted `form` (a mapping of widget names to text) into `data`, in place."""
    for key, spec in schema.fields.items():
        if key in skip:
            continue
        name = prefix + key
        if isinstance(spec, Nested):
            inner = data.get(key)
            if not isinstance(inner, CommentedMap):
                inner = CommentedMap()
            update(spec.schema, inner, form, name + ".")
            set_or_drop(data, key, inner if len(inner) else None)
        elif isinstance(spec, ListOf) and not isinstance(spec.item, Field):
            old = data.get(key)
            old_items = list(old) if isinstance(old, list) else []
            kept = CommentedSeq() if not isinstance(old, CommentedSeq) else old
            new_items = []
            index = 1
            while any(n.startswith(f"{name}[{index}].") for n in form):
                item = old_items[index - 1] if index <= len(old_items) and isinstance(old_items[index - 1], CommentedMap) else CommentedMap()
                update(spec.item, item, form, f"{name}[{index}].")
                if len(item):
                    new_items.append(item)
                index += 1
            if index == 1:
                continue  # the form did not show this list
            if [id(i) for i in new_items] != [id(i) for i in kept]:
                kept[:] = new_items
            set_or_drop(data, key, kept if len(kept) else None)
        elif isinstance(spec, ListOf):
            item_spec = spec.item
            assert isinstance(item_spec, Field)
            if name not in form:
                continue
            lines = [line.strip() for line in str(form[name]).replace("\r\n", "\n").split("\n") if line.strip()]
            before = data.get(key)
            if isinstance(before, list) and [shown_value(v) for v in before] == lines:
                continue
            set_or_drop(data, key, CommentedSeq(typed(item_spec, line) for line in lines) if lines else None)
        else:
            if name not in form:
                continue
            text = str(form[name]).replace("\r\n", "\n").strip()
            if text == shown_value(data.get(key)):
                continue
            set_or_drop(data, key, typed(spec, text) if text else None)


def set_or_drop(data: CommentedMap, key: str, value: Any) -> None:
    if value is None:
        if key in data:
            del data[key]
    elif data.get(key) is not value:
        data[key] = value
