"""Files the feed points to, beside each episode's media: JSON chapters and transcripts.

Times written by the user are times in the raw recording; what is published
must match the published audio, so every time goes through
`media.built.BuiltEpisode.published_time` (dead air cut at the start moves everything back).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache, partial
from typing import TYPE_CHECKING
from pathlib import Path

from pipeline import paths
from pipeline.source import transcripts
from pipeline.source.cues import DRAFT_NOTICE, stamp, to_srt, to_text, to_vtt
from pipeline.errors import PortevoixError, Problem
from pipeline.fsutil import code_digest
from pipeline.audio import moves_time
from pipeline.media.built import BuiltEpisode

if TYPE_CHECKING:
    from pipeline.audio.identity_cache import IdentityCache

CHAPTERS_VERSION = "1.2.0"
CHAPTERS_MIME = "application/json+chapters"


def _seconds(value: float) -> float | int:
    rounded = round(value, 3)
    return int(rounded) if rounded == int(rounded) else rounded


@dataclass(frozen=True)
class PublishedChapter:
    start: float | int
    """Seconds in the published audio."""
    title: str
    url: str | None = None


def published_chapters(item: BuiltEpisode) -> list[PublishedChapter]:
    """The episode's chapters in published-audio time, as every chapter list of the feed gives them
    (JSON chapters, psc:chapters, description timestamps): those after the end dropped, several before
    the cut folded into the last of them, which starts the audio."""
    chapters: list[PublishedChapter] = []
    for chapter in item.episode.meta.chapters:
        start = _seconds(item.published_time(chapter.start))
        if start >= item.audio.duration:
            continue
        entry = PublishedChapter(start, chapter.title, chapter.url)
        if chapters and chapters[-1].start == start:
            chapters[-1] = entry
        else:
            chapters.append(entry)
    return chapters


def chapters_json(item: BuiltEpisode) -> bytes | None:
    """Podcasting 2.0 JSON chapters (version 1.2.0), in published-audio time; None without chapters."""
    chapters = [{"startTime": c.start, "title": c.title, **({"url": c.url} if c.url else {})} for c in published_chapters(item)]
    if not chapters:
        return None
    document = {"version": CHAPTERS_VERSION, "chapters": chapters}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def chapter_lines(item: BuiltEpisode, language: str) -> list[str]:
    """The chapters as "00:00:00 Title" lines for the episode description (what Spotify, Apple and YouTube
    read), the first at 00:00:00 as Apple asks: one is added when the first chapter starts later."""
    chapters = published_chapters(item)
    if not chapters:
        return []
    lines = [f"{stamp(c.start)} {' '.join(c.title.split())}" for c in chapters]
    if chapters[0].start >= 1:
        lines.insert(0, f"{stamp(0)} {START_LABEL.get(language, START_LABEL['en'])}")
    return lines


START_LABEL = {"fr": "Début", "en": "Start"}


def published_cues(item: BuiltEpisode) -> list[transcripts.Cue]:
    """The episode's transcript cues in published-audio time; cues wholly in the cut part are dropped."""
    source = item.episode.transcript
    assert source is not None, "only episodes with a transcript have cues"
    try:
        cues = transcripts.read(source)
    except transcripts.TranscriptError as exc:
        shown = source.relative_to(item.episode.folder.parent.parent).as_posix()
        raise PortevoixError(Problem(shown, str(exc))) from None
    shifted = []
    for cue in cues:
        start, end = item.published_time(cue.start), item.published_time(cue.end)
        if end > start:
            shifted.append(transcripts.Cue(start, end, cue.text, cue.speaker))
    return shifted


def is_draft(item: BuiltEpisode) -> bool:
    """Whether the episode's transcript is a machine draft no person has reviewed yet."""
    return item.episode.transcript is not None and item.episode.meta.transcript_status == "draft"


