"""Files the feed points to, beside each episode's media: JSON chapters and transcripts.

Times written by the user are times in the raw recording; what is published
must match the published audio, so every time goes through
`BuiltEpisode.published_time` (dead air cut at the start moves everything back).
"""

from __future__ import annotations

import json

from pipeline import paths
from pipeline.source import transcripts
from pipeline.errors import PortevoixError, Problem
from pipeline.paths import BuiltEpisode

CHAPTERS_VERSION = "1.2.0"
CHAPTERS_MIME = "application/json+chapters"


def _seconds(value: float) -> float | int:
    rounded = round(value, 3)
    return int(rounded) if rounded == int(rounded) else rounded


def chapters_json(item: BuiltEpisode) -> bytes | None:
    """Podcasting 2.0 JSON chapters (version 1.2.0), in published-audio time; None without chapters."""
    chapters: list[dict] = []
    for chapter in item.episode.meta.chapters:
        start = _seconds(item.published_time(chapter.start))
        if start >= item.audio.duration:
            continue
        entry = {"startTime": start, "title": chapter.title}
        if chapter.url:
            entry["url"] = chapter.url
        if chapters and chapters[-1]["startTime"] == start:
            chapters[-1] = entry  # several chapters before the cut: the last one starts the audio
        else:
            chapters.append(entry)
    if not chapters:
        return None
    document = {"version": CHAPTERS_VERSION, "chapters": chapters}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _stamp(seconds: float, kind: str) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    separator = "," if kind == ".srt" else "."
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def escaped(text: str) -> str:
    """Cue text or a speaker's name as WebVTT (and SubRip players) read it: &, < and > are entities, never markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(cues: list[transcripts.Cue]) -> str:
    blocks = ["WEBVTT"]
    for cue in cues:
        text = escaped(cue.text)
        if cue.speaker:
            text = f"<v {escaped(cue.speaker)}>{text}"
        blocks.append(f"{_stamp(cue.start, '.vtt')} --> {_stamp(cue.end, '.vtt')}\n{text}")
    return "\n\n".join(blocks) + "\n"


def to_srt(cues: list[transcripts.Cue]) -> str:
    blocks = []
    for number, cue in enumerate(cues, start=1):
        # Players read SubRip's <i>, <b>, <font…> as markup: what was text stays text.
        text = escaped(f"{cue.speaker}: {cue.text}" if cue.speaker else cue.text)
        blocks.append(f"{number}\n{_stamp(cue.start, '.srt')} --> {_stamp(cue.end, '.srt')}\n{text}")
    return "\n\n".join(blocks) + "\n"


def published_cues(item: BuiltEpisode) -> list[transcripts.Cue]:
    """The episode's transcript cues in published-audio time; cues wholly in the cut part are dropped."""
    source = item.episode.transcript
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


def transcript_files(item: BuiltEpisode) -> dict[str, bytes]:
    """{site path: bytes} of the transcript in both WebVTT and SubRip, in published-audio time.

    The file given is published as written when no time moves; the other format is made from its cues.
    """
    source = item.episode.transcript
    if source is None:
        return {}
    kind = source.suffix.lower()
    cues = published_cues(item)
    files = {}
    for extension, render in (("vtt", to_vtt), ("srt", to_srt)):
        name = paths.transcript_file(item.episode.slug, extension)
        if kind == "." + extension and item.audio.trim_start <= 0:
            files[name] = source.read_bytes()
        else:
            files[name] = render(cues).encode("utf-8")
    return files


def sidecar_files(item: BuiltEpisode) -> dict[str, bytes]:
    """Every file the feed item points to besides its audio."""
    files = transcript_files(item)
    chapters = chapters_json(item)
    if chapters is not None:
        files[paths.chapters_file(item.episode.slug)] = chapters
    return files


def transcript_problems(podcast) -> list[Problem]:
    """Transcripts that would not parse, found before anything is processed or written."""
    problems = []
    for episode in podcast.episodes:
        if episode.transcript is None:
            continue
        try:
            transcripts.read(episode.transcript)
        except transcripts.TranscriptError as exc:
            problems.append(Problem(episode.source_file.relative_to(podcast.root).as_posix(), f'"{episode.meta.transcript}": {exc}', "transcript"))
    return problems
