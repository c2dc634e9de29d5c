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
import os
import tempfile
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any, Protocol

import jinja2

from pipeline import identity, paths
from pipeline.audio.cache import CACHE_DIR
from pipeline.errors import PortevoixError
from pipeline.feed.sidecar_memo import SidecarFiles
from pipeline.feed.sidecars import sidecar_files
from pipeline.media import images
from pipeline.media.built import BuiltEpisode
from pipeline.site import list_pages, search, sharing, transcript_memo
from pipeline.site.episode_pages import episode_context, transcript_turns
from pipeline.site.templating import BUILTIN_TEMPLATES, environment, folder_url, relative_root, template_problem, templates_digest
from pipeline.site.words import LABELS, human_date, page_language
from pipeline.textfmt import human_duration, human_size
from pipeline.source import notes
from pipeline.source.load import Podcast

__all__ = [
    "BUILTIN_TEMPLATES",
    "LABELS",
    "FileBytes",
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
    """Pages already made: the bytes of site path `name` when it was made from input key `key`, else None;
    `has`: whether it holds them (without reading them)."""

    def get(self, name: str, key: str) -> bytes | None: ...

    def has(self, name: str, key: str) -> bool: ...


class NoMemo:
    def get(self, name: str, key: str) -> bytes | None:
        return None

    def has(self, name: str, key: str) -> bool:
        return False


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


class FileBytes(Mapping[str, bytes]):
    """{site path: bytes} of files on disk ({site path: file} in `paths`), each read when asked for, not held (the
    feed pages a build wrote into the cache: 23 MB at ten thousand episodes, see rss.render)."""

    def __init__(self, paths: Mapping[str, Path]):
        self.paths = paths

    def __getitem__(self, name: str) -> bytes:
        return self.paths[name].read_bytes()

    def __contains__(self, name: object) -> bool:
        return name in self.paths

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)


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

    def forget(self, name: str) -> None:
        """Drop the bytes of `name` from the parts that hold them as bytes (plain dicts), and its maker from those that
        make their files when asked (LazyFiles), once it is written (it is not asked for again): the sidecars are
        tens of thousands of small files at ten thousand episodes, and the makers 60,000 partials holding their
        page's arguments (~15 MB), held until the end of the build while the writer's new manifest grew beside
        them."""
        for part in self.parts:
            if isinstance(part, dict):
                part.pop(name, None)
            elif isinstance(part, LazyFiles):
                part.makers.pop(name, None)
            elif isinstance(part, SidecarFiles):
                part.forget(name)


@dataclass
class Pages:
    """What render() made: the files (made when written), the input key of each page, the episodes' search documents.

    No page's context is held here: each is made, digested for the page's key and dropped; a page that must
    really be rendered (not in the memo) makes its context again when it is written (a few at a time, see
    _Contexts). Memory stays flat however many episodes there are."""

    files: LazyFiles = field(default_factory=LazyFiles)
    keys: dict[str, str] = field(default_factory=dict)
    """{site path: input key} of every templated page (oEmbed files have none: they are cheap)."""
    documents: dict[str, str] = field(default_factory=dict)
    """{episode page + index.html: its search document} (search.document), for search.start_index."""
    language: str = "en"
    """The pages' language (words.page_language)."""
    rendered: int = 0
    """How many pages were rendered so far (the others came from the memo, or were kept by the writer)."""


def _plain(value: Any) -> Any:
    """A value of a page context as JSON can write it, for its key (a venue, a tuple…)."""
    if hasattr(value, "__dict__"):
        return [type(value).__name__, vars(value)]
    return repr(value)


