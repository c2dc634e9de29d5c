"""`portevoix build`: from the podcast folder to `site/`, in named steps.

1. Read and validate everything; stop before writing anything if a problem is found.
2. Audio: measure, normalise and encode each recording (cached by content and settings).
   With `transcription: {auto: true}`, a draft transcript for each episode that has none
   (speech recognition on the processed audio, cached by its digest and the model).
3. Tags: write each episode's tags into a publishable copy of its audio.
4. Feed: `feed.xml` (and archive pages), from what the files really are (byte sizes,
   durations), with its chapters and transcripts; checked before anything is swapped in.
5. Pages: the index and one page per episode; the search index (Pagefind) of every episode's words.
6. Swap the new site into place; the previous one stays until then. Then remember
   what was published (GUIDs, addresses, the podcast's guid).
"""

from __future__ import annotations

import logging
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import audio, identity, paths
from pipeline.media import images
from pipeline.site import report
from pipeline.source.config import remember_podcast_guid
from pipeline.audio.cache import CACHE_DIR, AudioCache
from pipeline.folderlock import FolderBusy, podcast_folder_locked
from pipeline.errors import PortevoixError, Problem
from pipeline.feed.rss import write_feed
from pipeline.source.episodes import Episode, episode_edits
from pipeline.paths import BuiltEpisode
from pipeline.source.load import Podcast, load_podcast
from pipeline.media.tagged import tagged
from pipeline.site import search
from pipeline.site.pages import BUILTIN_TEMPLATES, page_images, render_pages
from pipeline.progress import Progress
from pipeline.media.tags import ChapterMark, Tags
from pipeline.i18n import say
from pipeline.site.writer import SiteWriter, checkpoint

log = logging.getLogger(__name__)

OUTPUT_DIR = "site"


@dataclass
class BuildResult:
    output: Path
    built: list[BuiltEpisode]
    processed: int
    """How many recordings were processed (not taken from the cache)."""
    transcribed: list[str] = field(default_factory=list)
    """What automatic transcription did, one line per episode (transcription: auto)."""


@contextmanager
def build_lock(root: Path):
    """One build at a time in a podcast folder: a second one is refused, with a clear message.

    The lock is the kernel's (flock) on the podcast folder itself (see folderlock.py): a build that is killed
    releases it with its process, and deleting a file cannot defeat it."""
    try:
        with podcast_folder_locked(root):
            yield
    except FolderBusy:
        raise PortevoixError(Problem(str(root), say("build_locked"))) from None


def clear_interrupted_work(root: Path) -> None:
    """Remove what a killed build left half-written in the cache (hidden temporary entries).

    Called with the build lock held, so no other build is writing them; the cache never
    serves these anyway (an entry counts only once renamed into place)."""
    cache = root / CACHE_DIR
    for leftover in [*cache.glob("audio/.*"), *cache.glob("tagged/.*")]:
        log.info("removing %s left by an interrupted build", leftover.name)
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def episode_tags(podcast: Podcast, episode: Episode, processed: audio.ProcessedAudio, cover: Path, cache_root: Path) -> Tags:
    meta, duration = episode.meta, processed.duration
    starts = [paths.published_time(processed, c.start) for c in meta.chapters]
    ends = starts[1:] + [duration]
    return Tags(
        title=meta.title,
        artist=podcast.config.author,
        album=podcast.config.title,
        date=episode.published.date().isoformat(),
        comment=meta.summary,
        language=podcast.config.language,
        copyright=meta.license or podcast.config.license,
        url=paths.absolute(podcast.config.base_url, paths.episode_page(episode.slug)),
        cover=images.tag_cover(episode.cover or cover, cache_root),
        chapters=[ChapterMark(start, end, c.title, c.url) for c, start, end in zip(meta.chapters, starts, ends)],
    )


def process_audio(podcast: Podcast, cache: AudioCache) -> tuple[list[BuiltEpisode], int]:
    built, processed, problems = [], 0, []
    cover = podcast.root / podcast.config.cover
    for episode in podcast.episodes:
        try:
            result = audio.process(episode.recording, episode.info, episode.preset, cache, progress=Progress, edits=episode_edits(podcast.root, podcast.config, episode))
        except audio.AudioError as exc:
            problems.append(Problem(episode.recording.relative_to(podcast.root).as_posix(), str(exc)))
            continue
        processed += not result.from_cache
        tags = episode_tags(podcast, episode, result, cover, cache.root.parent)
        mp3, opus = (tagged(result, kind, tags, paths.media_file(episode.slug, kind), cache.root.parent) for kind in ("mp3", "opus"))
        built.append(BuiltEpisode(episode=episode, audio=result, mp3=mp3, opus=opus))
    if problems:
        raise PortevoixError(*problems)
    return built, processed


