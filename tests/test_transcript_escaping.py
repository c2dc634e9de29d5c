"""Converting transcripts escapes what it writes: text stays text in a real browser's WebVTT parser.

A cue whose text is `&lt;img …&gt;` (text that shows markup) and a speaker
whose name holds `>` are converted SRT→VTT and VTT→SRT→VTT; Chromium reads
the WebVTT we write (a <track> element, `getCueAsHTML`): no element comes out
of the text, the speaker's name is whole, the words are those written.
"""

from __future__ import annotations

import base64

from support.browser import browser_session
from pipeline.source.cues import to_srt, to_vtt
from pipeline.source import transcripts

SOURCE_VTT = (
    "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v Ana &gt; Bob>Voir &lt;img src=x onerror=alert(1)&gt; &amp; la suite\n\n"
    "00:00:02.000 --> 00:00:04.000\n<v Léa>deux < trois\n"
)


def chromium_cues(browser, vtt: str) -> list[dict]:
    """What Chromium's WebVTT parser makes of `vtt`: for each cue, its elements and its text."""
    data = base64.b64encode(vtt.encode("utf-8")).decode("ascii")
    page = browser.new_page()
    page.set_content(f'<video><track kind="subtitles" default src="data:text/vtt;base64,{data}"></video>')
    page.wait_for_function("document.querySelector('track').readyState === 2", timeout=15000)
    return page.evaluate("""() => Array.from(document.querySelector('track').track.cues).map(cue => {
            const html = cue.getCueAsHTML();
            return {elements: Array.from(html.querySelectorAll('*')).map(e => e.tagName.toLowerCase()),
                    text: html.textContent, voices: Array.from(html.querySelectorAll('span[title]')).map(e => e.title)};
    })""")


def test_text_and_speakers_stay_text_through_both_conversions():
    cues = transcripts.parse(SOURCE_VTT, ".vtt")
    assert cues[0].speaker == "Ana > Bob" and cues[0].text == "Voir <img src=x onerror=alert(1)> & la suite"
    via_srt = transcripts.parse(to_srt(cues), ".srt")
    assert [(c.speaker, c.text) for c in via_srt] == [(c.speaker, c.text) for c in cues]
    with browser_session() as browser:
        seen_twice = [chromium_cues(browser, written) for written in (to_vtt(cues), to_vtt(via_srt))]
    for seen in seen_twice:
        assert [cue["text"] for cue in seen] == ["Voir <img src=x onerror=alert(1)> & la suite", "deux < trois"]
        assert all("img" not in cue["elements"] for cue in seen)
        assert [cue["voices"] for cue in seen] == [["Ana > Bob"], ["Léa"]]
