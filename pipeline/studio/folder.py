"""The podcast folder as the studio's pages read it: an episode's folder by name, its recording, check's problems.

Every path comes from the folder itself (episode.md names the recording), never from the browser, and is
looked up only inside the podcast folder, links resolved (guard.inside_folder).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import render_template

from pipeline.audio.cache import CACHE_DIR
from pipeline.audio.identity_cache import IdentityCache
from pipeline.audio.probe import ProbeError, RecordingInfo
from pipeline.errors import ProblemCollector
from pipeline.i18n import say
from pipeline.source.config import load_config
from pipeline.source.episodes import EPISODE_FILE, EPISODES_DIR, known_probe, load_episode
from pipeline.source.yamlio import YamlError
from pipeline.studio import roundtrip
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


@dataclass
class Opened:
    folder: Path
    source: roundtrip.EpisodeText
    recording: Path | None


def open_episode(root: Path, name: str) -> Opened | tuple[Any, int]:
    """The episode folder, its episode.md and its recording (None when it is not a file of the folder),
    or the page that refuses (404 for no such episode, 422 for an episode.md that cannot be read)."""
    folder = episode_folder(root, name)
    if folder is None:
        return render_template("refused.html", message=say("studio_not_found")), 404
    try:
        source = roundtrip.read_episode(folder / EPISODE_FILE)
    except (YamlError, OSError) as exc:
        return render_template("broken.html", file=f"{EPISODES_DIR}/{name}/{EPISODE_FILE}", message=str(exc)), 422
    return Opened(folder, source, episode_file(root, folder, source.front.get("recording")))


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
