"""Search across the site: a Pagefind index of every episode, down to each sentence said.

Pagefind is given one document per episode, written here (never the built pages): the title, summary,
notes, speakers, chapters and every transcript cue. Each chapter and cue is a heading whose id is
`t=<seconds>`, and Pagefind makes a sub-result of every heading with an id: the URLs its own API returns
are `episodes/<slug>/#t=<seconds>`, the episode at the moment the words were said, which the pages'
player honours. Stemming follows the podcast's language.

The bundle Pagefind writes (its script, its WebAssembly, the index in fragments fetched as a query needs
them) comes back as files for the site writer. The Pagefind binary is the one the `pagefind-bin` package
ships; it runs in `.cache/portevoix/search/` (`SEARCH_FOLDER`), on the documents only.

That folder is kept from build to build, so that an archive where one episode changed costs one document
written, not a thousand: `documents/` holds the documents (only those that changed are written again,
`state.json` knows their digests), `bundle/` Pagefind's output. Pagefind writes into an output folder
without emptying it, and leaves alone the fragments (named by their content's digest) that are already
there, so the bundle is the files its metadata names (`bundle_names`: the entry file, its
`pagefind.<lang>_<hash>.pf_meta`, the fragments, index chunks and filters that metadata lists, and its
fixed files); the others, older fragments, are removed. When the documents' digest (the bundle's input key)
is the one `state.json` records as indexed, the bundle is taken from `bundle/` and Pagefind does not run.
Anything unexpected there (a file missing, metadata that cannot be read) makes both folders start again.

Pagefind's memory grows with what one run indexes (287 MB for 2,500 of the bench's documents, 1,091 MB for
10,010; 447 MB for the 26 MB of a hundred transcribed two-hour debates): past SHARD_MOST documents or
SHARD_TEXT_MOST characters the index is made in shards (`shards`), each a whole bundle of its own made
by its own run, one after the other. The first is `pagefind/` as for any podcast, the others
`pagefind/more-<digest>/`; the search page searches each with its own copy of Pagefind and shows one list
(templates/static/search.js: Pagefind's `mergeIndex` cannot say which shard a result comes from, and a shard
that lacks a word guesses another, which the page must leave out). The shards are cut
in the order of the documents' names where a name's digest says so (content-defined, as backup tools cut
files): an episode added, edited or removed changes its own shard, and the others keep their bundles. Each
shard's folder in the cache holds its own `documents/`, `bundle/` and `state.json` (the first shard's are
those of SEARCH_FOLDER itself, as before).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from markupsafe import Markup, escape

from pipeline import paths
from pipeline.errors import PortevoixError, Problem
from pipeline.i18n import say
from pipeline.site.words import LABELS
from pipeline.source.load import Podcast

log = logging.getLogger(__name__)

UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
"""Pagefind's ready-made interfaces: the search page is our own, so these are not published."""
TIMEOUT = 600
SEARCH_FOLDER = ".cache/portevoix/search"
STATE_FORMAT = 1
META_SIGNATURE = b"pagefind_dcd"
"""What a Pagefind metadata file (gunzipped) starts with; CBOR follows."""
SHARD_MOST = 2000
"""Documents one run of Pagefind indexes at most (see the module's docstring): a podcast with no more is one shard."""
SHARD_LEAST = 250
"""Documents a shard holds at least before a name may start the next one (the last shard may hold fewer)."""
SHARD_SPREAD = 1000
"""One name in SHARD_SPREAD starts a new shard (past SHARD_LEAST): shards of ~1,250 documents on average."""
SHARD_TEXT_MOST = 8_000_000
"""Characters of documents one run of Pagefind indexes at most. Its memory grows with the text, not the count:
98 MB for the 5.2 MB of twenty 2-hour debates' transcripts, 447 MB for a hundred (26 MB). A shard this size
takes ~150 MB and ~1.3 s."""
SHARD_TEXT_LEAST = 4_000_000
"""Characters a shard holds at least before a name may start the next one by SHARD_TEXT_SPREAD. Two thousand of
the bench's short documents are 3 MB, so an archive of short episodes is cut by count alone, as before."""
SHARD_TEXT_SPREAD = 8
"""Past SHARD_TEXT_LEAST characters, one name in SHARD_TEXT_SPREAD starts a new shard: about fifteen to thirty
transcribed two-hour debates a shard."""
MERGED_PREFIX = "more-"
"""The folders of the shards after the first, in the bundle and in SEARCH_FOLDER."""


