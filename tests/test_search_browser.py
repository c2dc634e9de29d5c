"""Search across the site (Pagefind) in a real browser: a phrase said in one debate finds that episode first,
and following the result opens the episode with the player at the moment the words were said. The time is in
the index itself: the URLs Pagefind's own API returns end in #t=<seconds>. The search page weighs at most
60 KB before a query, works at 360 px, and axe-core finds nothing on it."""

from __future__ import annotations

import json
import re
from urllib.parse import quote, urlsplit

import pytest

from support.browser import axe_violations, check_watched, screenshot, site, wait_until, watch  # noqa: F401 (fixtures)

SEARCH_PAGE = "recherche/"
WEIGHT_BEFORE_QUERY = 60_000
CUE = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d+) --> .*\n<v ([^>]+)>(.*)$", re.MULTILINE)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def said_only_once(root) -> tuple[str, str, float, str]:
    """(slug, phrase, time in the recording, text of the cue) for three consecutive words of a cue that appear
    nowhere else in the demo: not in the other episodes, not in the same episode's other cues or notes."""
    episodes = sorted(p.parent for p in root.glob("episodes/*/transcript.vtt"))
    texts = {e.name: (e / "transcript.vtt").read_text(encoding="utf-8") + (e / "episode.md").read_text(encoding="utf-8") for e in episodes}
    for folder in episodes:
        for h, m, s, ms, _, text in CUE.findall((folder / "transcript.vtt").read_text(encoding="utf-8")):
            tokens = words(text)
            for i in range(len(tokens) - 2):
                phrase = " ".join(tokens[i : i + 3])
                if min(len(t) for t in tokens[i : i + 3]) < 4 or max(len(t) for t in tokens[i : i + 3]) < 7:
                    continue  # words that say something, not "de la"
                occurrences = sum(" ".join(words(t)).count(phrase) for t in texts.values())
                if occurrences == 1:
                    return folder.name, phrase, int(h) * 3600 + int(m) * 60 + int(s) + float(f"0.{ms}"), text
    raise AssertionError("no phrase said only once in the demo")


def open_search(browser, base_url: str, width: int, **options):
    context = browser.new_context(viewport={"width": width, "height": 800}, **options)
    return context, watch(context.new_page(), {urlsplit(base_url).netloc})


def test_a_phrase_said_in_one_debate_finds_it_first_and_opens_the_player_at_that_moment(browser, site):
    root, base_url = site
    slug, phrase, said_at, cue_text = said_only_once(root)
    context, page = open_search(browser, base_url, 360)
    page.goto(base_url)
    box = page.locator("form.search-box input")
    box.fill(phrase)  # the header's search box, on a phone-sized screen
    box.press("Enter")
    page.wait_for_url(re.compile(re.escape(SEARCH_PAGE) + r"\?q="))
    first = page.locator(".results > li").first
    first.wait_for(state="visible")
    title = (root / "episodes" / slug / "episode.md").read_text(encoding="utf-8").split('title: "', 1)[1].split('"', 1)[0]
    assert first.locator("h2").inner_text() == title
    moment = first.locator(".moments a").first
    href = moment.get_attribute("href")
    assert re.search(rf"/episodes/{slug}/#t=\d+$", href)

    # What any client of the index gets: Pagefind's own API, the URLs it returns.
    data = page.evaluate(
        """async (q) => { const pf = await import('/pagefind/pagefind.js'); const r = await pf.search(q);
          const d = await r.results[0].data(); return {url: d.url, subs: d.sub_results.map(s => s.url)}; }""",
        phrase,
    )
    assert data["url"] == f"/episodes/{slug}/" and f"/episodes/{slug}/#t={href.rsplit('#t=', 1)[1]}" in data["subs"]
    at = int(href.rsplit("#t=", 1)[1])
    # The cue's time in the published audio, read from the transcript page (the recording's start is trimmed).
    transcript = page.context.new_page()
    transcript.goto(base_url + f"episodes/{slug}/transcription/")
    published = transcript.evaluate(
        "(text) => parseFloat([...document.querySelectorAll('.turn p[data-end]')].find(p => p.textContent.includes(text)).querySelector('[data-start]').dataset.start)",
        cue_text.split(" ", 3)[-1][:40],
    )
    transcript.close()
    assert published <= said_at + 0.01 and said_at - published < 8, "the trim only moves times back, by seconds"
    assert at == int(published)

    moment.click()
    page.wait_for_url(re.compile(rf"/episodes/{slug}/#t={at}$"))
    wait_until(page, "document.getElementById('player') !== null")
    assert page.evaluate("document.getElementById('player').currentTime") == pytest.approx(published, abs=1.0)
    page.evaluate("document.getElementById('player').muted = true")
    page.locator(".controls .play").click()
    wait_until(page, "!document.getElementById('player').paused && document.getElementById('player').readyState >= 2")
    assert page.evaluate("document.getElementById('player').currentTime") == pytest.approx(published, abs=1.0)
    screenshot(page, "search-result-opened-360")
    check_watched(page)
    context.close()


def test_the_search_page_weighs_under_60_kb_before_a_query_and_fetches_the_index_only_for_one(browser, site):
    _, base_url = site
    context, page = open_search(browser, base_url, 1280)
    sizes: dict[str, int] = {}
    page.on("response", lambda response: sizes.__setitem__(response.url, len(response.body())))
    page.goto(base_url + SEARCH_PAGE)
    page.wait_for_load_state("networkidle")
    before = dict(sizes)
    print({urlsplit(u).path: n for u, n in before.items()}, sum(before.values()), "bytes before a query")
    assert sum(before.values()) <= WEIGHT_BEFORE_QUERY, before
    assert not [u for u in before if "/pagefind/" in u], "the index is loaded for a query, not before"
    page.locator("#search-query").fill("numérique")
    page.locator(".results > li").first.wait_for(state="visible")
    fetched = [urlsplit(u).path for u in sizes if "/pagefind/" in u]
    assert any(p.endswith(".pf_fragment") for p in fetched) and any(p.endswith(".pf_index") for p in fetched)
    assert page.url.endswith("?q=" + quote("numérique")), "the query stays in the address"
    check_watched(page)
    context.close()


def test_the_index_stems_in_the_podcasts_language(site):
    root, _ = site
    entry = json.loads((root / "site" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["fr"]


@pytest.mark.parametrize("width", (360, 1280))
def test_axe_finds_nothing_on_the_search_page_with_results(browser, site, width):
    _, base_url = site
    # axe is injected as an inline script, which the page's own Content-Security-Policy refuses: bypassed here only.
    context, page = open_search(browser, base_url, width, bypass_csp=True)
    page.goto(base_url + SEARCH_PAGE + "?q=guichet")
    page.locator(".results .moments a").first.wait_for(state="visible")
    screenshot(page, f"search-{width}")
    violations = axe_violations(page)
    assert not violations, json.dumps(violations, indent=1, ensure_ascii=False)
    if width == 360:
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, "nothing wider than a phone"
    check_watched(page)
    context.close()


def test_without_javascript_the_search_page_points_to_the_list_of_episodes(browser, site):
    _, base_url = site
    context, page = open_search(browser, base_url, 360, java_script_enabled=False)
    page.goto(base_url + SEARCH_PAGE)
    assert page.locator(".no-js").is_visible() and page.locator(".search form").is_hidden()
    page.locator(".no-js a").click()
    page.wait_for_url(re.compile(r"/#episodes$"))
    assert page.locator("#episodes").is_visible()
    check_watched(page)
    context.close()
