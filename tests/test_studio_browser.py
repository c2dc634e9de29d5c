"""The studio in Debian's chromium (Playwright): the first address logs in, the pages pass axe-core,
a speaker is added through the empty item (a wrong date typed with the keyboard, shown next to its field
and corrected: tests/test_studio_journey.py); screenshots of every studio page at 360 and 1280 px go to tests/artifacts/.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import yaml

from support.browser import WIDTHS, axe_violations, check_watched, screenshot, watch
from support.studio import DEMO_EPISODE, small_podcast, studio

PAGES = {"index": "/", "settings": "/settings", "episode": f"/episodes/{DEMO_EPISODE}", "new": "/new", "build": "/build"}


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    root = small_podcast(tmp_path_factory.mktemp("studio-browser") / "podcast")
    with studio(root) as server:
        yield root, server


@pytest.fixture()
def tab(browser, running):
    def opened(width: int = 1280, bypass_csp: bool = False):
        context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=bypass_csp)
        page = watch(context.new_page(), {urlsplit(running[1].url).netloc})
        page.goto(running[1].url)  # the address portevoix studio printed, with its token
        contexts.append(context)
        pages.append(page)
        return page

    contexts: list = []
    pages: list = []
    yield opened
    for page in pages:
        check_watched(page)
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_every_studio_page_passes_axe_and_is_screenshotted(tab, running, width):
    page = tab(width, bypass_csp=True)  # axe-core is injected as an inline script, which the studio's CSP refuses
    assert page.url.endswith("/") and "token" not in page.url  # the token left the address bar
    for name, path in PAGES.items():
        page.goto(running[1].url.split("?")[0].rstrip("/") + path)
        assert page.locator("h1").count() == 1
        if name not in ("index", "build"):  # the controls are real ones, not escaped text
            assert page.locator("form input[type=text]").count() >= 1 and "&lt;input" not in page.content()
        assert axe_violations(page) == [], name
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width} px"
        screenshot(page, f"studio-{name}-{width}")


def test_a_speaker_is_added_through_the_empty_item(tab, running):
    root, server = running
    page = tab(1280)
    page.goto(server.url.split("?")[0].rstrip("/") + PAGES["episode"])
    count = len(yaml.safe_load((root / "episodes" / DEMO_EPISODE / "episode.md").read_text(encoding="utf-8").split("---")[1])["speakers"])
    new = count + 1
    page.fill(f"#f-speakers-{new}--name", "Nadia Benali")
    page.select_option(f"#f-speakers-{new}--role", "moderator")
    with page.expect_navigation():
        page.click("button[type=submit] >> nth=0")
    speakers = yaml.safe_load((root / "episodes" / DEMO_EPISODE / "episode.md").read_text(encoding="utf-8").split("---")[1])["speakers"]
    assert speakers[-1] == {"name": "Nadia Benali", "role": "moderator"} and len(speakers) == new
    assert page.locator(f"#f-speakers-{new + 1}--name").count() == 1  # a new empty item to add another
