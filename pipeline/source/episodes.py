"""Episodes as folders: `episodes/<slug>/episode.md`, read and validated.

An episode file is YAML front matter between two `---` lines, then the show
notes in Markdown. Everything is checked before anything is built, and every
problem is reported at once as `path: field: what is wrong`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import unicodedata
import stat
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from pipeline.plain import plain
from pipeline.fsutil import code_digest, write_atomically
from pipeline import presets
from pipeline.audio.identity_cache import IdentityCache
from pipeline.audio.edits import Edits, kept_segments
from pipeline.audio.probe import ProbeError, RecordingInfo, probe
from pipeline.source.config import PodcastConfig
from pipeline.source.episode_meta import EpisodeMeta, stamp_of
from pipeline.source.episode_records import EpisodeRecords
from pipeline.source import transcripts
from pipeline.errors import ProblemCollector
from pipeline.i18n import language, say, unreadable
from pipeline.media.cover_cache import checked_cover
from pipeline.source.fields import (
    first_invisible,
    load_fields,
)
from pipeline.source.yamlio import YamlError, parse_yaml, read_text

log = logging.getLogger(__name__)

EPISODES_DIR = "episodes"
EPISODE_FILE = "episode.md"


@dataclass
class Episode:
    slug: str
    folder: Path
    meta: EpisodeMeta
    notes: str
    recording: Path
    info: RecordingInfo
    published: dt.datetime
    preset: presets.Preset
    cover: Path | None = None
    transcript: Path | None = None
    intro: Path | None = None
    """This episode's own jingles (episode.md), when it names them."""
    outro: Path | None = None

    @property
    def source_file(self) -> Path:
        return self.folder / EPISODE_FILE

    @property
    def cuts(self) -> tuple[tuple[float, float], ...]:
        return tuple(sorted((c.start, c.end) for c in self.meta.cuts if c is not None))


def episode_edits(root: Path, config: PodcastConfig, episode: Episode) -> Edits:
    """The episode's cuts, and its jingles (its own, else the podcast's)."""
    intro = episode.intro or (root / config.intro if config.intro else None)
    outro = episode.outro or (root / config.outro if config.outro else None)
    return Edits(cuts=episode.cuts, intro=intro, outro=outro)


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens: "Débat à Bobigny!" -> "debat-a-bobigny"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")


