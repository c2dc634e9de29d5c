"""The transcription stage: a draft transcript for every episode, from its processed audio.

It comes after the audio stage and before the feed: speech recognition runs on
the processed audio (trimmed), so that it hears exactly what is published; the
words are cached by that audio's digest and the model, so a build never
transcribes the same audio twice. The words become cues (`pipeline.source.cues`), with
the speakers' names where the episode says who speaks when, and are written to
`episodes/<slug>/transcript.vtt` in recording time (as every time in the
episode folder is), marked `transcript_status: draft` in episode.md.

A transcript written or reviewed by people is never overwritten.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.audio import ProcessedAudio, recording_time
from pipeline.audio.cache import CACHE_DIR
from pipeline.fsutil import file_digest, write_atomically
from pipeline.source.cues import Turn, Word, make_cues, to_vtt
from pipeline.source.episodes import Episode, episode_edits, set_fields
from pipeline.errors import Problem
from pipeline.i18n import say
from pipeline.transcribe.recogniser import ModelChoice, RecogniserError, check_model, choose_model, load_model, recognise

log = logging.getLogger(__name__)

TRANSCRIBE_VERSION = 2
"""Bump when recognition changes, so that cached words are made again."""
TRANSCRIPT_FILE = "transcript.vtt"
MODELS_DIR = CACHE_DIR + "/models"
DRAFT = "draft"


@dataclass(frozen=True)
class Settings:
    model: ModelChoice
    language: str | None
    device: str = "auto"


def settings_for(root: Path, config) -> Settings:
    """The podcast's transcription settings (podcast.yaml `transcription:`), defaults filled in."""
    chosen = config.transcription
    model = (chosen.model if chosen else None) or "small"
    language = (chosen.language if chosen else None) or config.language
    device = (chosen.device if chosen else None) or "auto"
    return Settings(choose_model(model, root, root / MODELS_DIR), language.split("-")[0].lower(), device)


def episode_turns(episode: Episode) -> list[Turn]:
    """Who speaks when, in recording time: the episode's `turns:`, or else its chapters that name a speaker
    (a `speaker:` field, or a title that is a speaker's name). Empty when the episode does not say."""
    meta = episode.meta
    if meta.turns:
        return [Turn(t.start, t.speaker) for t in meta.turns]
    names = {s.name.casefold(): s.name for s in meta.speakers}
    turns = []
    for chapter in meta.chapters:
        speaker = chapter.speaker or names.get(chapter.title.strip().casefold())
        turns.append(Turn(chapter.start, speaker))
    return turns if any(t.speaker for t in turns) else []


