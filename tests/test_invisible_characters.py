"""The characters no page, feed or tag can carry: found by one search of the text, for every code point.

Checked against Unicode's own categories (unicodedata), not against the code's table: controls (Cc) but
newline and tab, lone surrogates (Cs) and the non-characters U+FFFE and U+FFFF. Transcripts also refuse
bidi controls; the problem names the line, as the file's lines are read."""

import unicodedata

import pytest

from pipeline.source import transcripts
from pipeline.source.fields import BIDI_CONTROLS, first_invisible


def refused_by_xml(char: str) -> bool:
    category = unicodedata.category(char)
    return (category == "Cc" and char not in "\n\t") or category == "Cs" or char in "\ufffe\uffff"


def test_every_code_point_is_refused_exactly_when_xml_cannot_carry_it():
    wrong = [f"U+{cp:04X}" for cp in range(0x110000) if (first_invisible(chr(cp)) == chr(cp)) != refused_by_xml(chr(cp))]
    assert wrong == []
    refused = sum(refused_by_xml(chr(cp)) for cp in range(0x110000))
    assert refused == 32 - 2 + 33 + 2048 + 2  # C0 but tab and newline, DEL and C1, surrogates, U+FFFE/U+FFFF


def test_the_first_refused_character_of_a_text_is_named():
    assert first_invisible("Débat à Bobigny\t(salle 2)\n") is None
    assert first_invisible("un\x07deux\x01") == "\x07"
    assert first_invisible("🎙️ été\u200d\ud800") == "\ud800"


def cues(*lines: str) -> str:
    return "\n".join(["WEBVTT", "", *lines, ""])


@pytest.mark.parametrize(("text", "line", "code"), [
    # the first line holding either kind is named
    (cues("00:00:01.000 --> 00:00:02.000", "Bonsoir \u202eà tous", "", "00:00:03.000 --> 00:00:04.000", "Merci\x1b"), 4, "0x202e"),
    (cues("00:00:01.000 --> 00:00:02.000", "Bonsoir", "", "00:00:03.000 --> 00:00:04.000", "Merci\x1b \u2067"), 7, "0x1b"),
    # in that line, a character no page can carry comes before a bidi control
    (cues("00:00:01.000 --> 00:00:02.000", "\u2066Bonsoir\x00"), 4, "0x00"),
    # a carriage return alone is a control (a CRLF file is read as lines)
    (cues("00:00:01.000 --> 00:00:02.000", "Bon\rsoir"), 4, "0x0d"),
])
def test_a_transcript_names_the_line_and_the_character(text, line, code):
    with pytest.raises(transcripts.TranscriptError) as caught:
        transcripts.parse(text, ".vtt")
    assert str(caught.value).startswith(f"line {line}: ")
    assert f"({code})" in str(caught.value)


def test_crlf_and_bom_are_read_and_a_clean_transcript_parses():
    text = "\ufeff" + cues("00:00:01.000 --> 00:00:02.500", "<v Zoë>Bonsoir à tous 👩‍🔧", "",
                           "00:00:03.000 --> 00:00:04.000", "سارة : merci").replace("\n", "\r\n")
    parsed = transcripts.parse(text, ".vtt")
    assert [(c.start, c.end, c.speaker, c.text) for c in parsed] == [
        (1.0, 2.5, "Zoë", "Bonsoir à tous 👩‍🔧"), (3.0, 4.0, None, "سارة : merci")]
    assert all(c not in BIDI_CONTROLS for cue in parsed for c in cue.text)
