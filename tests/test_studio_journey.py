"""The studio's journeys in Debian's chromium (Playwright), against the real server, from an empty folder.

Create the podcast, test the publish target, upload a generated recording, fill the form (a wrong date
corrected after its message appears next to the field), place three chapters and one cut, preview the
notes, build (with its loudness report), preview the site, publish to a local folder after its plan,
then read the published feed with podcastparser (the chapters, the cut: the audio shorter by it) and
the MP3's ID3 chapters with mutagen. Once with the mouse at 1280 px, once with the keyboard only at
360 px. Every studio page reached passes axe-core and is screenshotted (tests/artifacts/).
"""

from __future__ import annotations

import io
import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import podcastparser
import pytest
import yaml
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from support.browser import axe_violations, check_watched, screenshot, watch
from support.sound import make_tone
from support.publish import serve_folder
from support.studio import studio

SECONDS = 6.0
TITLE = "Débat du soir"
DATE = "2026-11-30"
CHAPTERS = (("Ouverture", "00:00:00"), ("Le débat", "00:00:01.5"), ("Conclusion", "00:00:04"))
CUT = ("00:00:02", "00:00:03")


@pytest.fixture(scope="module")
def recording(tmp_path_factory) -> Path:
    return make_tone(tmp_path_factory.mktemp("studio-journey") / "debat-du-soir.wav", seconds=SECONDS)


def seconds(stamp: object) -> float:
    """A time as episode.md holds it: HH:MM:SS(.s), or a number of seconds (PyYAML reads 00:00:04 as 4)."""
    if isinstance(stamp, (int, float)):
        return float(stamp)
    hours, minutes, rest = str(stamp).split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


class Person:
    """What a collective member does: with the mouse (and typing), or with the keyboard only."""

    def __init__(self, page, keyboard: bool):
        self.page, self.keyboard = page, keyboard
        self.answer_file_dialogs(page)

    @staticmethod
    def answer_file_dialogs(page) -> None:
        """Playwright answers file dialogs only once it listens for them: listen from the start, so that
        the first dialog a key opens is not missed (expect_file_chooser alone starts listening too late)."""
        page.on("filechooser", lambda chooser: None)

    def focus(self, selector: str) -> None:
        """Tab (from where the focus is) until `selector` has the focus, as a keyboard user does."""
        for _ in range(400):
            if self.page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"{selector} never got the focus with Tab")

    def fill(self, selector: str, text: str) -> None:
        if not self.keyboard:
            self.page.fill(selector, text)
            return
        self.focus(selector)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(text)

    def press(self, selector: str, navigates: bool = True) -> None:
        """Click a button or link (the keyboard: Tab to it, then Enter)."""
        def act():
            if self.keyboard:
                self.focus(selector)
                self.page.keyboard.press("Enter")
            else:
                self.page.click(selector)

        if navigates:
            with self.page.expect_navigation():
                act()
        else:
            act()

    def choose_file(self, selector: str, path: Path) -> None:
        if not self.keyboard:
            self.page.set_input_files(selector, str(path))
            return
        self.focus(selector)
        with self.page.expect_file_chooser(timeout=60_000) as chooser:
            self.page.keyboard.press("Space")  # the system's file dialog, which Playwright answers
        chooser.value.set_files(str(path))

    def top(self) -> None:
        """Back to the start of the page (a keyboard user's Tab order begins with the skip link)."""
        self.page.evaluate("document.activeElement && document.activeElement.blur()")


def looked_at(page, name: str, width: int) -> None:
    """axe-core finds nothing; nothing scrolls sideways; a screenshot for the people who look at it."""
    screenshot(page, f"studio-{name}-{width}")
    assert axe_violations(page) == [], f"{name} at {width} px"
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls sideways at {width} px"


def journey(browser, root: Path, web: Path, recording: Path, width: int, keyboard: bool) -> None:
    """One whole journey from the empty folder `root` to the podcast published in `web`."""
    served = serve_folder(web / "current")
    try:
        with studio(root) as running:
            context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)  # axe is injected inline
            page = watch(context.new_page(), {urlsplit(running.url).netloc})
            page = walk(page, Person(page, keyboard), running.url, root, web, recording, width, served.server_port)
            check_watched(page)
            context.close()
    finally:
        served.shutdown()
        served.server_close()
    published(root, web, recording)