def _name_digest(name: str) -> int:
    return int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:8], 16)


def _starts_shard(name: str) -> bool:
    return _name_digest(name) % SHARD_SPREAD == 0


def shards(names: Iterable[str] | Mapping[str, str]) -> list[tuple[str, list[str]]]:
    """[(folder, the document names it indexes)] in the order of the names, named after their first document (""
    for the first). One shard ("") up to SHARD_MOST documents and SHARD_TEXT_MOST characters (`names` as {name:
    document}; names alone are counted only). Past that, shards are cut where a name's digest says so: by count
    (`_starts_shard`, SHARD_LEAST to SHARD_MOST documents) and by text (one name in SHARD_TEXT_SPREAD past
    SHARD_TEXT_LEAST characters, never more than SHARD_TEXT_MOST but for a single document)."""
    sizes = {name: len(text) for name, text in names.items()} if isinstance(names, Mapping) else {}
    ordered = sorted(names)
    if len(ordered) <= SHARD_MOST and sum(sizes.values()) <= SHARD_TEXT_MOST:
        return [("", ordered)] if ordered else []
    cut: list[list[str]] = [[]]
    text = 0
    for name in ordered:
        size = sizes.get(name, 0)
        if cut[-1] and (len(cut[-1]) >= SHARD_MOST or (len(cut[-1]) >= SHARD_LEAST and _starts_shard(name))
                        or text + size > SHARD_TEXT_MOST
                        or (text >= SHARD_TEXT_LEAST and _name_digest(name) % SHARD_TEXT_SPREAD == 0)):
            cut.append([])
            text = 0
        cut[-1].append(name)
        text += size
    return [("" if i == 0 else MERGED_PREFIX + hashlib.sha256(part[0].encode("utf-8")).hexdigest()[:12], part)
            for i, part in enumerate(cut)]


def merged_bundles(names: Iterable[str] | Mapping[str, str]) -> list[str]:
    """Site folders of the bundles the search page searches besides the first one (none for one shard)."""
    return [f"{paths.SEARCH_BUNDLE}/{folder}/" for folder, _ in shards(names)[1:]]


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


def executable() -> Path:
    try:
        import pagefind_bin
    except ImportError:
        raise PortevoixError(say("pagefind_missing")) from None
    return Path(pagefind_bin.get_executable())


def search_language(podcast: Podcast) -> str:
    """The ISO 639-1 code Pagefind stems words with (fr, en…)."""
    return podcast.config.language.split("-")[0].lower()


class BundleFiles(Mapping[str, bytes]):
    """{site path: bytes} of the bundle's files in the search folder, each read when asked for (not held: at ten
    thousand episodes the bundle is tens of megabytes)."""

    def __init__(self, found: dict[str, Path]):
        self.found = found

    def __getitem__(self, name: str) -> bytes:
        return self.found[name].read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self.found)

    def __len__(self) -> int:
        return len(self.found)


@dataclass
class Bundle:
    """The search bundle: {site path: bytes}, and the input key every file of it was made from."""

    files: Mapping[str, bytes]
    key: str


def bundle_key(podcast: Podcast, found: dict[str, str]) -> str:
    """Digest of what Pagefind is given: its version, the language, every document."""
    binary = executable()
    digest = hashlib.sha256(f"{binary.stat().st_size}|{binary.stat().st_mtime_ns}|{search_language(podcast)}".encode())
    for name in sorted(found):
        digest.update(name.encode("utf-8") + b"\0" + found[name].encode("utf-8") + b"\0")
    return digest.hexdigest()


