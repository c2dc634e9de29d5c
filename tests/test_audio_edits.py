"""Cuts and intro/outro jingles: the published duration and every time that moves with them, checked on the sound.

One podcast is built once by the real command line: a first voice, a long break (cut out), a second voice
where the second chapter starts, an intro and an outro jingle of known lengths. silencedetect on the published
MP3 says where the second voice really starts; ID3 chapters, JSON chapters and the page must say the same.
A soundbite that starts one second before the second voice becomes a clip of its own (MP3 and Opus): the voice
must start one second into it, whatever the cut and the intro did to the episode's times.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from mutagen.id3 import ID3

from support.audio import probe_stream, voice
from support.cli import REPO, run_cli
from support.sound import ebur128
from support.sound import sound_starts

SLUG = "2024-06-01-coupes"
EPISODE = """---
title: "Essai de coupes"
date: 2024-06-01T18:30:00+02:00
recording: enregistrement.flac
guid: 5d1f0c2e-8a77-4b7e-9c7e-2f0a5c1d9e01
summary: "Une voix, une pause coupée, une deuxième voix."
license: "CC BY 4.0"
chapters:
  - start: "00:00:00"
    title: "Ouverture"
  - start: "00:00:20"
    title: "Deuxième voix"
cuts:
  - start: "00:00:07"
    end: "00:00:19"
soundbites:
  - start: "00:00:19"
    duration: 4
    title: "La deuxième voix"
---
Notes.
"""
INTRO, OUTRO = 3.0, 2.0
RECORDING = 26.0
CUT = 12.0


def tone(path: Path, seconds: float, hz: int) -> Path:
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"sine=f={hz}:d={seconds}:r=48000", "-af", "volume=-12dB",
                    "-ac", "2", "-c:a", "flac", str(path)], check=True)
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("edits")
    config = (REPO / "podcast.yaml").read_text(encoding="utf-8") + "\nintro: jingle-debut.flac\noutro: jingle-fin.flac\n"
    (root / "podcast.yaml").write_text(config, encoding="utf-8")
    shutil.copy2(REPO / "cover.jpg", root / "cover.jpg")
    tone(root / "jingle-debut.flac", INTRO, 660)
    tone(root / "jingle-fin.flac", OUTRO, 440)
    folder = root / "episodes" / SLUG
    folder.mkdir(parents=True)
    (folder / "episode.md").write_text(EPISODE, encoding="utf-8")
    # voice 0.3-6 s; the break (a murmur to cut) 8-18 s; second voice 20-25.5 s; quiet room under all of it
    expression = (f"{voice(0)}*between(t,0.3,6)+0.3*{voice(2)}*between(t,8,18)+{voice(1)}*between(t,20,25.5)"
                  "+0.0005*sin(2*PI*50*t)")
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"aevalsrc='{expression}':s=48000:d={RECORDING}:c=mono",
                    "-af", "volume=-20dB", "-c:a", "flac", str(folder / "enregistrement.flac")], check=True)
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    return root


def expected_second_voice() -> float:
    """In the published audio: the intro less its crossfade, then the recording less the cut and the join's crossfade."""
    return (INTRO - 0.5) + (20.0 - CUT - 0.05)


def test_published_duration_is_the_recording_less_the_cut_plus_the_jingles(built):
    expected = (INTRO - 0.5) + (RECORDING - CUT - 0.05) + (OUTRO - 0.5)
    for extension in ("mp3", "opus"):
        duration = probe_stream(built / "site" / "media" / f"{SLUG}.{extension}")["duration"]
        # MP3 frames and Opus pre-skip: the container rounds to its frame (26 ms / 20 ms)
        assert abs(duration - expected) <= 0.05, (extension, duration, expected)


def test_chapters_fall_where_the_second_voice_starts(built):
    mp3 = built / "site" / "media" / f"{SLUG}.mp3"
    starts = sound_starts(mp3)
    second_voice = min(starts, key=lambda s: abs(s - expected_second_voice()))
    assert abs(second_voice - expected_second_voice()) <= 0.15, (starts, expected_second_voice())
    chapters = sorted(ID3(mp3).getall("CHAP"), key=lambda c: c.start_time)
    assert abs(chapters[1].start_time / 1000 - second_voice) <= 0.15, (chapters[1].start_time, second_voice)
    assert chapters[0].start_time == round((INTRO - 0.5) * 1000)  # the first chapter moves with the intro too
    document = json.loads((built / "site" / "media" / f"{SLUG}.chapters.json").read_text(encoding="utf-8"))
    assert abs(document["chapters"][1]["startTime"] - second_voice) <= 0.15, document
    page = (built / "site" / "episodes" / SLUG / "index.html").read_text(encoding="utf-8")
    fragments = [int(t) for t in re.findall(rf"{SLUG}\.mp3#t=(\d+)", page)]
    assert int(chapters[1].start_time / 1000) in fragments, fragments


def test_the_jingles_are_at_the_programme_loudness_and_the_whole_on_target(built):
    mp3 = built / "site" / "media" / f"{SLUG}.mp3"
    measured = ebur128(mp3)
    assert abs(measured["I"] - -16.0) <= 0.5 and measured["Peak"] <= -1.0, measured
    intro = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", str(mp3), "-af", f"atrim=0.2:{INTRO - 0.7},ebur128",
                            "-f", "null", "-"], capture_output=True, text=True, check=True).stderr
    level = float(intro[intro.rfind("Summary:"):].split("I:")[1].split("LUFS")[0])
    assert abs(level - -16.0) <= 2.0, level


