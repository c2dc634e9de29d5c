"""`portevoix build`: from the podcast folder to `site/`, in named steps.

1. Read and validate everything; stop before writing anything if a problem is found.
2. Audio: measure, normalise and encode each recording (cached by content and settings).
   With `transcription: {auto: true}`, a draft transcript for each episode that has none
   (speech recognition on the processed audio, cached by its digest and the model).
3. Tags: write each episode's tags into a publishable copy of its audio; each soundbite as a short clip
   of its own (MP3, Opus…), cut from the processed audio, cached like it.
4. Feed: `feed.xml` (and archive pages), from what the files really are (byte sizes,
   durations), with its chapters and transcripts, as files (feed.rss.render); checked on
   those files before anything is written.
5. Pages: the index and one page per episode, as files (site.pages.render), each rendered only
   when what it shows changed; the search index (Pagefind) of every episode's words.
   Renderers take what they need as arguments (published.json is read once, here) and return
   {site path: bytes}.
6. Write them through the one writer (unchanged files kept from the current site), swap the
   new site into place; the previous one stays until then. Then remember what was published
   (GUIDs, addresses, the podcast's guid).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pipeline import audio, build_stamp, failpoints, identity, paths
from pipeline.media import clips, images
from pipeline.media.cover_cache import CoverCache
from pipeline.site import report
from pipeline.source.config import remember_podcast_guid
from pipeline.audio.cache import CACHE_DIR, AudioCache
from pipeline.folderlock import FolderBusy, podcast_folder_locked
from pipeline.audio.edits import Edits
from pipeline.audio.identity_cache import IdentityCache
from pipeline.errors import PortevoixError, Problem
from pipeline.fsutil import remove_abandoned_temporaries
from pipeline.feed import rss, sidecar_memo
from pipeline.feed.rss import FeedCache
from pipeline.source.episodes import Episode, episode_edits
from pipeline.media.built import BuiltEpisode, published_time
from pipeline.source.load import Podcast, load_podcast
from pipeline.media.formats import FORMATS, chosen
from pipeline.media.tagged import tagged
from pipeline.site import search
from pipeline.site import pages, transcript_memo
from pipeline.site.templating import BUILTIN_TEMPLATES
from pipeline.progress import Progress, ProgressGroup
from pipeline.media.tags import ChapterMark, Tags
from pipeline.i18n import say
from pipeline.site.writer import SiteWriter

log = logging.getLogger(__name__)

OUTPUT_DIR = "site"
WORKER_MEMORY = 400 << 20
"""Memory one audio worker may use at most (an ffmpeg process and the analysis' series), bytes."""
TEMPORARY_FOLDERS = ("feed-items", "covers", "waveforms", "transcripts", "transcript-documents")
"""The cache's folders whose files are replaced in one rename (besides the cache's own records at its top)."""


@dataclass
class BuildResult:
    output: Path
    built: list[BuiltEpisode]
    processed: int
    """How many recordings were processed (not taken from the cache)."""
    up_to_date: bool = False
    """Nothing had changed since the last build: the site was left as it was (`built` is then empty)."""
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
    # the records and indexes replaced in one rename (fsutil.writing_atomically): the cache's own files and those
    # of its folders of small files; never a file of the podcast folder's own (episode.md, podcast.yaml)
    for folder in [cache, *(cache / name for name in TEMPORARY_FOLDERS)]:
        for name in remove_abandoned_temporaries(folder):
            log.info("removing %s left by an interrupted build", name)


def remove_unpublished_media(root: Path, built: list[BuiltEpisode]) -> int:
    """After a build is in place: remove from the cache the tagged media and clips that none of its episodes
    publishes (with their records); returns the bytes freed.

    Each edit of an episode's notes, title or cover makes its media again with the new tags, and the old ones
    were kept for good: a copy of the audio left behind per edit (115 MB of MP3 and Opus for a two-hour debate
    in mono, 144 MB in stereo). They are copies, remade in a second from the processed audio (kept), and the site
    never links to the cache. A build's temporaries (dot names) are clear_interrupted_work's."""
    cache = root / CACHE_DIR
    published = {m.path.name for item in built for m in item.media.values()}
    published |= {path.name for item in built for clip in item.clips for path in clip.files.values()}
    freed = 0
    for folder in (cache / "tagged", cache / clips.CACHE_FOLDER):
        for path in folder.iterdir() if folder.is_dir() else ():
            if path.name.startswith(".") or path.name.removesuffix(".json") in published or not path.is_file():
                continue
            freed += path.stat().st_size
            path.unlink(missing_ok=True)
    if freed:
        log.info("%d bytes of media no episode publishes any more removed from the cache", freed)
    return freed


def episode_tags(podcast: Podcast, episode: Episode, processed: audio.ProcessedAudio, tag_cover: Path) -> Tags:
    """The tags written into the episode's media; `tag_cover` is the cover made for tags (images.tag_cover)."""
    meta, duration = episode.meta, processed.duration
    starts = [published_time(processed, c.start) for c in meta.chapters]
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
        cover=tag_cover,
        chapters=[ChapterMark(start, end, c.title, c.url) for c, start, end in zip(meta.chapters, starts, ends)],
    )


