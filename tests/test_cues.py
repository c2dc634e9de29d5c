"""From recognised words to cues: two lines of 65 characters at most, split at pauses, sentence ends and turns."""

from __future__ import annotations

import random
from itertools import pairwise

from hypothesis import given, settings, strategies as st

from pipeline.source.cues import LINE_LENGTH, Turn, Word, make_cues, to_srt, to_text, to_vtt, wrap
from pipeline.source.transcripts import parse

VOCABULARY = "the council a library residents asked why bus line was cancelled winter mayor promised public meeting".split()


def spoken(count: int, seed: int, pause_every: int = 0) -> list[Word]:
    """Words one after another, 0.3 s each, some ending a sentence, a long pause every `pause_every` words."""
    chance = random.Random(seed)
    words, time = [], 0.0
    for index in range(count):
        text = chance.choice(VOCABULARY) + ("." if chance.random() < 0.1 else "")
        words.append(Word(round(time, 3), round(time + 0.28, 3), text))
        time += 0.3 + (1.0 if pause_every and index % pause_every == pause_every - 1 else 0.0)
    return words


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 400), st.integers(0, 10_000), st.sampled_from([0, 7, 23]))
def test_cues_keep_every_word_in_order_on_two_short_lines(count, seed, pause_every):
    words = spoken(count, seed, pause_every)
    cues = make_cues(words)
    assert " ".join(c.text for c in cues).split() == [w.text for w in words]
    for cue in cues:
        lines = wrap(cue.text)
        assert 1 <= len(lines) <= 2 and all(len(line) <= LINE_LENGTH for line in lines)
        assert cue.end - cue.start <= 7.0 + 0.3
    assert all(a.end <= b.start for a, b in pairwise(cues))


def test_a_pause_or_a_sentence_end_starts_a_new_cue():
    words = [Word(0.0, 0.3, "Good"), Word(0.3, 0.6, "evening"), Word(2.0, 2.3, "everyone."),
             Word(2.4, 2.7, "Tonight"), Word(2.8, 3.1, "we"), Word(3.1, 3.4, "speak"), Word(3.4, 3.7, "about"),
             Word(3.7, 4.0, "the"), Word(4.0, 4.3, "library"), Word(4.3, 4.6, "again."), Word(4.7, 5.0, "Then")]
    assert [c.text for c in make_cues(words)] == ["Good evening", "everyone. Tonight we speak about the library again.", "Then"]


def test_a_cue_never_spans_two_speakers_and_names_them():
    words = spoken(40, 3)
    change = words[17].start - 0.01
    cues = make_cues(words, [Turn(0.0, "Alice"), Turn(change, "Bob")])
    assert all(c.speaker == ("Alice" if c.end <= change + 0.3 else "Bob") for c in cues)
    assert {c.speaker for c in cues} == {"Alice", "Bob"}
    vtt = to_vtt(cues, "Automatic transcript --> draft")
    parsed = parse(vtt, ".vtt")
    assert [(c.speaker, c.text) for c in parsed] == [(c.speaker, c.text) for c in cues]
    assert [(c.speaker, c.text) for c in parse(to_srt(cues), ".srt")] == [(c.speaker, c.text) for c in cues]
    text = to_text(cues)
    assert text.count("Alice: ") == 1 and text.count("Bob: ") == 1


def test_without_turns_no_name_is_guessed():
    assert all(c.speaker is None for c in make_cues(spoken(50, 5)))
    assert "<v" not in to_vtt(make_cues(spoken(50, 5)))


def test_turns_come_from_turns_or_from_chapters_that_name_a_speaker(tmp_path):
    from types import SimpleNamespace

    from pipeline.source.episode_meta import Chapter, EpisodeMeta, Speaker
    from pipeline.source.episode_meta import Turn as TurnField
    from pipeline.transcribe import episode_turns

    speakers = [Speaker(name="Claire Vernay"), Speaker(name="Karim Haddad")]
    chapters = [Chapter(start=0.0, title="Ouverture"), Chapter(start=30.0, title="claire vernay"),
                Chapter(start=90.0, title="Les services publics", speaker="Karim Haddad")]

    def turns(**fields):
        return episode_turns(SimpleNamespace(meta=EpisodeMeta(**fields)))

    assert turns(speakers=speakers, chapters=chapters, turns=[]) == [Turn(0.0, None), Turn(30.0, "Claire Vernay"), Turn(90.0, "Karim Haddad")]
    assert turns(speakers=speakers, chapters=chapters, turns=[TurnField(start=5.0, speaker="Karim Haddad")]) == [Turn(5.0, "Karim Haddad")]
    assert turns(speakers=speakers, chapters=chapters[:1], turns=[]) == []
