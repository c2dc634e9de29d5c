"""`portevoix import FEED`: an existing podcast becomes a portevoix podcast folder, as named steps.

1. Read the feed (an https address or a local file) and refuse what cannot be imported:
   an unreadable feed, duplicate GUIDs, a locked feed without its owner's e-mail.
2. Choose the episodes to create: those whose GUID no episode folder holds yet (so that
   running the import again on the same feed only adds what is new).
3. For each: fetch its chapters, transcript and cover (a failure is a warning naming the
   address; the import goes on), take its recording from `--media` or download it
   (resumable, compared with the enclosure's length), then write `episodes/<slug>/`.
4. The first time only: write `podcast.yaml` (with the podcast's guid, kept for life) and
   its cover.
5. Remember every imported GUID with its old enclosure address in `published.json`, and the
   podcast guid with the old feed address in `published-feed.json`, so that the identity
   guard rails know them: the first build warns once about the addresses that move.

The GUIDs are kept exactly: podcast apps must not download the episodes again.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import yaml

from pipeline import identity
from pipeline.errors import PortevoixError, Problem
from pipeline.importer import notes_html
from pipeline.importer.fetch import FetchError, download, fetch_bytes, is_web_address
from pipeline.importer.mapping import (
    AUDIO_TYPES, IMAGE_TYPES, ROLE_OF, TRANSCRIPT_KINDS, ascending, categories_of, chapters_json, config_of, file_name,
)
from pipeline.importer.reader import Chapter, FeedEpisode, FeedPodcast, parse_feed
from pipeline.media.images import cover_problems, generated_cover
from pipeline.source.config import CONFIG_FILE, podcast_guid
from pipeline.textfmt import CHAPTER_EXACT, clock
from pipeline.source.episodes import EPISODE_FILE, EPISODES_DIR, slugify, split_front_matter
from pipeline.source.transcripts import TranscriptError, parse as parse_transcript
from pipeline.source.yamlio import YamlError, parse_yaml

log = logging.getLogger(__name__)

@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    """Slugs of the episode folders created."""
    kept: int = 0
    """Episodes of the feed already in the folder, left as they are."""
    wrote_config: bool = False
    warnings: list[str] = field(default_factory=list)


def read_source(source: str) -> tuple[bytes, str]:
    """The feed's bytes and the address it was read from."""
    if is_web_address(source):
        try:
            return fetch_bytes(source, limit=50 * 1024 * 1024), source
        except FetchError as exc:
            raise PortevoixError(Problem(source, f"cannot be read: {exc}")) from None
    if "://" in source:
        raise PortevoixError(Problem(source, "is neither an http(s) address nor a file on this computer"))
    path = Path(source).expanduser()
    try:
        return path.read_bytes(), path.resolve().as_uri()
    except OSError as exc:
        raise PortevoixError(Problem(source, f"cannot be read ({exc.strerror or exc})")) from None


def existing_guids(root: Path) -> set[str]:
    """GUIDs of the episode folders already there (read from the front matter alone: cheap)."""
    guids = set()
    for path in sorted((root / EPISODES_DIR).glob(f"*/{EPISODE_FILE}")):
        try:
            front, _, _ = split_front_matter(path.read_text(encoding="utf-8"))
            data = parse_yaml(front)
        except (OSError, UnicodeDecodeError, YamlError):
            continue
        if isinstance(data, dict) and data.get("guid"):
            guids.add(str(data["guid"]))
    return guids


def refuse_locked(podcast: FeedPodcast, owner_email: str | None, shown: str) -> None:
    """A locked feed is imported only by its owner (podcast:locked, as Castopod does)."""
    if not podcast.locked:
        return
    owners = {e.strip().lower() for e in (podcast.locked_owner, podcast.owner_email) if e}
    if not owner_email:
        raise PortevoixError(Problem(shown, "the feed is locked by its owner (podcast:locked): if it is yours, give its owner's e-mail with --owner-email", "podcast:locked"))
    if owner_email.strip().lower() not in owners:
        raise PortevoixError(Problem(shown, f"the feed is locked by its owner (podcast:locked) and {owner_email} is not the owner's e-mail written in it", "podcast:locked"))


