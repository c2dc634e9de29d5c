"""Every kind of recording ffmpeg reads comes out on target, measured by an independent meter.

Each input is generated here by ffmpeg (a few seconds), processed once by the
audio stage (module fixture), then its MP3 and Opus are measured with the system
ffmpeg's ebur128 filter and read by mutagen/ffprobe: never the stage's own numbers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mutagen.mp3 import MP3
from mutagen.oggopus import OggOpus

from support.audio import make_recording, probe_stream
from support.sound import ebur128
from pipeline import presets
from pipeline.audio import process
from pipeline.audio.cache import AudioCache
from pipeline.audio.probe import probe

TARGET, CEILING, TOLERANCE = -16.0, -1.0, 0.5

INPUTS = {
    # name: (make_recording arguments, channels expected in the output)
    "wav-16bit-mono": ({"codec": ["-c:a", "pcm_s16le"], "suffix": ".wav"}, 1),
    "wav-24bit-stereo-48k": ({"channels": 2, "rate": 48000, "codec": ["-c:a", "pcm_s24le"], "suffix": ".wav"}, 2),
    "wav-32bit-float-stereo": ({"channels": 2, "codec": ["-c:a", "pcm_f32le"], "suffix": ".wav"}, 2),
    "flac-stereo": ({"channels": 2, "codec": ["-c:a", "flac"], "suffix": ".flac"}, 2),
    "mp3-stereo": ({"channels": 2, "codec": ["-c:a", "libmp3lame", "-b:a", "192k"], "suffix": ".mp3"}, 2),
    "m4a-aac-stereo": ({"channels": 2, "codec": ["-c:a", "aac", "-b:a", "128k"], "suffix": ".m4a"}, 2),
    "ogg-vorbis-mono": ({"codec": ["-c:a", "libvorbis", "-q:a", "4"], "suffix": ".ogg"}, 1),
    "telephone-8khz-mono": ({"rate": 8000, "codec": ["-c:a", "pcm_s16le"], "suffix": ".wav"}, 1),
    "wav-96khz-24bit-stereo": ({"channels": 2, "rate": 96000, "codec": ["-c:a", "pcm_s24le"], "suffix": ".wav"}, 2),
    "surround-5.1-flac": ({"channels": 6, "rate": 48000, "codec": ["-c:a", "flac"], "suffix": ".flac"}, 2),
    "quiet-far-microphone-mono": ({"volume_db": -42.0, "codec": ["-c:a", "pcm_s16le"], "suffix": ".wav"}, 1),
    "hot-clipping-stereo": ({"channels": 2, "volume_db": 0.0, "codec": ["-c:a", "pcm_s16le"], "suffix": ".wav"}, 2),
}


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> dict[str, tuple[Path, object]]:
    folder = tmp_path_factory.mktemp("inputs")
    cache = AudioCache(folder)
    preset = presets.load("podcast")
    results = {}
    for name, (options, _) in INPUTS.items():
        options = dict(options)
        source = make_recording(folder / f"{name}{options.pop('suffix')}", **options)
        original = source.read_bytes()
        results[name] = (source, process(source, probe(source), preset, cache), original)
    return results


@pytest.mark.parametrize("name", INPUTS)
def test_mp3_and_opus_reach_the_target_under_the_ceiling(processed, name):
    _, audio, _ = processed[name]
    for path in (audio.mp3, audio.opus):
        measured = ebur128(path)
        assert abs(measured["I"] - TARGET) <= TOLERANCE, (name, path.name, measured)
        assert measured["Peak"] <= CEILING, (name, path.name, measured)


@pytest.mark.parametrize("name", INPUTS)
def test_channels_rate_and_length(processed, name):
    source, audio, _ = processed[name]
    expected_channels = INPUTS[name][1]
    mp3 = MP3(audio.mp3)
    assert mp3.info.channels == expected_channels
    assert mp3.info.sample_rate == 44100
    assert OggOpus(audio.opus).info.channels == expected_channels
    # Nothing to trim in these recordings: the published audio lasts as long as the recording.
    assert abs(mp3.info.length - probe_stream(source)["duration"]) < 0.2, (mp3.info.length, name)


@pytest.mark.parametrize("name", INPUTS)
def test_the_recording_is_never_written_to(processed, name):
    source, _, original = processed[name]
    assert source.read_bytes() == original
