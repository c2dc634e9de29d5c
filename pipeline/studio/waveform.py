"""The waveform editor of an episode: chapters, cuts, soundbites and the trim points placed on the recording.

`/episodes/<name>/waveform` is a form that works without a script: one row of time fields per chapter,
cut and soundbite, and the two trim points. With scripts, static/waveform.js draws the recording's
waveform with BBC's peaks.js (vendored in static/vendor/, see its README) from `/episodes/<name>/peaks.json`
(peaks, never the audio), plays it from `/episodes/<name>/recording` (HTTP Range requests), and places
markers by click or drag, by buttons that set a time at the playhead, or by keyboard seeking.

Saving writes the lists to episode.md through the round-trip writer (comments and key order kept), times as
"00:12:30.500" strings, each list sorted by start. The trim points are cuts that touch an end of the recording
(`cuts:` from 00:00:00, and up to the end): the loader and the audio stage already know them, so a file
written here reads the same in a text editor and in `portevoix check`. Problems are those of check, in its
words, next to the field they concern; a save that check would refuse is not written.
"""

from __future__ import annotations

import math
import mimetypes
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, jsonify, redirect, render_template, request, send_file
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from pipeline import textfmt
from pipeline.audio.waveform import WaveformError, cached_waveform
from pipeline.i18n import say
from pipeline.source.episode_meta import EpisodeMeta
from pipeline.source.episodes import EPISODE_FILE, after_the_end
from pipeline.source.fields import parse_timestamp
from pipeline.source.yamlio import YamlError, parse_yaml
from pipeline.studio import roundtrip
from pipeline.studio.folder import Opened, episode_problems, open_episode, recording_info
from pipeline.studio.forms import shown_value

EDITED = ("chapters", "cuts", "soundbites")
"""The lists of episode.md this page edits; problems elsewhere do not stop its save."""
END_SLACK = 0.05
"""A cut that ends this close to the end of the recording (or after it) is the trim at the end."""


def clock(seconds: float) -> str:
    """00:01:02 or 00:01:02.500: a time as episode.md writes it, to the tenth of a second."""
    return textfmt.clock(round(max(0.0, seconds), 1), textfmt.CHAPTER_EXACT)


def seconds_of(value: Any) -> float | None:
    """A time as the loader reads it (00:12:30, 12:30.5, a number), or typed as a plain number of seconds."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d+([.,]\d+)?\s*", value):
        return float(value.strip().replace(",", "."))
    return parse_timestamp(value)


@dataclass
class Row:
    """One marker of the form: a chapter, a cut, a soundbite or a trim point."""

    kind: str
    """chapter, cut, soundbite, trim-start or trim-end."""
    index: int | None
    """Its place (1-based) in its list (for a trim point, in `cuts:`), as problems name it; None for a new row."""
    values: dict[str, str]
    """Field name (start, end, title, duration) -> the text shown."""
    problems: dict[str, list[str]] = field(default_factory=dict)
    """Field name ("" for the row as a whole) -> check's messages."""
    origin: int | None = None
    """Its place in its list in episode.md as it is on disk (the form sends it back): `index`, unless a refused
    save shows a list that was not written."""

    @property
    def path(self) -> str:
        listed = {"chapter": "chapters", "soundbite": "soundbites"}.get(self.kind, "cuts")
        return f"{listed}[{self.index}]" if self.index else ""


@dataclass
class Markers:
    chapters: list[Row]
    cuts: list[Row]
    soundbites: list[Row]
    trim_start: Row
    trim_end: Row
    list_problems: dict[str, list[str]] = field(default_factory=dict)
    """chapters / cuts / soundbites -> messages about a list as a whole (two cuts overlap)."""
    other: list[tuple[str, str]] = field(default_factory=list)
    """Problems of episode.md this page does not show a field for (see the episode's form)."""

    def rows(self) -> list[Row]:
        return [*self.chapters, *self.cuts, *self.soundbites, self.trim_start, self.trim_end]

    def place(self, problems: list[tuple[str, str]]) -> None:
        by_path = {row.path: row for row in self.rows() if row.path}
        for where, message in problems:
            match = re.fullmatch(r"((chapters|cuts|soundbites)\[\d+\])(?:\.(\w+))?", where)
            if match and match.group(1) in by_path:
                by_path[match.group(1)].problems.setdefault(match.group(3) or "", []).append(message)
            elif where in EDITED:
                self.list_problems.setdefault(where, []).append(message)
            else:
                self.other.append((where, message))


def items(front: CommentedMap, key: str) -> list[Any]:
    value = front.get(key)
    return list(value) if isinstance(value, list) else []


