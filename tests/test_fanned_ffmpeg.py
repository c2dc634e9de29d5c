"""One ffmpeg feeding several (tools.run_fanned, the processing pass's layout): every consumer gets the whole
stream, and a failure anywhere is reported as that process's, with nothing left running."""

from __future__ import annotations

import hashlib
import subprocess

from pipeline.audio.tools import FFMPEG_QUIET, executable, run_fanned

SECONDS = 3
RATE = 8000


def producer() -> list[str]:
    return ["ffmpeg", *FFMPEG_QUIET, "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate={RATE}:duration={SECONDS}",
            "-filter_complex", "[0:a]asplit=2[s0][s1]"]


def outputs() -> list[list[str]]:
    return [["-map", f"[s{i}]", "-c:a", "pcm_s16le", "-f", "s16le", "-ar", str(RATE), "-ac", "1"] for i in range(2)]


def consumer(out, extra: str = "anull") -> list[str]:
    return ["ffmpeg", *FFMPEG_QUIET, "-y", "-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", "pipe:0",
            "-af", f"{extra},ebur128=framelog=info", "-c:a", "pcm_s16le", "-f", "s16le", str(out)]


def test_each_consumer_gets_the_whole_stream(tmp_path):
    lines: list[str] = []
    status, _ = run_fanned(producer(), outputs(), [consumer(tmp_path / "a.raw"), consumer(tmp_path / "b.raw")], lines.append)
    assert status == 0
    direct = subprocess.run([executable("ffmpeg"), *FFMPEG_QUIET, "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate={RATE}:duration={SECONDS}",
                             "-c:a", "pcm_s16le", "-f", "s16le", "-"], check=True, capture_output=True).stdout
    assert len(direct) == 2 * RATE * SECONDS
    for name in ("a.raw", "b.raw"):
        assert hashlib.sha256((tmp_path / name).read_bytes()).digest() == hashlib.sha256(direct).digest()
    # the first consumer's stderr is what the caller reads (its meter's frames, one every 100 ms)
    assert sum(1 for line in lines if "Parsed_ebur128" in line and " M:" in line) >= 10 * SECONDS - 5


def test_a_failing_consumer_is_the_one_reported(tmp_path):
    status, last = run_fanned(producer(), outputs(), [consumer(tmp_path / "a.raw"), consumer(tmp_path / "b.raw", "nosuchfilter")],
                              lambda line: None)
    assert status != 0
    assert any("nosuchfilter" in line for line in last), last


def test_a_failing_producer_is_the_one_reported(tmp_path):
    broken = producer()
    broken[broken.index("-filter_complex") + 1] = "[0:a]asplit=2[s0][s1];[9:a]anull[x]"
    status, last = run_fanned(broken, outputs(), [consumer(tmp_path / "a.raw"), consumer(tmp_path / "b.raw")], lambda line: None)
    assert status != 0
    assert any("9:a" in line or "Invalid file index" in line or "input" in line.lower() for line in last), last
