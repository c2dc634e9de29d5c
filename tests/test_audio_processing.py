"""Leveling, trimming, mono detection, silence and the cache, checked by measuring the files made."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest
from mutagen.mp3 import MP3
from mutagen.oggopus import OggOpus

from support.audio import make_recording, voice
from support.sound import ebur128
from pipeline import presets
from pipeline.audio import AudioError, process
from pipeline.audio.cache import AudioCache
from pipeline.audio.probe import probe
from support.sound import sound_starts

PODCAST = presets.load("podcast")


def run(source: Path, cache_root: Path, preset=PODCAST):
    # The audio stage guards itself: it is given the file's description without the probe's sound check.
    return process(source, probe(source, decode=False), preset, AudioCache(cache_root))


@pytest.fixture(scope="module")
def two_speakers(tmp_path_factory) -> dict[str, Path]:
    """A near speaker and one 15 dB quieter, taking turns every 4 s, processed with the leveler off, gentle and strong."""
    folder = tmp_path_factory.mktemp("speakers")
    turns = "if(lt(mod(t,8),4),1,0.178)"  # 0.178 = -15 dB
    source = make_recording(folder / "debate.wav", seconds=32, volume_db=-20, expressions=[f"{voice(0)}*{turns}"])
    return {
        name: run(source, folder, dataclasses.replace(PODCAST, leveler=name)).mp3
        for name in ("off", "gentle", "strong")
    }


def test_the_leveler_narrows_the_loudness_range_step_by_step(two_speakers):
    meters = {name: ebur128(path) for name, path in two_speakers.items()}  # each file measured once
    lra = {name: measured["LRA"] for name, measured in meters.items()}
    assert lra["off"] >= 10, lra
    assert lra["gentle"] <= lra["off"] - 3, lra
    assert lra["strong"] <= lra["gentle"] - 2, lra
    for measured in meters.values():
        assert abs(measured["I"] - -16.0) <= 0.5 and measured["Peak"] <= -1.0, measured


def test_gentle_leveler_lowers_the_lra_of_the_demo_debates_by_3_lu(demo_build):
    for folder in sorted((demo_build / "episodes").iterdir()):
        recording = next(folder.glob("enregistrement.*"))
        published = demo_build / "site" / "media" / f"{folder.name}.mp3"
        before, after = ebur128(recording), ebur128(published)
        assert after["LRA"] <= before["LRA"] - 3.0, (folder.name, before, after)


def test_dead_air_is_cut_keeping_a_short_pad(tmp_path):
    source = make_recording(tmp_path / "late-start.flac", seconds=5, lead=4, trail=6, codec=["-c:a", "flac"])
    audio = run(source, tmp_path)
    length = MP3(audio.mp3).info.length
    assert 5.4 <= length <= 6.8, length  # 5 s of sound and about half a second of room on each side
    assert abs(OggOpus(audio.opus).info.length - length) < 0.1
    (start, *_) = sound_starts(audio.mp3)
    assert 0.2 <= start <= 1.0, start
    assert abs(audio.trim_start - (4.0 - start)) < 0.15, "trim_start says how far every time moved"


def test_stereo_with_identical_channels_is_published_in_mono(tmp_path):
    same = voice(0)
    audio = run(make_recording(tmp_path / "desk.wav", channels=2, expressions=[same, same]), tmp_path)
    assert MP3(audio.mp3).info.channels == 1
    measured = ebur128(audio.mp3)
    assert abs(measured["I"] - -16.0) <= 0.5 and measured["Peak"] <= -1.0, measured


def test_stereo_with_one_dead_channel_keeps_the_live_one(tmp_path):
    audio = run(make_recording(tmp_path / "one-mic.wav", channels=2, expressions=["0", voice(1)]), tmp_path)
    assert MP3(audio.mp3).info.channels == 1
    measured = ebur128(audio.mp3)
    assert abs(measured["I"] - -16.0) <= 0.5, measured


def test_mono_speech_preset_downmixes_to_its_own_target(tmp_path):
    audio = run(make_recording(tmp_path / "room.wav", channels=2), tmp_path, presets.load("speech-mono"))
    assert MP3(audio.mp3).info.channels == 1
    assert OggOpus(audio.opus).info.channels == 1
    for path in (audio.mp3, audio.opus):
        measured = ebur128(path)
        assert abs(measured["I"] - -19.0) <= 0.5 and measured["Peak"] <= -1.0, measured


def test_a_silent_recording_says_no_sound_found_and_leaves_nothing(tmp_path):
    source = tmp_path / "silence.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo", "-t", "5", str(source)], check=True)
    with pytest.raises(AudioError, match="no sound found"):
        run(source, tmp_path)
    leftovers = [p for p in (tmp_path / ".cache").rglob("*") if p.is_file()]
    assert leftovers == []


def test_the_cache_is_reused_until_the_bytes_or_the_settings_change(tmp_path):
    source = make_recording(tmp_path / "talk.wav", seconds=3)
    first = run(source, tmp_path)
    again = run(source, tmp_path)
    assert again.from_cache and again.mp3 == first.mp3
    other = run(source, tmp_path, dataclasses.replace(PODCAST, leveler="strong"))
    assert not other.from_cache and other.mp3 != first.mp3


def test_the_leveler_is_chosen_in_podcast_yaml_or_per_episode(tmp_path):
    from support.podcasts import copy_demo
    from pipeline.source.load import load_podcast

    root = copy_demo(tmp_path / "demo")
    config = root / "podcast.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "audio_leveler: strong\n", encoding="utf-8")
    page = next((root / "episodes").glob("2017*/episode.md"))
    page.write_text(page.read_text(encoding="utf-8").replace("recording:", "audio_leveler: off\nrecording:", 1), encoding="utf-8")
    levelers = {e.slug[:4]: e.preset.leveler for e in load_podcast(root).episodes}
    assert levelers == {"2017": "off", "2024": "strong"}


def test_a_file_still_off_target_after_the_last_pass_is_said_in_the_warnings(tmp_path):
    """A ceiling under the target (-17 dBTP for -16 LUFS) cannot be met: the build publishes what the last pass
    made and says so, with the figures the file really measures (ebur128), not silently."""
    source = make_recording(tmp_path / "talk.wav", seconds=8, volume_db=-20)
    impossible = dataclasses.replace(PODCAST, true_peak=-17.0)
    audio = run(source, tmp_path, impossible)
    measured = ebur128(audio.mp3)
    assert measured["I"] < -16.5, measured  # really off the target
    (line,) = [w for w in audio.warnings if w.startswith("the published mp3 file")]
    said = float(re.search(r"measures (-?[0-9.]+) LUFS", line).group(1))
    assert abs(said - measured["I"]) <= 0.15, (line, measured)
    assert "-16.0 LUFS, ceiling -17.0 dBTP" in line, line