def digest(value: Any) -> str:
    """Digest of a value a page shows (its JSON, keys sorted)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Renderer:
    def __init__(self, podcast: Podcast, language: str, memo: PageMemo, transcripts: transcript_memo.Memo):
        self.podcast, self.language, self.memo = podcast, language, memo
        self.labels = LABELS[language]
        self.base = hashlib.sha256(json.dumps([MEMO_FORMAT, templates_digest(podcast), self.labels]).encode()).hexdigest()
        self.env: jinja2.Environment | None = None
        self.templates: dict[str, jinja2.Template] = {}
        self.out = Pages()
        self.transcripts = transcripts
        """The transcripts' search documents kept from earlier builds."""
        self.ready = _Spool(podcast.root / CACHE_DIR)
        """Pages rendered while their values were at hand (see `page`'s `now`), until they are written."""

    def template(self, name: str) -> jinja2.Template:
        """Templates compiled once per build (and only when a page must really be rendered)."""
        if self.env is None:
            self.env = environment(self.podcast)
            self.env.globals["t"] = SimpleNamespace(**self.labels)  # t.copy_button, never a dict method
        if name not in self.templates:
            self.templates[name] = self.env.get_template(name)
        return self.templates[name]

    def page(self, name: str, template: str, values: dict[str, Any], shared: dict[str, str], again: Callable[[], dict[str, Any]],
             now: bool = False, keyed: dict[str, Any] | None = None) -> None:
        """Page `name`: its key from `values` (less the site's and the episode's context, given as their digests in
        `shared`); `again()` makes the same values when it must be rendered (`values` is not kept). `now`: rendered
        here from `values` when the memo does not hold it (a page of the episode list, whose twenty episodes'
        contexts `again` would have to make again), its bytes kept until written. `keyed`: what the key is made
        from instead of `values`, when `values` holds what is already digested (the list's episodes, as their
        contexts' digests: each context was written out for its digest once, not twice)."""
        own = {k: v for k, v in (values if keyed is None else keyed).items() if k not in shared}
        key = hashlib.sha256(f"{self.base}|{template}|{json.dumps(shared, sort_keys=True)}|{digest(own)}".encode()).hexdigest()
        self.out.keys[name] = key
        self.out.files.makers[name] = partial(self.make, name, key, template, again)
        if now and not self.memo.has(name, key):
            self.ready.put(name, self._render(template, values))

    def _render(self, template: str, values: dict[str, Any]) -> bytes:
        try:
            data = self.template(template).render(**values).encode("utf-8")
        except jinja2.TemplateError as exc:
            raise PortevoixError(template_problem(exc, self.podcast.root)) from None
        self.out.rendered += 1
        return data

    def make(self, name: str, key: str, template: str, again: Callable[[], dict[str, Any]]) -> bytes:
        ready = self.ready.pop(name)
        if ready is not None:
            return ready
        data = self.memo.get(name, key)
        return data if data is not None else self._render(template, again())


class _Spool:
    """Pages rendered ahead of their writing, in an unnamed temporary file (in `folder` when it exists: the cache),
    read back once each: when an episode is added or removed, every page of the episode list changes, and the 500
    pages of ten thousand episodes (~15 MB) were held from the pages' step to their writing."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.file: IO[bytes] | None = None
        self.at: dict[str, tuple[int, int]] = {}

    def put(self, name: str, data: bytes) -> None:
        if self.file is None:
            self.file = tempfile.TemporaryFile(dir=self.folder if self.folder.is_dir() else None)
        self.file.seek(0, os.SEEK_END)
        self.at[name] = (self.file.tell(), len(data))
        self.file.write(data)

    def pop(self, name: str) -> bytes | None:
        where = self.at.pop(name, None)
        if where is None or self.file is None:
            return None
        self.file.seek(where[0])
        data = self.file.read(where[1])
        if not self.at:
            self.file.close()
            self.file = None
        return data


class _Contexts:
    """The episodes' contexts (episode_context), made when asked for; only the last few are kept (`keep`)."""

    def __init__(self, make: Callable[[int], dict], keep: int):
        self.make, self.keep = make, max(1, keep)
        self.kept: OrderedDict[int, dict] = OrderedDict()

    def __getitem__(self, index: int) -> dict:
        if index in self.kept:
            self.kept.move_to_end(index)
            return self.kept[index]
        context = self.kept[index] = self.make(index)
        if len(self.kept) > self.keep:
            self.kept.popitem(last=False)
        return context


