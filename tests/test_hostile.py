"""Hostile metadata is inert: what a user pastes is shown as text, never run.

A podcast whose titles, notes, speaker names, venue, chapters and URLs carry
<script>, event handlers, quotes, &, ]]>, javascript: and data: links and
template syntax is built by the real command line. The feed is read by
feedparser and lxml, the tags by mutagen, and the pages are loaded in a real
browser (Debian chromium through Playwright) served by `portevoix serve`:
nothing may run (no dialog, window.__pwned never set) and every text must read
back exactly as written.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import feedparser
import pytest
from lxml import etree, html as lxml_html
from mutagen.id3 import ID3
from mutagen.oggopus import OggOpus

from corpus.folders import CONFIG, EPISODE, Materials, front, make_case_folder
from corpus.run import english_environment, run_portevoix

PODCAST_TITLE = "Débats <script>window.__pwned='podcast';alert('podcast')</script> & Cie"
AUTHOR = "O'Brien & \"Fils\" <b>"
TITLE = "</script></title><script>window.__pwned=1;alert(1)</script> \"q\" 'a' & ]]> {{ 7*7 }} 🎙️ نقاش עברית"
SUMMARY = "</script><script>window.__pwned=2;alert(2)</script><img src=x onerror=\"window.__pwned=2;alert(2)\"> & ]]> <!-- --> {% raw %}"
SPEAKER = "<svg onload=\"window.__pwned=3;alert(3)\"> سارة & Zoë"  # right-to-left text (invisible direction marks are refused, see test_safety_inputs)
SPEAKER_URL = "https://example.org/\"><script>window.__pwned=4</script>"
CHAPTER = "<iframe src=\"javascript:window.__pwned=5\"></iframe> ]]>"
VENUE = "<b onmouseover=\"window.__pwned=6\">Salle</b> & co"
NOTES = """\
<script>window.__pwned=7;alert(7)</script>

[un lien](javascript:window.__pwned=8;alert(8)) et [un autre](data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg==)