class Importer:
    """One import: the feed, the folder it goes into, where media may already be."""

    def __init__(self, root: Path, podcast: FeedPodcast, media_dir: Path | None, shown: str):
        self.root = root
        self.podcast = podcast
        self.media_dir = media_dir
        self.shown = shown
        self.result = ImportResult()

    def warn(self, url: str, why: str, instead: str) -> None:
        line = f"warning: {url}: {why}; {instead}"
        self.result.warnings.append(line)
        log.warning("%s", line)

    def fetch(self, url: str, what: str, instead: str) -> bytes | None:
        try:
            return fetch_bytes(url)
        except FetchError as exc:
            self.warn(url, f"the {what} cannot be fetched ({exc})", instead)
            return None

    def local_media(self, episode: FeedEpisode) -> Path | None:
        """A file of --media for this episode: same file name as the enclosure, or named by the GUID."""
        if self.media_dir is None:
            return None
        name = unquote(PurePosixPath(urlsplit(episode.enclosure.url).path).name)
        candidates = [self.media_dir / name] if name else []
        safe_guid = slugify(episode.guid)
        candidates += sorted(p for p in self.media_dir.iterdir() if p.is_file() and safe_guid and slugify(p.stem) == safe_guid)
        return next((p for p in candidates if p.is_file()), None)

    def local_file(self, url: str) -> Path | None:
        """A file of --media with the name `url` ends in (for covers, chapters, transcripts)."""
        if self.media_dir is None:
            return None
        name = unquote(PurePosixPath(urlsplit(url).path).name)
        path = self.media_dir / name if name else None
        return path if path is not None and path.is_file() else None

    def linked(self, url: str, what: str, instead: str) -> bytes | None:
        local = self.local_file(url)
        if local is not None:
            return local.read_bytes()
        return self.fetch(url, what, instead)

    def recording(self, episode: FeedEpisode, folder: Path, slug: str) -> str:
        """Copy or download the episode's audio into its folder; the file name written."""
        suffix = AUDIO_TYPES.get(episode.enclosure.type, ".mp3")
        name = file_name(episode.enclosure.url, "enregistrement", suffix)
        target = folder / name
        local = self.local_media(episode)
        if local is not None:
            shutil.copyfile(local, target)
            log.info("%s: recording copied from %s", slug, local)
            return name
        try:
            size = download(episode.enclosure.url, target, f"{slug}: downloading")
        except FetchError as exc:
            raise PortevoixError(Problem(self.shown, f"the audio {episode.enclosure.url} cannot be downloaded ({exc})", f'"{episode.title}"')) from None
        if episode.length and size != episode.length:
            self.warn(episode.enclosure.url, f"{size} bytes downloaded, the feed announced {episode.length}", "the downloaded file is kept (feeds often carry stale lengths)")
        return name

    def chapters(self, episode: FeedEpisode) -> list[Chapter]:
        if episode.chapters_url and episode.chapters_url.url:
            data = self.linked(episode.chapters_url.url, "chapters file", "the Podlove chapters of the feed are used, if any" if episode.chapters else "the episode has no chapters")
            if data is not None:
                try:
                    return ascending(chapters_json(data))
                except (ValueError, UnicodeDecodeError, AttributeError):
                    self.warn(episode.chapters_url.url, "the chapters file is not JSON chapters", "the episode has no chapters from it")
        return ascending(episode.chapters)

    def transcript(self, episode: FeedEpisode, folder: Path) -> str | None:
        by_kind = {t.type: t for t in episode.transcripts}
        for kind, extension in TRANSCRIPT_KINDS:
            link = by_kind.get(kind)
            if link is None:
                continue
            data = self.linked(link.url, "transcript", "the episode has no transcript")
            if data is None:
                continue
            try:
                text = data.decode("utf-8-sig")
                if not parse_transcript(text, extension):
                    raise TranscriptError("no cue")
            except (UnicodeDecodeError, TranscriptError) as exc:
                self.warn(link.url, f"the transcript cannot be read ({exc})", "the episode has no transcript")
                continue
            name = "transcript" + extension
            (folder / name).write_text(text.replace("\r\n", "\n"), encoding="utf-8")
            return name
        return None

    def cover(self, url: str | None, folder: Path, stem: str) -> str | None:
        """Fetch a cover into `folder`; its name, or None when it is missing or not usable."""
        if not url:
            return None
        instead = "a generated cover is used" if stem == "cover" else "the podcast's cover is used"
        data = self.linked(url, "cover", instead)
        if data is None:
            return None
        suffix = next((s for magic, s in IMAGE_TYPES.items() if data.startswith(magic)), None)
        if suffix is None:
            self.warn(url, "the cover is not a JPEG or PNG picture", instead)
            return None
        path = folder / (stem + suffix)
        path.write_bytes(data)
        problems = cover_problems(path)
        if problems:
            path.unlink()
            self.warn(url, f"the cover {problems[0]}", instead)
            return None
        return path.name

    def front_matter(self, episode: FeedEpisode, recording: str, chapters: list[Chapter], transcript: str | None, cover: str | None) -> dict:
        meta: dict = {
            "title": episode.title[:255],
            "date": episode.published.isoformat(),
            "recording": recording,
            "guid": episode.guid,
            "summary": (episode.summary or notes_html.to_summary(episode.notes_html))[:4000],
        }
        speakers = [
            {"name": p.name[:128], "role": ROLE_OF.get(p.role, "guest"), **({"url": p.href} if p.href and p.href.startswith("https://") else {})}
            for p in episode.persons
        ]
        if speakers:
            meta["speakers"] = speakers
        if episode.location is not None:
            meta["venue"] = {"name": episode.location.name[:128], **({"geo": episode.location.geo} if episode.location.geo else {}), **({"osm": episode.location.osm} if episode.location.osm else {})}
        if chapters:
            meta["chapters"] = [{"start": clock(c.start, CHAPTER_EXACT), "title": c.title[:255], **({"url": c.url} if c.url else {})} for c in chapters]
        for key, value in (("season", episode.season), ("episode", episode.number), ("explicit", episode.explicit), ("cover", cover), ("transcript", transcript), ("license", episode.licence)):
            if value is not None:
                meta[key] = value
        if episode.episode_type != "full":
            meta["episode_type"] = episode.episode_type
        return meta

    def episode(self, episode: FeedEpisode, taken: set[str]) -> str:
        """Create `episodes/<date>-<title>/`; its slug. Nothing is left half-made on failure."""
        base = f"{episode.published.date().isoformat()}-{slugify(episode.title) or 'episode'}"
        slug, number = base, 2
        while slug in taken or (self.root / EPISODES_DIR / slug).exists():
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        folder = self.root / EPISODES_DIR / slug
        staging = self.root / EPISODES_DIR / f".{slug}.importing"
        staging.mkdir(parents=True, exist_ok=True)  # kept across runs: a download there resumes
        recording = self.recording(episode, staging, slug)
        chapters = self.chapters(episode)
        transcript = self.transcript(episode, staging)
        cover = self.cover(episode.image, staging, "couverture") if episode.image and episode.image != self.podcast.image else None
        meta = self.front_matter(episode, recording, chapters, transcript, cover)
        notes = notes_html.to_markdown(episode.notes_html) or ""
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n" + notes.strip() + "\n"
        (staging / EPISODE_FILE).write_text(text, encoding="utf-8")
        for leftover in staging.glob(".*.part"):
            leftover.unlink()
        staging.rename(folder)
        return slug

    def config(self, base_url: str | None, owner_email: str | None, guid: str) -> None:
        """Write podcast.yaml and the cover, from the feed's channel."""
        podcast = self.podcast
        categories, unknown = categories_of(podcast)
        for category in unknown:
            self.warn(self.shown, f'the category "{category}" is not on Apple\'s list', "it is left out (choose one in podcast.yaml)")
        cover = self.cover(podcast.image, self.root, "cover")
        if cover is None:
            cover = "cover.jpg"
            (self.root / cover).write_bytes(generated_cover(podcast.title, podcast.author or podcast.owner_name))
            self.warn(podcast.image or self.shown, "no usable cover", f"a generated one is written to {cover}: replace it with the podcast's own")
        config = config_of(podcast, categories, cover, base_url, owner_email)
        header = (
            f"# Imported from {podcast.feed_url} ({podcast.generator or 'unknown generator'}) by 'portevoix import'.\n"
            "# base_url is where portevoix will publish: change it if it is not the right address yet.\n"
        )
        body = yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000)
        identity_line = f'# Podcasting 2.0 identity of the podcast, kept from the old feed: never change it.\nguid: "{guid}"\n'
        (self.root / CONFIG_FILE).write_text(header + body + identity_line, encoding="utf-8")
        self.result.wrote_config = True


