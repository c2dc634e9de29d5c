"""Where things go in the site, and the public URLs they get. One place decides."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.audio import ProcessedAudio
from pipeline.episodes import Episode
from pipeline.media import MediaFile

FEED = "feed.xml"
INDEX = "index.html"
STATIC = "static"


def episode_page(slug: str) -> str:
    return f"episodes/{slug}/"


def media_file(slug: str, extension: str) -> str:
    return f"media/{slug}.{extension}"


def cover_file(extension: str) -> str:
    return f"cover.{extension}"


@dataclass
class BuiltEpisode:
    """An episode and what the build made of it."""

    episode: Episode
    audio: ProcessedAudio
    mp3: MediaFile
    extra_media: dict[str, MediaFile] = field(default_factory=dict)

    @property
    def page(self) -> str:
        return episode_page(self.episode.slug)


def absolute(base_url: str, path: str) -> str:
    return base_url + path