def transcript_files(item: BuiltEpisode, language: str = "fr") -> dict[str, bytes]:
    """{site path: bytes} of the transcript in WebVTT, SubRip and plain text, in published-audio time.

    The file given is published as written when no time moves; the other formats are made from its cues.
    A draft says so (a NOTE in the WebVTT file, a line at the top of the plain text).
    """
    source = item.episode.transcript
    if source is None:
        return {}
    kind = source.suffix.lower()
    cues = published_cues(item)
    notice = DRAFT_NOTICE.get(language, DRAFT_NOTICE["en"]) if is_draft(item) else None
    files = {}
    for extension, render in (("vtt", lambda c: to_vtt(c, notice)), ("srt", to_srt)):
        name = paths.transcript_file(item.episode.slug, extension)
        if kind == "." + extension and not moves_time(item.audio):
            files[name] = source.read_bytes()
        else:
            files[name] = render(cues).encode("utf-8")
    heading = [item.episode.meta.title] + ([notice] if notice else [])
    files[paths.transcript_file(item.episode.slug, "txt")] = to_text(cues, "\n".join(heading)).encode("utf-8")
    return files


def sidecar_files(item: BuiltEpisode, language: str = "fr") -> dict[str, bytes]:
    """Every file the feed item points to besides its audio (and the plain-text transcript beside them)."""
    files = transcript_files(item, language)
    chapters = chapters_json(item)
    if chapters is not None:
        files[paths.chapters_file(item.episode.slug)] = chapters
    return files


def transcript_key(item: BuiltEpisode, *inputs: object) -> tuple[str, int]:
    """(key, size in bytes) of what is made from an episode's transcript: the key digests the transcript's bytes
    and kind, where the published audio puts each moment of the recording (its time map, trim and length) and
    `inputs` (the maker's code digest, and whatever else its output shows), as JSON."""
    path = item.episode.transcript
    assert path is not None, "only episodes with a transcript have what is made of one"
    audio = item.audio
    timing = [audio.time_map.as_list(), audio.time_map.duration] if audio.time_map is not None else None
    text_digest, size = transcripts.digest(path)
    made_from = json.dumps([path.suffix.lower(), timing, audio.trim_start, audio.duration, *inputs], ensure_ascii=False)
    return hashlib.sha256(f"{made_from}\0{text_digest}".encode()).hexdigest(), size


REMEMBERED_FROM = 16 << 10
"""Transcripts of this many bytes or more (about 120 cues, ten minutes of debate) have what is made of them
remembered across builds: that they parse (transcript_problems), their files (sidecar_memo.py), their search
document (site/transcript_memo.py). A shorter one is parsed and laid out in well under a millisecond, and
remembering ten thousand of them held ~25 MB more through a build whose memory is bounded: 306-313 MB at
N = 10,000 against 278-284 (bench/RESULTS.md, issue 13)."""
PARSER = ("source/transcripts.py", "source/fields.py")
"""The code that parses a transcript (relative to the package), for what the identity cache remembers of it: only
that it parsed (a failure is found again each time, its message worded afresh)."""


@cache
def _parser_version() -> str:
    package = Path(__file__).resolve().parent.parent
    return code_digest("transcript parser", tuple(package / name for name in PARSER))


def _cue_count(path: Path) -> int:
    return len(transcripts.read(path))


def transcript_problems(podcast, known: IdentityCache | None = None) -> list[Problem]:
    """Transcripts that would not parse, found before anything is processed or written.

    `known` (an IdentityCache): a transcript that parsed is remembered while the file and the parser stay the same,
    and not parsed again (a two-hour debate's takes 9 ms, in each build and `check`); one that fails is not, nor
    one shorter than REMEMBERED_FROM."""
    problems = []
    for episode in podcast.episodes:
        if episode.transcript is None:
            continue
        path = episode.transcript
        try:
            if known is None or path.stat().st_size < REMEMBERED_FROM:
                transcripts.read(path)
            else:
                known.remembered(path, "transcript", _parser_version(), partial(_cue_count, path), lambda value: isinstance(value, int))
        except transcripts.TranscriptError as exc:
            problems.append(Problem(episode.source_file.relative_to(podcast.root).as_posix(), f'"{episode.meta.transcript}": {exc}', "transcript"))
    return problems
