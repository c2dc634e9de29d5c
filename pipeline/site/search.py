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

import hashlib
import logging
import os
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from markupsafe import Markup, escape

from pipeline import paths
from pipeline.errors import PortevoixError, Problem
from pipeline.i18n import say
from pipeline.site.pages import Pages
from pipeline.site.words import LABELS
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
    labels = LABELS[language]
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


def documents(pages: Pages) -> dict[str, str]:
    """{site path of the episode page + index.html: document}: Pagefind turns the path into the result's URL.

    Made from the contexts the pages were rendered from (pages.render), so that nothing is computed twice."""
    return {
        context["page"] + "index.html": document(context, pages.turns.get(context["slug"], []), pages.language)
        for context in pages.contexts
    }


def executable() -> Path:
    try:
        import pagefind_bin
    except ImportError:
        raise PortevoixError(say("pagefind_missing")) from None
    return Path(pagefind_bin.get_executable())


def search_language(podcast: Podcast) -> str:
    """The ISO 639-1 code Pagefind stems words with (fr, en…)."""
    return podcast.config.language.split("-")[0].lower()


class BundleMemo(Protocol):
    """A search bundle already made: {site path: bytes} of every file under `prefix` made from input `key`, else None."""

    def tree(self, prefix: str, key: str) -> dict[str, bytes] | None: ...


@dataclass
class Bundle:
    """The search bundle: {site path: bytes}, and the input key every file of it was made from."""

    files: dict[str, bytes]
    key: str


def bundle_key(podcast: Podcast, found: dict[str, str]) -> str:
    """Digest of what Pagefind is given: its version, the language, every document."""
    binary = executable()
    digest = hashlib.sha256(f"{binary.stat().st_size}|{binary.stat().st_mtime_ns}|{search_language(podcast)}".encode())
    for name in sorted(found):
        digest.update(name.encode("utf-8") + b"\0" + found[name].encode("utf-8") + b"\0")
    return digest.hexdigest()


def index_files(podcast: Podcast, pages: Pages, memo: BundleMemo | None = None) -> Bundle:
    """The search bundle under `pagefind/`, built from the episodes' documents (see start_index)."""
    return start_index(podcast, pages, memo)()


def start_index(podcast: Podcast, pages: Pages, memo: BundleMemo | None = None) -> Callable[[], Bundle]:
    """Start making the search bundle; the function returned waits for it (Pagefind runs meanwhile, in its own process).

    The documents' digest is the bundle's input key: when the current site holds a bundle made from the same
    documents (`memo`), it is taken from there and Pagefind does not run. A podcast with no episode yet has
    nothing to index: no bundle (the search page then finds nothing)."""
    if not pages.contexts:
        return lambda: Bundle({}, "")
    found = documents(pages)
    key = bundle_key(podcast, found)
    kept = memo.tree(paths.SEARCH_BUNDLE + "/", key) if memo is not None else None
    if kept:
        return lambda: Bundle(kept, key)
    scratch_root = podcast.root / ".cache"
    scratch_root.mkdir(exist_ok=True)
    scratch = tempfile.TemporaryDirectory(prefix="search-", dir=scratch_root)
    source, output = Path(scratch.name) / "documents", Path(scratch.name) / "bundle"
    for name, text in found.items():
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
    log.info("indexing %d episodes for search", len(found))
    try:
        process = subprocess.Popen(command, cwd=scratch.name, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as exc:
        scratch.cleanup()
        raise PortevoixError(Problem("pagefind", say("pagefind_failed", reason=str(exc)))) from None

    def finish() -> Bundle:
        try:
            try:
                out, err = process.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired as exc:
                process.kill()
                process.communicate()
                raise PortevoixError(Problem("pagefind", say("pagefind_failed", reason=str(exc)))) from None
            if process.returncode != 0:
                reason = (err or out).strip().splitlines()[-1:] or [f"exit status {process.returncode}"]
                raise PortevoixError(Problem("pagefind", say("pagefind_failed", reason=reason[0])))
            files = {
                f"{paths.SEARCH_BUNDLE}/{path.relative_to(output).as_posix()}": path.read_bytes()
                for path in sorted(output.rglob("*"))
                if path.is_file() and not path.name.startswith(UNUSED)
            }
            return Bundle(files, key)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            scratch.cleanup()

    return finish