def remember_import(root: Path, podcast: FeedPodcast, imported: list[FeedEpisode], guid: str) -> None:
    """The old addresses, so that the identity guard rails know them (published.json, published-feed.json)."""
    record = identity.load_record(root)
    for episode in imported:
        entry = record.setdefault(episode.guid, identity.PublishedEpisode(guid=episode.guid))
        if episode.enclosure.url not in entry.enclosures:
            entry.enclosures.append(episode.enclosure.url)
        entry.imported = episode.enclosure.url
    identity.save_record(root, record)
    if identity.load_feed_state(root) is None:
        newest = max((e.published for e in podcast.episodes), default=dt.datetime.now(dt.timezone.utc))
        identity.save_imported_feed_state(root, guid, podcast.feed_url, newest)


def import_podcast(root: Path, source: str, *, media_dir: Path | None = None, owner_email: str | None = None, base_url: str | None = None) -> ImportResult:
    data, address = read_source(source)
    podcast = parse_feed(data, source, address)
    refuse_locked(podcast, owner_email, source)
    if media_dir is not None and not media_dir.is_dir():
        raise PortevoixError(Problem(str(media_dir), "is not a folder (--media names the folder holding the episodes' audio files)"))
    root.mkdir(parents=True, exist_ok=True)
    have = existing_guids(root)
    new = [e for e in podcast.episodes if e.guid not in have]
    importer = Importer(root, podcast, media_dir, source)
    for problem in podcast.skipped:
        importer.result.warnings.append(f"warning: {problem}")
        log.warning("warning: %s", problem)
    importer.result.kept = len(podcast.episodes) - len(new)
    guid = podcast.guid or podcast_guid(podcast.feed_url)
    if not (root / CONFIG_FILE).exists():
        importer.config(base_url, owner_email, guid)
    taken: set[str] = set()
    done: list[FeedEpisode] = []
    try:
        for episode in new:
            importer.result.created.append(importer.episode(episode, taken))
            done.append(episode)
    finally:
        remember_import(root, podcast, done, guid)
    return importer.result

