"""Embeds that fit, in a real browser: the embed page tells its parent the height it needs (postMessage, as
WordPress's embeds do), a partner page on another origin that listens grows the sandboxed frame to it, the
oEmbed answer's height is the one the page needs at its width, and at 360 px every chapter can be reached."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from support.browser import check_watched, other_site, screenshot, site, wait_until, watch  # noqa: F401 (fixtures)

EPISODE = "2024-03-20-numerisation-massive"
LAYOUT = """(() => {
  const body = document.body.getBoundingClientRect(), list = document.querySelector('.chapter-list');
  const last = document.querySelector('main').lastElementChild.getBoundingClientRect();
  return {height: innerHeight, scroll: document.documentElement.scrollHeight, body: body.height, last: last.bottom,
          open: list ? list.open : null};
})()"""


def oembed(root, slug: str = EPISODE) -> dict:
    return json.loads((root / "site" / "embed" / slug / "oembed.json").read_text(encoding="utf-8"))


def partner_page(base_url: str, height: int, listens: bool, secret: str = "s3cr3t") -> str:
    """A page of another site framing the player as WordPress frames oEmbed iframes (a sandbox allowing scripts
    only); when `listens`, it resizes the frame on the embed's "height" message, checking the secret, as
    WordPress's own embed script does."""
    script = (
        "<script>addEventListener('message', function (e) { var f = document.querySelector('iframe');"
        " if (e.source === f.contentWindow && e.data && e.data.message === 'height' && e.data.secret === '" + secret + "')"
        " { f.height = e.data.value; document.title = 'resized ' + e.data.value; } });</script>"
        if listens else ""
    )
    return (
        '<!doctype html><html lang="fr"><head><meta name="viewport" content="width=device-width, initial-scale=1">'
        '<title>Partenaire</title><link rel="icon" href="data:,"><style>body{margin:0 16px}</style></head><body><main>'
        f'<h1>Partenaire</h1><iframe sandbox="allow-scripts allow-popups" src="{base_url}embed/{EPISODE}/#?secret={secret}" '
        f'title="lecteur" width="100%" height="{height}" style="border:0;max-width:640px"></iframe><p>Suite.</p></main>{script}</body></html>'
    )


def test_the_oembed_height_is_what_the_embed_needs_at_its_width(browser, site):
    root, base_url = site
    answer = oembed(root)
    context = browser.new_context(viewport={"width": answer["width"], "height": answer["height"]})
    page = watch(context.new_page(), {urlsplit(base_url).netloc})
    page.goto(base_url + f"embed/{EPISODE}/")
    page.wait_for_load_state("load")
    layout = page.evaluate(LAYOUT)
    assert layout["open"] is False, "the chapter list is folded at the oEmbed size"
    assert layout["scroll"] <= answer["height"], f"nothing hidden below the frame: {layout}"
    assert answer["height"] - layout["body"] <= 16, f"and no empty band under the player: {layout}"
    # Without chapters (the list removed from this very page), the height the build gives episodes with none.
    page.evaluate("document.querySelector('.chapter-list').remove()")
    without = page.evaluate(LAYOUT)["body"]
    from pipeline.site.sharing import EMBED_BASE_HEIGHT

    assert 0 <= EMBED_BASE_HEIGHT - without <= 16, without
    check_watched(page)
    context.close()


@pytest.mark.parametrize("width", (360, 1280))
def test_a_partner_that_listens_grows_the_sandboxed_frame_to_the_reported_height(browser, site, tmp_path, width):
    root, base_url = site
    height = oembed(root)["height"]
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = watch(context.new_page(), {urlsplit(base_url).netloc})
    with other_site(tmp_path, partner_page(base_url, height, listens=True)) as partner:
        page.allowed_hosts.add(urlsplit(partner).netloc)
        page.goto(partner)
        frame = page.frame_locator("iframe")
        frame.locator(".controls").wait_for(state="visible")
        embedded = next(f for f in page.frames if "/embed/" in f.url)
        assert embedded.evaluate("window.origin") == "null", "sandboxed: an opaque origin, no storage"

        def fits() -> bool:
            frame_height = float(page.locator("iframe").get_attribute("height"))
            layout = embedded.evaluate(LAYOUT)
            return abs(frame_height - layout["body"]) <= 1 and layout["scroll"] <= frame_height + 1

        wait_until(page, "document.title.startsWith('resized')")
        page.wait_for_timeout(300)
        assert fits(), (page.locator("iframe").get_attribute("height"), embedded.evaluate(LAYOUT))
        before = float(page.locator("iframe").get_attribute("height"))
        if embedded.evaluate("document.querySelector('.chapter-list').open"):
            frame.locator(".chapter-list summary").click()  # fold it, to unfold it again below
            wait_until(page, f"parseFloat(document.querySelector('iframe').height) < {before}")
            before = float(page.locator("iframe").get_attribute("height"))
        frame.locator(".chapter-list summary").click()
        wait_until(page, f"parseFloat(document.querySelector('iframe').height) > {before} + 50")
        page.wait_for_timeout(300)
        assert fits(), "the unfolded chapter list fits too"
        last = frame.locator(".chapters a[data-start]").last
        box, frame_box = last.bounding_box(), page.locator("iframe").bounding_box()
        assert box["y"] + box["height"] <= frame_box["y"] + frame_box["height"], "the last chapter is inside the frame"
        screenshot(page, f"embed-partner-{width}")
        embedded.evaluate("document.getElementById('player').muted = true")
        start = float(last.get_attribute("data-start"))
        last.click()
        wait_until(embedded, f"document.getElementById('player').currentTime >= {start}")
    check_watched(page)
    context.close()


def test_at_360_px_in_a_frame_that_does_not_grow_every_chapter_is_reachable(browser, site, tmp_path):
    root, base_url = site
    height = oembed(root)["height"]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = watch(context.new_page(), {urlsplit(base_url).netloc})
    with other_site(tmp_path, partner_page(base_url, height, listens=False)) as partner:
        page.allowed_hosts.add(urlsplit(partner).netloc)
        page.goto(partner)
        frame = page.frame_locator("iframe")
        summary = frame.locator(".chapter-list summary")
        summary.wait_for(state="visible")
        embedded = next(f for f in page.frames if "/embed/" in f.url)
        count = embedded.evaluate("document.querySelectorAll('.chapters a[data-start]').length")
        assert summary.inner_text().endswith(f"({count})"), "the folded list says how many chapters it holds"
        summary.click()
        wait_until(embedded, "document.body.classList.contains('more-below')")  # the shade: more below
        screenshot(page, "embed-small-frame-360")
        embedded.evaluate("document.getElementById('player').muted = true")
        for index in range(count):
            chapter = frame.locator(".chapters a[data-start]").nth(index)
            chapter.click()  # Playwright scrolls the frame to it and clicks what is really under the pointer
            start = float(chapter.get_attribute("data-start"))
            wait_until(embedded, f"Math.abs(document.getElementById('player').currentTime - {start}) < 1")
        embedded.evaluate("scrollTo(0, document.documentElement.scrollHeight)")
        wait_until(embedded, "!document.body.classList.contains('more-below')")  # no shade once at the end
    check_watched(page)
    context.close()
