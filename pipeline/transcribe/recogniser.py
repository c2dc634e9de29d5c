"""Speech recognition with faster-whisper (CTranslate2), on a stream of audio.

The processed audio is decoded by ffmpeg to 16 kHz mono and read in blocks of
`BLOCK_SECONDS`; each block ends at its quietest moment near the end, so that no
word is cut in two, and the rest goes on into the next one. Memory stays flat
whatever the length of the recording: one block of samples and the model.
The voice activity filter of faster-whisper skips what is not speech, so that
silence and noise do not make the model invent text.

faster-whisper is imported here only: everything else in portevoix works without it.
"""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.audio.containers import input_args
from pipeline.source.cues import Word
from pipeline.i18n import say

if TYPE_CHECKING:  # numpy comes with faster-whisper, the optional extra: imported where it is used
    import numpy as np

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
BLOCK_SECONDS = 300.0
"""Seconds of audio given to the model at once."""
SEAM_SEARCH = 15.0
"""A block ends at the quietest 0.1 s in its last this many seconds."""
MODEL_FILE = "model.bin"
FRAME = 0.01
"""Seconds of one frame of the sound envelope that word times are checked against."""
SILENCE_DBFS = -50.0
"""Below this, a frame holds no speech: a word's start or end that falls there moves to the sound."""


class RecogniserError(ValueError):
    """Speech recognition cannot run here; the message says what to do."""


@dataclass(frozen=True)
class ModelChoice:
    """The model of podcast.yaml: a name faster-whisper downloads (tiny, base, small…) or a local folder."""

    spec: str
    folder: Path | None
    """The local folder, when the model is given by path."""
    download_root: Path
    """Where models given by name are kept (downloaded once, when the machine is online)."""

    @property
    def identity(self) -> str:
        """What the transcription cache knows the model by."""
        return str(self.folder) if self.folder else self.spec


def choose_model(spec: str, root: Path, download_root: Path) -> ModelChoice:
    """A name (no slash) is a model to download; anything else is a folder, relative to the podcast folder."""
    looks_like_path = "/" in spec or spec.startswith((".", "~"))
    if not looks_like_path:
        return ModelChoice(spec, None, download_root)
    folder = (root / Path(spec).expanduser()).resolve()
    return ModelChoice(spec, folder, download_root)


def check_model(choice: ModelChoice) -> None:
    """What can be known before any work: faster-whisper is installed, a model folder holds a model."""
    try:
        import faster_whisper  # noqa: F401
    except ImportError:
        raise RecogniserError(say("transcribe_needs_package")) from None
    if choice.folder is not None and not (choice.folder / MODEL_FILE).is_file():
        raise RecogniserError(say("model_folder_missing", folder=choice.folder))


def load_model(choice: ModelChoice, device: str = "auto"):
    """The faster-whisper model, int8 on the CPU, float16 on a CUDA GPU when there is one."""
    check_model(choice)
    from faster_whisper import WhisperModel

    device = default_device() if device == "auto" else device
    compute_type = "float16" if device == "cuda" else "int8"
    if choice.folder is not None:
        source = str(choice.folder)
        options: dict = {}
    else:
        source = choice.spec
        options = {"download_root": str(choice.download_root)}
    try:
        if choice.folder is None:
            try:  # already downloaded: no network needed
                return WhisperModel(source, device=device, compute_type=compute_type, local_files_only=True, **options)
            except Exception as exc:
                log.info("model %s not in %s (%s), downloading it", source, choice.download_root, exc)
        return WhisperModel(source, device=device, compute_type=compute_type, **options)
    except Exception as exc:
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        if choice.folder is not None:
            raise RecogniserError(say("model_unloadable", model=choice.folder, reason=reason)) from None
        raise RecogniserError(say("model_unavailable", model=choice.spec, folder=choice.download_root)) from None


