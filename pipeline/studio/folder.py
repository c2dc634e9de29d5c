"""The podcast folder as the studio's pages read it: an episode's folder by name, its recording, check's problems.

Every path comes from the folder itself (episode.md names the recording), never from the browser, and is
looked up only inside the podcast folder, links resolved (guard.inside_folder).
"""

from __future__ import annotations

from pathlib import Path

from pipeline.audio.cache import CACHE_DIR
from pipeline.audio.identity_cache import IdentityCache
from pipeline.audio.probe import ProbeError, RecordingInfo
from pipeline.errors import ProblemCollector
from pipeline.i18n import say
from pipeline.source.config import load_config
from pipeline.source.episodes import EPISODE_FILE, EPISODES_DIR, known_probe, load_episode
from pipeline.studio.guard import inside_folder


def episode_folder(root: Path, name: str) -> Path | None:
    """episodes/<name>/ when it is an episode folder inside the podcast folder, else None."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    found = inside_folder(root, f"{EPISODES_DIR}/{name}/{EPISODE_FILE}")
    if found is None or not found.is_file() or found.parent.parent != (root / EPISODES_DIR).resolve():
        return None
    return found.parent


def episode_file(root: Path, folder: Path, name: object) -> Path | None:
    """The file `name` (as episode.md writes it) when it is a regular file inside the episode folder, else None."""
    if not isinstance(name, str) or not name:
        return None
    found = inside_folder(root, f"{EPISODES_DIR}/{folder.name}/{name}")
    if found is None or not found.is_relative_to(folder.resolve()) or not found.is_file():
        return None
    return found


def episode_problems(root: Path, folder: Path) -> list[tuple[str, str]]:
    """The problems `portevoix check` finds in this episode, as (field, message)."""
    problems = ProblemCollector()
    config = load_config(root, problems)
    if config is None:
        return [("", say("studio_config_first"))]
    problems = ProblemCollector()
    known = IdentityCache(root / CACHE_DIR)
    load_episode(root, folder, config, problems, known)
    known.save(prune=False)  # the other episodes' probes stay known (check would probe them again)
    return [(p.field or "", p.message) for p in problems.problems]


def recording_info(root: Path, recording: Path) -> RecordingInfo | None:
    """The probe of a recording, from the identity cache (kept there when it was not); None when unreadable."""
    known = IdentityCache(root / CACHE_DIR)
    try:
        return known_probe(recording, known)
    except ProbeError:
        return None
    finally:
        known.save(prune=False)