def render(
    podcast: Podcast,
    built: list[BuiltEpisode],
    published: identity.Published,
    *,
    notes_html: Callable[[str], str] = notes.to_html,
    sidecars: Mapping[str, bytes] | None = None,
    memo: PageMemo | None = None,
    transcripts: transcript_memo.Memo | None = None,
) -> Pages:
    """Every page: index pages, search page, episode, transcript and embed pages, oEmbed files, redirects.

    `notes_html(markdown)` renders show notes (the build passes the feed's, which keeps them across builds);
    `sidecars`: the transcript files the feed step made (their sizes are shown), made here when not given;
    `memo`: pages already made (see PageMemo); `transcripts`: the search documents of the episodes with a
    transcript, kept from earlier builds (see transcript_memo.py; none kept when not given). A template that
    fails (or tries to run code, in the sandbox) is one line: see template_problem."""
    try:
        return _render(podcast, built, published, notes_html, sidecars, memo or NoMemo(), transcripts or transcript_memo.Memo(None))
    except jinja2.TemplateError as exc:
        raise PortevoixError(template_problem(exc, podcast.root)) from None


def _render(podcast: Podcast, built: list[BuiltEpisode], published: identity.Published, notes_html: Callable[[str], str],
            sidecars: Mapping[str, bytes] | None, memo: PageMemo, transcripts: transcript_memo.Memo) -> Pages:
    """A stream: one page of the episode list at a time, its episodes' contexts made, their pages keyed (and
    their search documents made), then dropped; the pages are made again from `_Contexts` when written."""
    language = page_language(podcast)
    renderer = _Renderer(podcast, language, memo, transcripts)
    out = renderer.out
    out.language = language
    site = list_pages.site_context(podcast, language)
    site_key = digest(site)
    if sidecars is None:
        sidecars = {name: data for item in built for name, data in sidecar_files(item, language).items()}
    size = podcast.config.episodes_per_page
    contexts = _Contexts(lambda i: episode_context(built[i], podcast, language, notes_html, sidecars), keep=size + 4)
    count = list_pages.index_page_count(podcast, len(built))

    def index_values(number: int, chunk: list[dict]) -> dict[str, Any]:
        return {"site": site, **list_pages.index_page(podcast, number, count, chunk)[1]}

    def index_again(number: int, indices: range) -> dict[str, Any]:
        return index_values(number, [contexts[i] for i in indices])

    for number in range(1, count + 1):
        indices = range((number - 1) * size, min(number * size, len(built)))
        chunk = [episode_context(built[i], podcast, language, notes_html, sidecars) for i in indices]
        context_keys = [digest(context) for context in chunk]
        name = paths.index_page(number)
        values = index_values(number, chunk)
        renderer.page(name, "index.html", values, {"site": site_key}, partial(index_again, number, indices), now=True,
                      keyed={**values, "episodes": context_keys})
        del values
        for index, context, context_key in zip(indices, chunk, context_keys):
            _episode_pages(renderer, podcast, built[index], context, {"site": site_key, "episode": context_key},
                           partial(_episode_values, podcast, built[index], site, contexts, index))
        del chunk
    name, values = list_pages.search_page(podcast, language)
    search_values = {"site": {**site, "policy": values.pop("policy")}, **values, "merged": search.merged_bundles(out.documents)}
    renderer.page(name, "search.html", search_values, {"site": digest(search_values["site"])}, lambda: search_values)
    for name, values in list_pages.redirects(podcast, built, published.record).items():
        renderer.page(name, "redirect.html", {"site": site, **values}, {"site": site_key}, partial(dict, site=site, **values))
    return out


def _episode_values(podcast: Podcast, item: BuiltEpisode, site: dict, contexts: _Contexts, index: int, kind: str) -> dict[str, Any]:
    """What page `kind` (episode, transcript, embed) of episode `index` shows (see _episode_pages)."""
    return _page_values(podcast, item, site, contexts[index], kind, page_language(podcast))


