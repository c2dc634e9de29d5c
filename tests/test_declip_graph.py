"""The declipping graph of the processing pass, against ffmpeg's adeclip run alone on each clipped stretch.

One adeclip serves every stretch of a recording (render.declip_parts): its output must be, sample for sample,
what a fresh adeclip gives for that stretch (its pre-roll dropped), and the sound outside the stretches the
recording's own samples.
"""

from __future__ import annotations

import subprocess
from array import array
from pathlib import Path

from pipeline import presets
from pipeline.audio import render
from pipeline.audio.planning import DECLIP_MARGIN
from pipeline.audio.tools import executable

RATE = render.SAMPLE_RATE
CLIPPED = ((1.0, 1.6), (4.5, 5.1), (5.6, 5.9), (9.0, 9.5))
"""Seconds; the second and third are closer than DECLIP_JOIN: repaired as one."""
STRETCHES = tuple((a - DECLIP_MARGIN, b + DECLIP_MARGIN) for a, b in CLIPPED)
"""Where the render runs adeclip: as the planning asks, a margin of sound that did not clip on either side."""


def clipped_recording(path: Path) -> None:
    """Two tones and noise in stereo (float WAV, lossless), driven into full scale and flattened in the stretches."""
    loud = "+".join(f"between(t,{a},{b})" for a, b in CLIPPED)
    graph = (f"aevalsrc='0.3*sin(2*PI*220*t)+0.2*sin(2*PI*1370*t)|0.3*sin(2*PI*330*t)+0.2*sin(2*PI*910*t)':s={RATE}:d=11[tones];"
             f"anoisesrc=r={RATE}:a=0.05:seed=5:d=11,pan=stereo|c0=c0|c1=c0[noise];"
             f"[tones][noise]amix=inputs=2:normalize=0,volume='if({loud},3.5,1)':eval=frame,aeval='clip(val(ch),-0.9,0.9)':c=same")
    subprocess.run([executable("ffmpeg"), "-hide_banner", "-v", "error", "-y", "-filter_complex", graph, "-c:a", "pcm_f32le", str(path)],
                   check=True)


def samples(args: list[str]) -> array:
    """Interleaved stereo float samples that an ffmpeg run writes on its output."""
    raw = subprocess.run([executable("ffmpeg"), "-hide_banner", "-nostdin", "-v", "error", *args, "-c:a", "pcm_f32le", "-f", "f32le", "-"],
                         check=True, capture_output=True).stdout
    return array("f", raw)


def first_difference(a: array, b: array) -> int | None:
    """The first index where two sample arrays differ (None when they are the same), for a short failure message."""
    if a == b:
        return None
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def test_one_adeclip_gives_each_stretch_what_adeclip_alone_gives_it(tmp_path):
    recording = tmp_path / "clipped.wav"
    clipped_recording(recording)
    plan = render.RenderPlan(branches=(), curve=array("d"), channels=2, mono_from=None, trim_start=0.0, trim_end=12.0, declip=STRETCHES)
    published = samples(["-i", str(recording), "-filter_complex", render.repaired(plan, 2, presets.load("podcast")), "-map", "[sound]"])
    original = samples(["-i", str(recording)])
    assert len(published) == len(original)
    spans = render.declip_spans(STRETCHES)
    assert len(spans) == 3
    roll = round(render.DECLIP_PREROLL * RATE)
    outside = 0
    for first, last in spans:
        alone = samples(["-i", str(recording), "-af", f"atrim=start_sample={first - roll}:end_sample={last},adeclip"])
        assert first_difference(published[2 * first : 2 * last], alone[2 * roll :]) is None, (first, last)
        assert first_difference(published[2 * first : 2 * last], original[2 * first : 2 * last]) is not None  # it repaired something
    edges = [0, *(edge for span in spans for edge in span), len(original) // 2]
    for start, end in zip(edges[::2], edges[1::2]):
        assert first_difference(published[2 * start : 2 * end], original[2 * start : 2 * end]) is None, (start, end)
        outside += end - start
    assert outside > 6 * RATE
