"""Episodes as folders: `episodes/<slug>/episode.md`, read and validated.

An episode file is YAML front matter between two `---` lines, then the show
notes in Markdown. Everything is checked before anything is built, and every
problem is reported at once as `path: field: what is wrong`.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
import stat
from dataclasses import asdict, dataclass
from itertools import pairwise
from pathlib import Path

from pipeline.fsutil import write_atomically
from pipeline import presets
from pipeline.audio.identity_cache import IdentityCache
from pipeline.audio.edits import Edits
from pipeline.audio.probe import ProbeError, RecordingInfo, probe
from pipeline.source.config import PodcastConfig
from pipeline.source import transcripts
from pipeline.errors import ProblemCollector
from pipeline.i18n import say, unreadable
from pipeline.media.images import cover_problems
from pipeline.source.fields import (
    Boolean,
    Choice,
    DateTime,
    Integer,
    ListOf,
    Nested,
    RelativePath,
    Schema,
    Text,
    Timestamp,
    Url,
    first_invisible,
    load_fields,
)
from pipeline.source.yamlio import YamlError, parse_yaml, read_text

log = logging.getLogger(__name__)

EPISODES_DIR = "episodes"
EPISODE_FILE = "episode.md"
TRANSCRIPT_STATUSES = ("draft", "reviewed")
ROLES = ("host", "co-host", "guest", "moderator", "speaker", "panelist", "audience", "producer", "editor", "sound engineer")


class Venue(Schema):
    name = Text(required=True, max_length=128, doc="Name of the place where the debate was recorded.")
    address = Text(doc="Street address of the venue.")
    geo = Text(doc="Latitude,longitude of the venue, e.g. 45.4225,4.4073.")
    osm = Text(doc="OpenStreetMap object, e.g. W123456.")

    def validate(self, errors, prefix):
        if self.geo and not re.fullmatch(r"-?\d{1,2}(\.\d+)?,\s*-?\d{1,3}(\.\d+)?", self.geo):
            errors.append((prefix + "geo", f'"{self.geo}" is not latitude,longitude (write 45.4225,4.4073)'))


class Speaker(Schema):
    name = Text(required=True, max_length=128, doc="Name of the speaker.")
    role = Choice(ROLES, default="guest", doc="Role in the debate: " + ", ".join(ROLES) + ".")
    group = Text(default="cast", doc="Podcasting 2.0 group of the role (cast, writing, audio post-production…).")
    url = Url(doc="A page about the speaker.")
    img = Url(doc="A picture of the speaker.")


class Chapter(Schema):
    start = Timestamp(required=True, doc="When the chapter starts in the recording, e.g. 00:12:30.")
    title = Text(required=True, max_length=255, doc="Title of the chapter.")
    url = Url(doc="A link shown with the chapter.")
    speaker = Text(max_length=128, doc="Who speaks during this chapter (one of the speakers): the transcript's cues carry the name.")


class Turn(Schema):
    start = Timestamp(required=True, doc="When the speaker starts speaking, in the recording, e.g. 00:12:30.")
    speaker = Text(required=True, max_length=128, doc="Who speaks from then on (one of the speakers).")


class Cut(Schema):
    start = Timestamp(required=True, doc="Where the removed range starts in the recording, e.g. 00:41:10.")
    end = Timestamp(required=True, doc="Where it ends (the published audio resumes there), e.g. 00:52:00.")


class Soundbite(Schema):
    start = Timestamp(required=True, doc="When the soundbite starts in the recording.")
    duration = Integer(required=True, minimum=1, doc="Length of the soundbite, in seconds.")
    title = Text(max_length=128, doc="What is said in it.")


class EpisodeMeta(Schema):
    title = Text(required=True, max_length=255, doc="Title of the episode.")
    date = DateTime(required=True, doc="Date of the recording or publication: 2024-03-20 or 2024-03-20T18:30:00+01:00.")
    recording = RelativePath(required=True, doc="File name of the raw recording in the episode folder.")
    guid = Text(required=True, max_length=255, doc="Permanent identifier given when the episode was created; never change it.")
    summary = Text(default="", single_line=False, max_length=4000, doc="One or two sentences, plain text.")
    venue = Nested(Venue, doc="Where it was recorded (name:, address:, geo:).")
    speakers = ListOf(Speaker, doc="Who speaks, with their role.")
    chapters = ListOf(Chapter, doc="Chapters, with start times in ascending order.")
    soundbites = ListOf(Soundbite, doc="Short highlights (start:, duration:, title:).")
    season = Integer(minimum=1, doc="Season number.")
    episode = Integer(minimum=1, doc="Episode number.")
    episode_type = Choice(("full", "trailer", "bonus"), default="full", doc="full, trailer or bonus.")
    explicit = Boolean(doc="Explicit content; defaults to the podcast's setting.")
    cover = RelativePath(doc="Cover image of this episode (square JPEG or PNG), otherwise the podcast's.")
    transcript = RelativePath(doc="Transcript file (WebVTT .vtt or SubRip .srt) in the episode folder.")
    transcript_status = Choice(TRANSCRIPT_STATUSES, doc="draft: written by speech recognition, not yet read by a person (pages and feed say so); reviewed: corrected by a person. 'portevoix transcribe' writes draft; a transcript without it is taken as written by people.")
    turns = ListOf(Turn, doc="Who speaks when (start:, speaker:), in order: the transcript's cues carry the names.")
    audio_preset = Choice(presets.names(), doc="Loudness preset for this episode, otherwise the podcast's.")
    audio_leveler = presets.LevelerChoice(doc="Speech leveler for this episode (off, gentle, strong), otherwise the podcast's.")
    audio_denoise = presets.DenoiseChoice(doc="Room noise reduction for this episode (off, light, medium), otherwise the podcast's.")
    audio_declip = Boolean(doc="Repair clipped stretches of this episode's recording, otherwise as the podcast says.")
    cuts = ListOf(Cut, doc="Ranges removed from the published audio (start:, end:), e.g. the break; joined with a short crossfade. Chapters, transcript and soundbites move with them.")
    intro = RelativePath(doc="A jingle before this episode (audio file in the episode folder), instead of the podcast's.")
    outro = RelativePath(doc="A jingle after this episode, instead of the podcast's.")
    license = Text(doc="Licence of this episode, otherwise the podcast's.")
    discussion = Url(doc="Address of the public post where this debate is discussed (Mastodon or another fediverse server): shown on the page, and in the feed as podcast:socialInteract.")

    def validate(self, errors, prefix):
        starts = [c.start for c in self.chapters if c is not None and c.start is not None]
        for index, (before, after) in enumerate(pairwise(starts), start=2):
            if after <= before:
                errors.append((f"{prefix}chapters[{index}].start", "is not after the previous chapter's start"))
        turn_starts = [t.start for t in self.turns if t is not None and t.start is not None]
        for index, (before, after) in enumerate(pairwise(turn_starts), start=2):
            if after <= before:
                errors.append((f"{prefix}turns[{index}].start", "is not after the previous turn's start"))
        names = {s.name for s in self.speakers if s is not None}
        if names:
            marked = [(f"turns[{i}]", t.speaker) for i, t in enumerate(self.turns, start=1) if t is not None]
            marked += [(f"chapters[{i}]", c.speaker) for i, c in enumerate(self.chapters, start=1) if c is not None]
            for where, name in marked:
                if name and name not in names:
                    errors.append((f"{prefix}{where}.speaker", f'"{name}" is not one of the speakers ({", ".join(sorted(names))})'))
        cuts = [c for c in self.cuts if c is not None and c.start is not None and c.end is not None]
        for index, cut in enumerate(self.cuts, start=1):
            if cut is not None and cut.start is not None and cut.end is not None and cut.end <= cut.start:
                errors.append((f"{prefix}cuts[{index}].end", "is not after its start"))
        for before, after in pairwise(sorted(cuts, key=lambda c: c.start)):
            if after.start < before.end:
                errors.append((f"{prefix}cuts", f"two ranges overlap ({stamp_of(before.start)}-{stamp_of(before.end)} and "
                                                f"{stamp_of(after.start)}-{stamp_of(after.end)}): join them into one"))
        if self.transcript_status and not self.transcript:
            errors.append((prefix + "transcript_status", "is set but there is no transcript: field (name the file, or remove this line)"))
        if self.guid and (any(c.isspace() for c in self.guid)):
            errors.append((prefix + "guid", "must not contain spaces"))


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


def stamp_of(seconds: float) -> str:
    """00:41:10 (or 00:41:10.5): how a time is written in episode.md."""
    minutes, rest = divmod(seconds, 60)
    hours, minutes = divmod(int(minutes), 60)
    return f"{hours:02d}:{minutes:02d}:{rest:02.0f}" if rest == int(rest) else f"{hours:02d}:{minutes:02d}:{rest:04.1f}"


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
    """True when `candidate`, links resolved, stays within `root`."""
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
    return RecordingInfo(**known.fact(recording, "probe", lambda: asdict(probe(recording))))


def load_episode(root: Path, folder: Path, config: PodcastConfig, problems: ProblemCollector, known: IdentityCache) -> Episode | None:
    source = folder / EPISODE_FILE
    shown = source.relative_to(root).as_posix()
    parts: dict[str, str] = {}

    def read() -> object:
        parts["text"] = read_text(source)
        front, parts["notes"], first_line = split_front_matter(parts["text"])
        return parse_yaml(front, first_line)

    meta, errors = load_fields(EpisodeMeta, shown, read, problems)
    if meta is None:
        return None
    text, notes = parts["text"], parts["notes"]
    notes_problem = invisible_in_notes(text)
    if notes_problem:
        errors.append(("notes", notes_problem))
        problems.add(shown, notes_problem, "notes")

    files: dict[str, Path | None] = {}
    for key in ("recording", "cover", "transcript", "intro", "outro"):
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
    if files["cover"] is not None:
        for message in cover_problems(files["cover"]):
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

    info = None
    if files["recording"] is not None:
        try:
            info = known_probe(files["recording"], known)
        except ProbeError as exc:
            problems.add(shown, f'"{meta.recording}": {exc}', "recording")
    if info is not None:
        for where, message in after_the_end(meta, info.duration):
            problems.add(shown, message, where)
    if errors or info is None or files["recording"] is None:
        return None
    return Episode(
        slug=slugify(folder.name),
        folder=folder,
        meta=meta,
        notes=notes,
        recording=files["recording"],
        info=info,
        published=as_datetime(meta.date, config.tz),
        preset=presets.with_repairs(
            presets.with_leveler(presets.load(meta.audio_preset or config.audio_preset), meta.audio_leveler or config.audio_leveler),
            meta.audio_denoise or config.audio_denoise,
            meta.audio_declip if meta.audio_declip is not None else config.audio_declip,
        ),
        cover=files["cover"],
        transcript=files["transcript"],
        intro=files["intro"],
        outro=files["outro"],
    )


def after_the_end(meta: EpisodeMeta, duration: float) -> list[tuple[str, str]]:
    """(field, message) for each chapter or cut that starts after the end of a recording of `duration` seconds."""
    found = []
    for index, chapter in enumerate(meta.chapters, start=1):
        if chapter is not None and chapter.start is not None and chapter.start >= duration:
            found.append((f"chapters[{index}].start", f"starts at {chapter.start:.0f} s, after the end of the recording ({duration:.0f} s)"))
    for index, cut in enumerate(meta.cuts, start=1):
        if cut is not None and cut.start is not None and cut.start >= duration:
            found.append((f"cuts[{index}].start", f"starts at {stamp_of(cut.start)}, after the end of the recording ({stamp_of(round(duration))})"))
    return found


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


def load_episodes(root: Path, config: PodcastConfig, problems: ProblemCollector, known: IdentityCache) -> list[Episode]:
    """Every episode under `episodes/`, newest first. Problems are collected, not raised."""
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
            problems.add(folder.relative_to(root).as_posix(), f"has no {EPISODE_FILE} (create one with 'portevoix new')")
            continue
        slug = slugify(folder.name)
        if not slug:
            problems.add(shown, "the folder name gives an empty address: rename the folder with letters or digits")
            continue
        if slug in slugs:
            problems.add(shown, f'the folder gives the same address "{slug}" as {slugs[slug].relative_to(root).as_posix()}/')
            continue
        slugs[slug] = folder
        episode = load_episode(root, folder, config, problems, known)
        if episode is None:
            continue
        if episode.meta.guid in guids:
            other = guids[episode.meta.guid].relative_to(root).as_posix()
            problems.add(shown, f"is the same as in {other}: each episode needs its own (run 'portevoix new')", "guid")
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
