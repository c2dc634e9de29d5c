"""The small memos that keep a build's per-episode work short on a large archive: each gives what it stands for,
and is made again when what it was made from changes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pipeline import presets
from pipeline.audio import ENTRY_PREFIX, cache_key, settings_of
from pipeline.audio.cache import key_for
from pipeline.audio.edits import Edits
from pipeline.media.formats import chosen

DIGEST = "ab" * 32


def test_the_audio_cache_key_is_the_settings_key_and_follows_a_changed_preset():
    preset, formats = presets.load("podcast"), chosen(None)
    assert cache_key(DIGEST, preset, formats) == ENTRY_PREFIX + key_for(DIGEST, settings_of(preset, formats))
    assert cache_key(DIGEST, preset, formats) == cache_key(DIGEST, preset, formats)  # the memo's answer, the same
    louder = dataclasses.replace(preset, integrated=preset.integrated + 2)
    assert cache_key(DIGEST, louder, formats) == ENTRY_PREFIX + key_for(DIGEST, settings_of(louder, formats))
    assert cache_key(DIGEST, louder, formats) != cache_key(DIGEST, preset, formats)
    assert cache_key(DIGEST, preset, chosen(["mp3"])) != cache_key(DIGEST, preset, formats)
    assert cache_key("cd" * 32, preset, formats) != cache_key(DIGEST, preset, formats)


def test_the_audio_cache_key_with_edits_is_not_the_memo(tmp_path: Path):
    preset, formats = presets.load("podcast"), chosen(None)
    cut = Edits(cuts=((1.0, 2.0),))
    assert cache_key(DIGEST, preset, formats, cut) != cache_key(DIGEST, preset, formats)
    settings = {**settings_of(preset, formats), "edits": cut.settings(lambda path: "")}
    assert cache_key(DIGEST, preset, formats, cut) == ENTRY_PREFIX + key_for(DIGEST, settings)
