"""The studio's transcript page in Debian's chromium, against the real server and the real speech model.

The podcast and its spoken recording (espeak-ng, known sentences) are those of test_transcribe.py (tests/support/speech.py), with two
sentences, transcribed by faster-whisper's tiny.en from its test package (nothing downloaded). In the studio:
the transcription runs in the background and the page follows its progress lines; a cue plays from its start to
its end; a cue's text and speaker are corrected and the transcript marked reviewed. The saved file is read by
webvtt-parser (the W3C validator's parser), episode.md by PyYAML, with the comment written by hand kept.
axe-core (before and after the transcription) and screenshots at 360 and 1280 px.
"""

from __future__ import annotations

import shutil
import time
from urllib.parse import urlsplit

import pytest
import yaml

from support.browser import axe_violations, check_watched, screenshot, wait_until, watch
from support.studio import studio
from support.speech import SENTENCES, SLUG, make_podcast, model_folder, node

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is installed by make test-deps")
COMMENT = "# Transcription à relire avant publication."
CORRECTED = "Many residents asked why the bus line was cancelled last winter, said Bob."
PAGE = f"/episodes/{SLUG}/transcript"


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    root = make_podcast(tmp_path_factory.mktemp("transcript") / "podcast", str(model_folder()), sentences=SENTENCES[1:3])
    episode = root / "episodes" / SLUG / "episode.md"
    episode.write_text(episode.read_text(encoding="utf-8").replace("date: 2024-05-02\n", f"date: 2024-05-02\n{COMMENT}\n"), encoding="utf-8")
    with studio(root) as server:
        server.log_in()
        yield root, server


def test_the_page_before_any_transcript_passes_axe(browser, running):
    _root, server = running
    context = browser.new_context(viewport={"width": 360, "height": 900}, bypass_csp=True)  # axe-core is injected inline
    page = watch(context.new_page(), {urlsplit(server.url).netloc})
    page.goto(server.url)
    page.goto(f"http://127.0.0.1:{server.port}{PAGE}")
    assert page.locator("form[action$=transcribe] button").count() == 1
    assert axe_violations(page) == []
    screenshot(page, "studio-transcript-empty-360")
    check_watched(page)
    context.close()


def test_transcribe_in_the_background_then_review_cue_by_cue(browser, running):
    root, server = running
    folder = root / "episodes" / SLUG
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = watch(context.new_page(), {urlsplit(server.url).netloc})
    page.goto(server.url)
    page.goto(f"http://127.0.0.1:{server.port}{PAGE}")
    assert "no transcript yet" in page.inner_text("main")
    page.click("button[type=submit]")  # Transcribe the recording
    followed = []
    deadline = time.monotonic() + 120
    while True:  # the page reloads itself while it runs; another tab (raw requests here) sees the same lines
        body = server.request("GET", PAGE).body
        followed.append('http-equiv="refresh"' in body)
        if not followed[-1]:
            break
        assert time.monotonic() < deadline, body
        time.sleep(0.3)
    assert followed[0], "the page did not follow the running transcription"
    assert "The transcription is finished." in body and "transcript.vtt" in body, body
    page.goto(f"http://127.0.0.1:{server.port}{PAGE}")
    draft = node("webvtt.cjs", folder / "transcript.vtt")
    assert draft["errors"] == [] and len(draft["cues"]) >= 2
    assert yaml.safe_load((folder / "episode.md").read_text(encoding="utf-8").split("---")[1])["transcript_status"] == "draft"
    assert page.locator(".cue").count() == len(draft["cues"])
    assert draft["cues"][0]["voices"] == ["Alice"]  # the turns of episode.md; corrected below

    # The second cue plays from its start and stops at its end.
    second = page.locator(".cue").nth(1)
    start, end = float(second.get_attribute("data-start")), float(second.get_attribute("data-end"))
    second.locator("[data-play]").click()
    wait_until(page, f"(() => {{ const a = document.getElementById('player'); return !a.paused && a.currentTime >= {start - 0.05}; }})()")
    wait_until(page, "document.getElementById('player').paused", timeout=(end - start) + 10)
    stopped = page.evaluate("document.getElementById('player').currentTime")
    assert end - 0.1 <= stopped <= end + 0.5, (start, end, stopped)

    page.fill("#cue-1-text", CORRECTED)
    page.fill("#cue-1-speaker", "Bob")
    page.check("input[name=reviewed]")
    screenshot(page, "studio-transcript-review-1280")
    with page.expect_navigation():
        page.click("#review button[type=submit]")
    assert "Saved." in page.locator("[role=status]").all_inner_texts()
    reviewed = node("webvtt.cjs", folder / "transcript.vtt")
    assert reviewed["errors"] == [] and len(reviewed["cues"]) == len(draft["cues"])
    assert reviewed["cues"][0]["text"].replace("\n", " ") == CORRECTED and reviewed["cues"][0]["voices"] == ["Bob"]
    assert reviewed["cues"][1:] == draft["cues"][1:]  # the others as the draft had them, times included
    assert [(c["start"], c["end"]) for c in reviewed["cues"]] == [(c["start"], c["end"]) for c in draft["cues"]]
    saved = (folder / "transcript.vtt").read_text(encoding="utf-8")
    assert "not yet reviewed" not in saved and saved.startswith("WEBVTT\n\n00:")
    text = (folder / "episode.md").read_text(encoding="utf-8")
    assert yaml.safe_load(text.split("---")[1])["transcript_status"] == "reviewed" and COMMENT in text
    assert page.locator("form[action$=transcribe]").count() == 0  # a reviewed transcript is never made again
    check_watched(page)
    context.close()


@pytest.mark.parametrize("width", (360, 1280))
def test_the_transcript_page_passes_axe_and_is_screenshotted(browser, running, width):
    _root, server = running
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)  # axe-core is injected inline
    page = watch(context.new_page(), {urlsplit(server.url).netloc})
    page.goto(server.url)
    page.goto(f"http://127.0.0.1:{server.port}{PAGE}")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    screenshot(page, f"studio-transcript-{width}")
    check_watched(page)
    context.close()
