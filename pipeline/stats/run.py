"""`portevoix stats`: from the web server's access logs to a private report, in named steps.

1. Read the podcast folder: the episodes, the site's address, its timezone.
2. Know the media files: each episode's published files (the site's layout) and
   how many bytes of each make about one minute of audio.
3. Read what earlier runs left (stats/state.json): counts and where to read on.
4. Stream the logs (oldest first), through the counting rules; close the days that are over.
5. Write the state, the report (stats/index.html) and, if asked, the CSV.
"""

from __future__ import annotations

import datetime as dt
import logging
import time as clock
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pipeline import paths
from pipeline.build import OUTPUT_DIR
from pipeline.errors import PortevoixError, Problem
from pipeline.i18n import say
from pipeline.media.formats import chosen
from pipeline.source.fields import near_miss
from pipeline.source.load import Podcast, load_podcast
from pipeline.stats import report
from pipeline.stats.agents import load_agents
from pipeline.stats.counting import DayCounter, MediaFile, MediaIndex
from pipeline.stats.logs import LogFile, TimeParser, merged, survey
from pipeline.fsutil import write_atomically
from pipeline.stats.state import STATE_FILE, State, load_state
from pipeline.stats.thresholds import threshold_of_bitrate, threshold_of_file

log = logging.getLogger(__name__)

STATS_DIR = "stats"
REPORT_FILE = "index.html"
AGENTS_DIR = "user-agents"


@dataclass
class StatsResult:
    report: Path
    csv: Path | None
    files: int
    lines: int
    """Lines read in this run (the new ones, and those of a day still open, read again)."""
    requests: int
    """Requests for media files among them."""
    downloads: int
    """Downloads in the report (after --since and --episode)."""
    provisional: list[dt.date]
    warnings: list[str]
    """Files with no line in a known format (not an access log, or a format of its own)."""


def media_index(podcast: Podcast) -> MediaIndex:
    """Every published media file of every episode, with its one-minute threshold."""
    site = podcast.root / OUTPUT_DIR
    files = {}
    for episode in podcast.episodes:
        for fmt in chosen(podcast.config.formats):
            name = paths.media_file(episode.slug, fmt.extension)
            threshold = threshold_of_file(site / name, fmt.name) if (site / name).is_file() else None
            if threshold is None:
                threshold = threshold_of_bitrate(fmt.bitrate(episode.preset, episode.info.channels))
            files[name] = MediaFile(episode.slug, fmt.name, threshold)
    prefixes = [urlsplit(podcast.config.base_url).path or "/"]
    for target in (podcast.config.publish or {}).values():
        prefix = target.log_prefix()
        if prefix is not None:
            prefixes.append(prefix)
    return MediaIndex(files, prefixes)


def log_files(arguments: list[Path]) -> list[LogFile]:
    """The files named, the files inside a folder named (S3 writes many small ones); a missing one is an error."""
    problems = []
    found: list[Path] = []
    for argument in arguments:
        if argument.is_dir():
            found.extend(sorted(p for p in argument.iterdir() if p.is_file() and not p.name.startswith(".")))
        elif argument.is_file():
            found.append(argument)
        else:
            problems.append(Problem(str(argument), say("stats_no_log")))
    if problems:
        raise PortevoixError(*problems)
    return [LogFile(path, index) for index, path in enumerate(found)]


def run_stats(
    root: Path,
    logs: list[Path],
    output: Path | None = None,
    csv_path: Path | None = None,
    since: dt.date | None = None,
    episode: str | None = None,
    now: float | None = None,
) -> StatsResult:
    # 1. The podcast.
    podcast = load_podcast(root)
    titles = {e.slug: e.meta.title for e in podcast.episodes}
    if episode is not None and episode not in titles:
        raise PortevoixError(Problem("--episode", say("stats_no_episode", slug=episode) + near_miss(episode, list(titles))))
    folder = output or root / STATS_DIR
    # 2. The media files; 3. what earlier runs left.
    media = media_index(podcast)
    agents = load_agents(folder / AGENTS_DIR)
    state = load_state(folder, podcast.config.timezone)
    # 4. The logs, oldest first.
    files = log_files(logs)
    times = TimeParser()
    for log_file in files:
        survey(log_file, times)
        if log_file.fingerprint in state.files:
            log_file.start = state.files[log_file.fingerprint]
    unreadable = [Problem(str(f.path), say("stats_unreadable_log", reason=f.problem)) for f in files if f.problem]
    if unreadable:
        raise PortevoixError(*unreadable)
    counter = DayCounter(media, agents, podcast.config.tz, set(state.counted_days))
    for request in merged(files, media.wanted, times):
        counter.add(request)
    broken = [Problem(str(f.path), say("stats_unreadable_log", reason=f.problem)) for f in files if f.problem]
    if broken:
        # A file that breaks halfway (a damaged .gz): nothing is written, the previous state stays.
        raise PortevoixError(*broken)
    counter.close_before(int(now if now is not None else clock.time()))
    # 5. What is kept, and the report.
    new_state = State(
        timezone=podcast.config.timezone,
        downloads=state.downloads + counter.closed,
        excluded=state.excluded + counter.excluded,
        counted_days=state.counted_days | counter.closed_days,
        files=dict(state.files),
    )
    resume = counter.resume_offsets()
    for log_file in files:
        if log_file.fingerprint:
            new_state.files[log_file.fingerprint] = resume.get(log_file.index, log_file.end)
    provisional_counts = counter.still_open()
    everything = new_state.downloads + provisional_counts
    rows = report.rows_of(everything, since, episode)
    provisional = sorted({date for date, _, _ in provisional_counts if since is None or date >= since})
    write_atomically(folder / STATE_FILE, new_state.to_json() + "\n")
    page = report.render_report(
        rows, titles, new_state.excluded, provisional, agents.described, podcast.config.title, podcast.config.language
    )
    write_atomically(folder / REPORT_FILE, page)
    if csv_path is not None:
        write_atomically(csv_path, report.render_csv(rows))
    return StatsResult(
        report=folder / REPORT_FILE,
        csv=csv_path,
        files=len(files),
        lines=sum(f.lines for f in files),
        requests=counter.requests,
        downloads=sum(row.downloads for row in rows),
        provisional=provisional,
        warnings=[f"{f.path}: {say('stats_unknown_format')}" for f in files if f.lines and not f.fingerprint and f.start == 0],
    )