def refused_once(page, status: int = 422) -> None:
    """A refused form answers 422, as it should: not an error of the page."""
    page.errors[:] = [e for e in page.errors if not e.startswith(f"{status} ") and f"status of {status}" not in e]


def walk(page, me: Person, url: str, root: Path, web: Path, recording: Path, width: int, port: int):
    """The journey's steps; returns the tab it ends in (the one that started the build was closed)."""
    base = url.split("?")[0].rstrip("/")
    # 1. The address portevoix studio printed: no podcast yet, so init's questions.
    page.goto(url)
    assert page.url == base + "/create" and "token" not in page.url
    looked_at(page, "create", width)
    me.fill("#f-title", "Débats du Forez")
    me.fill("#f-author", "Collectif du Forez")
    me.fill("#f-email", "contact@forez.example")
    me.fill("#f-base_url", "debats.example.net")
    me.press("form[action='/create'] button[type=submit]")
    assert page.url.endswith("/settings?created=1"), page.url
    assert (root / "podcast.yaml").is_file() and (root / "cover.jpg").is_file()
    looked_at(page, "settings", width)

    # 2. A cover that is not square is refused, the old one kept.
    small = root.parent / "petite.png"
    from PIL import Image

    Image.new("RGB", (900, 500), (10, 90, 40)).save(small)
    me.choose_file("#new-cover", small)
    me.press("form[action='/settings/cover'] button[type=submit]")
    assert "square" in page.locator("#cover-problem").inner_text()
    refused_once(page)
    looked_at(page, "cover-refused", width)

    # 3. The publish target, written in podcast.yaml as the README says, then its connection tested.
    with (root / "podcast.yaml").open("a", encoding="utf-8") as config:
        config.write(f"publish:\n  dossier:\n    type: local\n    path: {web}\n    check_url: http://127.0.0.1:{port}/\n")
    page.goto(base + "/settings")  # the page opened again after podcast.yaml changed in a text editor
    me.press("form[action='/settings/targets/dossier/test'] button")
    assert "The connection works." in page.locator("[role=status]").inner_text()
    looked_at(page, "target-test", width)

    # 4. A new episode from the generated recording.
    me.top()
    me.press("nav a[href='/new']")
    looked_at(page, "new", width)
    me.fill("#f-title", TITLE)
    me.fill("#f-date", DATE)
    me.choose_file("#f-recording", recording)
    me.press("form[action='/new'] button[type=submit]")
    slug = f"{DATE}-debat-du-soir"
    assert page.url.endswith(f"/episodes/{slug}?saved=1"), page.url
    looked_at(page, "episode", width)

    # 5. A wrong date: its message next to the field, then corrected.
    save = "form.schema button[type=submit]:not([formaction])"
    me.fill("#f-date", "2026-11-31")
    me.press(save)
    message = page.locator("#f-date-problems")
    assert "2026-11-31" in message.inner_text() and page.locator("#f-date").get_attribute("aria-invalid") == "true"
    assert "f-date-problems" in page.locator("#f-date").get_attribute("aria-describedby")
    refused_once(page)
    looked_at(page, "episode-wrong-date", width)
    me.fill("#f-date", DATE)
    me.press(save)
    assert page.locator("#f-date-problems").count() == 0 and page.locator("[role=status]").first.inner_text() == "Saved."

    # 6. Three chapters and one cut, placed on the waveform.
    place_on_the_waveform(page, me, slug, width)

    # 7. The notes, previewed as the episode page will show them, then saved.
    me.fill("#f-notes", "Un **débat** public.\n\nAvec [le collectif](https://example.org/).")
    me.press("#notes-preview-button", navigates=False)
    page.locator("#notes-preview strong").wait_for()
    assert page.locator("#notes-preview strong").inner_text() == "débat"
    without_script = page.evaluate("""() => { const b = document.getElementById('notes-preview-button');
        b.replaceWith(b.cloneNode(true)); return true; }""")  # the button as it works without the script: its own page
    with page.context.expect_page() as opened:
        me.press("#notes-preview-button", navigates=False)
    preview = opened.value
    preview.wait_for_load_state()
    assert without_script and preview.locator("#rendered strong").inner_text() == "débat"
    looked_at(preview, "notes-preview", width)
    preview.close()
    me.press(save)

    # 8. Build, with the loudness report.
    me.top()
    me.press("nav a[href='/build']")
    me.press("form[action='/build'] button[type=submit]")
    # The tab is closed while it builds; another one follows the same build (then this journey goes on there).
    check_watched(page)
    context = page.context
    page.close()
    page = watch(context.new_page(), set(page.allowed_hosts))
    me.page = page
    Person.answer_file_dialogs(page)
    page.goto(base + "/build")
    page.get_by_text("The build is finished.").wait_for(timeout=180_000)
    reports = page.locator("#report + p + article, #report ~ article")
    assert reports.count() >= 1, "no report on the build page; the build said:\n" + page.locator("pre.lines").inner_text()
    report = reports.first
    assert slug in report.inner_text() and "LUFS" in report.inner_text()
    assert page.locator(f"img[src='/site/episodes/{slug}/loudness.svg']").count() == 1
    looked_at(page, "build-report", width)

    # 9. The built site, previewed from the studio.
    me.press("a[href='/site/']")
    assert page.url == base + "/site/" and TITLE in page.content()
    page.go_back()

    # 10. Publish: the plan first, then confirmed; the check of the live copy.
    me.top()
    me.press("nav a[href='/publish']")
    assert page.locator("table.plan tfoot td").first.inner_text() != "0"
    looked_at(page, "publish-plan", width)
    me.press("form[action='/publish'][method='post'] button[type=submit]")
    page.get_by_text("Published, and the live site checked").wait_for(timeout=180_000)
    looked_at(page, "publish-done", width)
    me.top()
    me.press("nav a[href='/']")
    assert TITLE in page.locator("main").inner_text()
    looked_at(page, "index", width)
    page.goto(base + "/episodes/nowhere")  # what an address that leads nowhere shows
    assert page.locator("[role=alert]").count() == 1
    refused_once(page, 404)
    looked_at(page, "refused", width)
    return page


