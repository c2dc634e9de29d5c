"""Reading a podcast folder: the configuration and every episode, validated together.

Nothing is written here. Every problem found is collected, and one
`PortevoixError` carries them all, so that the user sees the whole list at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.audio.cache import CACHE_DIR
from pipeline.audio.identity_cache import IdentityCache
from pipeline.source.config import PodcastConfig, load_config
from pipeline.source.episodes import Episode, load_episodes
from pipeline.source.episode_records import EpisodeRecords
from pipeline.source.static import STATIC_FOLDER, static_files
from pipeline.errors import ProblemCollector


@dataclass
class Podcast:
    root: Path
    config: PodcastConfig
    episodes: list[Episode]
    """Newest first."""

    @property
    def feed_url(self) -> str:
        return self.config.base_url + "feed.xml"


def load_podcast(root: Path, known: IdentityCache | None = None) -> Podcast:
    """Read and validate the podcast folder `root`.

    `known` keeps what was learnt about the recordings (their probes) across runs, so that an
    unchanged recording is not read again; by default the podcast's own cache, saved on return. An episode whose
    files are as when it was last read without a problem is not read again either (episode_records.py)."""
    own = known is None
    known = IdentityCache(root / CACHE_DIR) if known is None else known
    problems = ProblemCollector()
    config = load_config(root, problems, known)
    if config is None:
        # Episodes are read with the podcast's defaults; without them, say what is wrong with the config only.
        problems.raise_if_any()
    assert config is not None  # a podcast.yaml that cannot be read is a problem, raised above
    records = EpisodeRecords(root / CACHE_DIR)
    try:
        episodes = load_episodes(root, config, problems, known, records)
    finally:
        records.close()
        if own:
            known.save()
    problems.extend(static_files(root / STATIC_FOLDER, STATIC_FOLDER)[1])
    problems.raise_if_any()
    return Podcast(root=root, config=config, episodes=episodes)
