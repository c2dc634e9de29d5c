"""pipeline.plain.plain gives what dataclasses.asdict gives (it only skips asdict's deep copies of leaves): checked on the
project's own dataclasses as the build fills them (nested lists, tuples, optional members, dicts, a Path), compared as
values and as the JSON text the cache keys are made of."""

from __future__ import annotations

import dataclasses
import json
from collections import namedtuple
from pathlib import Path

from pipeline import presets
from pipeline.feed.podcasting import AlternateEnclosure, ItemData, Licence, Location, Person, SimpleChapter, Soundbite, Transcript
from pipeline.media.tags import ChapterMark, Tags
from pipeline.plain import plain


def same(value) -> None:
    expected = dataclasses.asdict(value)
    got = plain(value)
    assert got == expected
    assert json.dumps(got, sort_keys=True, default=str) == json.dumps(expected, sort_keys=True, default=str)
    assert repr(got) == repr(expected)  # the tagged files' key is made of str() of these values


def test_presets_and_levelers_as_asdict():
    for name in presets.names():
        preset = presets.load(name)
        same(preset)
        same(preset.leveler_settings())
        assert plain(preset)["denoise_reduction_db"] is not preset.denoise_reduction_db  # containers are new, as asdict's


def test_feed_item_data_as_asdict():
    data = ItemData(
        explicit=True,
        persons=[Person("Claire Vernay", "host", "cast"), Person("Invitée", "guest", "cast")],
        location=Location("Bourse du travail", "45.76,4.84"),
        chapters_url="https://podcast.example.org/chapters.json",
        transcripts=[Transcript("https://podcast.example.org/t.vtt", "text/vtt", "fr", "captions")],
        soundbites=[Soundbite(12.5, 30.0, "Le moment fort")],
        season=2,
        licence=Licence("CC-BY-4.0", None),
        alternates=[AlternateEnclosure("audio/ogg", 1234, 32000, ("https://podcast.example.org/a.opus",), "sha256-x", "opus", "Opus")],
        simple_chapters=[SimpleChapter(0.0, "Ouverture"), SimpleChapter(2.0, "Questions", "https://example.org/q")],
    )
    same(data)
    assert isinstance(plain(data)["alternates"][0]["sources"], tuple)


def test_tags_with_chapters_and_cover_as_asdict():
    tags = Tags(title="Débat", artist="Collectif", album="Banc", date="2024-03-20", cover=Path("/tmp/cover.jpg"),
                chapters=[ChapterMark(0.0, 2.0, "Ouverture"), ChapterMark(2.0, 5.0, "Questions", "https://example.org")])
    same(tags)
    assert {k: str(v) for k, v in plain(tags).items()} == {k: str(v) for k, v in dataclasses.asdict(tags).items()}


def test_containers_inside_as_asdict():
    Pair = namedtuple("Pair", "left right")

    @dataclasses.dataclass
    class Holder:
        pairs: list
        table: dict
        nested: tuple

    holder = Holder([Pair(1, ChapterMark(0.0, 1.0, "a"))], {"k": [ChapterMark(1.0, 2.0, "b")]}, (None, 1.5, "x"))
    same(holder)
    assert type(plain(holder)["pairs"][0]) is Pair
