"""Static HTML pages from jinja2 templates: `render()` makes every page of the site, as {site path: bytes}.

One function per page kind lives beside this one: episode_pages.py (an episode's page, transcript page,
embed player, oEmbed file), list_pages.py (the episode list, the search page, redirects), with the words
(words.py) and the templates (templating.py) they share. This module puts them together:

- every page is a template and the values it shows (what the page kind's function prepares);
- a page's *input key* is the digest of exactly that: the template sources, the labels, every value it is
  given (the site-wide ones included). A page whose key the current site already holds (the writer's
  manifest says which file was made from which key) is taken from there, not rendered again; the build
  writes it back with its key, so that an unchanged page is not even copied (see site/writer.py).

`render()` reads nothing behind the build's back: it is given the podcast, the built episodes, the
published state (published.json), the sidecar files and the memo of pages already made.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from types import SimpleNamespace
from typing import Any, Protocol

import jinja2

from pipeline import identity, paths
from pipeline.errors import PortevoixError
from pipeline.feed.sidecars import sidecar_files
from pipeline.media import images
from pipeline.media.built import BuiltEpisode
from pipeline.site import list_pages, sharing
from pipeline.site.episode_pages import episode_context, transcript_turns
from pipeline.site.templating import BUILTIN_TEMPLATES, environment, folder_url, relative_root, template_problem, templates_digest
from pipeline.site.words import LABELS, human_date, page_language
from pipeline.textfmt import human_duration, human_size
from pipeline.source import notes
from pipeline.source.load import Podcast

__all__ = [
    "BUILTIN_TEMPLATES",
    "LABELS",
    "PageMemo",
    "Pages",
    "human_date",
    "human_duration",
    "human_size",
    "page_images",
    "page_language",
    "render",
    "render_pages",
]

MEMO_FORMAT = 1
"""Bump when what a page is made of changes without its template or values changing (the memo is then ignored)."""


class PageMemo(Protocol):
    """Pages already made: the bytes of site path `name` when it was made from input key `key`, else None."""

    def get(self, name: str, key: str) -> bytes | None: ...


class NoMemo:
    def get(self, name: str, key: str) -> bytes | None:
        return None


class LazyFiles(Mapping[str, bytes]):
    """{site path: bytes} whose values are made when asked for, and not kept: a site of ten thousand episodes
    is written page by page, its memory flat. Made again if asked twice (the same bytes)."""

    def __init__(self) -> None:
        self.makers: dict[str, Callable[[], bytes]] = {}

    def __getitem__(self, name: str) -> bytes:
        return self.makers[name]()

    def __contains__(self, name: object) -> bool:  # without making the file (Mapping's own would)
        return name in self.makers

    def __iter__(self) -> Iterator[str]:
        return iter(self.makers)

    def __len__(self) -> int:
        return len(self.makers)


class Together(Mapping[str, bytes]):
    """Several {site path: bytes} mappings seen as one (the first that holds a path gives it)."""

    def __init__(self, *parts: Mapping[str, bytes]):
        self.parts = parts

    def __getitem__(self, name: str) -> bytes:
        for part in self.parts:
            if name in part:
                return part[name]
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return any(name in part for part in self.parts)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(name for part in self.parts for name in part))

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass
class Pages:
    """What render() made: the files, the input key of each page, and the episodes' contexts (search indexes them)."""

    files: LazyFiles = field(default_factory=LazyFiles)
    keys: dict[str, str] = field(default_factory=dict)
    """{site path: input key} of every templated page (oEmbed files have none: they are cheap)."""
    contexts: list[dict] = field(default_factory=list)
    turns: dict[str, list[dict]] = field(default_factory=dict)
    """{slug: transcript turns} of the episodes with a transcript."""
    language: str = "en"
    """The pages' language (words.page_language)."""
    rendered: int = 0
    """How many pages were rendered so far (the others came from the memo, or were kept by the writer)."""


def _plain(value: Any) -> Any:
    """A value of a page context as JSON can write it, for its key (a venue, a tuple…)."""
    if hasattr(value, "__dict__"):
        return [type(value).__name__, vars(value)]
    return repr(value)