def split_front_matter(text: str) -> tuple[str, str, int]:
    """(yaml, markdown, line where the yaml starts). Raises YamlError when there is no front matter."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise YamlError("line 1: the file must start with a line '---', then the episode's fields, then '---'")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]).strip() + "\n", 2
    raise YamlError("the fields are not closed by a line '---' before the show notes")


def inside(root: Path, candidate: Path) -> bool:
    """True when `candidate`, links resolved, stays within `root`.

    Below `root` without `..` nor any symbolic link on the way, it is inside without resolving anything
    (a few lstat calls instead of one per component of the whole path, twice)."""
    try:
        below = candidate.relative_to(root).parts
    except ValueError:
        below = ("..",)
    if ".." not in below:
        step = str(root)
        for part in below:
            step = os.path.join(step, part)
            if os.path.islink(step):
                break
        else:
            return True
    try:
        candidate.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def invisible_in_notes(text: str) -> str | None:
    """A problem when the file (so its show notes: YAML refuses these itself) holds a character
    no page or feed can carry (see fields.first_invisible)."""
    bad = first_invisible(text)
    if bad is None:
        return None
    line = text[: text.index(bad)].count("\n") + 1
    return say("line", line=line) + say("control_character", code=f"{ord(bad):#04x}")


def as_datetime(value: dt.date | dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(12, 0), tzinfo=tz)


def known_probe(recording: Path, known: IdentityCache) -> RecordingInfo:
    """The probe of `recording` (ffprobe and the decoded windows), made again only when the file changed."""
    return RecordingInfo(**known.fact(recording, "probe", lambda: plain(probe(recording))))


def load_episode(root: Path, folder: Path, config: PodcastConfig, problems: ProblemCollector, known: IdentityCache,
                 records: EpisodeRecords | None = None) -> Episode | None:
    """One episode folder, read in named steps; every problem goes to `problems`. None when it cannot be built.

    `records`: what earlier reads found (episode_records.py): an episode whose files are as when it was last read
    without a problem is taken from there; one read without a problem here is remembered there."""
    source = folder / EPISODE_FILE
    shown = source.relative_to(root).as_posix()
    text = None
    if records is not None:
        try:
            text = read_text(source)
        except (OSError, YamlError):
            pass  # said by read_episode
    kept = records.lookup(folder, text) if records is not None and text is not None else None
    if kept is not None and text is not None:
        return recorded_episode(root, folder, config, problems, known, kept, split_front_matter(text)[1])
    before = len(problems.problems)
    episode = read_episode(root, folder, config, problems, known, shown, text)
    if records is not None and text is not None and episode is not None and len(problems.problems) == before:
        records.keep(folder, episode.meta, text)
    return episode


def recorded_episode(root: Path, folder: Path, config: PodcastConfig, problems: ProblemCollector, known: IdentityCache,
                     meta: EpisodeMeta, notes: str) -> Episode | None:
    """The episode of a record (its fields as they were read) and its notes: its recording's probe (from the identity
    cache) and what depends on podcast.yaml are made as for an episode read afresh."""
    shown = (folder / EPISODE_FILE).relative_to(root).as_posix()
    files = {key: folder / getattr(meta, key) if getattr(meta, key) else None for key in NAMED_FILES}
    recording = files["recording"]
    assert recording is not None  # a record names only files that were there
    info = probe_recording(meta, recording, known, shown, problems)
    if info is None:
        return None
    times_within(meta, info, shown, problems)
    return assemble(folder, config, meta, notes, files, info)


def read_episode(root: Path, folder: Path, config: PodcastConfig, problems: ProblemCollector, known: IdentityCache,
                 shown: str, text: str | None = None) -> Episode | None:
    """One episode folder read from its files (see load_episode); `text`: episode.md's, when already read."""
    source = folder / EPISODE_FILE
    # 1. episode.md: its fields and its show notes.
    read = read_episode_file(source, shown, problems, known, text)
    if read is None:
        return None
    meta, notes, errors = read
    # 2. The files it names, inside its folder; 3. the cover and the transcript, readable.
    files = named_files(root, folder, meta, shown, problems)
    errors += cover_and_transcript_problems(meta, files, shown, problems, known)
    # 4. The recording, probed; 5. the chapters and cuts, within it.
    recording = files["recording"]
    info = probe_recording(meta, recording, known, shown, problems) if recording is not None else None
    if info is not None:
        times_within(meta, info, shown, problems)
    if errors or info is None or recording is None:
        return None
    return assemble(folder, config, meta, notes, files, info)


def assemble(folder: Path, config: PodcastConfig, meta: EpisodeMeta, notes: str, files: dict[str, Path | None],
             info: RecordingInfo) -> Episode:
    """The episode of what its folder holds: its fields, notes, files and recording, with podcast.yaml's settings."""
    recording = files["recording"]
    assert recording is not None
    return Episode(
        slug=slugify(folder.name),
        folder=folder,
        meta=meta,
        notes=notes,
        recording=recording,
        info=info,
        published=as_datetime(meta.date, config.tz),
        preset=episode_preset(meta, config),
        cover=files["cover"],
        transcript=files["transcript"],
        intro=files["intro"],
        outro=files["outro"],
    )


NAMED_FILES = ("recording", "cover", "transcript", "intro", "outro")
"""The fields of episode.md that name a file of the episode's folder."""


MEMO = "episode.md"
"""The name of episode.md's parsed front matter among the facts the identity cache keeps of the file."""


@cache
def _parser_version() -> str:
    """The digest of what parses episode.md and words its problems: these modules' source, PyYAML's version."""
    package = Path(__file__).resolve().parent.parent
    sources = [package / "source" / name for name in ("episodes.py", "yamlio.py", "fields.py")] + sorted((package / "i18n").glob("*.py"))
    return code_digest(f"PyYAML {yaml.__version__} {getattr(yaml, '__with_libyaml__', False)}", tuple(sources))


def parsed_episode_file(text: str) -> dict:
    """{"data": the front matter's values, "notes_problem": a control character in the file, or None},
    or {"error": why the front matter cannot be read}: the work done on episode.md's text alone."""
    try:
        front, _, first_line = split_front_matter(text)
        data = parse_yaml(front, first_line)
    except YamlError as exc:
        return {"error": str(exc)}
    return {"data": data, "notes_problem": invisible_in_notes(text)}


def well_formed(parsed: object) -> bool:
    """True when `parsed` has the shape `parsed_episode_file` gives."""
    if not isinstance(parsed, dict):
        return False
    if set(parsed) == {"error"}:
        return isinstance(parsed["error"], str)
    return set(parsed) == {"data", "notes_problem"} and isinstance(parsed["notes_problem"], (str, type(None)))


