"""Generated pages read as files: no third party, the weight budget, sharing metadata, redirects,
pagination, languages, template overrides. Built by the real command line."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from PIL import Image

from support.sound import make_tone
from support.cli import run_cli

BUDGET = 30_000
"""Bytes of HTML + CSS + JS an episode page may weigh (audio and images excluded)."""

URL = re.compile(r"""(?:\bhttps?:)?//(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d+)?[^\s"'<>()\\]*""", re.IGNORECASE)
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
SCANNED = (".html", ".css", ".js", ".json")


class Tags(HTMLParser):
    """Every start tag with its attributes, in order."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def find(self, tag: str, **wanted) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in wanted.items())]


def user_urls(root: Path) -> set[str]:
    """Every address the user wrote in the episodes (notes, speakers, chapters): allowed on pages."""
    return {m.group(0) for source in root.glob("episodes/*/episode.md") for m in URL.finditer(source.read_text(encoding="utf-8"))}


def foreign_urls(site: Path, own_host: str, allowed: set[str]) -> list[tuple[str, str]]:
    """(file, URL) for every reference to another host in the generated HTML, CSS, JS and JSON.

    The only foreign string tolerated is the schema.org vocabulary name as the JSON-LD "@context",
    which no browser fetches; it is checked to be exactly that, then removed before the scan.
    """
    found = []
    for path in sorted(p for p in site.rglob("*") if p.suffix in SCANNED):
        text = path.read_text(encoding="utf-8")
        if path.relative_to(site).parts[0] == "pagefind":
            # Pagefind's script resolves a result's path against a dummy origin to add its #anchor, then keeps
            # only the path: `new URL(`https://example.com${path}`)`. A string parsed, never fetched (the browser
            # tests watch every request); each use of it is removed, anything else is still caught.
            text = text.replace("new URL(`https://example.com${", "new URL(`${")
        for block in JSONLD.findall(text):
            assert json.loads(block)["@context"] == "https://schema.org"
            text = text.replace(block, block.replace('"@context":"https://schema.org"', "", 1))
        for match in URL.finditer(text):
            if match["host"].lower() != own_host and match.group(0) not in allowed:
                found.append((path.relative_to(site).as_posix(), match.group(0)))
    return found


def test_the_scan_finds_a_planted_third_party_url(tmp_path):
    (tmp_path / "a.html").write_text('<link href="https://debats.example.org/x.css"><script src="//cdn.example.com/x.js"></script>')
    (tmp_path / "b.css").write_text("body { background: url(https://fonts.example.net/f.woff2) }")
    found = foreign_urls(tmp_path, "debats.example.org", set())
    assert [url for _, url in found] == ["//cdn.example.com/x.js", "https://fonts.example.net/f.woff2"]


def test_no_generated_file_refers_to_another_host(demo_build):
    site = demo_build / "site"
    scanned = [p for p in site.rglob("*") if p.suffix in SCANNED]
    assert len(scanned) >= 14, "index, search, 2 episode, 2 transcript, 2 embed pages, 2 oEmbed files, CSS, JS, Pagefind"
    assert foreign_urls(site, "debats.example.org", user_urls(demo_build)) == []
    for script in (site / "static").glob("*.js"):
        text = script.read_text(encoding="utf-8")
        assert "document.cookie" not in text and "fetch(" not in text and "XMLHttpRequest" not in text, script.name
        # Only the player keeps something, in the listener's own browser: where they stopped, and their speed.
        assert ("localStorage" in text) == (script.name == "player.js"), script.name
    style = (site / "static" / "style.css").read_text(encoding="utf-8")
    assert "@import" not in style and "@font-face" not in style


def page_weight(site: Path, page: Path) -> dict[str, int]:
    """Bytes of the page and of every stylesheet and script it links."""
    html = page.read_text(encoding="utf-8")
    tags = Tags(html)
    address = "http://x/" + page.relative_to(site).as_posix()
    linked = [a["href"] for a in tags.find("link", rel="stylesheet")] + [a["src"] for t, a in tags.tags if t == "script" and "src" in a]
    weights = {page.relative_to(site).as_posix(): page.stat().st_size}
    for href in linked:
        path = site / urlsplit(urljoin(address, href)).path.lstrip("/")
        weights[path.relative_to(site).as_posix()] = path.stat().st_size
    return weights


def test_an_episode_page_weighs_less_than_30_kb(demo_build):
    site = demo_build / "site"
    for page in sorted(site.glob("episodes/*/index.html")):
        weights = page_weight(site, page)
        assert any(name.endswith(".css") for name in weights) and any(name.endswith(".js") for name in weights)
        print(page.parent.name, weights, sum(weights.values()), "bytes")
        assert sum(weights.values()) <= BUDGET, weights
        for img in Tags(page.read_text(encoding="utf-8")).find("img"):
            for candidate in [img["src"], *img.get("srcset", "").split()[::2]]:
                image = site / urlsplit(urljoin("http://x/" + page.relative_to(site).as_posix(), candidate)).path.lstrip("/")
                assert Image.open(image).width <= 320, "pages show small resized covers"


def test_episode_page_has_what_listeners_and_partners_need(demo_build):
    site = demo_build / "site"
    slug = "2024-03-20-numerisation-massive"
    html = (site / "episodes" / slug / "index.html").read_text(encoding="utf-8")
    tags = Tags(html)
    base = "https://debats.example.org/"
    assert tags.find("link", rel="canonical")[0]["href"] == f"{base}episodes/{slug}/"
    assert tags.find("link", rel="alternate", type="application/rss+xml")[0]["href"] == f"{base}feed.xml"
    (oembed_link,) = tags.find("link", rel="alternate", type="application/json+oembed")
    oembed = json.loads((site / urlsplit(oembed_link["href"]).path.lstrip("/")).read_text(encoding="utf-8"))
    assert oembed["version"] == "1.0" and oembed["type"] == "rich" and oembed["height"] > 100
    iframe = Tags(oembed["html"]).find("iframe")[0]
    assert iframe["src"] == f"{base}embed/{slug}/" and (site / "embed" / slug / "index.html").is_file()
    meta = {a.get("property") or a.get("name"): a["content"] for a in tags.find("meta") if "content" in a}
    assert meta["og:title"] == "Numérisation massive, des impacts sociaux impensés"
    assert meta["og:url"] == f"{base}episodes/{slug}/"
    assert meta["og:image"] == f"{base}cover-320.jpg" and (site / "cover-320.jpg").is_file()
    assert meta["og:audio"] == f"{base}media/{slug}.mp3"
    assert meta["twitter:player"] == f"{base}embed/{slug}/"
    (ld,) = (json.loads(block) for block in JSONLD.findall(html))
    assert ld["@type"] == "PodcastEpisode" and ld["partOfSeries"]["@type"] == "PodcastSeries"
    assert ld["datePublished"] == "2024-03-20T18:30:00+01:00"
    assert {m["contentUrl"] for m in ld["associatedMedia"]} == {f"{base}media/{slug}.mp3", f"{base}media/{slug}.opus"}
    # The embed snippet to copy is the same iframe as the oEmbed answer.
    (textarea_html,) = re.findall(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>', html, re.DOTALL)
    assert Tags(textarea_html.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"')).find("iframe")[0]["src"] == iframe["src"]
    # The player, its sources, and the downloads with their real sizes.
    (audio,) = tags.find("audio")
    assert audio["preload"] == "none" and "controls" in audio, "nothing downloaded before the listener acts"
    assert [a["type"] for a in tags.find("source")] == ["audio/ogg; codecs=opus", "audio/mpeg"]
    sizes = {kind: (site / "media" / f"{slug}.{kind}").stat().st_size / 1e6 for kind in ("opus", "mp3")}
    text = re.sub(r"<[^>]+>", "", html).replace("\u00a0", " ")
    assert f"Opus {sizes['opus']:.1f} Mo · MP3 {sizes['mp3']:.1f} Mo".replace(".", ",") in text
    assert "20 mars 2024" in html and "Claire Vernay" in html and "(animation)" in html
    assert 'href="https://example.org/mathieu-roussel"' in html
    assert text.count("Licence") == 1 and "Licence : CC BY-SA 4.0" in text, "one licence line"
    assert "Lieu : École des Mines de Saint-Étienne, 158 cours Fauriel, 42100 Saint-Étienne" in text
    assert "20 mars 2024 à 18 h 30" in text, "date and time of the debate"
    # Chapters: a link into the audio (media fragment) and the time the script seeks to.
    chapters = [a for a in tags.find("a") if "data-start" in a]
    assert len(chapters) == 6
    assert all(re.fullmatch(rf"\.\./\.\./media/{slug}\.mp3#t=\d+", a["href"]) for a in chapters)
    assert [int(a["href"].rsplit("=", 1)[1]) for a in chapters] == [int(float(a["data-start"])) for a in chapters]
    index = Tags((site / "index.html").read_text(encoding="utf-8"))
    (series,) = (json.loads(block) for block in JSONLD.findall((site / "index.html").read_text(encoding="utf-8")))
    assert series["@type"] == "PodcastSeries" and series["webFeed"] == f"{base}feed.xml"
    assert [a["href"] for a in index.find("a") if a.get("href", "").startswith("./episodes/")] == [
        "./episodes/2024-03-20-numerisation-massive/", "./episodes/2017-10-03-construire-la-riposte/"
    ], "newest first"


def test_transcript_page_has_every_cue_with_its_speaker_and_a_time_link(demo_build):
    site = demo_build / "site"
    slug = "2017-10-03-construire-la-riposte"
    vtt = (demo_build / "episodes" / slug / "transcript.vtt").read_text(encoding="utf-8")
    cues = re.findall(r"^(\d\d):(\d\d):(\d\d)\.\d+ --> .*\n<v ([^>]+)>(.*)$", vtt, re.MULTILINE)
    assert len(cues) > 20
    html = (site / "episodes" / slug / "transcription" / "index.html").read_text(encoding="utf-8")
    links = [a for a in Tags(html).find("a") if "data-start" in a]
    assert len(links) == len(cues)
    # The published audio starts later than the raw recording (dead air trimmed): every time moves back by
    # the same amount, at most the few seconds of dead air the demo recordings start with.
    raw = [int(h) * 3600 + int(m) * 60 + int(s) for h, m, s, _, _ in cues]
    shift = raw[0] - float(links[0]["data-start"])
    assert -1.0 < shift < 8.0
    for (_h, _m, _s, speaker, text), link, start in zip(cues, links, raw):
        assert text.replace("'", "&#39;") in html
        assert f"<h2>{speaker}</h2>" in html
        assert abs(float(link["data-start"]) - max(0.0, start - shift)) < 1.0
        assert link["href"].startswith(f"../../../media/{slug}.mp3#t=")
    episode = (site / "episodes" / slug / "index.html").read_text(encoding="utf-8")
    assert 'href="../../episodes/2017-10-03-construire-la-riposte/transcription/"' in episode
    # The plain-text download of the transcript page, a file that is there.
    (text,) = [a["href"] for a in Tags(html).find("a", type="text/plain")]
    assert (site / "episodes" / slug / "transcription" / text).resolve().read_text(encoding="utf-8").count("Sylvie Marchand") >= 1


# A second podcast: English, three episodes on two index pages, a renamed episode, its own cover,
# a SubRip transcript, a template of its own, published under a sub-folder of a partner host.

BASE = "https://partners.example.net/radio/"


def write_episode(root: Path, folder: str, title: str, date: str, guid: str, extra: str = "") -> Path:
    path = root / "episodes" / folder
    path.mkdir(parents=True)
    make_tone(path / "recording.wav", 4.0)
    (path / "episode.md").write_text(
        f'---\ntitle: "{title}"\ndate: {date}\nrecording: recording.wav\nguid: {guid}\nsummary: "About {title}."\n{extra}---\n'
        f"Notes of {title}, with [a link](https://example.com/notes).\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("english")
    (root / "podcast.yaml").write_text(
        f'title: "Town hall talks"\ndescription: "Debates."\nauthor: "A collective"\n'
        f'owner: {{name: "A collective", email: "a@example.org"}}\nlanguage: en-GB\nbase_url: "{BASE}"\nepisodes_per_page: 2\n',
        encoding="utf-8",
    )
    Image.new("RGB", (1400, 1400), (200, 60, 40)).save(root / "cover.jpg")
    write_episode(root, "first", "First talk", "2024-03-01", "guid-1")
    renamed = write_episode(
        root, "second-talk", "Second talk", "2024-03-20", "guid-2",
        'transcript: talk.srt\ncover: own.png\nchapters:\n  - {start: "00:00:00", title: "Start"}\n  - {start: "00:00:02", title: "Questions"}\n',
    )
    (renamed / "talk.srt").write_text(
        "1\n00:00:00,500 --> 00:00:01,500\nAlice Martin: Good evening.\n\n2\n00:00:02,000 --> 00:00:03,000\nBob: A question & more.\n",
        encoding="utf-8",
    )
    Image.new("RGB", (1400, 1400), (30, 90, 160)).save(renamed / "own.png")
    write_episode(root, "third", "Third talk", "2025-01-02", "guid-3")
    write_episode(
        root, "summer-school", "L'école d'été & « la suite »", "2023-06-10T20:00:00+01:00", "guid-4",
        'venue: {name: "Town hall"}\n',
    )
    (root / "published.json").write_text(
        json.dumps({"episodes": {"guid-2": {"slugs": ["old-name", "second-talk"], "enclosures": []}}}), encoding="utf-8"
    )
    (root / "templates").mkdir()
    (root / "templates" / "_subscribe.html").write_text("<p>Our own subscribe box</p>\n", encoding="utf-8")
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    return root


def test_the_index_is_paginated_newest_first(english):
    site = english / "site"
    first = (site / "index.html").read_text(encoding="utf-8")
    second = (site / "page" / "2" / "index.html").read_text(encoding="utf-8")
    assert first.index("Third talk") < first.index("Second talk") and "First talk" not in first
    assert "First talk" in second and "Second talk" not in second
    assert '<a href="./page/2/" rel="next">Older episodes →</a>' in first
    assert '<a href="../../" rel="prev">← Newer episodes</a>' in second
    assert 'href="../../episodes/first/"' in second and 'href="../../static/style.css"' in second
    assert Tags(second).find("link", rel="canonical")[0]["href"] == BASE + "page/2/"
    assert not (site / "page" / "3").exists()


def test_english_podcast_gets_english_pages_and_dates(english):
    site = english / "site"
    html = (site / "episodes" / "second-talk" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert "20 March 2024" in html and "Download" in html and "Chapters" in html
    assert "Écouter" not in html and "Télécharger" not in html
    assert Tags(html).find("link", rel="canonical")[0]["href"] == BASE + "episodes/second-talk/"
    # Search: an English page, an index stemmed in English (en-GB is English to Pagefind).
    search = (site / "search" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in search and "Search the episodes" in search
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["en"] and entry["languages"]["en"]["page_count"] == 4


def test_the_embed_code_shows_the_text_one_pastes_and_times_are_in_the_podcasts_timezone(english):
    site = english / "site"
    html = (site / "episodes" / "summer-school" / "index.html").read_text(encoding="utf-8")
    (source,) = re.findall(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>', html, re.DOTALL)
    shown = unescape(source)  # what the browser shows in the box, and what one copies
    oembed = json.loads((site / "embed" / "summer-school" / "oembed.json").read_text(encoding="utf-8"))
    assert shown == oembed["html"]
    assert 'title="L\'école d\'été &amp; « la suite »"' in shown and "&#39;" not in shown
    (iframe,) = Tags(shown).find("iframe")
    assert iframe["title"] == "L'école d'été & « la suite »" and iframe["height"] == str(oembed["height"])
    text = unescape(re.sub(r"<[^>]+>", "", html)).replace("\u00a0", " ")
    # 20:00 at +01:00 is 21:00 in Europe/Paris (summer time), the podcast's default timezone.
    assert "10 June 2023 at 9:00 pm" in text and "Venue : Town hall" in text
    first = unescape(re.sub(r"<[^>]+>", "", (site / "episodes" / "first" / "index.html").read_text(encoding="utf-8")))
    assert "1 March 2024 ·" in first and " at " not in first.split("1 March 2024")[1][:5], "a date without a time shows none"


def test_a_podcast_template_overrides_the_builtin_one(english):
    index = (english / "site" / "index.html").read_text(encoding="utf-8")
    assert "<p>Our own subscribe box</p>" in index
    assert "Feed address to paste" not in index
    assert '<main id="contenu">' in index, "the other templates stay the built-in ones"


def test_a_renamed_episode_leaves_redirects_at_its_old_addresses(english):
    site = english / "site"
    page = (site / "episodes" / "old-name" / "index.html").read_text(encoding="utf-8")
    tags = Tags(page)
    assert tags.find("meta", http_equiv="refresh")[0]["content"] == "0; url=../../episodes/second-talk/"
    assert tags.find("link", rel="canonical")[0]["href"] == BASE + "episodes/second-talk/"
    assert tags.find("a")[0]["href"] == "../../episodes/second-talk/"
    embed = Tags((site / "embed" / "old-name" / "index.html").read_text(encoding="utf-8"))
    assert embed.find("meta", http_equiv="refresh")[0]["content"] == "0; url=../../embed/second-talk/"
    assert not (site / "episodes" / "first" / "transcription").exists()


def test_own_cover_is_resized_and_srt_speakers_are_shown(english):
    site = english / "site"
    for size in (160, 320):
        image = Image.open(site / "media" / f"second-talk-{size}.jpg")
        assert image.size == (size, size) and image.format == "JPEG"
        assert image.getpixel((size // 2, size // 2))[2] > 120, "the episode's own blue cover, not the podcast's"
    html = (site / "episodes" / "second-talk" / "transcription" / "index.html").read_text(encoding="utf-8")
    assert "<h2>Alice Martin</h2>" in html and "<h2>Bob</h2>" in html and "A question &amp; more." in html
    assert foreign_urls(site, "partners.example.net", user_urls(english)) == []


def test_dates_sizes_and_durations_are_written_as_people_read_them():
    import datetime as dt

    from pipeline.site.pages import human_date, human_duration, human_size

    paris = dt.timezone(dt.timedelta(hours=1))
    assert human_date(dt.datetime(2024, 3, 20, 18, 30, tzinfo=paris), "fr") == "20 mars 2024"
    assert human_date(dt.datetime(2024, 8, 1, tzinfo=paris), "fr") == "1er août 2024"
    assert human_date(dt.datetime(2024, 3, 20, tzinfo=paris), "en") == "20 March 2024"
    assert human_size(14_200_000, "fr") == "14\u00a0Mo" and human_size(950_000, "fr") == "0,9\u00a0Mo"
    assert human_size(55_400_000, "en") == "55\u00a0MB"
    assert human_duration(3905) == "1\u00a0h\u00a005\u00a0min" and human_duration(207) == "3\u00a0min"


def test_a_podcast_without_episodes_yet_builds_with_a_search_page_and_no_index(tmp_path):
    (tmp_path / "episodes").mkdir()
    (tmp_path / "podcast.yaml").write_text(
        'title: "Nouveau"\ndescription: "Bientôt."\nauthor: "Un collectif"\nowner: {name: "Un collectif", email: "a@example.org"}\n'
        'language: fr\nbase_url: "https://nouveau.example.org/"\n',
        encoding="utf-8",
    )
    Image.new("RGB", (1400, 1400), (20, 20, 20)).save(tmp_path / "cover.jpg")
    result = run_cli(tmp_path, "build")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "recherche" / "index.html").is_file() and not (tmp_path / "site" / "pagefind").exists()
