"""An episode and what the build made of it: its processed audio, its tagged media files (one per format) and
its soundbite clips.

What the feed, the pages and the sidecars are rendered from (`build.process_audio` makes them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.audio import ProcessedAudio
from pipeline.audio import published_time as moved_time
from pipeline.media.clips import Clip
from pipeline.media.formats import FORMATS, MAIN, Format, main_format
from pipeline.media.tagged import MediaFile
from pipeline.paths import episode_page
from pipeline.source.episodes import Episode


def published_time(audio: ProcessedAudio, seconds: float) -> float:
    """A time in the raw recording as a time in the processed audio (dead air and cuts move it back, an intro forward)."""
    return max(0.0, min(moved_time(audio, seconds), audio.duration))


@dataclass
class BuiltEpisode:
    """An episode and what the build made of it."""

    episode: Episode
    audio: ProcessedAudio
    media: dict[str, MediaFile]
    """{format name: the tagged file}, the main format (the feed's enclosure) first; see media/formats.py."""
    clips: list[Clip] = field(default_factory=list)
    """The soundbites as clips of their own (media/clips.py)."""

    @property
    def main(self) -> MediaFile:
        """The feed's enclosure (MP3)."""
        return self.media[main_format().name]

    @property
    def alternates(self) -> list[tuple[Format, MediaFile]]:
        """The other formats (Opus, AAC…): podcast:alternateEnclosure, page player sources."""
        return [(FORMATS[name], m) for name, m in self.media.items() if FORMATS[name].role != MAIN]

    @property
    def offered(self) -> list[tuple[Format, MediaFile]]:
        """What pages offer (player sources, downloads): the small formats first, the main file (MP3) last,
        as every browser plays it."""
        return [*self.alternates, (main_format(), self.main)]

    def published_time(self, seconds: float) -> float:
        """A time in the raw recording (chapters, transcript cues, soundbites) as a time in the published audio."""
        return published_time(self.audio, seconds)

    @property
    def page(self) -> str:
        return episode_page(self.episode.slug)