def test_a_cut_that_ends_before_it_starts_is_reported(tmp_path):
    root = tmp_path
    shutil.copy2(REPO / "podcast.yaml", root / "podcast.yaml")
    shutil.copy2(REPO / "cover.jpg", root / "cover.jpg")
    folder = root / "episodes" / SLUG
    folder.mkdir(parents=True)
    text = EPISODE.replace('end: "00:00:19"', 'end: "00:00:05"')
    (folder / "episode.md").write_text(text, encoding="utf-8")
    tone(folder / "enregistrement.flac", 10, 300)
    result = run_cli(root, "check")
    assert result.returncode != 0
    assert f"episodes/{SLUG}/episode.md: cuts[1].end: is not after its start" in result.stderr + result.stdout, result.stderr


SOUNDBITE_LEAD = 1.0
"""The soundbite starts at 00:00:19 in the recording, the second voice at 00:00:20."""


def test_soundbite_clips_start_where_the_soundbite_does_at_the_episode_loudness(built):
    site = built / "site"
    episode = site / "media" / f"{SLUG}.mp3"
    at = expected_second_voice() - SOUNDBITE_LEAD  # where the clip comes from in the published episode
    page = (site / "episodes" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "Extraits à partager" in page and "La deuxième voix" in page
    for extension in ("mp3", "opus"):
        clip = site / "media" / f"{SLUG}.extrait-1.{extension}"
        assert f"media/{SLUG}.extrait-1.{extension}" in page
        duration = probe_stream(clip)["duration"]
        assert abs(duration - 4.0) <= 0.06, (extension, duration)
        starts = sound_starts(clip)
        assert starts and abs(starts[0] - SOUNDBITE_LEAD) <= 0.06, (extension, starts)
        measured = ebur128(clip)
        assert measured["Peak"] <= -1.0, (extension, measured)
        # the voice in the clip is as loud as the same stretch of the episode (same gain, no normalising of its own)
        window = (SOUNDBITE_LEAD + 0.3, 3.5)
        in_clip = stretch_loudness(clip, *window)
        in_episode = stretch_loudness(episode, at + window[0], at + window[1])
        assert abs(in_clip - in_episode) <= 1.0, (extension, in_clip, in_episode)


def stretch_loudness(path: Path, start: float, end: float) -> float:
    result = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-af", f"atrim={start:.3f}:{end:.3f},ebur128",
                             "-f", "null", "-"], capture_output=True, text=True, check=True).stderr
    return float(result[result.rfind("Summary:"):].split("I:")[1].split("LUFS")[0])


def test_soundbite_clips_are_not_made_again_when_nothing_they_come_from_changed(built):
    """Notes edited: the build runs, but its clips come from the cache (same files, not written again)."""
    clips = sorted(p for p in (built / ".cache" / "portevoix" / "clips").iterdir() if p.suffix in (".mp3", ".opus"))
    assert {p.suffix for p in clips} == {".mp3", ".opus"}, clips
    before = {p: p.stat().st_mtime_ns for p in clips}
    episode = built / "episodes" / SLUG / "episode.md"
    episode.write_text(episode.read_text(encoding="utf-8").replace("Notes.", "Notes, relues."), encoding="utf-8")
    result = run_cli(built, "build")
    assert result.returncode == 0, result.stderr
    assert "0 recordings processed" in result.stdout, result.stdout
    assert {p: p.stat().st_mtime_ns for p in clips} == before
    assert "relues" in (built / "site" / "episodes" / SLUG / "index.html").read_text(encoding="utf-8")


def test_a_cut_at_either_end_of_the_recording_is_left_out(tmp_path):
    """A cut from 00:00:00 (or up to the end) leaves one stretch: it is a trim point (the studio writes its trim
    points so), not ignored. The published length is measured by ffprobe, the pitch left by a band meter."""
    from pipeline import presets
    from pipeline.audio import process
    from pipeline.audio.cache import AudioCache
    from pipeline.audio.edits import Edits
    from pipeline.audio.probe import probe

    recording = tmp_path / "deux-tons.flac"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=f=300:d=4:r=48000", "-f", "lavfi", "-i", "sine=f=2000:d=4:r=48000",
                    "-filter_complex", "[0:a][1:a]concat=n=2:v=0:a=1,volume=-12dB", "-c:a", "flac", str(recording)], check=True)
    info = probe(recording, decode=False)
    preset = presets.load("podcast")
    for cut, kept_hz, gone_hz in (((0.0, 4.0), 2000, 300), ((4.0, 8.0), 300, 2000)):
        audio = process(recording, info, preset, AudioCache(tmp_path / f"cache-{cut[0]}"), edits=Edits(cuts=(cut,)))
        assert abs(probe_stream(audio.mp3)["duration"] - 4.0) < 0.15, cut
        levels = {}
        for hz in (kept_hz, gone_hz):
            log = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", str(audio.mp3), "-af",
                                  f"bandpass=f={hz}:width_type=h:w=100,astats=measure_overall=RMS_level:measure_perchannel=none",
                                  "-f", "null", "-"], capture_output=True, text=True, check=True).stderr
            levels[hz] = float(re.findall(r"RMS level dB: (-?[\d.]+|-inf)", log)[-1].replace("-inf", "-200"))
        assert levels[kept_hz] - levels[gone_hz] > 12, (cut, levels)  # a tone a band meter picks up 20 dB down in the other
