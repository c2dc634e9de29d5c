"""What an old feed's fields become in a portevoix podcast folder: podcast.yaml's values, categories, chapters, file names.

Pure functions of what `reader.py` parsed; `steps.py` fetches and writes.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from pipeline.importer import notes_html
from pipeline.importer.reader import Chapter, FeedPodcast
from pipeline.source.config import apple_category_problem
from pipeline.source.episodes import slugify

AUDIO_TYPES = {"audio/mpeg": ".mp3", "audio/mp3": ".mp3", "audio/x-m4a": ".m4a", "audio/mp4": ".m4a", "audio/aac": ".aac", "audio/ogg": ".ogg", "audio/opus": ".opus", "audio/flac": ".flac", "audio/wav": ".wav", "audio/x-wav": ".wav"}
IMAGE_TYPES = {b"\xff\xd8\xff": ".jpg", b"\x89PNG": ".png"}
TRANSCRIPT_KINDS = (("text/vtt", ".vtt"), ("application/x-subrip", ".srt"), ("application/srt", ".srt"), ("text/srt", ".srt"))

# Categories Apple renamed in 2019, as old feeds still write them.
OLD_CATEGORIES = {
    "Games & Hobbies": "Leisure",
    "Science & Medicine": "Science",
    "News & Politics": "News > Politics",
    "Society & Culture > Philosophy": "Society & Culture > Philosophy",
    "Government & Organizations": "Government",
    "Religion & Spirituality > Spirituality": "Religion & Spirituality > Spirituality",
    "Technology > Podcasting": "Technology",
    "Technology > Tech News": "News > Tech News",
    "Education > Educational Technology": "Education",
    "Arts > Literature": "Arts > Books",
}

# Podcasting 2.0 roles as the debate roles of an episode (episode_meta.ROLES).
ROLE_OF = {"host": "host", "co-host": "co-host", "guest": "guest", "guest host": "co-host", "producer": "producer", "editor": "editor", "audio editor": "editor", "audio engineer": "sound engineer", "sound designer": "sound engineer"}


def chapters_json(data: bytes) -> list[Chapter]:
    """The chapters of a Podcasting 2.0 JSON chapters file (those in its table of contents, with a start and a title)."""
    document = json.loads(data.decode("utf-8"))
    chapters = []
    for entry in document.get("chapters", []):
        if not isinstance(entry, dict) or entry.get("toc") is False:
            continue
        start, title = entry.get("startTime"), str(entry.get("title") or "").strip()
        if isinstance(start, (int, float)) and start >= 0 and title:
            url = entry.get("url")
            chapters.append(Chapter(float(start), title, url if isinstance(url, str) and url.startswith("https://") else None))
    return chapters


def ascending(chapters: list[Chapter]) -> list[Chapter]:
    """Chapters by start, one per start."""
    kept: list[Chapter] = []
    for chapter in sorted(chapters, key=lambda c: c.start):
        if not kept or chapter.start > kept[-1].start:
            kept.append(chapter)
    return kept


def file_name(url: str, fallback: str, suffix: str) -> str:
    """A safe file name for what `url` names: its last path part, or `fallback`, with a suffix."""
    name = unquote(PurePosixPath(urlsplit(url).path).name)
    stem = slugify(PurePosixPath(name).stem) or fallback
    extension = PurePosixPath(name).suffix.lower()
    return stem[:60] + (extension if extension in (suffix, ".mp3", ".m4a", ".ogg", ".opus", ".flac", ".wav", ".aac", ".mp4") else suffix)


def https_base(url: str) -> str | None:
    """The https:// address of a site named in the feed (its link), as a base_url."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"https://{parts.netloc}{parts.path.rstrip('/')}/"


def categories_of(podcast: FeedPodcast) -> tuple[list[str], list[str]]:
    """(the feed's categories as Apple lists them today, those that are not on Apple's list)."""
    categories, unknown = [], []
    for category in podcast.categories:
        category = OLD_CATEGORIES.get(category, category)
        if apple_category_problem(category) is None:
            categories.append(category)
        elif apple_category_problem(category.split(">")[0].strip()) is None:
            categories.append(category.split(">")[0].strip())
        else:
            unknown.append(category)
    return categories, unknown


def config_of(podcast: FeedPodcast, categories: list[str], cover: str, base_url: str | None, owner_email: str | None) -> dict:
    """podcast.yaml's values, from the feed's channel."""
    address = base_url or https_base(podcast.link) or "https://example.org/"
    config: dict = {
        "title": podcast.title[:255],
        "description": notes_html.to_summary(podcast.description) or podcast.title,
        "author": (podcast.author or podcast.owner_name or podcast.title)[:255],
        "owner": {"name": podcast.owner_name or podcast.author or podcast.title, "email": owner_email or podcast.owner_email or "contact@example.org"},
        "language": podcast.language or "fr",
        "base_url": address,
        "categories": categories[:1] or ["Society & Culture"],
        "explicit": podcast.explicit,
        "cover": cover,
        "type": podcast.type,
    }
    if podcast.licence:
        config["license"] = podcast.licence
    if podcast.persons:
        config["hosts"] = [{"name": p.name[:128], **({"role": p.role} if p.role else {}), **({"url": p.href} if p.href and p.href.startswith("https://") else {})} for p in podcast.persons]
    if podcast.funding:
        config["funding"] = [{"url": url, "text": (text or "Soutenir")[:128]} for url, text in podcast.funding if url.startswith("https://")]
    if podcast.location is not None:
        config["location"] = {"name": podcast.location.name[:128], **({"geo": podcast.location.geo} if podcast.location.geo else {}), **({"osm": podcast.location.osm} if podcast.location.osm else {})}
    return config