def markers_of(front: CommentedMap, duration: float | None, origins: dict[int, int] | None = None) -> Markers:
    """The rows of the form for what `front` says (values as written). `origins`: id of each item -> its place
    in its list on disk, when `front` is a save that was refused (None: `front` is what is on disk)."""

    def text(item: Any, key: str) -> str:
        return shown_value(item.get(key)) if isinstance(item, dict) else ""

    def row(kind: str, index: int, item: Any, values: dict[str, str]) -> Row:
        origin = index if origins is None else origins.get(id(item))
        return Row(kind, index, values, origin=origin)

    chapters = [row("chapter", i, c, {"start": text(c, "start"), "title": text(c, "title")}) for i, c in enumerate(items(front, "chapters"), 1)]
    bites = [row("soundbite", i, b, {"start": text(b, "start"), "duration": text(b, "duration"), "title": text(b, "title")})
             for i, b in enumerate(items(front, "soundbites"), 1)]
    cuts, trim_start, trim_end = [], Row("trim-start", None, {"end": ""}), Row("trim-end", None, {"start": ""})
    for i, cut in enumerate(items(front, "cuts"), 1):
        start, end = (seconds_of(cut.get(k)) if isinstance(cut, dict) else None for k in ("start", "end"))
        if start == 0 and end is not None and trim_start.index is None:
            trim_start = row("trim-start", i, cut, {"end": text(cut, "end")})
        elif (duration and start and end is not None and end >= duration - END_SLACK and start < duration and trim_end.index is None):
            trim_end = row("trim-end", i, cut, {"start": text(cut, "start")})
        else:
            cuts.append(row("cut", i, cut, {"start": text(cut, "start"), "end": text(cut, "end")}))
    return Markers(chapters, cuts, bites, trim_start, trim_end)


def origins_of(front: CommentedMap) -> dict[int, int]:
    """id of each item of the edited lists -> its place in its list (1-based)."""
    return {id(item): i for key in EDITED for i, item in enumerate(items(front, key), 1)}


def form_rows(form: Any, prefix: str, names: tuple[str, ...]) -> list[tuple[int | None, dict[str, str]]]:
    """The rows a form sent for one list (fields `<prefix>-from`, `<prefix>-<name>`, one value per row, in order)."""
    columns = [form.getlist(f"{prefix}-{name}") for name in names]
    origins = form.getlist(f"{prefix}-from")
    rows = []
    for position, origin in enumerate(origins):
        values = {name: (column[position] if position < len(column) else "").strip() for name, column in zip(names, columns)}
        rows.append((int(origin) if origin.isdigit() else None, values))
    return rows


def time_value(old: Any, typed: str) -> Any:
    """What to write for a time field: the old value when the text is unchanged (its quotes kept), "00:12:30.5"
    for a time, the text as typed otherwise (the loader then says what is wrong, in check's words)."""
    if typed == shown_value(old):
        return old
    seconds = seconds_of(typed)
    return DoubleQuotedScalarString(clock(seconds)) if seconds is not None else typed


def plain_value(old: Any, typed: str, integer: bool = False) -> Any:
    if typed == shown_value(old):
        return old
    return int(typed) if integer and re.fullmatch(r"\d+", typed) else typed


def updated(original: list[Any], rows: list[tuple[int | None, dict[str, str]]], kinds: dict[str, str]) -> list[CommentedMap]:
    """The items of one list after the form: each row that is not empty, on its original item (its other
    keys and comments kept) or a new one, sorted by start (unreadable times last, in their order)."""
    made = []
    for origin, values in rows:
        if not any(values.values()):
            continue  # emptied: removed
        old = original[origin - 1] if origin and origin <= len(original) and isinstance(original[origin - 1], CommentedMap) else None
        item = old if old is not None else CommentedMap()
        for key, kind in kinds.items():
            typed = values.get(key, "")
            if not typed:
                item.pop(key, None)
            elif kind == "time":
                item[key] = time_value(item.get(key), typed)
            else:
                item[key] = plain_value(item.get(key), typed, integer=kind == "integer")
        made.append(item)
    def when(item: CommentedMap) -> tuple[bool, float]:
        seconds = seconds_of(item.get("start"))
        return seconds is None, seconds or 0.0

    return sorted(made, key=when)


def put_list(front: CommentedMap, key: str, new: list[CommentedMap]) -> None:
    """Set `front[key]` to `new` (in place when it was a list, so that its place and comments stay), or drop it."""
    old = front.get(key)
    if not new:
        front.pop(key, None)
    elif isinstance(old, CommentedSeq):
        if [id(i) for i in old] != [id(i) for i in new]:
            old[:] = new
    else:
        front[key] = CommentedSeq(new)