def index_files(podcast: Podcast, documents: dict[str, str]) -> Bundle:
    """The search bundle under `pagefind/`, built from the episodes' documents (see start_index)."""
    return start_index(podcast, documents)()


class _Unreadable(ValueError):
    pass


def _cbor(data: bytes, at: int = 0) -> tuple[object, int]:
    """One CBOR item of `data` from `at` (the subset Pagefind's metadata uses): (value, where the next begins)."""
    if at >= len(data):
        raise _Unreadable("truncated")
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        argument = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        if at + size > len(data):
            raise _Unreadable("truncated")
        argument, at = int.from_bytes(data[at:at + size], "big"), at + size
    else:
        raise _Unreadable(f"unexpected CBOR item {data[at - 1]:#x}")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major in (2, 3):
        if at + argument > len(data):
            raise _Unreadable("truncated")
        chunk = data[at:at + argument]
        return (chunk if major == 2 else chunk.decode("utf-8")), at + argument
    if major in (4, 5):
        items = []
        for _ in range(argument * (2 if major == 5 else 1)):
            item, at = _cbor(data, at)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2]))), at
    if major == 7 and argument in (20, 21, 22):
        return {20: False, 21: True, 22: None}[argument], at
    raise _Unreadable(f"unexpected CBOR item {data[at - 1]:#x}")


def _hashes(value: object) -> list[str]:
    """Every string of `value` (nested lists) that names a file of the bundle: `<language>_<hex digest>`."""
    found: list[str] = []
    if isinstance(value, str):
        language, _, digest = value.rpartition("_")
        if language and digest and all(c in "0123456789abcdef" for c in digest):
            found.append(value)
    elif isinstance(value, list):
        for item in value:
            found += _hashes(item)
    elif isinstance(value, dict):
        for item in value.values():
            found += _hashes(item)
    return found


