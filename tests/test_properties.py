"""Property tests (hypothesis): any printable text a user writes reaches listeners unchanged.

Titles, summaries and speaker names drawn by hypothesis (every Unicode letter,
mark, symbol, emoji sequence, right-to-left mark… but no control character,
which the loader refuses) go through the real validation (EpisodeMeta), then
the real feed and page generation, in-process and without audio processing:
the episodes are built around one small MP3 made once by ffmpeg. The feed is
read back by feedparser, the page by an HTML parser; both must give back
exactly what was written.
"""

from __future__ import annotations

import datetime as dt
import html
import subprocess
from pathlib import Path

import feedparser
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings, strategies as st
from lxml import etree, html as lxml_html

from corpus.folders import CONFIG
from pipeline import presets
from pipeline.audio import ProcessedAudio
from pipeline.audio.loudness import Loudness
from pipeline.audio.probe import RecordingInfo
from pipeline.source.config import PodcastConfig
from pipeline.source.episode_meta import EpisodeMeta
from pipeline.source.episodes import Episode
from pipeline.feed.rss import build_feeds
from pipeline.media.built import BuiltEpisode
from pipeline.paths import FEED, media_file
from pipeline.source.load import Podcast
from pipeline.media.tagged import MediaFile
from pipeline.site.pages import render_pages

SLUG = "2024-03-20-debat"
# Printable: no controls, no invisible format characters or line/paragraph separators (refused with their
# line, see test_safety_inputs), but the zero-width joiners that emoji and Persian need.
PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Cf", "Zl", "Zp")) | st.sampled_from(["\u200d", "\u200c"])
"""Every assigned character but controls and surrogates: letters, marks, symbols, emoji, format marks (ZWJ, RLM)."""


def line_of(max_size: int) -> st.SearchStrategy[str]:
    return st.text(PRINTABLE, min_size=1, max_size=max_size).map(str.strip).filter(bool)


PARAGRAPHS = st.lists(line_of(80), min_size=1, max_size=3).map("\n".join)


def as_feedparser_reads(text: str) -> str:
    """feedparser "repairs" any text that reads as UTF-8 mistaken for Latin-1 ("cafÃ©" -> "café"),
    whatever the feed says: such a text (only ever mojibake in real life) is expected repaired."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


@pytest.fixture(scope="module")
def pressed(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("pressed")
    mp3, opus = folder / "audio.mp3", folder / "audio.opus"
    for target, codec in ((mp3, ["-c:a", "libmp3lame", "-b:a", "32k"]), (opus, ["-c:a", "libopus", "-b:a", "24k"])):
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=f=220:d=2", *codec, str(target)], check=True)
    return mp3, opus


def build_in_memory(tmp: Path, pressed: tuple[Path, Path], title: str, summary: str, speaker: str) -> tuple[bytes, dict[str, str], EpisodeMeta]:
    errors: list[tuple[str, str]] = []
    config = PodcastConfig.from_mapping(yaml.safe_load(CONFIG), errors)
    meta = EpisodeMeta.from_mapping(
        {"title": title, "date": "2024-03-20T18:30:00+01:00", "recording": "enregistrement.mp3", "guid": "9b1d7c2e-prop",
         "summary": summary, "speakers": [{"name": speaker, "role": "guest"}]},
        errors,
    )
    assert errors == [], "the loader accepts any printable text"
    mp3, opus = pressed
    episode = Episode(slug=SLUG, folder=tmp, meta=meta, notes="Des notes.\n", recording=mp3,
                      info=RecordingInfo(2.0, 1, 44100, "mp3"), published=dt.datetime(2024, 3, 20, 18, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
                      preset=presets.load("podcast"))
    loudness = Loudness(-16.0, 3.0, -2.0)
    audio = ProcessedAudio(files={"mp3": mp3, "opus": opus}, duration=2.0, before=loudness, after=loudness, gain_db=0.0, from_cache=True)
    item = BuiltEpisode(episode=episode, audio=audio,
                        media={"mp3": MediaFile(mp3, media_file(SLUG, "mp3"), "audio/mpeg", mp3.stat().st_size, 2.0),
                        "opus": MediaFile(opus, media_file(SLUG, "opus"), "audio/ogg", opus.stat().st_size, 2.0)})
    podcast = Podcast(root=tmp, config=config, episodes=[episode])
    return build_feeds(podcast, [item])[FEED], render_pages(podcast, [item]), meta


@settings(max_examples=40, deadline=None, report_multiple_bugs=False, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(title=line_of(120), summary=PARAGRAPHS, speaker=line_of(60))
@example(title="<b>gras</b> & <script>alert(1)</script> ]]>", summary="<p>para</p>\n&amp; \"q\" 'a'", speaker="<i>Zoë</i> & co")
@example(title="👩🏽\u200d🔧 نقاش עברית", summary="🇫🇷 مرحبا\nשלום", speaker="سارة")
@example(title="Â¡ cafÃ©", summary="Ã©t", speaker="Ã")
@example(title="{{ 7*7 }} {% raw %}", summary="first\n\tand tabbed", speaker="A  B")
def test_any_printable_text_survives_the_feed_and_the_page(tmp_path, pressed, title, summary, speaker):
    feed, pages, meta = build_in_memory(tmp_path, pressed, title, summary, speaker)
    assert (meta.title, meta.summary, meta.speakers[0].name) == (title, summary, speaker), "validation keeps the text as written"

    # A strict XML parser gives every text back exactly.
    item = etree.fromstring(feed).find("channel/item")
    assert item.findtext("title") == title
    assert html.unescape(item.findtext("description")) == summary

    parsed = feedparser.parse(feed)
    assert not parsed.bozo, parsed.get("bozo_exception")
    (entry,) = parsed.entries
    assert entry.title == as_feedparser_reads(title)
    # RSS <description> is HTML to every reader (feedparser says so): its text is what listeners read.
    assert entry.summary_detail.type == "text/html"
    assert html.unescape(entry.summary) == as_feedparser_reads(summary)

    page = lxml_html.document_fromstring(pages[f"episodes/{SLUG}/index.html"])
    assert page.xpath("string(//h1)") == title
    texts = [node.strip(" ") for node in page.xpath("//body//text()")]
    assert summary in texts, "the summary is shown whole, as one text"
    assert speaker in texts, "the speaker's name is shown whole, as one text"
    index = lxml_html.document_fromstring(pages["index.html"])
    assert index.xpath("string(//ol[@class='episodes']//h3/a)") == title