def apply_form(front: CommentedMap, form: Any, duration: float | None) -> None:
    """Write the markers the form sent into the round-trip front matter, in place."""
    old_cuts = items(front, "cuts")
    put_list(front, "chapters", updated(items(front, "chapters"), form_rows(form, "chapter", ("start", "title")),
                                        {"start": "time", "title": "text"}))
    put_list(front, "soundbites", updated(items(front, "soundbites"), form_rows(form, "soundbite", ("start", "duration", "title")),
                                          {"start": "time", "duration": "integer", "title": "text"}))
    cut_rows = form_rows(form, "cut", ("start", "end"))
    for origin, values in form_rows(form, "trim-start", ("end",)):
        if values["end"]:
            old = old_cuts[origin - 1] if origin and origin <= len(old_cuts) and isinstance(old_cuts[origin - 1], dict) else {}
            cut_rows.append((origin, {"start": shown_value(old.get("start")) if old else clock(0), "end": values["end"]}))
    for origin, values in form_rows(form, "trim-end", ("start",)):
        if values["start"]:
            old = old_cuts[origin - 1] if origin and origin <= len(old_cuts) and isinstance(old_cuts[origin - 1], dict) else {}
            kept_end = old and (seconds_of(old.get("end")) or 0) >= (duration or 0) - END_SLACK
            end = shown_value(old.get("end")) if kept_end else clock(math.ceil((duration or 0) * 10) / 10)
            cut_rows.append((origin, {"start": values["start"], "end": end}))
    put_list(front, "cuts", updated(old_cuts, cut_rows, {"start": "time", "end": "time"}))


def refusals(front_text: str, duration: float | None) -> list[tuple[str, str]]:
    """What check would say of the markers about to be saved (field, message): the schema's rules (order,
    overlaps, end before start, unreadable times) and times after the end of the recording."""
    try:
        data = parse_yaml(front_text, 2)
    except YamlError as exc:
        return [("", str(exc))]
    errors: list[tuple[str, str]] = []
    meta = EpisodeMeta.from_mapping(data, errors)
    if meta is not None and duration:
        errors += after_the_end(meta, duration)
    return [e for e in errors if e[0].split("[")[0].split(".")[0] in EDITED or not e[0]]


def blueprint(root: Path) -> Blueprint:
    """The waveform editor's routes, for the podcast folder `root` (registered by app.py)."""
    root = root.resolve()
    pages = Blueprint("waveform", __name__)
    computing = threading.Lock()  # one waveform computed at a time: a second tab waits for it, then reads the cache

    def refuse(status: int, message: str) -> Any:
        return render_template("refused.html", message=message), status

    @pages.route("/episodes/<name>/waveform", methods=["GET", "POST"])
    def editor(name: str) -> Any:
        found = open_episode(root, name)
        if not isinstance(found, Opened):
            return found
        folder, source, recording = found.folder, found.source, found.recording
        info = recording_info(root, recording) if recording else None
        duration = info.duration if info else None
        status, not_saved = 200, False
        if request.method == "POST":
            on_disk = origins_of(source.front)
            apply_form(source.front, request.form, duration)
            candidate = source.text()
            refused = refusals(roundtrip.dump_mapping(source.front), duration)
            if not refused:
                roundtrip.write_atomically(folder / EPISODE_FILE, candidate)
                return redirect(f"/episodes/{quote(name)}/waveform?saved=1", code=303)
            markers = markers_of(source.front, duration, on_disk)
            markers.place(refused)
            status, not_saved = 422, True
        else:
            markers = markers_of(source.front, duration)
            markers.place(episode_problems(root, folder))
        title = shown_value(source.front.get("title")) or name
        return render_template("waveform.html", name=name, title=title, markers=markers, duration=duration,
                               recording=recording is not None, saved=request.args.get("saved"), not_saved=not_saved,
                               clock=clock), status

    @pages.get("/episodes/<name>/peaks.json")
    def peaks(name: str) -> Any:
        found = open_episode(root, name)
        if not isinstance(found, Opened):
            return found
        recording = found.recording
        info = recording_info(root, recording) if recording else None
        if recording is None or info is None:
            return refuse(404, say("studio_no_recording"))
        with computing:
            try:
                return jsonify(cached_waveform(root, recording, info.duration, info.demuxer))
            except WaveformError as exc:
                return refuse(422, str(exc))

    @pages.get("/episodes/<name>/recording")
    def recording_file(name: str) -> Any:
        """The recording itself, for the player: Range requests answered (206) by Werkzeug's conditional send_file."""
        found = open_episode(root, name)
        if not isinstance(found, Opened):
            return found
        recording = found.recording
        if recording is None:
            return refuse(404, say("studio_no_recording"))
        kind = mimetypes.guess_type(recording.name)[0] or "application/octet-stream"
        answer: Response = send_file(recording, mimetype=kind, conditional=True, etag=True, max_age=0)
        answer.headers["Accept-Ranges"] = "bytes"
        return answer

    return pages