class _Renderer:
    def __init__(self, podcast: Podcast, language: str, memo: PageMemo):
        self.podcast, self.language, self.memo = podcast, language, memo
        self.labels = LABELS[language]
        self.base = hashlib.sha256(json.dumps([MEMO_FORMAT, templates_digest(podcast), self.labels]).encode()).hexdigest()
        self.env: jinja2.Environment | None = None
        self.templates: dict[str, jinja2.Template] = {}
        self.digests: dict[int, tuple[Any, str]] = {}
        self.out = Pages()

    def template(self, name: str) -> jinja2.Template:
        """Templates compiled once per build (and only when a page must really be rendered)."""
        if self.env is None:
            self.env = environment(self.podcast)
            self.env.globals["t"] = SimpleNamespace(**self.labels)  # t.copy_button, never a dict method
        if name not in self.templates:
            self.templates[name] = self.env.get_template(name)
        return self.templates[name]

    def digest(self, value: Any) -> str:
        """Digest of a value a page shows; the site's and each episode's context are digested once for all their pages."""
        if isinstance(value, dict) and id(value) in self.digests:
            return self.digests[id(value)][1]
        text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=_plain)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if isinstance(value, dict):
            self.digests[id(value)] = (value, digest)  # the value is kept with its digest: its id is not reused meanwhile
        return digest

    def page(self, name: str, template: str, **values: Any) -> None:
        shared = {k: self.digest(v) for k, v in values.items() if k in ("site", "episode")}
        own = {k: v for k, v in values.items() if k not in shared}
        key = hashlib.sha256(f"{self.base}|{template}|{json.dumps(shared, sort_keys=True)}|{self.digest(own)}".encode()).hexdigest()
        self.out.keys[name] = key
        self.out.files.makers[name] = lambda: self.make(name, key, template, values)

    def make(self, name: str, key: str, template: str, values: dict[str, Any]) -> bytes:
        data = self.memo.get(name, key)
        if data is None:
            try:
                data = self.template(template).render(**values).encode("utf-8")
            except jinja2.TemplateError as exc:
                raise PortevoixError(template_problem(exc, self.podcast.root)) from None
            self.out.rendered += 1
        return data


def render(
    podcast: Podcast,
    built: list[BuiltEpisode],
    published: identity.Published,
    *,
    notes_html: Callable[[str], str] = notes.to_html,
    sidecars: Mapping[str, bytes] | None = None,
    memo: PageMemo | None = None,
) -> Pages:
    """Every page: index pages, search page, episode, transcript and embed pages, oEmbed files, redirects.

    `notes_html(markdown)` renders show notes (the build passes the feed's, which keeps them across builds);
    `sidecars`: the transcript files the feed step made (their sizes are shown), made here when not given;
    `memo`: pages already made (see PageMemo). A template that fails (or tries to run code, in the sandbox)
    is one line: see template_problem."""
    try:
        return _render(podcast, built, published, notes_html, sidecars, memo or NoMemo())
    except jinja2.TemplateError as exc:
        raise PortevoixError(template_problem(exc, podcast.root)) from None


def _render(podcast: Podcast, built: list[BuiltEpisode], published: identity.Published, notes_html: Callable[[str], str],
            sidecars: Mapping[str, bytes] | None, memo: PageMemo) -> Pages:
    language = page_language(podcast)
    renderer = _Renderer(podcast, language, memo)
    out = renderer.out
    out.language = language
    site = list_pages.site_context(podcast, language)
    if sidecars is None:
        sidecars = {name: data for item in built for name, data in sidecar_files(item, language).items()}
    out.contexts = [episode_context(item, podcast, language, notes_html, sidecars) for item in built]
    for name, values in list_pages.index_pages(podcast, out.contexts).items():
        renderer.page(name, "index.html", site=site, **values)
    for item, context in zip(built, out.contexts):
        slug = item.episode.slug
        common = {"site": site, "episode": context, "meta": context["meta"]}
        name = context["page"] + "index.html"
        renderer.page(name, "episode.html", **common, root=relative_root(name), page_url=context["url"], jsonld=context["jsonld"])
        if item.episode.transcript:
            name = paths.transcript_page(slug) + "index.html"
            out.turns[slug] = transcript_turns(item, language)
            renderer.page(
                name, "transcript.html", **common, root=relative_root(name), page_url=folder_url(podcast.config.base_url, name),
                jsonld=None, turns=out.turns[slug], text_file=paths.transcript_file(slug, "txt"), chapter_marks=context["chapter_marks"],
            )
        name = paths.embed_page(slug) + "index.html"
        renderer.page(name, "embed.html", **common, root=relative_root(name), page_url=context["url"], jsonld=None)
        out.files.makers[paths.oembed_file(slug)] = partial(_oembed, podcast, item, context["cover_2x"])
    name, values = list_pages.search_page(podcast, language)
    renderer.page(name, "search.html", site={**site, "policy": values.pop("policy")}, **values)
    for name, values in list_pages.redirects(podcast, built, published.record).items():
        renderer.page(name, "redirect.html", site=site, **values)
    return out


def _oembed(podcast: Podcast, item: BuiltEpisode, cover: str) -> bytes:
    return sharing.oembed(podcast, item, cover).encode("utf-8")


def render_pages(podcast: Podcast, built: list[BuiltEpisode], notes_html: Callable[[str], str] = notes.to_html) -> dict[str, str]:
    """{site path: text} of every page, rendered from nothing (no memo), published.json read from the podcast folder."""
    pages = render(podcast, built, identity.load_published(podcast.root), notes_html=notes_html)
    return {name: pages.files[name].decode("utf-8") for name in pages.files}


def page_images(podcast: Podcast, built: list[BuiltEpisode]) -> dict[str, bytes]:
    """Small resized copies of the episodes' own covers, for their pages."""
    found = {}
    for item in built:
        if item.episode.cover:
            for size in images.PAGE_SIZES:
                found[paths.episode_cover_file(item.episode.slug, size)] = images.page_cover(item.episode.cover, size)
    return found
