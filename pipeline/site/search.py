"""Search across the site: a Pagefind index of every episode, down to each sentence said.

Pagefind is given one document per episode, written here (never the built pages): the title, summary,
notes, speakers, chapters and every transcript cue. Each chapter and cue is a heading whose id is
`t=<seconds>`, and Pagefind makes a sub-result of every heading with an id: the URLs its own API returns
are `episodes/<slug>/#t=<seconds>`, the episode at the moment the words were said, which the pages'
player honours. Stemming follows the podcast's language.

The bundle Pagefind writes (its script, its WebAssembly, the index in fragments fetched as a query needs
them) comes back as files for the site writer. The Pagefind binary is the one the `pagefind-bin` package
ships; it runs in a scratch folder of `.cache/`, on the documents only.
"""

from __future__ import annotations

import logging
import os
import subprocess
import tempfile
from pathlib import Path

from markupsafe import Markup, escape

from pipeline import paths
from pipeline.errors import PortevoixError, Problem
from pipeline.i18n import say
from pipeline.media.built import BuiltEpisode
from pipeline.site import pages
from pipeline.source.load import Podcast

log = logging.getLogger(__name__)

UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
"""Pagefind's ready-made interfaces: the search page is our own, so these are not published."""
TIMEOUT = 600


def anchor(seconds: float) -> str:
    """The id of a moment: Pagefind appends it to the page's URL, so results end in #t=<seconds>."""
    return f"t={int(seconds)}"


def document(context: dict, turns: list[dict], language: str) -> str:
    """What Pagefind indexes for one episode (its own words, laid out as headings and paragraphs)."""
    labels = pages.LABELS[language]
    parts = [
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8"><title>{escape(context["title"])}</title></head>',
        "<body><main data-pagefind-body>",
        f'<h1>{escape(context["title"])}</h1>',
        f'<span data-pagefind-meta="date:{escape(context["when"])}"></span>',
        f'<span data-pagefind-meta="duration:{escape(context["duration"])}"></span>',
    ]
    if context["transcript_page"]:
        parts.append(f'<span data-pagefind-meta="transcript:{escape(context["transcript_page"])}"></span>')
    if context["summary"]:
        parts.append(f'<p>{escape(context["summary"])}</p>')
    parts.append(f'<div>{Markup(context["notes_html"])}</div>')
    if context["speakers"]:
        names = ", ".join(f'{s["name"]} ({s["role"]})' for s in context["speakers"])
        parts.append(f'<p>{escape(labels["speakers"])} : {escape(names)}</p>')
    if context["venue"]:
        venue = ", ".join(part for part in (context["venue"].name, context["venue"].address) if part)
        parts.append(f'<p>{escape(labels["venue"])} : {escape(venue)}</p>')
    for chapter in context["chapters"]:
        parts.append(f'<h2 id="{anchor(float(chapter["start"]))}">{escape(labels["chapter"])} · {chapter["clock"]} · {escape(chapter["title"])}</h2>')
    for turn in turns:
        speaker = turn["speaker"] or labels["unknown_speaker"]
        for cue in turn["cues"]:
            parts.append(f'<h3 id="{anchor(float(cue["start"]))}">{escape(speaker)} · {cue["clock"]}</h3><p>{escape(cue["text"])}</p>')
    parts.append("</main></body></html>")
    return "\n".join(parts)


def documents(podcast: Podcast, built: list[BuiltEpisode]) -> dict[str, str]:
    """{site path of the episode page + index.html: document}: Pagefind turns the path into the result's URL."""
    language = pages.page_language(podcast)
    found = {}
    for item in built:
        context = pages.episode_context(item, podcast, language)
        turns = pages.transcript_turns(item, language) if item.episode.transcript else []
        found[item.page + "index.html"] = document(context, turns, language)
    return found


def executable() -> Path:
    try:
        import pagefind_bin
    except ImportError:
        raise PortevoixError(say("pagefind_missing")) from None
    return Path(pagefind_bin.get_executable())


def search_language(podcast: Podcast) -> str:
    """The ISO 639-1 code Pagefind stems words with (fr, en…)."""
    return podcast.config.language.split("-")[0].lower()


def index_files(podcast: Podcast, built: list[BuiltEpisode]) -> dict[str, bytes]:
    """{site path: bytes} of the search bundle under `pagefind/`, built from the episodes' documents.

    A podcast with no episode yet has nothing to index: no bundle (the search page then finds nothing)."""
    if not built:
        return {}
    scratch_root = podcast.root / ".cache"
    scratch_root.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="search-", dir=scratch_root) as scratch:
        source, output = Path(scratch) / "documents", Path(scratch) / "bundle"
        for name, text in documents(podcast, built).items():
            target = source / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        source.mkdir(exist_ok=True)
        command = [
            str(executable()), "--site", str(source), "--output-path", str(output),
            "--force-language", search_language(podcast), "--silent",
        ]
        # Its own configuration files and PAGEFIND_* variables would change the index: none is read.
        environment = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
        log.info("indexing %d episodes for search", len(built))
        try:
            result = subprocess.run(command, cwd=scratch, env=environment, capture_output=True, text=True, timeout=TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PortevoixError(Problem("pagefind", say("pagefind_failed", reason=str(exc)))) from None
        if result.returncode != 0:
            reason = (result.stderr or result.stdout).strip().splitlines()[-1:] or [f"exit status {result.returncode}"]
            raise PortevoixError(Problem("pagefind", say("pagefind_failed", reason=reason[0])))
        return {
            f"{paths.SEARCH_BUNDLE}/{path.relative_to(output).as_posix()}": path.read_bytes()
            for path in sorted(output.rglob("*"))
            if path.is_file() and not path.name.startswith(UNUSED)
        }