def place_on_the_waveform(page, me: Person, slug: str, width: int) -> None:
    """Three chapters and a cut on studio-wave's waveform editor (peaks.js): clicked and dragged with the
    mouse, or with the keyboard only (arrows move the playhead by a second, "Add a chapter/cut" there)."""
    from support.browser import wait_until

    me.press(f"a[href='/episodes/{slug}/waveform']")
    wait_until(page, "document.getElementById('waveform-page').dataset.ready")
    view = page.locator("#zoomview")
    if not me.keyboard:
        page.check('input[name="mode"][value="chapter"]')
        for fraction, (title, _) in zip((0.02, 0.3, 0.75), CHAPTERS):
            box = view.bounding_box()  # the waveform stays in view while the rows scroll
            page.mouse.click(box["x"] + box["width"] * fraction, box["y"] + box["height"] / 2)
            page.keyboard.type(title)
        page.check('input[name="mode"][value="cut"]')
        box = view.bounding_box()
        y = box["y"] + box["height"] * 0.7
        page.mouse.move(box["x"] + box["width"] * 0.4, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.5, y, steps=5)
        page.mouse.move(box["x"] + box["width"] * 0.55, y, steps=5)
        page.mouse.up()
    else:
        def playhead_forward(count: int) -> None:
            me.focus("#zoomview")
            for _ in range(count):
                page.keyboard.press("ArrowRight")  # one second

        me.focus("[data-add=chapter]")
        page.keyboard.press("Enter")  # at the playhead (0 s); its name field takes the focus
        page.keyboard.type(CHAPTERS[0][0])
        playhead_forward(1)
        me.focus("[data-add=chapter]")
        page.keyboard.press("Enter")
        page.keyboard.type(CHAPTERS[1][0])
        playhead_forward(1)
        me.focus("[data-add=cut]")
        page.keyboard.press("Enter")  # a cut from the playhead (2 s); its end field takes the focus
        page.keyboard.press("Control+A")
        page.keyboard.type(CUT[1])
        playhead_forward(2)
        me.focus("[data-add=chapter]")
        page.keyboard.press("Enter")
        page.keyboard.type(CHAPTERS[2][0])
    assert page.locator("#chapter-rows .row").count() >= 3 and page.locator("#cut-rows .row").count() >= 1
    looked_at(page, "waveform", width)
    me.press("#markers button[type=submit]")
    assert page.locator("[role=status]").count() == 1, page.locator(".problems, [role=alert]").all_inner_texts()
    me.press(f"a[href='/episodes/{slug}']")