def audio_workers(jobs: int | None = None) -> int:
    """How many recordings to process at once: `jobs`, else one per core, as far as memory allows.

    Each worker runs one ffmpeg at a time (two encoder threads while encoding, one while
    analysing), whose memory stays flat; WORKER_MEMORY is what one may use at most."""
    if jobs:
        return max(1, jobs)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    try:
        available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        available = WORKER_MEMORY * cores
    return max(1, min(cores, available // WORKER_MEMORY))


def process_audio(podcast: Podcast, cache: AudioCache, known: IdentityCache, jobs: int | None = None) -> tuple[list[BuiltEpisode], int]:
    """Every episode's processed and tagged audio: from the cache, or made by a pool of workers.

    Recordings are identified by their digest (read only when a file is new or changed); those
    whose audio is not in the cache are processed concurrently, under one progress display."""
    problems: list[Problem] = []
    results: dict[str, audio.ProcessedAudio] = {}
    formats = chosen(podcast.config.formats)
    to_make: list[tuple[Episode, str, Edits]] = []
    for episode in podcast.episodes:
        digest, edits = known.digest(episode.recording), episode_edits(podcast.root, podcast.config, episode)
        cached = audio.cached(digest, episode.preset, cache, formats, edits)
        if cached is None:
            to_make.append((episode, digest, edits))
        else:
            results[episode.slug] = cached
    if to_make:
        workers = min(audio_workers(jobs), len(to_make))
        total = sum(2 * episode.info.duration for episode, _, _ in to_make)
        display = ProgressGroup(say("audio_progress", count=len(to_make)), total)
        log.info("processing %d recordings, %d at a time", len(to_make), workers)

        def make(job: tuple[Episode, str, Edits]) -> tuple[Episode, audio.ProcessedAudio | None, str]:
            episode, digest, edits = job
            try:
                made = audio.process(episode.recording, episode.info, episode.preset, cache, display.task, edits, formats, source_digest=digest)
                return episode, made, ""
            except audio.AudioError as exc:
                return episode, None, str(exc)

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="audio") as pool:
            for episode, made, error in pool.map(make, to_make):
                if made is None:
                    problems.append(Problem(episode.recording.relative_to(podcast.root).as_posix(), error))
                else:
                    results[episode.slug] = made
        display.finish()
    if problems:
        raise PortevoixError(*problems)
    built = []
    cover = podcast.root / podcast.config.cover
    covers = CoverCache(cache.root.parent, known)
    tag_covers: dict[Path, Path] = {}  # the podcast's cover is shared by most episodes: looked up once
    for episode in podcast.episodes:
        result = results[episode.slug]
        source = episode.cover or cover
        if source not in tag_covers:
            tag_covers[source] = covers.tag(source)
        tags = episode_tags(podcast, episode, result, tag_covers[source])
        media = {f.name: tagged(result, f, tags, paths.media_file(episode.slug, f.extension), cache.root.parent, known) for f in formats}
        try:
            bites = clips.make_clips(result, episode.meta.soundbites, formats, episode.preset, cache.root.parent)
        except clips.ClipError as exc:
            problems.append(Problem(episode.recording.relative_to(podcast.root).as_posix(), str(exc), "soundbites"))
            continue
        built.append(BuiltEpisode(episode=episode, audio=result, media=media, clips=bites))
    if problems:
        raise PortevoixError(*problems)
    return built, len(to_make)


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


@dataclass
class RenderedSite:
    files: pages.Together
    """Every file of the site but the media and the static files, {site path: bytes} (each forgotten once written)."""
    keys: dict[str, str]
    """{site path: input key} of the pages (see pages.py) and the loudness pictures; each taken out once its file
    is written (at N = 10,000, 50,000 keys held while the writer's new manifest grows)."""
    feed_state: tuple[str, dt.datetime]
    pages: pages.Pages
    search: Callable[[], search.Bundle]
    """Waits for the search bundle (Pagefind runs while the other files are written)."""
    on_disk: dict[str, Path] = field(default_factory=dict)
    """{site path: file} of the files written from a file of the cache, not held (the feed pages: rss.render)."""
    page_count: int = 0
    """How many pages have a key (rendered or not)."""
    known: Callable[[str], tuple[int, str] | None] = lambda name: None
    """The size and SHA-256 of a file whose bytes are made only when it must be written (sidecar_memo.py)."""


def render_site(podcast: Podcast, built: list[BuiltEpisode], published: identity.Published, memo: SiteWriter, covers: CoverCache) -> RenderedSite:
    """Every file of the site but the media and the static files, with the input keys of those that have one.

    The covers and loudness pictures, the pages and the search bundle, the feed (checked here: any violation
    stops the build before anything is written). `memo` gives the pages the current site already holds (see
    pages.py), the search bundle comes from its own folder of the cache when its documents are the same
    (see search.py); Pagefind runs while the feed is made and checked and the files written (`search` waits
    for it). `covers` gives the covers made from the podcast's images (made once, see media/cover_cache.py). Pages
    and pictures are made as they are written (pages.LazyFiles), no page's context held meanwhile: memory stays
    flat however many episodes there are."""
    root = podcast.root
    small: dict[str, bytes] = {}
    cover_source = root / podcast.config.cover
    small[paths.COVER] = covers.feed(cover_source)
    for item in built:  # an episode's own cover, as the feed announces it (itunes:image)
        if item.episode.cover:
            small[paths.episode_feed_cover_file(item.episode.slug)] = covers.feed(item.episode.cover)
    for size in images.PAGE_SIZES:
        small[paths.page_cover_file(size)] = covers.page(cover_source, size)
    small.update(pages.page_images(podcast, built, covers.page))
    pictures = pages.LazyFiles()  # the loudness report: before/after, as a picture beside the episode page
    picture_keys = {}  # made only when the current site does not hold it as made from the same audio (a 2-hour one: 10 ms)
    for item in built:
        name = report.svg_name(item.episode.slug)
        pictures.makers[name] = partial(loudness_picture, item, podcast.config.language)
        key = report.svg_key(item.audio, podcast.config.language)
        if key:
            picture_keys[name] = key
    feed_cache = FeedCache(root)
    made_sidecars = sidecar_memo.Memo(root / CACHE_DIR)
    sidecars = rss.feed_sidecars(podcast, built, made_sidecars)
    known = known_bytes(sidecars)
    transcripts = transcript_memo.Memo(root / CACHE_DIR)
    # the pages before the feed: their search documents are Pagefind's input, and it runs beside the rest (on the
    # other core) from here; the feed is made and checked meanwhile
    rendered = pages.render(podcast, built, published, notes_html=lambda markdown: feed_cache.render(markdown)[0],
                            sidecars=sidecars, memo=memo, transcripts=transcripts)
    finish_search = search.start_index(podcast, rendered.documents)
    rendered.documents = {}  # written into the search folder: not held while the site is written
    try:
        feed = rss.render(podcast, built, published, feed_cache, folder=root / CACHE_DIR / rss.PAGES_FOLDER, sidecars=sidecars)
        files = pages.Together(small, sidecars, feed.files, pages.FileBytes(feed.pages), pictures, rendered.files)
        problems = rss.check(podcast, built, files, feed_cache, feed.keys, on_disk=feed.pages, known=known)
        if problems:
            raise PortevoixError(*problems)
    except BaseException:
        finish_search_quietly(finish_search)
        raise
    feed_cache.save()
    transcripts.save()
    made_sidecars.save()
    page_count, keys = len(rendered.keys), rendered.keys  # the pictures' keys added to the pages', not both copied
    for name, key in picture_keys.items():
        keys.setdefault(name, key)
    return RenderedSite(files, keys, feed.state, rendered, finish_search, feed.pages, page_count, known)


def known_bytes(files: Mapping[str, bytes]) -> Callable[[str], tuple[int, str] | None]:
    """The size and SHA-256 of a file of `files` known without making its bytes (see sidecar_memo.py)."""
    return files.known if isinstance(files, sidecar_memo.SidecarFiles) else lambda name: None


def loudness_picture(item: BuiltEpisode, language: str) -> bytes:
    return report.loudness_svg(item.audio, item.episode.preset, language).encode("utf-8")


def finish_search_quietly(finish) -> None:
    """Wait for the search indexer of a build that stops anyway (its own problem, if any, would hide the first)."""
    try:
        finish()
    except PortevoixError:
        pass


def build(
    root: Path, output: Path | None = None, allow_enclosure_change: bool = False, jobs: int | None = None, *, full: bool = False,
    inputs: build_stamp.Snapshot | None = None,
) -> BuildResult:
    """Build `root` into `output` (default: its site/); `full` does every step even when nothing changed.

    `inputs`: build_stamp.snapshot of the folder taken just before (the command's own up-to-date question), else
    taken here."""
    root = root.resolve()
    output = (output or root / OUTPUT_DIR).resolve()
    with build_lock(root):
        # 0. Put back the previous site if a killed build left it aside; stop if nothing changed since the last build.
        writer = SiteWriter(output, root)
        writer.recover()
        clear_interrupted_work(root)
        before = inputs if inputs is not None else build_stamp.snapshot(root, output, {})
        if not full and build_stamp.up_to_date(root, output, {}, before):
            log.info("nothing changed since the last build: %s is up to date", output)
            return BuildResult(output=output, built=[], processed=0, up_to_date=True)
        before.settle()  # only what the stamp takes from it, packed: not the whole inputs, through the whole build
        build_stamp.forget(root)

        # 1. Read and validate everything before writing anything.
        known = IdentityCache(root / CACHE_DIR)
        try:
            podcast = load_podcast(root, known)
        finally:
            known.save()
        published = identity.load_published(root)  # published.json and published-feed.json: read once per build
        new_podcast_guid = identity.give_podcast_guid(podcast)
        identity.identity_guard(podcast, allow_enclosure_change, published, known)
        failpoints.reach("validated")

        # 2 and 3. Audio and tags, into the cache (outside the site).
        cache = AudioCache(root)
        try:
            built, processed = process_audio(podcast, cache, known, jobs)
        finally:
            known.save()
        known.pack()  # only the covers' entries are looked at again (render_site)
        transcribed = []
        if podcast.config.transcription and podcast.config.transcription.auto:
            transcribed = transcribe_drafts(podcast, built)
        failpoints.reach("audio")

        # 4 and 5. Feed, pages, search: rendered as files, from the real media; the feed checked before anything is written.
        site = render_site(podcast, built, published, writer, CoverCache(cache.root.parent, known))
        failpoints.reach("rendered")

        # 6. Write through the one writer (unchanged files kept from the current site), swap into place.
        writer.start()
        try:
            for item in built:
                for media in item.media.values():
                    writer.place_file(media.name, media.path)
                for clip in item.clips:  # the soundbites, as clips of their own to share
                    for name, path in clip.files.items():
                        writer.place_file(paths.clip_file(item.episode.slug, clip.number, FORMATS[name].extension), path)
            for name in site.files:
                key = site.keys.pop(name, None)
                fact = site.known(name)
                if name in site.on_disk:  # a feed page: copied from its file, by its bytes' digest as write_bytes would
                    writer.write_file(name, site.on_disk[name])
                elif fact is not None and writer.keep_digest(name, fact[1]):
                    pass  # a transcript file the current site holds as it would be made: not made
                elif not (key and writer.keep(name, key)):  # a page the current site holds as made from the same inputs
                    writer.write_bytes(name, site.files[name], key)
                site.files.forget(name)
            bundle, site.search = site.search(), lambda: search.Bundle({}, "")
            for name, data in bundle.files.items():  # by their bytes: Pagefind's unchanged fragments stay as they are
                writer.write_bytes(name, data)
            del bundle  # its files' bytes (15 MB at N = 10,000): not held through the rest of the build
            failpoints.reach("writing")
            writer.copy_tree(paths.STATIC, BUILTIN_TEMPLATES / "static")
            writer.copy_tree(paths.STATIC, root / "templates" / "static", "templates/static")
            failpoints.reach("staged")
            log.info("%d of %d pages rendered, the others unchanged", site.pages.rendered, site.page_count)
            writer.commit()
            failpoints.reach("committed")
        except BaseException:
            finish_search_quietly(site.search)
            writer.abort()
            raise
        feed_state = site.feed_state
        del site  # the pages' keys and makers, the sidecars: not held through the bookkeeping below
        record = published.record
        for item in built:
            identity.remember(record, item.episode.meta.guid, item.episode.slug, paths.absolute(podcast.config.base_url, item.main.name))
        identity.save_record(root, record)
        identity.save_feed_state(root, feed_state, podcast.config.guid, podcast.feed_url)
        if new_podcast_guid:
            remember_podcast_guid(root, podcast.config.guid)
        jingles = [episode_edits(root, podcast.config, e) for e in podcast.episodes]
        named = [root / podcast.config.cover, *(p for edits in jingles for p in (edits.intro, edits.outro) if p is not None)]
        build_stamp.save(root, output, {}, named, None if transcribed else before)  # draft transcripts: episodes/ walked again
        remove_unpublished_media(root, built)
        audio.remove_stale_audio(cache)
    log.info("site written to %s (%d unchanged files kept from the previous one)", output, writer.reused)
    return BuildResult(output=output, built=built, processed=processed, transcribed=transcribed)