def _page_values(podcast: Podcast, item: BuiltEpisode, site: dict, context: dict, kind: str, language: str,
                 turns: bool = True) -> dict[str, Any]:
    """What page `kind` shows; `turns`: with the transcript's turns (else without: its key stands for them)."""
    slug = item.episode.slug
    common = {"site": site, "episode": context, "meta": context["meta"]}
    if kind == "episode":
        name = context["page"] + "index.html"
        return {**common, "root": relative_root(name), "page_url": context["url"], "jsonld": context["jsonld"]}
    if kind == "transcript":
        name = paths.transcript_page(slug) + "index.html"
        return {**common, "root": relative_root(name), "page_url": folder_url(podcast.config.base_url, name), "jsonld": None,
                **({"turns": transcript_turns(item, language)} if turns else {}), "text_file": paths.transcript_file(slug, "txt"),
                "chapter_marks": context["chapter_marks"]}
    name = paths.embed_page(slug) + "index.html"
    return {**common, "root": relative_root(name), "page_url": context["url"], "jsonld": None}


def _episode_pages(renderer: _Renderer, podcast: Podcast, item: BuiltEpisode, context: dict, shared: dict[str, str],
                   again: Callable[[str], dict[str, Any]]) -> None:
    """An episode's page, transcript page, embed player and oEmbed file, keyed; its search document made."""
    out, slug = renderer.out, item.episode.slug
    page = context["page"] + "index.html"
    # the site and the episode's context are in `shared`, as their digests: so are the values taken from the context
    values = _own_values(_page_values(podcast, item, {}, context, "episode", out.language), context)
    renderer.page(page, "episode.html", values, shared, partial(again, "episode"))
    if item.episode.transcript:
        # keyed by what its turns are made from, not by the turns: ~2,000 cues for a two-hour debate, laid out only
        # when the page is really rendered (`again`) or its search document is not kept (transcript_memo.py)
        turns, size = transcript_memo.turns_key(item, out.language)
        values = {**_own_values(_page_values(podcast, item, {}, context, "transcript", out.language, turns=False), context), "turns": turns}
        renderer.page(paths.transcript_page(slug) + "index.html", "transcript.html", values, shared, partial(again, "transcript"))
        out.documents[page] = renderer.transcripts.document(
            transcript_memo.document_key(shared["episode"], turns, out.language), size,
            lambda: search.document(context, transcript_turns(item, out.language), out.language))
    else:
        out.documents[page] = search.document(context, [], out.language)
    values = _own_values(_page_values(podcast, item, {}, context, "embed", out.language), context)
    renderer.page(paths.embed_page(slug) + "index.html", "embed.html", values, shared, partial(again, "embed"))
    out.files.makers[paths.oembed_file(slug)] = partial(_oembed, podcast, item, context["cover_2x"])


def _own_values(values: dict[str, Any], context: dict) -> dict[str, Any]:
    """A page's values less those that are the context's own (its meta, its JSON-LD…), for the page's key: the
    context's digest is already part of it, and digesting them again was a third of the key's cost."""
    return {k: v for k, v in values.items() if not (k in context and context[k] is v)}


def _oembed(podcast: Podcast, item: BuiltEpisode, cover: str) -> bytes:
    return sharing.oembed(podcast, item, cover).encode("utf-8")


def render_pages(podcast: Podcast, built: list[BuiltEpisode], notes_html: Callable[[str], str] = notes.to_html) -> dict[str, str]:
    """{site path: text} of every page, rendered from nothing (no memo), published.json read from the podcast folder."""
    pages = render(podcast, built, identity.load_published(podcast.root), notes_html=notes_html)
    return {name: pages.files[name].decode("utf-8") for name in pages.files}


def page_images(podcast: Podcast, built: list[BuiltEpisode], page_cover: Callable[[Path, int], bytes] = images.page_cover) -> dict[str, bytes]:
    """Small resized copies of the episodes' own covers, for their pages (`page_cover(image, width)`: the build's
    gives them from the cache, see media/cover_cache.py)."""
    found = {}
    for item in built:
        if item.episode.cover:
            for size in images.PAGE_SIZES:
                found[paths.episode_cover_file(item.episode.slug, size)] = page_cover(item.episode.cover, size)
    return found
