"""Tags and chapters read back by mutagen, chapter times checked against the sound itself, and the loudness report.

One small podcast is built once by the real command line: a recording with 3 s
of room noise before the first word, and a second chapter that starts when the
second speaker starts talking. Dead air is cut, so the chapter must move by
exactly what was cut: silencedetect on the published MP3 says where that
speaker really starts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from mutagen.oggopus import OggOpus

from support.audio import voice
from support.cli import REPO, run_cli
from support.sound import ebur128
from support.sound import sound_starts

EPISODE = """---
title: "Essai de chapitres"
date: 2024-05-02T18:30:00+02:00
recording: enregistrement.flac
guid: 0b8a3c55-5d43-4e53-9d5b-2f4f0d3a1c11
summary: "Deux voix, une pause, deux chapitres."
license: "CC BY 4.0"
chapters:
  - start: "00:00:00"
    title: "Ouverture"
  - start: "00:00:09"
    title: "Deuxième voix"
    url: "https://example.org/deuxieme"
---
Notes.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    root = tmp_path_factory.mktemp("chapters")
    shutil.copy2(REPO / "podcast.yaml", root / "podcast.yaml")
    shutil.copy2(REPO / "cover.jpg", root / "cover.jpg")
    folder = root / "episodes" / "2024-05-02-essai"
    folder.mkdir(parents=True)
    (folder / "episode.md").write_text(EPISODE, encoding="utf-8")
    # Room noise, first voice from 3 s to 8 s, pause, second voice (quieter) from 9 s to 14 s, room noise to 17 s.
    expression = f"{voice(0)}*between(t,3,8)+0.4*{voice(1)}*between(t,9,14)+0.0005*sin(2*PI*50*t)"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"aevalsrc='{expression}':s=48000:d=17:c=mono",
                    "-af", "volume=-20dB", "-c:a", "flac", str(folder / "enregistrement.flac")], check=True)
    result = run_cli(root, "build", "--report")
    assert result.returncode == 0, result.stderr
    return root, result


def published(root: Path, extension: str) -> Path:
    return root / "site" / "media" / f"2024-05-02-essai.{extension}"


def test_mp3_chapters_are_read_back_at_the_right_times(built):
    root, _ = built
    mp3 = published(root, "mp3")
    tags = ID3(mp3)
    chapters = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert [c.sub_frames["TIT2"].text[0] for c in chapters] == ["Ouverture", "Deuxième voix"]
    assert chapters[0].start_time == 0
    second_voice = sound_starts(mp3)[1]  # after the silences before each voice
    assert abs(chapters[1].start_time / 1000 - second_voice) <= 0.15, (chapters[1].start_time, second_voice)
    assert chapters[0].end_time == chapters[1].start_time
    assert chapters[1].sub_frames.getall("WXXX")[0].url == "https://example.org/deuxieme"
    (toc,) = tags.getall("CTOC")
    assert toc.child_element_ids == [c.element_id for c in chapters]


def test_mp3_tag_table_is_written(built):
    root, _ = built
    tags = ID3(published(root, "mp3"))
    assert str(tags["TIT2"]) == "Essai de chapitres"
    assert str(tags["TALB"]) == "Halte au contrôle numérique — débats"
    assert str(tags["TDRC"]) == "2024-05-02"
    assert str(tags["TLAN"]) == "fra"
    assert str(tags["TCOP"]) == "CC BY 4.0"
    assert tags.getall("COMM")[0].text[0] == "Deux voix, une pause, deux chapitres."
    assert tags.getall("APIC")[0].data == (root / "site" / "cover.jpg").read_bytes()  # the feed's RGB JPEG


def test_opus_vorbis_comments_and_chapters(built):
    root, _ = built
    opus = OggOpus(published(root, "opus"))
    assert opus["TITLE"] == ["Essai de chapitres"]
    assert opus["CHAPTER001"] == ["00:00:00.000"] and opus["CHAPTER001NAME"] == ["Ouverture"]
    mp3_start = sorted(ID3(published(root, "mp3")).getall("CHAP"), key=lambda c: c.start_time)[1].start_time
    hours, minutes, seconds = opus["CHAPTER002"][0].split(":")
    assert abs(float(seconds) + 60 * int(minutes) - mp3_start / 1000) < 0.002
    assert opus["CHAPTER002URL"] == ["https://example.org/deuxieme"]
    assert "METADATA_BLOCK_PICTURE" in opus


def test_loudness_report_is_printed_and_drawn(built):
    root, result = built
    (line,) = [l for l in result.stdout.splitlines() if l.startswith("2024-05-02-essai:")]
    assert "LUFS" in line and "dead air cut" in line
    # the figures of each published file are those an independent meter reads on that file
    for extension in ("mp3", "opus"):
        said = re.search(extension.upper() + r" file: (-?[\d.]+) LUFS, peak (-?[\d.]+) dBTP", line)
        assert said, line
        measured = ebur128(published(root, extension))
        assert abs(float(said.group(1)) - measured["I"]) <= 0.15 and abs(float(said.group(2)) - measured["Peak"]) <= 0.15, (line, measured)
    svg_path = root / "site" / "episodes" / "2024-05-02-essai" / "loudness.svg"
    svg = ET.parse(svg_path).getroot()
    namespace = "{http://www.w3.org/2000/svg}"
    lines = svg.findall(f"{namespace}polyline")
    assert len(lines) == 2 and all(len(l.get("points").split()) >= 4 for l in lines)
    text = svg_path.read_text(encoding="utf-8")
    assert text.count("http") == 1, "no URL but the SVG namespace"
    assert "silence coupé" in text  # the podcast speaks French


def test_ffprobe_lists_chapters_in_time_order_whatever_their_size(tmp_path):
    """mutagen writes frames sorted by size: the long first title used to come last."""
    from pipeline.media.tags import ChapterMark, Tags, write_mp3_tags, write_opus_tags

    titles = ["Ouverture : une très longue introduction de la soirée par le collectif", "Q", "Débat", "Fin"]
    chapters = [ChapterMark(start=i * 2.0, end=(i + 1) * 2.0, title=t) for i, t in enumerate(titles)]
    for extension, codec in (("mp3", "libmp3lame"), ("opus", "libopus")):
        path = tmp_path / f"a.{extension}"
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=d=8", "-c:a", codec, str(path)], check=True)
        (write_mp3_tags if extension == "mp3" else write_opus_tags)(path, Tags("t", "a", "b", "2024", chapters=chapters))
        result = subprocess.run(["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(path)],
                                capture_output=True, text=True, check=True)
        import json

        listed = json.loads(result.stdout)["chapters"]
        assert [c["tags"]["title"] for c in listed] == titles, extension
        assert [round(float(c["start_time"]), 2) for c in listed] == [0.0, 2.0, 4.0, 6.0], extension