def pcm_blocks(path: Path) -> Iterator[tuple[float, np.ndarray]]:
    """(offset in seconds, float32 samples) blocks of the audio at 16 kHz mono, each ending at a quiet moment."""
    import numpy as np

    block = int(BLOCK_SECONDS * SAMPLE_RATE)
    # The recording is opened as audio only, reading that file and nothing else (see audio/containers.py).
    command = ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", *input_args(path, None), "-map", "0:a:0",
               "-ac", "1", "-ar", str(SAMPLE_RATE), "-f", "f32le", "-"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    carry = np.zeros(0, dtype=np.float32)
    offset = 0.0
    try:
        while True:
            data = process.stdout.read((block - len(carry)) * 4)
            samples = np.concatenate([carry, np.frombuffer(data[: len(data) // 4 * 4], dtype=np.float32)])
            if not data or len(samples) < block:
                if len(samples):
                    yield offset, samples
                break
            cut = quiet_point(samples)
            yield offset, samples[:cut]
            offset += cut / SAMPLE_RATE
            carry = samples[cut:].copy()
    finally:
        process.stdout.close()
        error = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
        if process.wait() != 0 and error:
            raise RecogniserError(f"{path.name}: ffmpeg cannot read the audio: {error.strip().splitlines()[-1]}")


def quiet_point(samples: np.ndarray) -> int:
    """The index of the middle of the quietest 0.1 s in the last SEAM_SEARCH seconds of `samples`."""
    import numpy as np

    window = SAMPLE_RATE // 10
    tail_start = max(0, len(samples) - int(SEAM_SEARCH * SAMPLE_RATE))
    tail = samples[tail_start : tail_start + (len(samples) - tail_start) // window * window]
    if len(tail) < window:
        return len(samples)
    energy = np.square(tail.reshape(-1, window).astype(np.float64)).mean(axis=1)
    return tail_start + int(np.argmin(energy)) * window + window // 2


def envelope(samples: np.ndarray) -> np.ndarray:
    """The level of each FRAME of `samples`, in dBFS."""
    import numpy as np

    size = int(FRAME * SAMPLE_RATE)
    count = len(samples) // size
    power = np.square(samples[: count * size].reshape(count, size).astype(np.float64)).mean(axis=1)
    return 10 * np.log10(np.maximum(power, 1e-12))


def snap(words: list[Word], level: np.ndarray) -> list[Word]:
    """Word times moved off silence onto the sound: the model places the edges of words only roughly
    (often the end of the last word of a sentence well into the pause after it)."""
    snapped = []
    for word in words:
        first, last = int(word.start / FRAME), min(len(level), round(word.end / FRAME))
        loud = [i for i in range(first, last) if level[i] > SILENCE_DBFS]
        if loud:
            start, end = loud[0] * FRAME, (loud[-1] + 1) * FRAME
            snapped.append(Word(round(max(word.start, start), 3), round(min(word.end, end), 3), word.text))
        else:
            snapped.append(word)
    return snapped


def recognise(model, path: Path, language: str | None, on_time: Callable[[float], None] | None = None) -> list[Word]:
    """Every word heard in the audio file, with its time in that file."""
    import numpy as np

    words: list[Word] = []
    levels = []
    for offset, samples in pcm_blocks(path):
        levels.append(envelope(samples))
        # Each 30-second window is decoded on its own, not conditioned on the text before it: conditioned,
        # whisper skips or repeats whole sentences in long recordings (measured in bench/RESULTS.md).
        segments, _info = model.transcribe(
            samples, language=language, vad_filter=True, word_timestamps=True, condition_on_previous_text=False
        )
        for segment in segments:
            for word in segment.words or []:
                words.append(Word(round(offset + word.start, 3), round(offset + word.end, 3), word.word.strip()))
            if on_time:
                on_time(offset + segment.end)
        if on_time:
            on_time(offset + len(samples) / SAMPLE_RATE)
    return snap(words, np.concatenate(levels) if levels else np.zeros(0))


def default_device() -> str:
    """cuda when CTranslate2 sees a GPU, otherwise cpu."""
    try:
        import ctranslate2

        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    except Exception:
        return "cpu"