def published_seconds(start: float, cuts: list[tuple[float, float]]) -> float:
    """Where a moment of the recording is in the published audio: earlier by every cut before it, and by
    the crossfade that joins its two sides (pipeline/audio/edits.py, CUT_CROSSFADE: the two sides overlap)."""
    from pipeline.audio.edits import CUT_CROSSFADE

    return start - sum(end - begin + CUT_CROSSFADE for begin, end in cuts if end <= start)


def published(root: Path, web: Path, recording: Path) -> None:
    """The published feed (podcastparser) and MP3 (mutagen) hold the chapters, and the cut."""
    folder = next((root / "episodes").iterdir())
    front = yaml.safe_load((folder / "episode.md").read_text(encoding="utf-8").split("---")[1])
    assert [c["title"] for c in front["chapters"]] == [title for title, _ in CHAPTERS]
    cuts = [(seconds(c["start"]), seconds(c["end"])) for c in front["cuts"]]
    assert len(cuts) == 1
    expected = [published_seconds(seconds(c["start"]), cuts) for c in front["chapters"]]
    feed = (web / "current" / "feed.xml").read_bytes()
    parsed = podcastparser.parse("https://debats.example.net/feed.xml", io.BytesIO(feed))
    episode = parsed["episodes"][0]
    assert episode["title"] == TITLE
    assert [c["title"] for c in episode["chapters"]] == [title for title, _ in CHAPTERS]
    assert [c["start"] for c in episode["chapters"]] == [int(t) for t in expected]  # podcastparser keeps whole seconds
    address = ET.fromstring(feed).find(".//{https://podcastindex.org/namespace/1.0}chapters").get("url")
    chapters_json = json.loads((web / "current" / urlsplit(address).path.lstrip("/")).read_bytes())
    assert [c["startTime"] for c in chapters_json["chapters"]] == pytest.approx(expected, abs=0.001)
    enclosure = episode["enclosures"][0]
    mp3 = web / "current" / urlsplit(enclosure["url"]).path.lstrip("/")
    assert mp3.is_file() and enclosure["file_size"] == mp3.stat().st_size
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", str(recording)],
                           capture_output=True, text=True, check=True)
    original = float(json.loads(probe.stdout)["format"]["duration"])
    cut_length = sum(end - begin for begin, end in cuts)
    assert MP3(mp3).info.length == pytest.approx(original - cut_length, abs=0.1)  # shorter by the cut (and its 50 ms crossfade)
    frames = sorted(ID3(mp3).getall("CHAP"), key=lambda frame: frame.start_time)
    assert [frame.sub_frames["TIT2"].text[0] for frame in frames] == [title for title, _ in CHAPTERS]
    assert [frame.start_time / 1000 for frame in frames] == pytest.approx(expected, abs=0.03)


def test_the_whole_journey_with_the_mouse_at_1280_px(browser, recording, tmp_path):
    root = tmp_path / "podcast"
    root.mkdir()
    journey(browser, root, tmp_path / "web", recording, 1280, keyboard=False)


def test_the_same_journey_with_the_keyboard_only_at_360_px(browser, recording, tmp_path):
    root = tmp_path / "podcast"
    root.mkdir()
    journey(browser, root, tmp_path / "web", recording, 360, keyboard=True)