class WordCache:
    """Recognised words, in `.cache/portevoix/transcripts/`, keyed by the processed audio's digest,
    the model and the language."""

    def __init__(self, root: Path):
        self.folder = root / CACHE_DIR / "transcripts"

    @staticmethod
    def key(audio_digest: str, settings: Settings) -> str:
        text = json.dumps([TRANSCRIBE_VERSION, audio_digest, settings.model.identity, settings.language], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def get(self, key: str) -> list[Word] | None:
        try:
            data = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            return [Word(*w) for w in data["words"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, words: list[Word], settings: Settings) -> None:
        document = {"model": settings.model.identity, "language": settings.language, "words": [[w.start, w.end, w.text] for w in words]}
        write_atomically(self.folder / f"{key}.json", json.dumps(document, ensure_ascii=False))


@dataclass
class Transcriber:
    """Transcribes episodes one after another; the model is loaded once, only when the cache lacks words."""

    root: Path
    settings: Settings
    progress: Callable | None = None
    cache: WordCache = field(init=False)
    model: object = field(default=None, init=False)

    def __post_init__(self):
        self.cache = WordCache(self.root)

    def words(self, episode: Episode, audio: ProcessedAudio) -> tuple[list[Word], bool]:
        """(words in published time, whether they came from the cache)."""
        key = self.cache.key(file_digest(audio.mp3), self.settings)
        cached = self.cache.get(key)
        if cached is not None:
            log.info("transcript of %s is up to date", episode.slug)
            return cached, True
        if self.model is None:
            model = load_model(self.settings.model, self.settings.device)
            language = self.settings.language
            if language and language != "en" and not getattr(model.model, "is_multilingual", True):
                raise RecogniserError(say("model_english_only", model=self.settings.model.spec, language=language))
            self.model = model
        watch = self.progress(f"transcribing {episode.slug}", audio.duration) if self.progress else None
        words = recognise(self.model, audio.mp3, self.settings.language, on_time=watch.update if watch else None)
        if watch:
            watch.finish()
        self.cache.put(key, words, self.settings)
        return words, False

    def kept(self, episode: Episode, force: bool = False) -> str | None:
        """The line to show when the episode's transcript stays as it is (None: transcribe it).
        Raises TranscribeRefused when it must not be transcribed and was asked to be."""
        shown = episode.source_file.relative_to(self.root).as_posix()
        meta = episode.meta
        if meta.transcript and meta.transcript_status != DRAFT:
            if force:
                raise TranscribeRefused(Problem(shown, say("transcript_is_human", name=meta.transcript), "transcript"))
            return say("transcript_kept_human", path=shown)
        if meta.transcript and not force:
            return say("transcript_kept_draft", path=shown)
        if not meta.transcript and (episode.folder / TRANSCRIPT_FILE).exists():
            raise TranscribeRefused(Problem(shown, say("transcript_file_unnamed", name=TRANSCRIPT_FILE), "transcript"))
        return None

    def transcribe(self, episode: Episode, audio: ProcessedAudio, force: bool = False) -> str:
        """Write the episode's draft transcript; returns the line to show. Raises TranscribeRefused when it must not."""
        kept = self.kept(episode, force)
        if kept is not None:
            return kept
        shown = episode.source_file.relative_to(self.root).as_posix()
        meta = episode.meta
        target = episode.folder / (meta.transcript if meta.transcript and meta.transcript.endswith(".vtt") else TRANSCRIPT_FILE)
        words, from_cache = self.words(episode, audio)
        # Every time in the episode folder is a time in the recording: add back what the trim and the cuts took.
        in_recording = [Word(recording_time(audio, w.start), recording_time(audio, w.end), w.text) for w in words]
        cues = make_cues(in_recording, episode_turns(episode))
        target_shown = target.relative_to(self.root).as_posix()
        if not cues:
            return say("transcript_no_speech", path=shown)
        note = say("transcript_note", model=self.settings.model.folder.name if self.settings.model.folder else self.settings.model.spec)
        write_atomically(target, to_vtt(cues, note))
        set_fields(episode.source_file, {"transcript": target.name, "transcript_status": DRAFT})
        meta.transcript, meta.transcript_status = target.name, DRAFT
        episode.transcript = target
        return say("transcript_written", path=target_shown, cues=len(cues), cached=" (cache)" if from_cache else "", episode=shown)


class TranscribeRefused(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


__all__ = ["RecogniserError", "Settings", "TranscribeRefused", "Transcriber", "check_model", "episode_turns", "settings_for"]


def transcribe_podcast(root: Path, slugs: list[str], force: bool = False, progress: Callable | None = None) -> tuple[list[str], list[Problem]]:
    """`portevoix transcribe`: the episodes named (all when none), after their audio is processed (cached).

    Returns (lines to show, problems with single episodes: refusals, unreadable audio); raises PortevoixError
    when nothing can be done (the podcast does not validate, an unknown slug, no model)."""
    from pipeline import audio
    from pipeline.audio.cache import AudioCache
    from pipeline.errors import PortevoixError
    from pipeline.source.load import load_podcast

    podcast = load_podcast(root)
    known = {e.slug: e for e in podcast.episodes}
    unknown = [s for s in slugs if s not in known]
    if unknown:
        raise PortevoixError(*(Problem("episodes/", say("unknown_episode", slug=s, known=", ".join(sorted(known)))) for s in unknown))
    chosen = [known[s] for s in slugs] if slugs else podcast.episodes
    settings = settings_for(podcast.root, podcast.config)
    waiting = [e for e in chosen if force or not e.meta.transcript]
    if waiting and not force:
        try:  # before any audio is processed; a cached transcript needs no model, so not with --force
            check_model(settings.model)
        except RecogniserError as exc:
            raise PortevoixError(Problem("podcast.yaml", str(exc), "transcription.model")) from None
    transcriber = Transcriber(podcast.root, settings, progress)
    cache = AudioCache(podcast.root)
    lines, problems = [], []
    for episode in chosen:
        try:
            kept = transcriber.kept(episode, force)
            if kept is not None:  # known before the audio is processed
                lines.append(kept)
                continue
            edits = episode_edits(podcast.root, podcast.config, episode)
            processed = audio.process(episode.recording, episode.info, episode.preset, cache, progress=progress, edits=edits)
            lines.append(transcriber.transcribe(episode, processed, force))
        except audio.AudioError as exc:
            problems.append(Problem(episode.recording.relative_to(podcast.root).as_posix(), str(exc)))
        except TranscribeRefused as exc:
            problems.append(exc.problem)
        except RecogniserError as exc:
            raise PortevoixError(Problem("podcast.yaml", str(exc), "transcription.model"), *problems) from None
    return lines, problems
