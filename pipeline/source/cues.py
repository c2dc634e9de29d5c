"""From recognised words to transcript cues, and cues to the files people read.

A speech recogniser gives words with their times. Here they become cues a
reader can follow: at most two lines of about 65 characters, a new cue at each
pause and sentence end, never one cue across two speakers. Where the episode
says who speaks when (its turns), each cue carries the speaker's name (a
WebVTT voice tag `<v Name>` once written); without that, no name is guessed.

Also the plain text version of a transcript (paragraphs by speaker turn), for
the downloads and for anyone who wants to read or quote it without times.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from pipeline.source.transcripts import Cue

LINE_LENGTH = 65
"""Characters of one cue line at most (the Podcasting 2.0 advice for captions)."""
MAX_LINES = 2
PAUSE = 0.6
"""Seconds between two words that end a cue."""
SENTENCE_CUE = 25
"""A sentence end closes the cue once it holds at least this many characters."""
MAX_CUE_SECONDS = 7.0
"""A cue on screen longer than this is cut at the next word."""
PARAGRAPH_PAUSE = 2.0
"""Seconds of silence that start a new paragraph of the plain text."""
SENTENCE_ENDS = (".", "?", "!", "…")
DRAFT_NOTICE = {
    "fr": "Transcription automatique, pas encore relue : elle peut contenir des erreurs.",
    "en": "Automatic transcript, not yet reviewed: it may contain mistakes.",
}
"""What pages, feed and files say of a draft transcript, in the podcast's language."""


@dataclass(frozen=True)
class Word:
    """A recognised word, with its times in seconds; `text` carries its punctuation."""

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Turn:
    """From `start` (seconds) on, `speaker` speaks (until the next turn)."""

    start: float
    speaker: str | None


def wrap(text: str, width: int = LINE_LENGTH) -> list[str]:
    """The text on as few lines of at most `width` characters as its words allow, balanced on two lines."""
    words = text.split()
    if not words:
        return []
    if len(text) <= width:
        return [" ".join(words)]
    # Two lines: the break that makes the longest line shortest (a single word longer than the width stays whole).
    best: tuple[int, list[str]] | None = None
    for cut in range(1, len(words)):
        first, second = " ".join(words[:cut]), " ".join(words[cut:])
        longest = max(len(first), len(second))
        if best is None or longest < best[0]:
            best = (longest, [first, second])
    assert best is not None
    if best[0] <= width:
        return best[1]
    lines, line = [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines


def fits(text: str, width: int = LINE_LENGTH, lines: int = MAX_LINES) -> bool:
    return len(wrap(text, width)) <= lines and all(len(line) <= width for line in wrap(text, width))


def speaker_at(turns: list[Turn], seconds: float) -> str | None:
    """Who speaks at `seconds`: the last turn started at or before it (turns in order)."""
    starts = [turn.start for turn in turns]
    index = bisect.bisect_right(starts, seconds + 1e-6) - 1
    return turns[index].speaker if index >= 0 else None


def make_cues(words: list[Word], turns: list[Turn] | None = None, width: int = LINE_LENGTH) -> list[Cue]:
    """Cues of at most two lines of `width` characters, split at pauses, sentence ends and speaker turns.

    `turns` (in the words' time, in order) name the speaker of each word by the middle of the word.
    """
    turns = turns or []
    cues: list[Cue] = []
    text, start, end, speaker = "", 0.0, 0.0, None

    def close() -> None:
        if text:
            cues.append(Cue(round(start, 3), round(end, 3), text, speaker))

    for word in words:
        token = word.text.strip()
        if not token:
            continue
        who = speaker_at(turns, (word.start + word.end) / 2) if turns else None
        longer = f"{text} {token}" if text else token
        if text and (
            who != speaker
            or word.start - end >= PAUSE
            or not fits(longer, width)
            or word.end - start > MAX_CUE_SECONDS
            or (text.endswith(SENTENCE_ENDS) and len(text) >= SENTENCE_CUE)
        ):
            close()
            text, longer = "", token
        if not text:
            start, speaker = word.start, who
        text, end = longer, max(word.end, start)
    close()
    return cues


def stamp(seconds: float) -> str:
    """00:01:02 (hours, minutes, seconds), as chapters and plain-text transcripts show times."""
    whole = max(0, int(seconds))
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def to_text(cues: list[Cue], title: str | None = None) -> str:
    """The transcript as plain text: one paragraph per speaker turn (or after a long silence),
    each opened by its time and, when known, the speaker's name."""
    paragraphs: list[str] = []
    current: list[str] = []
    head = ""
    previous: Cue | None = None
    for cue in cues:
        if previous is None or cue.speaker != previous.speaker or cue.start - previous.end >= PARAGRAPH_PAUSE:
            if current:
                paragraphs.append(head + " ".join(current))
            head = f"[{stamp(cue.start)}] " + (f"{cue.speaker}: " if cue.speaker else "")
            current = []
        current.append(" ".join(cue.text.split()))
        previous = cue
    if current:
        paragraphs.append(head + " ".join(current))
    if title:
        paragraphs.insert(0, title)
    return "\n\n".join(paragraphs) + "\n"


def cue_time(seconds: float, kind: str = ".vtt") -> str:
    """00:01:02.345 (WebVTT) or 00:01:02,345 (SubRip)."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    separator = "," if kind == ".srt" else "."
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(cues: list[Cue], note: str | None = None) -> str:
    """A WebVTT file: each cue on at most two lines, its speaker as a voice tag; `note` as a NOTE block."""
    blocks = ["WEBVTT"]
    if note:
        blocks.append("NOTE " + " ".join(note.replace("-->", "->").split()))
    for cue in cues:
        text = "\n".join(_escape(line) for line in wrap(cue.text))
        if cue.speaker:
            text = f"<v {_escape(cue.speaker)}>{text}"
        blocks.append(f"{cue_time(cue.start)} --> {cue_time(cue.end)}\n{text}")
    return "\n\n".join(blocks) + "\n"


def to_srt(cues: list[Cue]) -> str:
    """A SubRip file: numbered cues, the speaker's name leading the text ("Name: …")."""
    blocks = []
    for number, cue in enumerate(cues, start=1):
        # Players read SubRip's <i>, <b>, <font…> as markup: what was text stays text.
        text = "\n".join(_escape(line) for line in wrap(f"{cue.speaker}: {cue.text}" if cue.speaker else cue.text))
        blocks.append(f"{number}\n{cue_time(cue.start, '.srt')} --> {cue_time(cue.end, '.srt')}\n{text}")
    return "\n\n".join(blocks) + "\n"