def memo_key(text: str) -> str:
    """What a kept parse of episode.md must have been made from: this text, this parser, this language."""
    return hashlib.sha256(f"{_parser_version()}\0{language()}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


def read_episode_file(source: Path, shown: str, problems: ProblemCollector, known: IdentityCache | None = None,
                      text_read: str | None = None) -> tuple[EpisodeMeta, str, list[tuple[str, str]]] | None:
    """(the fields, the show notes, the (field, message) errors found): None when episode.md cannot be read at all.

    The file is read every time (`text_read`: its text, when the caller has just read it); its parse is kept in
    `known` (by the file's identity, checked against the digest of its text and of the parser), so that an
    unchanged episode.md is not parsed again."""
    parts: dict[str, object] = {}

    def read() -> object:
        text = text_read if text_read is not None else read_text(source)
        if known is None:
            parsed = parsed_episode_file(text)
        else:
            parsed = known.remembered(source, MEMO, memo_key(text), lambda: parsed_episode_file(text), well_formed)
        if "error" in parsed:
            raise YamlError(parsed["error"])
        _, parts["notes"], _ = split_front_matter(text)
        parts["notes_problem"] = parsed.get("notes_problem")
        return parsed.get("data")

    meta, errors = load_fields(EpisodeMeta, shown, read, problems)
    if meta is None:
        return None
    notes_problem = parts["notes_problem"]
    if isinstance(notes_problem, str) and notes_problem:
        errors.append(("notes", notes_problem))
        problems.add(shown, notes_problem, "notes")
    notes = parts["notes"]
    assert isinstance(notes, str)
    return meta, notes, errors


def named_files(root: Path, folder: Path, meta: EpisodeMeta, shown: str, problems: ProblemCollector) -> dict[str, Path | None]:
    """{field: the file it names} for NAMED_FILES; None for a field not given, or naming what cannot be used."""
    files: dict[str, Path | None] = {}
    for key in NAMED_FILES:
        name = getattr(meta, key)
        files[key] = None
        if not name:
            continue
        path = folder / name
        if not inside(folder, path):
            problems.add(shown, say("leaves_folder", name=name, folder=say("episode_folder")), key)
        elif path.is_dir():
            problems.add(shown, say("is_a_folder", name=name), key)
        elif special_kind(path):
            problems.add(shown, say("not_a_regular_file", name=name, kind=special_kind(path)), key)
        elif not path.is_file():
            problems.add(shown, say("file_not_found", name=name, folder=folder.relative_to(root).as_posix() + "/"), key)
        else:
            files[key] = path
    return files


def cover_and_transcript_problems(meta: EpisodeMeta, files: dict[str, Path | None], shown: str,
                                  problems: ProblemCollector, known: IdentityCache | None = None) -> list[tuple[str, str]]:
    """A cover that pages and apps cannot use, a transcript that cannot be read: (field, message) each (`known`:
    remembers what checking a cover found, see cover_cache.checked_cover)."""
    errors = []
    if files["cover"] is not None:
        for message in checked_cover(files["cover"], known):
            errors.append(("cover", message))
            problems.add(shown, f'"{meta.cover}" {message}', "cover")
    if files["transcript"] is not None:
        try:
            transcripts.read(files["transcript"])
        except transcripts.TranscriptError as exc:
            errors.append(("transcript", str(exc)))
            problems.add(shown, f'"{meta.transcript}": {exc}', "transcript")
        except OSError as exc:
            errors.append(("transcript", str(exc)))
            problems.add(shown, f'"{meta.transcript}": ' + unreadable(exc), "transcript")
    return errors


def probe_recording(meta: EpisodeMeta, recording: Path, known: IdentityCache, shown: str, problems: ProblemCollector) -> RecordingInfo | None:
    """What ffprobe and the decoded windows say of the recording; None (and the problem said) when it is broken."""
    try:
        return known_probe(recording, known)
    except ProbeError as exc:
        problems.add(shown, f'"{meta.recording}": {exc}', "recording")
        return None


def times_within(meta: EpisodeMeta, info: RecordingInfo, shown: str, problems: ProblemCollector) -> None:
    """Chapters and cuts that start after the end of the recording are problems."""
    for where, message in after_the_end(meta, info.duration):
        problems.add(shown, message, where)


MIN_KEPT = 1.0
"""Seconds of the recording the cuts must leave at least."""


def after_the_end(meta: EpisodeMeta, duration: float) -> list[tuple[str, str]]:
    """(field, message) for each chapter or cut that starts after the end of a recording of `duration` seconds,
    and for cuts that leave nothing of it (the studio's waveform editor asks it of a save before writing it)."""
    found = []
    ranges = tuple((c.start, c.end) for c in meta.cuts if c is not None and c.start is not None and c.end is not None)
    if ranges and sum(end - start for start, end in kept_segments(0.0, duration, ranges)) < MIN_KEPT:
        found.append(("cuts", say("cuts_leave_nothing", duration=stamp_of(round(duration)))))
    for index, chapter in enumerate(meta.chapters, start=1):
        if chapter is not None and chapter.start is not None and chapter.start >= duration:
            found.append((f"chapters[{index}].start", say("after_the_end", start=stamp_of(chapter.start), duration=stamp_of(round(duration)))))
    for index, cut in enumerate(meta.cuts, start=1):
        if cut is not None and cut.start is not None and cut.start >= duration:
            found.append((f"cuts[{index}].start", say("after_the_end", start=stamp_of(cut.start), duration=stamp_of(round(duration)))))
    return found


def episode_preset(meta: EpisodeMeta, config: PodcastConfig) -> presets.Preset:
    """The loudness preset of the episode (its own, else the podcast's), with its leveler and repairs."""
    return presets.with_repairs(
        presets.with_leveler(presets.load(meta.audio_preset or config.audio_preset), meta.audio_leveler or config.audio_leveler),
        meta.audio_denoise or config.audio_denoise,
        meta.audio_declip if meta.audio_declip is not None else config.audio_declip,
    )


def special_kind(path: Path) -> str:
    """The words for what `path` is when it exists but is not a regular file nor a folder (a FIFO, a device), else ""."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return ""
    if stat.S_ISFIFO(mode):
        return say("kind_fifo")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return say("kind_device")
    if stat.S_ISSOCK(mode):
        return say("kind_socket")
    return ""


def load_episodes(root: Path, config: PodcastConfig, problems: ProblemCollector, known: IdentityCache,
                  records: EpisodeRecords | None = None) -> list[Episode]:
    """Every episode under `episodes/`, newest first. Problems are collected, not raised (`records`: see load_episode)."""
    base = root / EPISODES_DIR
    if not base.is_dir():
        problems.add(EPISODES_DIR, "folder not found (create it and one folder per episode inside)")
        return []
    episodes: list[Episode] = []
    slugs: dict[str, Path] = {}
    guids: dict[str, Path] = {}
    for folder in sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")):
        shown = (folder / EPISODE_FILE).relative_to(root).as_posix()
        if not inside(root, folder / EPISODE_FILE):
            problems.add(shown, say("leaves_folder", name=folder.name, folder=say("podcast_folder")))
            continue
        if not (folder / EPISODE_FILE).is_file():
            problems.add(folder.relative_to(root).as_posix(), say("no_episode_file", file=EPISODE_FILE))
            continue
        slug = slugify(folder.name)
        if not slug:
            problems.add(shown, say("empty_slug"))
            continue
        if slug in slugs:
            problems.add(shown, say("same_slug", slug=slug, other=slugs[slug].relative_to(root).as_posix()))
            continue
        slugs[slug] = folder
        episode = load_episode(root, folder, config, problems, known, records)
        if episode is None:
            continue
        if episode.meta.guid in guids:
            other = guids[episode.meta.guid].relative_to(root).as_posix()
            problems.add(shown, say("same_guid", other=other), "guid")
            continue
        guids[episode.meta.guid] = episode.source_file
        episodes.append(episode)
    episodes.sort(key=lambda e: (e.published, e.slug), reverse=True)
    return episodes


def set_fields(path: Path, values: dict[str, str]) -> None:
    """Set top-level fields of an episode file's front matter (simple `key: value` lines), atomically.

    A field already there has its line replaced; a new one goes just before the closing `---`.
    Everything else in the file stays as the user wrote it.
    """
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    closing = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    for key, value in values.items():
        line = f"{key}: {value}"
        found = next((i for i in range(1, closing) if re.match(rf"{re.escape(key)}\s*:", lines[i])), None)
        if found is None:
            lines.insert(closing, line)
            closing += 1
        else:
            lines[found] = line
    write_atomically(path, "\n".join(lines), keep_mode=True)