<a href="javascript:alert(10)">brut</a> <img src=x onerror="window.__pwned=11"> ]]> &amp; {{ 7*7 }}
"""


def yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    work = tmp_path_factory.mktemp("hostile")
    config = CONFIG.replace('"Débats du collectif"', yaml_text(PODCAST_TITLE)).replace('"Collectif"\nowner', yaml_text(AUTHOR) + "\nowner")
    episode = front(
        notes=NOTES,
        title=yaml_text(TITLE),
        summary=yaml_text(SUMMARY),
        speakers=f"\n  - {{name: {yaml_text(SPEAKER)}, role: guest, url: {yaml_text(SPEAKER_URL)}}}",
        chapters=f'\n  - {{start: "00:00:00", title: {yaml_text(CHAPTER)}}}\n  - {{start: "00:00:03", title: "Suite"}}',
        venue=f"\n  name: {yaml_text(VENUE)}",
    )
    root = make_case_folder(work / "podcast", {"podcast.yaml": config, EPISODE: episode}, Materials(work / "materials"))
    result = run_portevoix(root, "build")
    assert result.returncode == 0, result.stderr
    return root


def test_the_feed_carries_every_text_exactly_and_no_markup(hostile):
    data = (hostile / "site" / "feed.xml").read_bytes()
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    tree = etree.fromstring(data)
    channel = tree.find("channel")
    assert channel.findtext("title") == PODCAST_TITLE
    item = channel.find("item")
    assert item.findtext("title") == TITLE
    # <description> is HTML to readers: the summary, then the chapters as timestamp lines (for the apps that
    # read only the description), are in it as escaped text; the only elements are the line breaks.
    description = lxml_html.fragment_fromstring(item.findtext("description"), create_parent="div")
    assert description.text_content() == f"{SUMMARY}\n00:00:00 {CHAPTER}\n00:00:03 Suite"
    assert [element.tag for element in description.iter()][1:] == ["br", "br", "br"]
    assert parsed.entries[0].summary_detail.type == "text/html"
    assert tree.findtext(".//{http://www.itunes.com/dtds/podcast-1.0.dtd}author") == AUTHOR
    # The notes travel as HTML in content:encoded: text only, no active element, no script link.
    notes = lxml_html.fragment_fromstring(item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded"), create_parent="div")
    assert not notes.xpath("//script | //img | //iframe | //svg | //*[@onerror] | //*[@onload]")
    assert not [a for a in notes.xpath("//a/@href") if re.match(r"\s*(javascript|data):", a, re.I)]
    assert "<script>window.__pwned=7;alert(7)</script>" in notes.text_content()
    assert feedparser.parse(data).entries[0].id == item.findtext("guid")


def test_the_tags_carry_every_text_exactly(hostile):
    media = hostile / "site" / "media"
    id3 = ID3(next(media.glob("*.mp3")))
    assert id3["TIT2"].text == [TITLE]
    assert id3["TALB"].text == [PODCAST_TITLE]
    assert id3["TPE1"].text == [AUTHOR]
    chapters = sorted(id3.getall("CHAP"), key=lambda c: c.start_time)
    assert chapters[0].sub_frames["TIT2"].text == [CHAPTER]
    opus = OggOpus(next(media.glob("*.opus")))
    assert opus["TITLE"] == [TITLE]
    assert opus["CHAPTER001NAME"] == [CHAPTER]


@pytest.fixture(scope="module")
def served(hostile):
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "-C", str(hostile), "serve", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=english_environment())
    port = int(re.search(r":(\d+)/", process.stdout.readline()).group(1))
    yield f"http://127.0.0.1:{port}/"
    process.terminate()
    process.wait(timeout=10)


def visit(browser, url: str):
    """Open `url`, hover and click around a little; return (page, dialogs seen, page errors)."""
    page = browser.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url, wait_until="load")
    for selector in ("h1", ".speakers li", ".notes", ".meta"):
        if page.locator(selector).count():
            page.locator(selector).first.hover()
    page.wait_for_timeout(300)
    return page, dialogs, errors


def test_no_script_runs_on_the_index_or_the_episode_page(hostile, served, browser):
    slug = next((hostile / "site" / "episodes").iterdir()).name
    for url in (served, f"{served}episodes/{slug}/"):
        page, dialogs, errors = visit(browser, url)
        assert dialogs == [], url
        assert page.evaluate("typeof window.__pwned") == "undefined", url
        assert errors == [], url
        # Data blocks (JSON-LD) may quote a hostile title; no script that runs may hold one.
        inline = page.evaluate("[...document.scripts].filter(s => !s.type || /javascript|module/i.test(s.type)).map(s => s.text).join('\\n')")
        assert "__pwned" not in inline
        links = page.evaluate("[...document.querySelectorAll('a[href],iframe[src],frame[src],form[action],area[href]')]"
                              ".map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'))")
        assert not [h for h in links if re.match(r"\s*(javascript|data|vbscript):", h, re.I)], url
        assert not [h for h in page.evaluate("[...document.querySelectorAll('[src],[href]')].map(e => e.getAttribute('src') || e.getAttribute('href'))")
                    if re.match(r"\s*javascript:", h, re.I)], url
        page.close()


def test_the_episode_page_shows_every_text_exactly(hostile, served, browser):
    slug = next((hostile / "site" / "episodes").iterdir()).name
    page, dialogs, _ = visit(browser, f"{served}episodes/{slug}/")
    assert page.locator("h1").inner_text() == TITLE
    assert page.title().startswith(TITLE)
    body = page.locator("body").inner_text()
    for text in (SUMMARY, CHAPTER, PODCAST_TITLE, "<script>window.__pwned=7;alert(7)</script>"):
        assert text in body
    assert page.locator(".speakers li a").first.inner_text() == SPEAKER
    assert page.locator(".speakers li a").first.get_attribute("href") == SPEAKER_URL
    assert "49" not in body, "template syntax in a title is not evaluated"
    # The notes' links were not made into script links: they stay as text or inert.
    assert page.evaluate("document.querySelectorAll('.notes a[href^=\"javascript\"], .notes img, .notes script').length") == 0
    page.close()
    assert dialogs == []
