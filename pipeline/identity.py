"""The record of what earlier builds announced: every episode GUID, with its addresses; the podcast's guid.

`published.json` lives in the podcast folder and is meant to be committed with
the episodes. It remembers, for each GUID, every slug and enclosure URL it has
had, so that a renamed episode can leave a redirect at its old address and the
build can refuse what would break podcast apps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.plain import plain
from pipeline.fsutil import pieces, write_atomically
from pipeline import paths
from pipeline.source.config import CONFIG_FILE, podcast_guid
from pipeline.errors import PortevoixError, Problem
from pipeline.i18n import unreadable
from pipeline.feed.sidecars import transcript_problems
from pipeline.i18n import say
from pipeline.media.formats import main_format

if TYPE_CHECKING:
    from pipeline.audio.identity_cache import IdentityCache

log = logging.getLogger(__name__)

RECORD_FILE = "published.json"
FEED_STATE_FILE = "published-feed.json"


@dataclass
class PublishedEpisode:
    guid: str
    slugs: list[str] = field(default_factory=list)
    """Every slug the episode has had, oldest first; the last is the current one."""
    enclosures: list[str] = field(default_factory=list)
    """Every enclosure URL announced for it, oldest first."""
    imported: str | None = None
    """The enclosure URL it had on the host it was imported from (`portevoix import`), if it was."""


SLUG_FORM = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
"""What slugify makes: an old slug of published.json must look like one (".." would name a page outside episodes/)."""
CONFLICT_MARKER = re.compile(r"^(<{7}|={7}|>{7})( |$)", re.M)


def load_record(root: Path) -> dict[str, PublishedEpisode]:
    """published.json, checked: a file that git left in conflict, damaged JSON or a slug that is not one is one line each."""
    path = root / RECORD_FILE
    if not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PortevoixError(Problem(RECORD_FILE, unreadable(exc) if isinstance(exc, OSError) else "is not UTF-8 text: take it back from git")) from None
    if CONFLICT_MARKER.search(text):
        raise PortevoixError(Problem(RECORD_FILE, "holds git conflict markers (<<<<<<<, =======, >>>>>>>): resolve the conflict, "
                                                  "keeping the slugs and enclosures of both sides, then run the command again"))
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = f"line {exc.lineno}: " if hasattr(exc, "lineno") else ""
        raise PortevoixError(Problem(RECORD_FILE, f"{line}is not valid JSON ({getattr(exc, 'msg', exc)}): fix it, or take it back from git")) from None
    problems: list[Problem] = []
    episodes = data.get("episodes") if isinstance(data, dict) else None
    if not isinstance(episodes, dict):
        raise PortevoixError(Problem(RECORD_FILE, 'must hold {"episodes": {GUID: {"slugs": [...], "enclosures": [...]}}}: take it back from git'))
    record = {}
    for guid, entry in episodes.items():
        where = f"episodes.{guid}"
        if not isinstance(entry, dict) or set(entry) - {"slugs", "enclosures", "imported"}:
            problems.append(Problem(RECORD_FILE, 'must hold "slugs" and "enclosures" lists only (and "imported", the address an import came from)', where))
            continue
        imported = entry.get("imported")
        if imported is not None and not isinstance(imported, str):
            problems.append(Problem(RECORD_FILE, '"imported" must be the text of an address', where))
            continue
        slugs, enclosures = entry.get("slugs", []), entry.get("enclosures", [])
        if not isinstance(slugs, list) or not isinstance(enclosures, list) or not all(isinstance(v, str) for v in [*slugs, *enclosures]):
            problems.append(Problem(RECORD_FILE, '"slugs" and "enclosures" must be lists of text', where))
            continue
        for slug in slugs:
            if not SLUG_FORM.fullmatch(slug):
                problems.append(Problem(RECORD_FILE, f"{json.dumps(slug, ensure_ascii=False)} is not an episode address "
                                                     "(lowercase letters, digits and -): fix it, or take the file back from git", f"{where}.slugs"))
        record[guid] = PublishedEpisode(guid=guid, slugs=list(slugs), enclosures=list(enclosures), imported=imported)
    if problems:
        raise PortevoixError(*problems)
    return record


@dataclass
class Published:
    """What earlier builds announced, read once per build and given to the stages that need it."""

    record: dict[str, PublishedEpisode]
    """published.json: every episode GUID with its slugs and enclosure addresses."""
    feed_state: dict | None
    """published-feed.json: the feed's content digest, when it last changed, the podcast guid announced (None: none yet)."""


def load_published(root: Path) -> Published:
    """published.json and published-feed.json, checked (see load_record)."""
    return Published(record=load_record(root), feed_state=load_feed_state(root))


def remember(record: dict[str, PublishedEpisode], guid: str, slug: str, enclosure: str) -> None:
    entry = record.setdefault(guid, PublishedEpisode(guid=guid))
    if not entry.slugs or entry.slugs[-1] != slug:
        if slug in entry.slugs:
            entry.slugs.remove(slug)
        entry.slugs.append(slug)
    if enclosure not in entry.enclosures:
        entry.enclosures.append(enclosure)


