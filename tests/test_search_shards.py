"""A large archive's search index is made in shards (pipeline/site/search.py): each a Pagefind bundle made by its
own run, so that Pagefind's memory follows the shard, not the archive, and an episode added or edited makes its
own shard again, not the whole index. The search page merges the shards (Pagefind's mergeIndex) and finds, in a
real browser, what any of them holds.

The shards' sizes are the module's constants, made small here (a real archive needs 2,000 episodes to have two):
the build runs in this process, with them patched.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipeline.build import build
from pipeline.site import search
from support.browser import browser, check_watched, served, wait_until, watch  # noqa: F401 (fixtures)
from support.files import tree_digest
from support.podcasts import make_podcast

WORDS = ("abricot", "baleine", "cerisier", "dromadaire", "escargot", "flamant", "girafe", "hibou", "iguane")
"""One word each episode's notes say, and no other."""
EPISODE = """\
---
title: "Débat {n}"
date: 2024-03-{day:02d}T18:30:00+01:00
recording: enregistrement.wav
guid: guid-shard-{n}
---
Ce soir, on parle de {word}.
"""


@pytest.fixture()
def small_shards(monkeypatch):
    monkeypatch.setattr(search, "SHARD_MOST", 3)
    monkeypatch.setattr(search, "SHARD_LEAST", 1)
    monkeypatch.setattr(search, "SHARD_SPREAD", 2)


def episodes(count: int, first: int = 0) -> dict[str, str]:
    return {f"2024-03-{n + 1:02d}-debat": EPISODE.format(n=n, day=n + 1, word=WORDS[n]) for n in range(first, first + count)}


def shard_folders(root: Path) -> dict[str, Path]:
    """{shard folder name ("" for the first): its folder in the search cache}."""
    base = root / ".cache/portevoix/search"
    return {"": base, **{p.name: p for p in base.iterdir() if p.name.startswith(search.MERGED_PREFIX)}}


def state_times(root: Path) -> dict[str, int]:
    return {name: (folder / "state.json").stat().st_mtime_ns for name, folder in shard_folders(root).items()}


def indexed(root: Path) -> dict[str, set[str]]:
    """{shard: the episode pages whose documents it indexes}, read from its documents folder."""
    return {name: {p.relative_to(folder / "documents").as_posix() for p in (folder / "documents").rglob("*.html")}
            for name, folder in shard_folders(root).items()}


def fresh(root: Path, scratch: Path) -> dict[str, str]:
    """The site a build from an empty cache makes of a copy of `root`'s sources, with the same shard sizes."""
    import shutil

    shutil.copytree(root, scratch, ignore=shutil.ignore_patterns(".cache", "site", "site.*"))
    build(scratch)
    return tree_digest(scratch / "site")


def test_a_large_archive_is_indexed_in_shards_each_made_again_only_when_its_episodes_change(tmp_path, small_shards):
    root = make_podcast(tmp_path / "podcast", episodes(7))
    build(root)
    shards = search.shards(f"episodes/{slug}/index.html" for slug in episodes(7))
    assert len(shards) >= 3 and all(1 <= len(names) <= 3 for _, names in shards)
    # each episode indexed once, in the shard that names it; each shard a bundle of its own in the site
    assert indexed(root) == {name: set(names) for name, names in shards}
    site = tree_digest(root / "site")
    for name, _ in shards:
        assert f"pagefind/{name + '/' if name else ''}pagefind-entry.json" in site
    page = (root / "site/recherche/index.html").read_text(encoding="utf-8")
    merged = re.search(r'data-merge="([^"]*)"', page)
    assert merged and merged.group(1).split(" ") == [f"../pagefind/{name}/" for name, _ in shards[1:]]
    assert site == fresh(root, tmp_path / "fresh-1")

    # One episode's notes edited: its shard alone is indexed again.
    before = state_times(root)
    notes = root / "episodes/2024-03-05-debat/episode.md"
    notes.write_text(notes.read_text(encoding="utf-8").replace("Ce soir", "Ce soir-là"), encoding="utf-8")
    build(root)
    edited = next(name for name, names in shards if "episodes/2024-03-05-debat/index.html" in names)
    after = state_times(root)
    assert {name for name in before if after[name] != before[name]} == {edited}
    assert tree_digest(root / "site") == fresh(root, tmp_path / "fresh-2")

    # Two episodes added after the others: the shards before the last keep their bundles.
    from support.podcasts import add_episodes

    add_episodes(root, episodes(2, first=7))
    before = state_times(root)
    build(root)
    now = search.shards(f"episodes/{slug}/index.html" for slug in episodes(9))
    assert indexed(root) == {name: set(names) for name, names in now}
    untouched = [name for name, _ in shards[:-1]]
    assert all(state_times(root)[name] == before[name] for name in untouched)
    assert tree_digest(root / "site") == fresh(root, tmp_path / "fresh-3")

    # Episodes removed: the shards they made leave the cache and the site.
    import shutil

    for slug in list(episodes(9))[3:]:
        shutil.rmtree(root / "episodes" / slug)
    build(root)
    left = search.shards(f"episodes/{slug}/index.html" for slug in list(episodes(9))[:3])
    assert set(shard_folders(root)) == {name for name, _ in left}
    assert not [n for n in tree_digest(root / "site") if n.startswith("pagefind/more-") and not any(
        n.startswith(f"pagefind/{name}/") for name, _ in left if name)]