def bundle_names(bundle: Path) -> set[str]:
    """The files of the bundle in `bundle` (relative paths), as its entry file and metadata name them.

    The fixed files (pagefind.js, its worker, the WebAssembly…) are those with no digest in their name."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    names = {"pagefind-entry.json"}
    for language in entry["languages"].values():
        meta_name = f"pagefind.{language['hash']}.pf_meta"
        data = gzip.decompress((bundle / meta_name).read_bytes())
        if not data.startswith(META_SIGNATURE):
            raise _Unreadable(f"{meta_name} is not Pagefind metadata")
        meta, _ = _cbor(data, len(META_SIGNATURE))
        if not isinstance(meta, list) or len(meta) < 3:
            raise _Unreadable(f"{meta_name}: unexpected layout")
        names.add(meta_name)
        # [version, pages [[hash, words]...], index chunks [[from, to, hash]...], filters [[name, hash]...], sorts…]
        names.update(f"fragment/{digest}.pf_fragment" for digest in _hashes(meta[1]))
        names.update(f"index/{digest}.pf_index" for digest in _hashes(meta[2]))
        if len(meta) > 3:
            names.update(f"filter/{digest}.pf_filter" for digest in _hashes(meta[3]))
    # Pagefind's WebAssembly for each language indexed (and its fallback, "unknown"): one of a language the
    # podcast no longer has (its language changed) is left in the folder by Pagefind, never in the bundle
    wasm = {f"wasm.{language.get('wasm')}.pagefind" for language in entry["languages"].values()} | {"wasm.unknown.pagefind"}
    for path in bundle.iterdir():
        if path.is_file() and "_" not in path.name.split(".")[0] and not path.name.endswith(".pf_meta"):
            if path.name.startswith("wasm.") and path.name not in wasm:
                continue
            names.add(path.name)  # pagefind.js, pagefind-worker.js, wasm.<lang>.pagefind, the interfaces
    return names


def _bundle(bundle: Path, prune: bool, site_folder: str = paths.SEARCH_BUNDLE) -> tuple[BundleFiles, dict[str, str]]:
    """({site path: bytes}, {name: sha256}) of the bundle in `bundle` (see bundle_names), the bytes read again
    when written, in `site_folder` of the site; `prune`: remove the files it does not name."""
    names = bundle_names(bundle)
    files: dict[str, Path] = {}
    digests = {}
    for path in sorted(bundle.rglob("*")):
        if path.is_dir():
            continue
        name = path.relative_to(bundle).as_posix()
        if name not in names:
            if prune:
                path.unlink()
            continue
        data = path.read_bytes()
        digests[name] = hashlib.sha256(data).hexdigest()
        if not path.name.startswith(UNUSED):
            files[f"{site_folder}/{name}"] = path
    missing = [name for name in names if name not in digests]
    if missing:
        raise _Unreadable(f"{missing[0]} is missing")
    return BundleFiles(files), digests


def _drop_damaged(bundle: Path, known: dict[str, str]) -> None:
    """Remove the files of `bundle` that are no longer what the last run of Pagefind left (it would keep them)."""
    for name, digest in known.items():
        path = bundle / name
        try:
            if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                path.unlink()
        except OSError:
            pass


def _load_state(folder: Path) -> dict:
    try:
        state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(state, dict) or state.get("format") != STATE_FORMAT or not isinstance(state.get("documents"), dict):
        return {}
    return state


def _save_state(folder: Path, documents_digests: dict[str, str], key: str | None, bundle: dict[str, str]) -> None:
    """`key`: the input key of the bundle in bundle/ (None while Pagefind has not finished), `bundle`: its files' digests."""
    state = {"format": STATE_FORMAT, "documents": documents_digests, "key": key, "bundle": bundle}
    (folder / "state.json").write_text(json.dumps(state, separators=(",", ":")), encoding="utf-8")


def _update_documents(folder: Path, found: dict[str, str], state: dict) -> None:
    """Make `documents/` hold exactly `found`, writing only the documents that changed (see the module's docstring)."""
    source = folder / "documents"
    known: dict[str, str] = dict(state.get("documents") or {})
    if not state:  # nothing known of what is there: start again
        shutil.rmtree(source, ignore_errors=True)
        known = {}
    (folder / "state.json").unlink(missing_ok=True)  # until saved again, nothing is known of documents/ (a killed build)
    source.mkdir(parents=True, exist_ok=True)
    digests = {}
    for name, text in found.items():
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        digests[name] = digest
        target = source / name
        if known.get(name) != digest or not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    for name in known.keys() - found.keys():
        gone = source / name
        gone.unlink(missing_ok=True)
        try:
            gone.parent.rmdir()  # the episode's folder, now empty
        except OSError:
            pass
    _save_state(folder, digests, None, {})