def save_record(root: Path, record: dict[str, PublishedEpisode]) -> None:
    """Write the record atomically, sorted, so that its diffs are readable in git."""
    data = {"episodes": {guid: {k: v for k, v in plain(e).items() if k != "guid" and v is not None} for guid, e in sorted(record.items())}}
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    path = root / RECORD_FILE
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    write_atomically(path, text, mode=0o644)


def identity_problems(record: dict[str, PublishedEpisode], current: list[tuple[str, str, str, str]]) -> tuple[list[Problem], list[Problem], list[Problem]]:
    """(refusals, enclosure changes, moves of imported episodes) for the episodes about to be published.

    `current` holds (episode file, guid, slug, enclosure URL) for each episode. Refused: an
    episode whose slug or enclosure an earlier build announced under another GUID that no episode holds
    any more (its GUID was changed: apps would download it again as a new episode).
    Reported apart: an episode whose enclosure URL differs from the one last published, and
    an imported episode leaving the address it had on its old host (expected: one warning).
    """
    refusals: list[Problem] = []
    changes: list[Problem] = []
    moves: list[Problem] = []
    guids_now = {guid for _, guid, _, _ in current}
    by_slug: dict[str, str] = {}
    by_enclosure: dict[str, str] = {}
    for entry in record.values():
        if entry.slugs:
            by_slug[entry.slugs[-1]] = entry.guid
        for url in entry.enclosures:
            by_enclosure[url] = entry.guid
    for source, guid, slug, enclosure in current:
        previous = by_slug.get(slug) or by_enclosure.get(enclosure)
        if previous and previous != guid and previous not in guids_now:
            refusals.append(
                Problem(
                    source,
                    say("episode_guid_announced", guid=previous),
                    "guid",
                )
            )
            continue
        known = record.get(guid)
        if known and known.enclosures and known.enclosures[-1] != enclosure:
            if known.imported == known.enclosures[-1]:
                moves.append(Problem(source, f"imported: its audio moves from {known.imported} to {enclosure}"))
            else:
                changes.append(Problem(source, f"the audio address changes from {known.enclosures[-1]} to {enclosure}"))
    return refusals, changes, moves


_LAST_BUILD = re.compile(rb"<lastBuildDate>[^<]*</lastBuildDate>")
ENCODER_BYTES = (
    re.compile(rb' (length|bitrate)="\d+"'),
    re.compile(rb"<podcast:integrity [^>]*/>"),
    re.compile(rb"<itunes:duration>[^<]*</itunes:duration>"),
)
"""What the audio encoder decides, byte for byte: file lengths, bitrates, checksums, durations. Another ffmpeg,
LAME or Opus version (another machine) makes other bytes from the same recording, so these are left out of the
digest: published-feed.json, which is committed, stays the same on every machine."""


def feed_content_digest(feeds: Mapping[str, bytes | Path]) -> str:
    """Digest of the feed pages without their lastBuildDate and what the encoder decides (ENCODER_BYTES): what the
    podcast's own files say, the same on any machine. A page is its bytes or the file that holds them (a build's
    pages, see rss.render): read in pieces cut before each <item>, which none of the patterns above can span,
    without copying or holding a feed of ten thousand items."""
    digest = hashlib.sha256()
    for name in sorted(feeds):
        digest.update(name.encode() + b"\0")
        for text in pieces(feeds[name], b"<item>"):
            text = _LAST_BUILD.sub(b"", text)
            for pattern in ENCODER_BYTES:
                text = pattern.sub(b"", text)
            digest.update(text)
        digest.update(b"\0")
    return digest.hexdigest()


def feed_changed_at(state: dict | None, digest: str, newest: dt.datetime, now: dt.datetime) -> dt.datetime:
    """The feed's lastBuildDate: when its content last changed, never later than needed.

    The first build of a podcast uses the newest episode's date. Afterwards the date moves
    only when the content changes (remembered in published-feed.json with its digest), so
    that the same input always gives the same bytes. `state`: published-feed.json (Published.feed_state).
    """
    if state is None or not state.get("digest"):
        return newest
    if state["digest"] == digest:
        return dt.datetime.fromisoformat(state["changed"])
    return max(newest, now.replace(microsecond=0))