def transcribe_drafts(podcast: Podcast, built: list[BuiltEpisode]) -> list[str]:
    """A draft transcript for every episode without one (transcription: auto); the episodes learn of it."""
    from pipeline.transcribe import RecogniserError, Transcriber, settings_for

    waiting = [item for item in built if item.episode.meta.transcript is None]
    if not waiting:
        return []
    transcriber = Transcriber(podcast.root, settings_for(podcast.root, podcast.config), Progress)
    lines = []
    for item in waiting:
        try:
            lines.append(transcriber.transcribe(item.episode, item.audio))
        except RecogniserError as exc:
            raise PortevoixError(Problem("podcast.yaml", str(exc), "transcription.model")) from None
    return lines


def build(root: Path, output: Path | None = None, allow_enclosure_change: bool = False) -> BuildResult:
    root = root.resolve()
    output = (output or root / OUTPUT_DIR).resolve()
    with build_lock(root):
        # 0. Put back the previous site if a killed build left it aside.
        writer = SiteWriter(output, root)
        writer.recover()
        clear_interrupted_work(root)

        # 1. Read and validate everything before writing anything.
        podcast = load_podcast(root)
        new_podcast_guid = identity.give_podcast_guid(podcast)
        identity.identity_guard(podcast, allow_enclosure_change)
        checkpoint("validated")

        # 2 and 3. Audio and tags, into the cache (outside the site).
        cache = AudioCache(root)
        built, processed = process_audio(podcast, cache)
        transcribed = []
        if podcast.config.transcription and podcast.config.transcription.auto:
            transcribed = transcribe_drafts(podcast, built)
        checkpoint("audio")

        writer.start()
        try:
            cover_source = root / podcast.config.cover
            writer.write_bytes(paths.COVER, images.feed_cover(cover_source))
            for item in built:  # an episode's own cover, as the feed announces it (itunes:image)
                if item.episode.cover:
                    writer.write_bytes(paths.episode_feed_cover_file(item.episode.slug), images.feed_cover(item.episode.cover))
            for size in images.PAGE_SIZES:
                writer.write_bytes(paths.page_cover_file(size), images.page_cover(cover_source, size))
            for item in built:
                for media in (item.mp3, item.opus):
                    writer.place_file(media.name, media.path)
                # The loudness report: before/after, as a picture beside the episode page.
                svg = report.loudness_svg(item.audio, item.episode.preset, podcast.config.language)
                writer.write_text(report.svg_name(item.episode.slug), svg)
            checkpoint("writing")

            # 4. Feed, from the real files, with its chapters and transcripts; checked before going further.
            feed_state = write_feed(podcast, built, writer)

            # 5. Pages: index, episode, transcript and embed pages, oEmbed files, redirects; small episode covers.
            for name, html in render_pages(podcast, built).items():
                writer.write_text(name, html)
            for name, data in page_images(podcast, built).items():
                writer.write_bytes(name, data)
            writer.copy_tree(paths.STATIC, BUILTIN_TEMPLATES / "static")
            writer.copy_tree(paths.STATIC, root / "templates" / "static", "templates/static")
            # The search index (Pagefind), from the episodes' words, every transcript cue with its time.
            for name, data in search.index_files(podcast, built).items():
                writer.write_bytes(name, data)

            # 6. Swap into place, then remember what the site now announces.
            checkpoint("staged")
            writer.commit()
            checkpoint("committed")
        except BaseException:
            writer.abort()
            raise
        record = identity.load_record(root)
        for item in built:
            identity.remember(record, item.episode.meta.guid, item.episode.slug, paths.absolute(podcast.config.base_url, item.mp3.name))
        identity.save_record(root, record)
        identity.save_feed_state(root, feed_state, podcast.config.guid, podcast.feed_url)
        if new_podcast_guid:
            remember_podcast_guid(root, podcast.config.guid)
    log.info("site written to %s", output)
    return BuildResult(output=output, built=built, processed=processed, transcribed=transcribed)

