"""The player for long debates and the transcript that follows it, in a real browser (Debian chromium).

Keyboard only: play, skip, speed, chapters; the position offered again after a
reload, kept in localStorage and never in a cookie; "share from here"; without
JavaScript the native player and the chapter links still work; on the
transcript page the highlighted cue is the one being said, kept in view, with
its speaker's name visible.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from support.browser import check_watched, page, site, wait_until, watch  # noqa: F401 (fixtures)

EPISODE = "2024-03-20-numerisation-massive"
AUDIO = "document.getElementById('player')"


def now(page) -> float:
    return page.evaluate(f"{AUDIO}.currentTime")


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches `selector` (the keyboard's only way there)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    pytest.fail(f"Tab never reached {selector}")


def chapter_starts(page) -> list[float]:
    return [float(a.get_attribute("data-start")) for a in page.locator(".chapters a[data-start]").all()]


def test_keyboard_alone_plays_skips_changes_speed_and_jumps_to_a_chapter(page, site):
    _, base_url = site
    page.goto(base_url + f"episodes/{EPISODE}/")
    page.evaluate(f"{AUDIO}.muted = true")
    controls = page.locator(".controls")
    # The shortcuts are announced: the group's description names them, each control says its own.
    described = page.evaluate("document.getElementById(document.querySelector('.controls').getAttribute('aria-describedby')).textContent")
    assert "Espace" in described and "Page suivante" in described and "vitesse" in described
    assert controls.get_attribute("role") == "group" and "Lecteur" in controls.get_attribute("aria-label")
    assert page.locator(".controls .play").get_attribute("aria-keyshortcuts") == "k"

    tab_to(page, ".controls .play")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle + ' ' + getComputedStyle(document.activeElement).outlineWidth")
    assert outline == "solid 3px", "visible focus"
    page.keyboard.press("Space")
    wait_until(page, f"!{AUDIO}.paused && {AUDIO}.currentTime > 0.3")
    assert page.locator(".controls .play").inner_text().strip() == "Pause"

    before = now(page)
    page.keyboard.press("Shift+ArrowRight")
    assert now(page) - before == pytest.approx(30, abs=1.0)
    before = now(page)
    page.keyboard.press("ArrowLeft")
    assert now(page) - before == pytest.approx(-15, abs=1.0)
    wait_until(page, "document.querySelector('[data-status]').textContent.length > 0")  # the new time, said

    page.keyboard.press(">")
    assert page.evaluate(f"{AUDIO}.playbackRate") == 1.25
    tab_to(page, ".controls select")
    page.keyboard.press("ArrowDown")
    assert page.evaluate(f"{AUDIO}.playbackRate") == 1.5, "the speed list, by keyboard"

    tab_to(page, ".controls input[type=range]")
    starts = chapter_starts(page)
    current = max(i for i, s in enumerate(starts) if s <= now(page) + 0.25)
    page.keyboard.press("PageDown")
    assert now(page) == pytest.approx(starts[current + 1], abs=0.5), "next chapter"
    wait_until(page, "document.querySelector('[data-chapter]').textContent.length > 0")
    assert page.locator(".chapters a[aria-current]").get_attribute("data-start") == f"{starts[current + 1]:.3f}"
    page.keyboard.press("Space")
    wait_until(page, f"{AUDIO}.paused")
    page.keyboard.press("m")
    assert page.evaluate(f"{AUDIO}.muted") is False
    wait_until(page, "document.querySelector('[data-do=mute]').getAttribute('aria-pressed') === 'false'")


def test_the_position_is_offered_again_after_a_reload_and_no_cookie_is_written(page, site):
    _, base_url = site
    page.goto(base_url + f"episodes/{EPISODE}/")
    page.evaluate(f"{AUDIO}.muted = true")
    page.locator(".controls .play").click()
    wait_until(page, f"!{AUDIO}.paused && {AUDIO}.readyState >= 1")
    page.evaluate(f"{AUDIO}.currentTime = 75")
    wait_until(page, f"{AUDIO}.currentTime > 76")
    page.locator(".controls .play").click()  # pause
    wait_until(page, f"{AUDIO}.paused")
    stopped = now(page)
    page.reload()
    offer = page.locator("[data-do=resume]")
    offer.wait_for(state="visible")
    # The position is kept at the pause event; under load the element's clock may still move a few
    # hundredths of a second after it, so the offer says the whole second of `stopped` or the one before.
    offers = {"Reprendre à {:02d}:{:02d}".format(*divmod(int(t), 60)) for t in (stopped - 0.5, stopped)}
    assert offer.inner_text() in offers
    page.evaluate(f"{AUDIO}.muted = true")
    offer.click()
    wait_until(page, f"!{AUDIO}.paused && {AUDIO}.readyState >= 1")
    assert now(page) == pytest.approx(stopped, abs=1.5)
    assert page.context.cookies() == [] and page.evaluate("document.cookie") == ""
    kept = page.evaluate("Object.keys(localStorage)")
    assert kept == [f"portevoix:position:{EPISODE}"], "only where the listener stopped, in their own browser"


def test_share_from_here_copies_the_address_at_that_moment(browser, site):
    _, base_url = site
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = watch(context.new_page(), {urlsplit(base_url).netloc})
    page.goto(base_url + f"episodes/{EPISODE}/#t=90")
    wait_until(page, f"Math.abs({AUDIO}.currentTime - 90) < 0.6")
    page.locator("[data-do=share]").click()
    wait_until(page, "document.querySelector('[data-status]').textContent.includes('#t=90')")
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    assert page.evaluate("navigator.clipboard.readText()") == canonical + "#t=90"
    check_watched(page)
    context.close()


def test_without_javascript_the_native_player_and_chapter_links_work(browser, site):
    root, base_url = site
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = watch(context.new_page(), {urlsplit(base_url).netloc})
    page.goto(base_url + f"episodes/{EPISODE}/")
    audio = page.locator("audio#player")
    assert audio.get_attribute("controls") is not None and audio.is_visible() and audio.bounding_box()["height"] > 20
    assert page.locator(".controls").is_hidden(), "the enhanced controls stay hidden"
    assert page.locator(".search-link").is_visible() and page.locator("form.search-box").is_hidden()
    assert page.locator(".search-link").get_attribute("href") == "../../#episodes", "the box is a link to the episodes"
    link = page.locator(".chapters a[data-start]").nth(3)
    start = int(link.get_attribute("href").rsplit("#t=", 1)[1])
    link.click()
    page.wait_for_url(re.compile(r"/media/.*\.mp3#t=\d+$"))
    wait_until(page, "document.querySelector('video, audio') && document.querySelector('video, audio').readyState >= 1")
    assert page.evaluate("document.querySelector('video, audio').currentTime") == pytest.approx(start, abs=0.6)
    check_watched(page)
    context.close()


def cue_state(page) -> dict:
    return page.evaluate(
        """() => {
          const a = document.getElementById('player'), cue = document.querySelector('.turn p[aria-current]');
          const all = [...document.querySelectorAll('.turn p[data-end]')].map(p => [parseFloat(p.querySelector('[data-start]').dataset.start), parseFloat(p.dataset.end)]);
          const top = document.querySelector('.sticky').getBoundingClientRect().bottom;
          const speaker = cue && cue.closest('.turn').querySelector('h2');
          return {
            time: a.currentTime, paused: a.paused, all,
            cue: cue && [parseFloat(cue.querySelector('[data-start]').dataset.start), parseFloat(cue.dataset.end)],
            box: cue && [cue.getBoundingClientRect().top, cue.getBoundingClientRect().bottom], top, height: innerHeight,
            speaker: speaker && [speaker.textContent, speaker.getBoundingClientRect().top, speaker.getBoundingClientRect().bottom],
          };
        }"""
    )


def test_the_transcript_highlights_the_cue_being_said_and_keeps_it_in_view(browser, site, width=360):
    _, base_url = site
    context = browser.new_context(viewport={"width": width, "height": 740})
    page = watch(context.new_page(), {urlsplit(base_url).netloc})
    page.goto(base_url + f"episodes/{EPISODE}/transcription/")
    page.evaluate(f"{AUDIO}.muted = true")
    cue = page.locator(".turn a[data-start]").nth(8)
    cue.click()  # plays from there
    wait_until(page, f"!{AUDIO}.paused && {AUDIO}.readyState >= 2")
    page.evaluate(f"{AUDIO}.playbackRate = 2")
    seen, checked = set(), 0
    for _ in range(60):
        state = cue_state(page)
        inside = [c for c in state["all"] if c[0] <= state["time"] < c[1]]
        if inside:
            # The script hears timeupdate about every quarter second: a cue that just began may not be lit yet.
            if state["cue"] != inside[0]:
                page.wait_for_timeout(300)
                state = cue_state(page)
                inside = [c for c in state["all"] if c[0] <= state["time"] < c[1]]
            assert state["cue"] == inside[0], state
            seen.add(tuple(state["cue"]))
            checked += 1
            top, bottom = state["box"]
            assert top >= state["top"] - 1 and bottom <= state["height"] + 1, "kept in view, below the player"
            name, name_top, name_bottom = state["speaker"]
            assert name_top >= state["top"] - 1 and name_bottom <= top + 1, f"the speaker's name ({name}) stays visible"
        if len(seen) >= 3 and checked >= 8:
            break
        page.wait_for_timeout(150)
    assert len(seen) >= 3 and checked >= 8, (seen, checked)

    # The reader scrolls away: the page stops following and offers to come back.
    page.mouse.wheel(0, -2000)
    back = page.locator("[data-follow]")
    back.wait_for(state="visible")
    page.wait_for_timeout(1200)
    assert page.evaluate("window.scrollY") < 200, "no jump back while the reader reads elsewhere"
    back.click()
    wait_until(page, "(() => { const c = document.querySelector('.turn p[aria-current]'); if (!c) return false;"
               " const r = c.getBoundingClientRect(); return r.top >= document.querySelector('.sticky').offsetHeight - 1 && r.bottom <= innerHeight; })()")
    check_watched(page)
    context.close()


def test_reduced_motion_and_an_address_with_t_open_the_transcript_at_that_cue(browser, site):
    _, base_url = site
    context = browser.new_context(viewport={"width": 360, "height": 740}, reduced_motion="reduce")
    page = watch(context.new_page(), {urlsplit(base_url).netloc})
    page.goto(base_url + f"episodes/{EPISODE}/transcription/")
    starts = [float(a.get_attribute("data-start")) for a in page.locator(".turn a[data-start]").all()]
    target = starts[12] + 0.5
    page.goto(base_url + f"episodes/{EPISODE}/transcription/#t={target}")
    page.reload()
    wait_until(page, "document.querySelector('.turn p[aria-current]') !== null")
    state = cue_state(page)
    assert state["cue"][0] == starts[12]
    assert state["box"][0] >= state["top"] - 1 and state["box"][1] <= state["height"], "scrolled to, at once"
    assert page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
    check_watched(page)
    context.close()
