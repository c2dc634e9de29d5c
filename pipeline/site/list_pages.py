"""The pages about the whole podcast: the list of episodes (paged), the search page, redirects from old addresses."""

from __future__ import annotations

from collections.abc import Mapping

from pipeline import paths
from pipeline.identity import PublishedEpisode
from pipeline.media import images
from pipeline.media.built import BuiltEpisode
from pipeline.site import sharing
from pipeline.site.templating import APP_LINKS, CONTENT_POLICY, SEARCH_POLICY, folder_url, relative_root
from pipeline.source.load import Podcast


def site_context(podcast: Podcast, language: str) -> dict:
    config = podcast.config
    return {
        "title": config.title,
        "description": config.description,
        "author": config.author,
        "language": language,
        "feed_url": podcast.feed_url,
        "base_url": config.base_url,
        "cover": paths.page_cover_file(images.PAGE_SIZES[0]),
        "cover_2x": paths.page_cover_file(images.PAGE_SIZES[1]),
        "license": config.license,
        "apps": [{"name": name, "href": pattern.format(feed=podcast.feed_url.split("://", 1)[1])} for name, pattern in APP_LINKS],
        "policy": CONTENT_POLICY,
        "search_page": paths.search_page(language),
        "fediverse": config.fediverse,
        "podroll": [{"title": p.title or (p.feed_url or "").split("/")[2], "href": p.feed_url} for p in config.podroll if p.title or p.feed_url],
    }


def index_pages(podcast: Podcast, episodes: list[dict]) -> dict[str, dict]:
    """{site path: what the page shows}: the list of episodes, newest first, `episodes_per_page` to a page."""
    size = podcast.config.episodes_per_page
    count = index_page_count(podcast, len(episodes))
    return dict(index_page(podcast, number, count, episodes[(number - 1) * size : number * size]) for number in range(1, count + 1))


def index_page_count(podcast: Podcast, episodes: int) -> int:
    """How many pages the list of `episodes` episodes takes (one, even empty)."""
    size = podcast.config.episodes_per_page
    return max(1, -(-episodes // size))


def index_page(podcast: Podcast, number: int, count: int, chunk: list[dict]) -> tuple[str, dict]:
    """(site path, what it shows) of page `number` of `count` of the list of episodes, showing `chunk` (their contexts)."""
    name = paths.index_page(number)
    root = relative_root(name)

    def href(n: int, root: str = root) -> str:
        return root + paths.index_page(n).removesuffix("index.html")

    pager = {
        "count": count,
        "number": number,
        "newer": href(number - 1) if number > 1 else None,
        "older": href(number + 1) if number < count else None,
        "pages": [{"number": n, "href": href(n), "current": n == number} for n in range(1, count + 1)],
    }
    return name, {
        "episodes": chunk,
        "pager": pager,
        "root": root,
        "page_url": folder_url(podcast.config.base_url, name),
        "meta": sharing.site_meta(podcast),
        "jsonld": sharing.script_json(sharing.series_jsonld(podcast)) if number == 1 else None,
    }


def redirects(podcast: Podcast, built: list[BuiltEpisode], record: Mapping[str, PublishedEpisode]) -> dict[str, dict]:
    """{site path: what its redirect page shows}: a page at every old address of a renamed episode (its page and
    its embed player), pointing to the new one; `record` is published.json (Published.record)."""
    current = {item.episode.meta.guid: item.episode.slug for item in built}
    taken = set(current.values())
    pages = {}
    for guid, entry in record.items():
        if guid not in current:
            continue
        for old in entry.slugs:
            if old == current[guid] or old in taken:
                continue
            for address in (paths.episode_page, paths.embed_page):
                name = address(old) + "index.html"
                target = address(current[guid])
                pages[name] = {"root": relative_root(name), "target": relative_root(name) + target,
                               "page_url": paths.absolute(podcast.config.base_url, target)}
    return pages


def search_page(podcast: Podcast, language: str) -> tuple[str, dict]:
    """(site path, what it shows) of the search page; its policy lets it run Pagefind's WebAssembly."""
    name = paths.search_page(language) + "index.html"
    return name, {
        "policy": SEARCH_POLICY, "root": relative_root(name), "page_url": folder_url(podcast.config.base_url, name),
        "meta": sharing.site_meta(podcast), "jsonld": None, "bundle": paths.SEARCH_BUNDLE,
    }