def start_index(podcast: Podcast, found: dict[str, str]) -> Callable[[], Bundle]:
    """Start making the search bundle; the function returned waits for it (Pagefind runs meanwhile, in its own
    process, one shard after the other: see the module's docstring).

    `found`: {site path of the episode page + index.html: document} (Pages.documents: made by pages.render from
    the contexts the pages are rendered from, so that nothing is computed twice); Pagefind turns the path into
    the result's URL.

    Each shard's documents' digest is its bundle's input key: when the bundle kept in its folder was made from
    the same documents, it is taken from there and Pagefind does not run for it. A podcast with no episode yet
    has nothing to index: no bundle (the search page then finds nothing)."""
    if not found:
        return lambda: Bundle({}, "")
    base = podcast.root / SEARCH_FOLDER
    parts = shards(found)
    _remove_other_shards(base, {folder for folder, _ in parts})
    ready: list[BundleFiles] = []
    runs: list[Callable[[], BundleFiles]] = []
    keys = []
    for name, names in parts:
        documents = {n: found[n] for n in names}
        key = bundle_key(podcast, documents)
        keys.append(key)
        folder, site_folder = base / name if name else base, f"{paths.SEARCH_BUNDLE}/{name}" if name else paths.SEARCH_BUNDLE
        kept, state = _kept_bundle(folder, key, site_folder)
        if kept is not None:
            ready.append(kept)
        else:
            _prepare(folder, documents, state)
            runs.append(partial(_run_pagefind, podcast, folder, key, site_folder, len(documents)))
    key = keys[0] if len(keys) == 1 else hashlib.sha256("|".join(keys).encode()).hexdigest()
    if not runs:
        return lambda: Bundle(_joined(ready), key)
    made: list[BundleFiles] = []
    failed: list[Exception] = []

    def run_all() -> None:
        try:
            for run in runs:
                made.append(run())
        except Exception as exc:  # handed to the thread that waits for it (finish)
            failed.append(exc)

    worker = threading.Thread(target=run_all, name="pagefind", daemon=True)
    worker.start()

    def finish() -> Bundle:
        worker.join()
        if failed:
            raise failed[0]
        return Bundle(_joined(ready + made), key)

    return finish


def _joined(bundles: list[BundleFiles]) -> BundleFiles:
    return BundleFiles({name: path for bundle in bundles for name, path in bundle.found.items()})


def _remove_other_shards(base: Path, folders: set[str]) -> None:
    """Remove the folders of shards the documents no longer make (in the search folder of the cache only)."""
    try:
        entries = list(base.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(MERGED_PREFIX) and entry.name not in folders and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


def _kept_bundle(folder: Path, key: str, site_folder: str) -> tuple[BundleFiles | None, dict]:
    """(the bundle kept in `folder` when its state says it was made from input key `key`, else None; the state
    known of the folder: {} when nothing can be trusted)."""
    state = _load_state(folder)
    if state.get("key") == key:
        try:
            kept, digests = _bundle(folder / "bundle", prune=False, site_folder=site_folder)
            if digests == state.get("bundle"):
                return kept, state
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass
        state = {}
    return None, state


def _prepare(folder: Path, documents: dict[str, str], state: dict) -> None:
    """Bring `folder`'s documents up to date for a run of Pagefind, and its bundle to what can be kept of it."""
    if state.get("key") is None or not isinstance(state.get("bundle"), dict):
        # Pagefind did not finish last time (a file it was writing may be cut short, and it keeps what exists): anew.
        shutil.rmtree(folder / "bundle", ignore_errors=True)
    else:
        _drop_damaged(folder / "bundle", state["bundle"])
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _update_documents(folder, documents, state)
    except OSError as exc:
        raise PortevoixError(Problem("pagefind", say("pagefind_failed", reason=str(exc)))) from None


def _run_pagefind(podcast: Podcast, folder: Path, key: str, site_folder: str, count: int) -> BundleFiles:
    """One run of Pagefind on `folder`'s documents into its bundle/, then that bundle (pruned) and its state saved."""
    source, output = folder / "documents", folder / "bundle"
    command = [
        str(executable()), "--site", str(source), "--output-path", str(output),
        "--force-language", search_language(podcast), "--silent",
    ]
    # Its own configuration files and PAGEFIND_* variables would change the index: none is read.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    log.info("indexing %d episodes for search", count)
    try:
        process = subprocess.Popen(command, cwd=folder, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as exc:
        raise PortevoixError(Problem("pagefind", say("pagefind_failed", reason=str(exc)))) from None
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
        try:
            files, digests = _bundle(output, prune=True, site_folder=site_folder)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            shutil.rmtree(output, ignore_errors=True)  # the next build starts this folder again
            raise PortevoixError(Problem("pagefind", say("pagefind_failed", reason=f"its bundle cannot be read ({exc})"))) from None
        _save_state(folder, _load_state(folder).get("documents") or {}, key, digests)
        return files
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