def load_feed_state(root: Path) -> dict | None:
    path = root / FEED_STATE_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        dt.datetime.fromisoformat(state["changed"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return state


def save_feed_state(root: Path, feed: tuple[str, dt.datetime], guid: str | None = None, feed_url: str | None = None) -> None:
    """Remember the feed's content digest, when it last changed, and the podcast guid it announced at which address."""
    digest, changed = feed
    state = {"changed": changed.isoformat(), "digest": digest}
    if guid:
        state["podcast_guid"] = guid
    if feed_url:
        state["feed_url"] = feed_url
    _write_atomic(root / FEED_STATE_FILE, json.dumps(state, indent=2) + "\n")


def save_imported_feed_state(root: Path, guid: str, old_feed_url: str, newest: dt.datetime) -> None:
    """Remember the podcast guid an imported feed announced, and its old address (the record of the earlier address)."""
    state = {"changed": newest.isoformat(), "digest": "", "podcast_guid": guid, "imported_from": old_feed_url}
    _write_atomic(root / FEED_STATE_FILE, json.dumps(state, indent=2) + "\n")


def podcast_guid_problem(state: dict | None, guid: str, feed_url: str, new_feed_url: str | None = None) -> Problem | None:
    """Refuse a podcast guid that differs from the one an earlier build announced, or that belongs to another podcast.

    The first build derives the guid from the feed address. A guid that is not derived from this feed's
    address is right only when an earlier build of this folder announced it, at this address or at the
    one the podcast moved from (a move is declared with new_feed_url). Otherwise it was copied from
    another podcast's podcast.yaml (the demo's, typically), and apps would take this podcast for that one.
    published-feed.json (`state`, Published.feed_state) holds the earlier announcement: the guid and the feed
    address it was made for.
    """
    state = state or {}
    announced, announced_at = state.get("podcast_guid"), state.get("feed_url")
    derived = podcast_guid(feed_url)
    undeclared_move = bool(announced_at) and announced_at != feed_url and new_feed_url != feed_url
    if announced and guid != announced:
        if undeclared_move:
            message = say("podcast_guid_elsewhere", guid=announced, earlier=announced_at, feed=feed_url, state=FEED_STATE_FILE, record=RECORD_FILE)
        else:
            message = say("podcast_guid_announced", guid=announced)
        return Problem(CONFIG_FILE, message, "guid")
    if guid != derived and announced and undeclared_move:
        return Problem(
            CONFIG_FILE,
            say("podcast_guid_not_moved", guid=guid, earlier=announced_at, feed=feed_url, derived=derived, state=FEED_STATE_FILE, record=RECORD_FILE),
            "guid",
        )
    if guid != derived and not announced:
        return Problem(CONFIG_FILE, say("podcast_guid_foreign", guid=guid, derived=derived), "guid")
    return None


def _write_atomic(path: Path, text: str) -> None:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    write_atomically(path, text, mode=0o644)


# The guard rails, run by `check` and by `build` before any audio work.


def give_podcast_guid(podcast) -> bool:
    """Give the podcast its Podcasting 2.0 guid; True when it was just computed (to be written to podcast.yaml)."""
    if podcast.config.guid:
        return False
    podcast.config.guid = podcast_guid(podcast.feed_url)
    return True


def identity_check(podcast, published: Published | None = None, known: IdentityCache | None = None) -> tuple[list[Problem], list[Problem], list[Problem]]:
    """(refusals, enclosure changes, imported moves): what would break podcast apps, found before anything is processed.

    Refused: a podcast guid or an episode GUID that differs from the published one, and a
    transcript that does not parse (`known`: the identity cache, which remembers those that did, see
    sidecars.transcript_problems). Enclosure changes are refused by `build` unless allowed.
    """
    published = published or load_published(podcast.root)
    current = [
        (
            e.source_file.relative_to(podcast.root).as_posix(),
            e.meta.guid,
            e.slug,
            paths.absolute(podcast.config.base_url, paths.media_file(e.slug, main_format().extension)),
        )
        for e in podcast.episodes
    ]
    refusals, changes, moves = identity_problems(published.record, current)
    guid_problem = podcast_guid_problem(published.feed_state, podcast.config.guid, podcast.feed_url, podcast.config.new_feed_url)
    if guid_problem:
        refusals.insert(0, guid_problem)
    return refusals + transcript_problems(podcast, known), changes, moves


def moves_warning(moves: list[Problem]) -> str:
    """One warning for the audio addresses that move after an import, pointing to the README."""
    lines = [f"warning: {len(moves)} imported episode(s) get a new audio address; keep the old host answering each old address with a redirect (301), set itunes:new-feed-url in the old feed, and keep the podcast guid (README: Moving an existing podcast):"]
    return "\n".join(lines + [f"  {move}" for move in moves])


def identity_guard(podcast, allow_enclosure_change: bool, published: Published | None = None, known: IdentityCache | None = None) -> None:
    """Refuse what would break podcast apps: a changed GUID; an enclosure moved without the flag (`known`: see
    identity_check)."""
    refusals, changes, moves = identity_check(podcast, published, known)
    if moves:
        log.warning("%s", moves_warning(moves))
    if refusals:
        raise PortevoixError(*refusals)
    if changes and not allow_enclosure_change:
        hint = Problem("portevoix", "apps that saved the old audio address lose it; if this is meant, run 'portevoix build --allow-enclosure-change'")
        raise PortevoixError(*changes, hint)
    for change in changes:
        log.warning("%s (allowed by --allow-enclosure-change)", change)
