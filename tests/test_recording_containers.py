"""A recording is audio, nothing else: playlists and manifests are refused, whichever ffmpeg runs.

HLS, ffconcat, DASH and SDP files make ffmpeg open other files or URLs. Each
is written three ways (named .mp3, named .wav, with its own extension), with
and without bytes that are not text, each pointing to a recording beside the
podcast folder. `check` and `build` must refuse every one, with the bundled
ffmpeg and with Debian's (PORTEVOIX_FFMPEG=/usr/bin/ffmpeg). Below the command
line, the input arguments every ffmpeg call uses must refuse them too, while
ffmpeg left to itself does read the recording elsewhere (the attack is real).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from corpus.folders import PLAYLIST_KINDS, Materials, front, make_case_folder, playlist
from corpus.run import english_environment, run_portevoix
from pipeline.audio.containers import demuxer_for, input_args
from pipeline.audio.tools import processing_ffmpeg

OWN_EXTENSION = {"hls": "m3u8", "ffconcat": "ffconcat", "dash": "mpd", "sdp": "sdp"}
PLAYLIST_LINE = "is a playlist or a streaming manifest (it points to other files), not a recording: name the audio file itself"
SYSTEM_FFMPEG = "/usr/bin/ffmpeg"


def ffmpegs() -> list[str]:
    found = [processing_ffmpeg() or shutil.which("ffmpeg")]
    if Path(SYSTEM_FFMPEG).exists() and SYSTEM_FFMPEG not in found:
        found.append(SYSTEM_FFMPEG)
    return [f for f in found if f]


def variants() -> list[tuple[str, str, bool]]:
    return [(kind, ext, binary) for kind in PLAYLIST_KINDS for ext in ("mp3", "wav", OWN_EXTENSION[kind]) for binary in (False, True)]


@pytest.fixture(scope="module")
def hostile_podcast(tmp_path_factory) -> tuple[Path, Path, list[str]]:
    """A podcast with one episode per variant; returns (folder, the recording outside it, the expected lines)."""
    base = tmp_path_factory.mktemp("containers")
    materials = Materials(base / "materials")
    secret = base / "outside" / "secret.wav"
    secret.parent.mkdir()
    shutil.copy2(materials.get("tone.wav"), secret)
    files: dict[str, object] = {"episodes/2024-03-20-debat/episode.md": None, "episodes/2024-03-20-debat/enregistrement.wav": None}
    expected = []
    for number, (kind, ext, binary) in enumerate(variants(), start=1):
        folder = f"episodes/2024-04-{number:02d}-{kind}-{ext}{'-bin' if binary else ''}"
        name = f"enregistrement.{ext}"
        files[f"{folder}/episode.md"] = front(recording=name, guid=f"0b8e2a4c-bbbb-4000-8000-{number:012d}")
        files[f"{folder}/{name}"] = playlist(kind, secret, binary)
        expected.append(f'{folder}/episode.md: recording: "{name}": {PLAYLIST_LINE}')
    root = make_case_folder(base / "podcast", files, materials)
    (root / "episodes/2024-03-20-debat").rmdir()
    return root, secret, sorted(expected)


@pytest.mark.parametrize("ffmpeg", ffmpegs())
def test_check_and_build_refuse_every_playlist_with_each_ffmpeg(hostile_podcast, ffmpeg):
    root, _, expected = hostile_podcast
    env = english_environment()
    env["PORTEVOIX_FFMPEG"] = ffmpeg
    for command in ("check", "build"):
        result = run_portevoix(root, command, env=env)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert sorted(result.stderr.splitlines()) == expected, command
    assert not (root / "site").exists()


@pytest.mark.parametrize("ffmpeg", ffmpegs())
@pytest.mark.parametrize("kind", ["hls", "ffconcat"])
def test_the_input_arguments_open_the_playlist_file_and_nothing_else(tmp_path, ffmpeg, kind):
    secret = tmp_path / "outside.mp3"
    subprocess.run([ffmpeg, "-v", "error", "-f", "lavfi", "-i", "sine=f=440:d=3", "-c:a", "libmp3lame", str(secret)], check=True)
    decode = [ffmpeg, "-hide_banner", "-nostdin", "-v", "error"]
    own = tmp_path / f"list.{OWN_EXTENSION[kind]}"
    own.write_bytes(playlist(kind, secret))
    # ffmpeg left to itself reads the recording the playlist points to: three seconds of sound come out.
    unguarded = subprocess.run([*decode, *(["-safe", "0"] if kind == "ffconcat" else []), "-i", str(own), "-f", "wav", "-"], capture_output=True)
    assert unguarded.returncode == 0 and len(unguarded.stdout) > 2 * 44100 * 2, unguarded.stderr[-300:]
    for ext in ("mp3", "wav", OWN_EXTENSION[kind]):
        hostile = tmp_path / f"rec-{kind}.{ext}"
        hostile.write_bytes(playlist(kind, secret))
        # With the probing arguments the playlist's demuxer is not allowed at all ("Format not on whitelist").
        probing = subprocess.run([*decode, *input_args(hostile, None), "-f", "wav", "-"], capture_output=True, text=True)
        assert probing.returncode != 0 and probing.stdout == "", probing.stderr
        # Forced to read it as an audio container (what later passes do), it is only the bytes of this file.
        forced = subprocess.run([*decode, *input_args(hostile, "mp3" if ext != "wav" else "wav"), "-f", "wav", "-"], capture_output=True)
        assert forced.returncode != 0 or len(forced.stdout) < 44100


def test_ffprobe_refuses_the_playlists_with_the_probing_arguments(tmp_path):
    secret = tmp_path / "outside.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=d=3", str(secret)], check=True)
    for kind, ext, binary in variants():
        hostile = tmp_path / f"{kind}-{binary}.{ext}"
        hostile.write_bytes(playlist(kind, secret, binary))
        result = subprocess.run(["ffprobe", "-v", "error", "-show_format", *input_args(hostile, None)], capture_output=True, text=True)
        assert result.returncode != 0, (kind, ext, binary, result.stdout)
        assert "format_name" not in result.stdout


@pytest.mark.parametrize("name,demuxer", [
    ("wav", "wav"), ("mov,mp4,m4a,3gp,3g2,mj2", "mov"), ("matroska,webm", "matroska"), ("ogg", "ogg"), ("mp3", "mp3"),
    ("hls", None), ("concat", None), ("dash", None), ("sdp", None), ("image2", None), ("png_pipe", None), ("", None),
])
def test_only_audio_containers_get_a_demuxer(name, demuxer):
    assert demuxer_for(name) == demuxer


def test_a_recording_that_is_a_device_has_its_own_message(tmp_path):
    root = make_case_folder(tmp_path / "podcast", {}, Materials(tmp_path / "materials"))
    recording = root / "episodes/2024-03-20-debat/enregistrement.wav"
    recording.unlink()
    try:
        import os

        os.mknod(recording, 0o600 | 0o020000, os.makedev(1, 3))  # a character device, like /dev/null
    except PermissionError:
        pytest.skip("making a device needs root")
    result = run_portevoix(root, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        'episodes/2024-03-20-debat/episode.md: recording: "enregistrement.wav" is a device, not a regular file: put the file itself in the folder'
    ]
