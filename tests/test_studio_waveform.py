"""The studio's waveform editor against the real server (`portevoix studio`), in Debian's chromium for the journeys.

The recording is generated: 2 s of silence, then 4 s of tone, so that where the waveform's peaks are is known
without our code. With the mouse (1280 px): three chapters clicked on the waveform and named, one cut and one
soundbite dragged, a chapter's marker dragged further, saved; episode.md holds them where they were placed, and
the comment written by hand is still there. With the keyboard only (360 px): the playhead moved by the arrows,
chapters, a cut, a soundbite and a trim point added "at the playhead", a chapter typed after the end refused
with check's words next to its field, then corrected. Also: the player's Range requests, the peaks computed once
and cached by the recording's identity, paths leaving the folder refused, the vendored peaks.js identical to
node_modules, French words, axe-core and screenshots at 360 and 1280 px.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from support.browser import axe_violations, check_watched, screenshot, wait_until, watch
from support.studio import REPO, studio

SILENCE, TONE = 2.0, 4.0
LENGTH = SILENCE + TONE
COMMENT = "# Relu par Nadia le 3 octobre : les chapitres sont à revoir."
VENDORED = REPO / "templates" / "studio" / "static" / "vendor"


def make_recording(path: Path) -> Path:
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"anullsrc=r=44100:cl=mono:d={SILENCE}",
                    "-f", "lavfi", "-i", f"sine=f=330:r=44100:d={TONE}", "-filter_complex",
                    "[1:a]volume=-6dB[t];[0:a][t]concat=n=2:v=0:a=1", "-c:a", "pcm_s16le", str(path)], check=True)
    return path


def make_podcast(root: Path, slug: str = "essai") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name in ("podcast.yaml", "cover.jpg"):
        shutil.copy(REPO / name, root / name)
    folder = root / "episodes" / slug
    folder.mkdir(parents=True)
    make_recording(folder / "enregistrement.wav")
    (folder / "episode.md").write_text(
        "---\n"
        'title: "Essai de forme d\'onde"\n'
        "date: 2024-06-01\n"
        "recording: enregistrement.wav\n"
        f"guid: {slug}-2024-06-01\n"
        f"{COMMENT}\n"
        "season: 1  # la première\n"
        "---\n"
        "Notes.\n", encoding="utf-8")
    return root


def front(root: Path, slug: str = "essai") -> dict:
    return yaml.safe_load((root / "episodes" / slug / "episode.md").read_text(encoding="utf-8").split("---")[1])


def raw_get(server, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.request("GET", path, headers={"Host": f"127.0.0.1:{server.port}", "Cookie": server.cookie, **(headers or {})})
    answer = connection.getresponse()
    body = answer.read()
    connection.close()
    return answer.status, dict(answer.headers), body


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    root = make_podcast(tmp_path_factory.mktemp("waveform") / "podcast")
    with studio(root) as server:
        server.log_in()
        yield root, server


def test_the_vendored_peaks_js_is_the_one_package_json_names():
    package = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    for name, files in {"peaks.js": ["dist/peaks.ext.min.js", "COPYING"], "konva": ["konva.min.js", "LICENSE"],
                        "waveform-data": ["dist/waveform-data.min.js", "LICENSE"]}.items():
        installed = json.loads((REPO / "node_modules" / name / "package.json").read_text(encoding="utf-8"))["version"]
        assert package[name] == installed, name
        assert installed in (VENDORED / "README.md").read_text(encoding="utf-8"), name
        for file in files:
            assert (VENDORED / name / Path(file).name).read_bytes() == (REPO / "node_modules" / name / file).read_bytes(), file
    assert package["peaks.js"] == "4.0.0"


def test_the_player_gets_the_recording_by_ranges(running):
    root, server = running
    recording = (root / "episodes" / "essai" / "enregistrement.wav").read_bytes()
    status, headers, body = raw_get(server, "/episodes/essai/recording", {"Range": "bytes=1000-1999"})
    assert status == 206 and body == recording[1000:2000]
    assert headers["Content-Range"] == f"bytes 1000-1999/{len(recording)}"
    assert headers["Content-Type"].startswith("audio/")
    status, _headers, body = raw_get(server, "/episodes/essai/recording", {"Range": "bytes=-300"})
    assert status == 206 and body == recording[-300:]
    status, _headers, body = raw_get(server, "/episodes/essai/recording")
    assert status == 200 and body == recording
    assert server.request("GET", "/episodes/essai/recording", cookie=False).status == 403  # the token is needed here too


def test_peaks_are_computed_once_and_say_where_the_sound_is(running):
    root, server = running
    status, headers, body = raw_get(server, "/episodes/essai/peaks.json")
    assert status == 200 and headers["Content-Type"] == "application/json"
    peaks = json.loads(body)
    assert peaks["version"] == 2 and peaks["bits"] == 8 and len(peaks["data"]) == 2 * peaks["length"]
    assert abs(peaks["length"] * peaks["samples_per_pixel"] / peaks["sample_rate"] - LENGTH) < 0.01
    per_second = peaks["sample_rate"] / peaks["samples_per_pixel"]
    heights = [max(-low, high) for low, high in zip(peaks["data"][::2], peaks["data"][1::2])]
    assert max(heights[: int((SILENCE - 0.1) * per_second)]) <= 1  # the silence
    assert min(heights[int((SILENCE + 0.1) * per_second): int((LENGTH - 0.1) * per_second)]) >= 100  # the tone
    assert len(body) < 200_000  # peaks, not the audio (the WAV is 530 kB)
    cached = list((root / ".cache" / "portevoix" / "waveforms").glob("*.json"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    assert raw_get(server, "/episodes/essai/peaks.json")[2] == body
    assert cached[0].stat().st_mtime_ns == stamp  # read from the cache, not computed again
    recording = root / "episodes" / "essai" / "enregistrement.wav"
    os.utime(recording, ns=(recording.stat().st_atime_ns, recording.stat().st_mtime_ns + 1_000_000_000))
    assert raw_get(server, "/episodes/essai/peaks.json")[0] == 200
    assert len(list((root / ".cache" / "portevoix" / "waveforms").glob("*.json"))) == 2  # a new identity, computed again


def test_no_peaks_or_audio_for_a_path_outside_the_podcast_folder(running, tmp_path):
    root, server = running
    outside = root.parent / "dehors.wav"
    make_recording(outside)
    for slug, recording in (("fuite", "../../../dehors.wav"), ("lien", "lien.wav"), ("absolu", str(outside))):
        folder = root / "episodes" / slug
        folder.mkdir()
        if slug == "lien":
            (folder / "lien.wav").symlink_to(outside)
        (folder / "episode.md").write_text(f"---\ntitle: Fuite\ndate: 2024-06-01\nrecording: {recording}\nguid: {slug}\n---\n", encoding="utf-8")
        for what in ("peaks.json", "recording"):
            status, _headers, body = raw_get(server, f"/episodes/{slug}/{what}")
            assert status == 404, (slug, what)
            assert b"RIFF" not in body and b'"data"' not in body
        assert server.request("GET", f"/episodes/{slug}/waveform").status == 200  # the page says so, next to nothing leaked
    for path in ("/episodes/..%2F..%2Fdehors/peaks.json", "/episodes/../peaks.json", "/episodes/.cache/peaks.json",
                 "/static/../../pipeline/studio/app.py", "/static/vendor/../../waveform.html"):
        assert raw_get(server, path)[0] in (400, 404), path
    assert not list(root.parent.glob("*.json"))


def test_a_page_of_one_episode_keeps_what_is_known_of_the_others(running):
    """The studio probes the recording of the episode it shows; the identity cache keeps the other recordings'
    probes (a page cannot know they are gone: `portevoix check` would have to probe them all again)."""
    root, server = running
    other = root.parent / "autre.wav"
    make_recording(other)
    from pipeline.audio.identity_cache import IdentityCache, identity
    from pipeline.source.episodes import known_probe

    known = IdentityCache(root / ".cache" / "portevoix")
    known_probe(other, known)
    known.save()
    assert server.request("GET", "/episodes/essai/waveform").status == 200
    kept = json.loads((root / ".cache" / "portevoix" / "identity.json").read_text(encoding="utf-8"))["files"]
    assert identity(other.stat())[0] in kept and "probe" in kept[identity(other.stat())[0]]


def test_the_editor_speaks_french(running):
    root, _server = running
    with studio(root, language="fr") as french:
        french.log_in()
        body = french.request("GET", "/episodes/essai/waveform").body
    assert 'lang="fr"' in body and "Chapitres" in body and "Coupes" in body and "Ajouter un chapitre à la tête de lecture" in body


def test_overlapping_cuts_and_a_chapter_after_the_end_are_refused_with_checks_words(running):
    root, server = running
    before = (root / "episodes" / "essai" / "episode.md").read_bytes()
    fields = [("csrf", server.csrf("/episodes/essai/waveform")),
              ("chapter-from", ""), ("chapter-start", "00:00:09"), ("chapter-title", "Trop tard"),
              ("cut-from", ""), ("cut-start", "1"), ("cut-end", "3"),
              ("cut-from", ""), ("cut-start", "2.5"), ("cut-end", "4")]
    assert server.post_form("/episodes/essai/waveform", fields[1:]).status == 403  # no CSRF token
    assert server.post_form("/episodes/essai/waveform", fields, origin="http://evil.example").status == 403
    answer = server.post_form("/episodes/essai/waveform", fields)
    assert answer.status == 422
    assert "two ranges overlap (00:00:01-00:00:03 and 00:00:02.500-00:00:04): join them into one" in answer.body
    assert "starts at 00:00:09, after the end of the recording (00:00:06)" in answer.body
    assert 'id="chapter-1-start-problems"' in answer.body and 'aria-invalid="true"' in answer.body
    assert (root / "episodes" / "essai" / "episode.md").read_bytes() == before
    everything = [("csrf", fields[0][1]), ("trim-start-from", ""), ("trim-start-end", "00:00:06"),
                  ("trim-end-from", ""), ("trim-end-start", "")]
    answer = server.post_form("/episodes/essai/waveform", everything)
    assert answer.status == 422 and "leave nothing of the recording (00:00:06): shorten or remove one" in answer.body
    assert (root / "episodes" / "essai" / "episode.md").read_bytes() == before


def chapters_and_cuts(root: Path) -> tuple[list, list]:
    data = front(root)
    return data.get("chapters", []), data.get("cuts", [])


def seconds(text) -> float:
    from pipeline.source.fields import parse_timestamp

    value = parse_timestamp(text)
    assert value is not None, text
    return value


def open_editor(browser, server, width: int, bypass_csp: bool = False):
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=bypass_csp)
    page = watch(context.new_page(), {urlsplit(server.url).netloc})
    page.goto(server.url)
    page.goto(f"http://127.0.0.1:{server.port}/episodes/essai/waveform")
    wait_until(page, "document.getElementById('waveform-page').dataset.ready || document.getElementById('waveform-page').dataset.error")
    assert page.evaluate("document.getElementById('waveform-page').dataset.error") is None
    return context, page


def test_chapters_a_cut_and_a_soundbite_placed_with_the_mouse_are_saved_with_the_comments(browser, running):
    root, server = running
    context, page = open_editor(browser, server, 1280)
    view = page.locator("#zoomview")
    assert page.evaluate("document.querySelector('#zoomview canvas') !== null")

    def chosen(mode: str) -> dict:
        page.check(f'input[name="mode"][value="{mode}"]')
        view.scroll_into_view_if_needed()
        box = view.bounding_box()
        assert box
        return box

    box = chosen("chapter")
    names = ["Ouverture", "Le débat", "Conclusion"]
    fractions = [0.1, 0.45, 0.8]
    for fraction, name in zip(fractions, names):
        box = view.bounding_box()  # the waveform stays in view (sticky) while the rows scroll
        assert box
        page.mouse.click(box["x"] + box["width"] * fraction, box["y"] + box["height"] / 2)
        focused = page.evaluate("document.activeElement.name")
        assert focused == "chapter-title"
        page.keyboard.type(name)
    box = chosen("cut")
    y = box["y"] + box["height"] * 0.7
    page.mouse.move(box["x"] + box["width"] * 0.55, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.62, y, steps=5)
    page.mouse.move(box["x"] + box["width"] * 0.7, y, steps=5)
    page.mouse.up()
    assert page.locator("#cut-rows .row").count() == 1
    box = chosen("soundbite")
    y = box["y"] + box["height"] * 0.3
    page.mouse.move(box["x"] + box["width"] * 0.15, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.3, y, steps=8)
    page.mouse.up()
    page.keyboard.type("Le mot d'accueil")
    # The third chapter's marker dragged from 80 % to 90 % of the way: its field follows.
    box = chosen("seek")
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.8, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.9, y, steps=8)
    page.mouse.up()
    fractions[2] = 0.9
    print(page.evaluate("Array.from(document.querySelectorAll('#markers input[type=text]')).map(i => i.name + '=' + i.value).join(' ')"))
    # The times the editor wrote in the fields are written as the Python side writes them (00:00:02.500).
    from pipeline.studio.waveform import clock

    written = page.evaluate("Array.from(document.querySelectorAll('#markers input[type=text]'))"
                            ".filter(i => /(start|end)$/.test(i.name) && i.value).map(i => i.value)")
    assert len(written) >= 6 and any("." in time for time in written), written
    assert all(time == clock(seconds(time)) for time in written), written
    screenshot(page, "studio-waveform-mouse-1280")
    with page.expect_navigation():
        page.click("#markers button[type=submit]")
    assert page.locator("[role=status]").count() == 1, page.locator(".problems, [role=alert]").all_inner_texts()
    chapters, cuts = chapters_and_cuts(root)
    assert [c["title"] for c in chapters] == names
    for chapter, fraction in zip(chapters, fractions):
        assert abs(seconds(chapter["start"]) - fraction * LENGTH) <= 0.25, (chapter, fraction)
    assert len(cuts) == 1
    assert abs(seconds(cuts[0]["start"]) - 0.55 * LENGTH) <= 0.25 and abs(seconds(cuts[0]["end"]) - 0.7 * LENGTH) <= 0.25, cuts
    (bite,) = front(root)["soundbites"]
    assert bite["title"] == "Le mot d'accueil" and abs(seconds(bite["start"]) - 0.15 * LENGTH) <= 0.25
    assert bite["duration"] == round(0.15 * LENGTH)
    text = (root / "episodes" / "essai" / "episode.md").read_text(encoding="utf-8")
    assert COMMENT in text and "season: 1  # la première" in text
    # The page shows what was saved, and the markers come back on the waveform.
    wait_until(page, "document.getElementById('waveform-page').dataset.ready")
    assert page.locator("#chapter-rows .row").count() == 3
    check_watched(page)
    context.close()


def test_the_same_with_the_keyboard_only_at_360_px(browser, running):
    root, server = running
    path = root / "episodes" / "essai" / "episode.md"
    context, page = open_editor(browser, server, 360)
    removers = page.locator(".row [data-action=remove]")
    while removers.count():  # start from no marker, by the keyboard
        removers.first.focus()
        page.keyboard.press("Enter")
    assert page.locator("#chapter-rows .row").count() == 0
    page.locator("#zoomview").focus()
    page.keyboard.press("ArrowRight")  # 1 s
    assert abs(page.evaluate("document.getElementById('player').currentTime") - 1.0) < 0.05
    page.locator("[data-add=chapter]").focus()
    page.keyboard.press("Enter")
    page.keyboard.type("Accueil")
    page.locator("#zoomview").focus()
    page.keyboard.press("Shift+ArrowRight")  # to the end (6 s)
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # 3 s
    page.locator("[data-add=chapter]").focus()
    page.keyboard.press("Enter")
    page.keyboard.type("Questions")
    page.locator("[data-add=cut]").focus()
    page.keyboard.press("Enter")  # a cut from the playhead, its end field focused
    page.keyboard.press("Control+A")
    page.keyboard.type("00:00:04.5")
    page.locator("[data-add=soundbite]").focus()
    page.keyboard.press("Enter")  # a soundbite from the playhead (3 s), its title field focused
    page.keyboard.type("La réponse")
    page.locator("#soundbite-rows [data-field=duration]").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.locator("[data-add=chapter]").focus()
    page.keyboard.press("Enter")
    page.keyboard.type("Trop tard")
    late = page.locator("#chapter-rows .row").last.locator("[data-field=start]")
    late.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("00:00:09")
    page.locator("#trim-start-1 [data-set]").focus()  # the published audio starts at the playhead (3 s)… then typed earlier
    page.keyboard.press("Enter")
    page.locator("#trim-start-1-end").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("0.5")
    page.locator("#markers button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.errors[:] = [e for e in page.errors if "422" not in e]  # the refused save answers 422, as it should
    problem = page.locator("[aria-invalid=true]")
    assert problem.count() == 1
    message = page.locator("#" + problem.get_attribute("aria-describedby").split()[-1]).inner_text()
    assert "starts at 00:00:09, after the end of the recording (00:00:06)" in message
    screenshot(page, "studio-waveform-refused-360")
    assert "Trop tard" not in path.read_text(encoding="utf-8")  # nothing saved
    problem.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("00:00:05")
    page.locator("#markers button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("[role=status]").count() == 1, page.locator(".problems, [role=alert]").all_inner_texts()
    data = front(root)
    assert [(c["title"], seconds(c["start"])) for c in data["chapters"]] == [("Accueil", 1.0), ("Questions", 3.0), ("Trop tard", 5.0)]
    assert [(seconds(c["start"]), seconds(c["end"])) for c in data["cuts"]] == [(0.0, 0.5), (3.0, 4.5)]
    assert [(seconds(b["start"]), b["duration"], b["title"]) for b in data["soundbites"]] == [(3.0, 2, "La réponse")]
    assert COMMENT in path.read_text(encoding="utf-8")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    check_watched(page)
    context.close()


@pytest.mark.parametrize("width", (360, 1280))
def test_the_editor_passes_axe_and_is_screenshotted(browser, running, width):
    _root, server = running
    context, page = open_editor(browser, server, width, bypass_csp=True)  # axe-core is injected inline
    assert axe_violations(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    screenshot(page, f"studio-waveform-{width}")
    check_watched(page)
    context.close()
