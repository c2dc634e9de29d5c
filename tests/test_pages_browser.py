"""Episode, transcript and embed pages in a real browser (Debian chromium), served by `portevoix serve`.

The player must report the episode's duration, play, seek from chapters and
from `#t=` links, be reached by keyboard; the embed page must play inside a
sandboxed iframe of another site; axe-core must find nothing at 360 and 1280 px;
the browser must request nothing from another host.
"""

from __future__ import annotations

import json
import subprocess
from urllib.parse import urlsplit

import pytest
import yaml

from support.browser import WIDTHS, axe_violations, other_site, page, screenshot, site, wait_until  # noqa: F401 (fixtures)

EPISODE = "2024-03-20-numerisation-massive"


def probe_duration(path) -> float:
    """The file's duration read by ffprobe, independently of the pipeline."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", str(path)],
        capture_output=True, text=True, check=True,
    ).stdout
    return float(json.loads(out)["format"]["duration"])


def front_matter(root, slug: str) -> dict:
    return yaml.safe_load((root / "episodes" / slug / "episode.md").read_text(encoding="utf-8").split("---")[1])


def wait_metadata(page, selector: str = "#player", frame=None):
    wait_until(frame or page, f"document.querySelector('{selector}').readyState >= 1")


def test_player_loads_nothing_until_played_then_reports_the_duration_and_plays(page, site):
    root, base_url = site
    page.goto(base_url + f"episodes/{EPISODE}/")
    page.wait_for_load_state("load")
    assert not [url for url in page.requests if "/media/" in url and url.endswith((".opus", ".mp3"))], "preload=none"
    assert page.evaluate("document.getElementById('player').readyState") == 0
    page.evaluate("document.getElementById('player').muted = true")
    page.locator(".controls .play").click()
    wait_metadata(page)
    duration = page.evaluate("document.getElementById('player').duration")
    source = page.evaluate("document.getElementById('player').currentSrc")
    expected = probe_duration(root / "site" / urlsplit(source).path.lstrip("/"))
    assert source.endswith(".opus"), "Chromium takes the small Opus file first"
    assert duration == pytest.approx(expected, abs=0.5)
    assert duration == pytest.approx(probe_duration(root / "site" / "media" / f"{EPISODE}.mp3"), abs=0.5)

    wait_until(page, "document.getElementById('player').currentTime > 1.0")
    assert not page.evaluate("document.getElementById('player').paused")
    assert page.locator(".controls .play").inner_text().strip() == "Pause"


def test_clicking_a_chapter_moves_the_player_there(page, site):
    root, base_url = site
    page.goto(base_url + f"episodes/{EPISODE}/")
    chapters = front_matter(root, EPISODE)["chapters"]
    raw = probe_duration(root / "episodes" / EPISODE / front_matter(root, EPISODE)["recording"])
    trimmed = raw - probe_duration(root / "site" / "media" / f"{EPISODE}.mp3")
    page.evaluate("document.getElementById('player').muted = true")
    links = page.locator(".chapters a[data-start]")
    assert links.count() == len(chapters)
    for index in (3, 1):
        h, m, s = (int(part) for part in chapters[index]["start"].split(":"))
        in_recording = h * 3600 + m * 60 + s
        links.nth(index).click()
        wait_until(page, f"Math.abs(document.getElementById('player').currentTime - {links.nth(index).get_attribute('data-start')}) < 0.6")
        now = page.evaluate("document.getElementById('player').currentTime")
        # The chapter's time in the published audio: its time in the recording, less at most what was trimmed.
        assert in_recording - trimmed - 0.6 <= now <= in_recording + 0.6
        assert links.nth(index).get_attribute("aria-current") == "time"
        assert page.url.endswith(f"#t={int(float(links.nth(index).get_attribute('data-start')))}")


def test_keyboard_reaches_and_operates_a_chapter(page, site):
    _, base_url = site
    page.goto(base_url + f"episodes/{EPISODE}/")
    page.evaluate("document.getElementById('player').muted = true")
    target = page.locator(".chapters a[data-start]").nth(2)
    start = float(target.get_attribute("data-start"))
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.chapters') !== null && document.activeElement.dataset.start !== undefined"):
            if float(page.evaluate("document.activeElement.dataset.start")) == start:
                break
    else:
        pytest.fail("Tab never reached the third chapter")
    page.keyboard.press("Enter")
    wait_until(page, f"Math.abs(document.getElementById('player').currentTime - {start}) < 0.6")


def test_an_address_with_t_opens_the_page_at_that_time(page, site):
    _, base_url = site
    page.goto(base_url + f"episodes/{EPISODE}/#t=100")
    wait_until(page, "Math.abs(document.getElementById('player').currentTime - 100) < 0.6")
    assert page.locator("[data-now]").inner_text() == "01:40", "the player shows the moment before anything loads"
    page.goto(base_url + f"episodes/{EPISODE}/#t=1:30")
    page.reload()
    wait_until(page, "Math.abs(document.getElementById('player').currentTime - 90) < 0.6")
    page.evaluate("document.getElementById('player').muted = true")
    page.locator(".controls .play").click()
    wait_metadata(page)
    wait_until(page, "!document.getElementById('player').paused && document.getElementById('player').currentTime > 90")
    assert page.evaluate("document.getElementById('player').currentTime") == pytest.approx(90, abs=1.5), "plays from there"


def test_without_javascript_a_chapter_link_plays_the_file_from_its_time(page, site):
    _, base_url = site
    page.goto(base_url + f"episodes/{EPISODE}/")
    href = page.locator(".chapters a[data-start]").nth(2).get_attribute("href")
    assert href.startswith("../../media/") and "#t=" in href
    start = int(href.rsplit("#t=", 1)[1])
    page.goto(urlsplit(page.url)._replace(fragment="").geturl().rsplit("/episodes/", 1)[0] + "/" + href.replace("../../", ""))
    wait_until(page, "document.querySelector('video, audio') && document.querySelector('video, audio').readyState >= 1")
    assert page.evaluate("document.querySelector('video, audio').currentTime") == pytest.approx(start, abs=0.6)


def test_transcript_times_seek_the_player(page, site):
    _, base_url = site
    page.goto(base_url + f"episodes/{EPISODE}/transcription/")
    page.evaluate("document.getElementById('player').muted = true")
    cue = page.locator(".turn a[data-start]").nth(5)
    start = float(cue.get_attribute("data-start"))
    cue.click()
    wait_until(page, f"Math.abs(document.getElementById('player').currentTime - {start}) < 0.6")


def test_embed_page_plays_inside_a_sandboxed_iframe_of_another_site(page, site, tmp_path):
    _, base_url = site
    page.goto(base_url + f"embed/{EPISODE}/")
    page.evaluate("() => { const a = document.getElementById('player'); a.muted = true; return a.play(); }")
    wait_until(page, "document.getElementById('player').currentTime > 0.5")

    # A partner page on another origin (a second server), framing the player the way WordPress
    # frames oEmbed iframes: in a sandbox that allows scripts only.
    html = (
        '<!doctype html><html lang="fr"><head><title>Partenaire</title><link rel="icon" href="data:,"></head><body>'
        f'<main><h1>Partenaire</h1><iframe sandbox="allow-scripts allow-popups" src="{base_url}embed/{EPISODE}/" '
        'title="lecteur" width="640" height="220"></iframe></main></body></html>'
    )
    with other_site(tmp_path, html) as partner:
        page.allowed_hosts.add(urlsplit(partner).netloc)
        page.goto(partner)
        play_in_the_frame(page)


def play_in_the_frame(page):
    frame = page.frame_locator("iframe")
    frame.locator("#player").wait_for(state="attached")
    embedded = next(f for f in page.frames if "/embed/" in f.url)
    embedded.evaluate("document.getElementById('player').muted = true")
    if not embedded.evaluate("document.querySelector('.chapter-list').open"):
        frame.locator(".chapter-list summary").click()  # folded in a small frame
    chapter = frame.locator(".chapters a[data-start]").nth(1)
    start = float(chapter.get_attribute("data-start"))
    chapter.click()
    wait_until(embedded, f"document.getElementById('player').currentTime > {start} + 0.5")


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_nothing_and_screenshots_are_saved(browser, site, width):
    root, base_url = site
    embed_height = json.loads((root / "site" / "embed" / EPISODE / "oembed.json").read_text(encoding="utf-8"))["height"]
    # axe is injected as an inline script, which the pages' own Content-Security-Policy refuses: bypass it here only.
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    pages = {
        "index": "",
        "episode": f"episodes/{EPISODE}/",
        "transcript": f"episodes/{EPISODE}/transcription/",
        "embed": f"embed/{EPISODE}/",
    }
    found = {}
    for name, path in pages.items():
        if name == "embed":
            page.set_viewport_size({"width": min(width, 640), "height": embed_height})  # the frame oEmbed asks for
        page.goto(base_url + path)
        page.wait_for_load_state("load")
        screenshot(page, f"{name}-{width}")
        violations = axe_violations(page)
        if violations:
            found[name] = violations
    context.close()
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
