"""The fields of an episode's `episode.md` front matter, declared once (types, defaults, documentation, checks).

`episodes.py` reads the file with these schemas; `init`, `new`, the studio's forms and the README's field list
take their words from the same declarations.
"""

from __future__ import annotations

import re
from itertools import pairwise

from pipeline import presets
from pipeline.i18n import say
from pipeline.source.fields import (
    OffChoice,
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
)
from pipeline.textfmt import CHAPTER_EXACT, clock

TRANSCRIPT_STATUSES = ("draft", "reviewed")
ROLES = ("host", "co-host", "guest", "moderator", "speaker", "panelist", "audience", "producer", "editor", "sound engineer")


def stamp_of(seconds: float) -> str:
    """00:41:10 (or 00:41:10.500 between seconds): a time as episode.md writes it, quoted in check's messages."""
    return clock(seconds, CHAPTER_EXACT)


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
    audio_leveler = OffChoice(presets.leveler_names(), doc="Speech leveler for this episode (off, gentle, strong), otherwise the podcast's.")
    audio_denoise = OffChoice(presets.DENOISE_CHOICES, doc="Room noise reduction for this episode (off, light, medium), otherwise the podcast's.")
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
                errors.append((f"{prefix}chapters[{index}].start", say("not_after_previous_chapter")))
        turn_starts = [t.start for t in self.turns if t is not None and t.start is not None]
        for index, (before, after) in enumerate(pairwise(turn_starts), start=2):
            if after <= before:
                errors.append((f"{prefix}turns[{index}].start", say("not_after_previous_turn")))
        names = {s.name for s in self.speakers if s is not None}
        if names:
            marked = [(f"turns[{i}]", t.speaker) for i, t in enumerate(self.turns, start=1) if t is not None]
            marked += [(f"chapters[{i}]", c.speaker) for i, c in enumerate(self.chapters, start=1) if c is not None]
            for where, name in marked:
                if name and name not in names:
                    errors.append((f"{prefix}{where}.speaker", say("not_a_speaker", name=name, names=", ".join(sorted(names)))))
        cuts = [c for c in self.cuts if c is not None and c.start is not None and c.end is not None]
        for index, cut in enumerate(self.cuts, start=1):
            if cut is not None and cut.start is not None and cut.end is not None and cut.end <= cut.start:
                errors.append((f"{prefix}cuts[{index}].end", say("cut_end_before_start")))
        for before, after in pairwise(sorted(cuts, key=lambda c: c.start)):
            if after.start < before.end:
                errors.append((f"{prefix}cuts", say("cuts_overlap", first=f"{stamp_of(before.start)}-{stamp_of(before.end)}",
                                                    second=f"{stamp_of(after.start)}-{stamp_of(after.end)}")))
        if self.transcript_status and not self.transcript:
            errors.append((prefix + "transcript_status", say("transcript_status_alone")))
        if self.guid and (any(c.isspace() for c in self.guid)):
            errors.append((prefix + "guid", say("guid_spaces")))