def test_the_search_page_finds_what_any_shard_holds(tmp_path, small_shards, browser):
    root = make_podcast(tmp_path / "podcast", episodes(7))
    build(root)
    shards = search.shards(f"episodes/{slug}/index.html" for slug in episodes(7))
    assert len(shards) >= 3
    with served(root) as base_url:
        context = browser.new_context(viewport={"width": 360, "height": 800})
        page = watch(context.new_page(), {urlsplit(base_url).netloc})
        for n, slug in enumerate(episodes(7)):
            # the word, the start of it (as typed), and with another word every episode says
            for query in (WORDS[n], WORDS[n][:5], f"soir {WORDS[n]}"):
                page.goto(base_url + "recherche/?q=" + query)
                first = page.locator(".results > li").first
                first.wait_for(state="visible")
                # the shards that hold no word starting so guess another (Pagefind's longest prefix): left out
                assert page.locator(".results > li").count() == 1, query
                assert first.locator("h2 a").get_attribute("href").endswith(f"/episodes/{slug}/"), (query, slug)
        page.goto(base_url + "recherche/?q=soir")  # a word of every episode: every shard's results, best first
        page.locator(".results > li").first.wait_for(state="visible")
        wait_until(page, "document.querySelectorAll('.results > li').length === 7")
        check_watched(page)
        context.close()


def transcribed(count: int, size: int = 260_000) -> dict[str, str]:
    """{episode page: document} of `count` transcribed two-hour debates (a document of `size` characters each)."""
    return {f"episodes/2024-{n // 28 + 1:02d}-{n % 28 + 1:02d}-debat-{n}/index.html": "x" * size for n in range(count)}


def test_a_shard_is_bounded_by_the_text_pagefind_indexes_not_only_by_its_count():
    documents = transcribed(100)
    parts = search.shards(documents)
    assert [name for _, names in parts for name in names] == sorted(documents)  # each document once, in order
    assert len(parts) >= 26_000_000 // search.SHARD_TEXT_MOST + 1
    assert all(sum(len(documents[name]) for name in names) <= search.SHARD_TEXT_MOST for _, names in parts)
    assert [folder for folder, _ in parts][0] == "" and all(folder.startswith(search.MERGED_PREFIX) for folder, _ in parts[1:])
    assert search.merged_bundles(documents) == [f"{search.paths.SEARCH_BUNDLE}/{folder}/" for folder, _ in parts[1:]]

    # One document grown in the middle: the shards before its own are the same, and so are most of those after it.
    grown = dict(documents)
    middle = sorted(documents)[50]
    grown[middle] += "y" * 40_000
    again = search.shards(grown)
    at = next(i for i, (_, names) in enumerate(parts) if middle in names)
    assert again[:at] == parts[:at]
    assert len({tuple(names) for _, names in again} & {tuple(names) for _, names in parts}) >= len(parts) - 2


def test_short_documents_are_cut_by_count_alone_and_one_too_long_has_a_shard_of_its_own():
    # two thousand of the bench's documents (1,300 characters each): one shard, as before the text bound
    short = {f"episodes/debat-{n:05d}/index.html": "x" * 1300 for n in range(search.SHARD_MOST)}
    assert search.shards(short) == [("", sorted(short))]
    # a document longer than a shard may be: indexed alone, never dropped
    documents = {**transcribed(3), "episodes/2024-06-01-tres-long/index.html": "x" * (search.SHARD_TEXT_MOST + 1)}
    parts = search.shards(documents)
    assert [name for _, names in parts for name in names] == sorted(documents)
    assert ["episodes/2024-06-01-tres-long/index.html"] in [names for _, names in parts]
