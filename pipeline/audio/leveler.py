"""The speech leveler: a gain curve planned on the whole recording, before any processing.

The analysis gives the loudness of every 100 ms frame. Frames of speech (louder
than the speech gate) around each moment tell how loud that passage is; the
leveler closes part of the gap to the whole recording, within limits, and
smooths the result so that it glides. Pauses and room noise never steer it: the
gain is carried across them, so nothing pumps up between sentences. Because the
curve is known in advance, so is the loudness it produces (R128 gating is done
here on the same 400 ms blocks), and the final gain lands on the target without
another pass.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import accumulate, pairwise

from pipeline.audio.loudness import FRAME_SECONDS
from pipeline.presets import Leveler

ABSOLUTE_GATE = -70.0
RELATIVE_GATE = -10.0
LIMITER_LOSS_SHARE = 0.95


def _power(lufs: float) -> float:
    return 10 ** (lufs / 10) if lufs > -120 else 0.0


def gated_loudness(momentary: Sequence[float], gain_db: list[float] | None = None, extra_db: float = 0.0) -> float:
    """Integrated loudness (EBU R128 gating) of blocks `momentary` with a gain per block added."""
    levels = [m + (gain_db[i] if gain_db else 0.0) + extra_db for i, m in enumerate(momentary)]
    above = [_power(v) for v in levels if v > ABSOLUTE_GATE]
    if not above:
        return -70.0
    relative = 10 * math.log10(sum(above) / len(above)) + RELATIVE_GATE
    gated = [_power(v) for v in levels if v > max(relative, ABSOLUTE_GATE)]
    return 10 * math.log10(sum(gated) / len(gated)) if gated else -70.0


def _moving_average(values: Sequence[float], half: int) -> list[float]:
    sums = [0.0, *accumulate(values)]
    count = len(values)
    return [(sums[min(count, i + half + 1)] - sums[max(0, i - half)]) / (min(count, i + half + 1) - max(0, i - half)) for i in range(count)]


def gain_curve(momentary: Sequence[float], integrated: float, settings: Leveler) -> list[float]:
    """Gain in dB for each 100 ms frame (0 everywhere when the leveler is off)."""
    count = len(momentary)
    if settings.ratio <= 0 or count == 0:
        return [0.0] * count
    gate = integrated + settings.speech_gate_lu
    speech = [_power(m) if m >= gate else 0.0 for m in momentary]
    is_speech = [1 if m >= gate else 0 for m in momentary]
    power_sums = [0.0, *accumulate(speech)]
    speech_sums = [0, *accumulate(is_speech)]
    half = max(1, round(settings.window / 2 / FRAME_SECONDS))
    wanted: list[float | None] = []
    for i in range(count):
        low, high = max(0, i - half), min(count, i + half + 1)
        frames = speech_sums[high] - speech_sums[low]
        if frames < 5:  # less than half a second of speech: no opinion, carry the gain across
            wanted.append(None)
            continue
        local = 10 * math.log10((power_sums[high] - power_sums[low]) / frames)
        wanted.append(min(settings.max_boost, max(-settings.max_cut, settings.ratio * (integrated - local))))
    known = [i for i, w in enumerate(wanted) if w is not None]
    if not known:
        return [0.0] * count
    known_gain = {i: w for i, w in enumerate(wanted) if w is not None}
    filled = [0.0] * count
    for i in range(known[0] + 1):
        filled[i] = known_gain[known[0]]
    for a, b in pairwise(known):
        start, end = known_gain[a], known_gain[b]
        for i in range(a, b + 1):
            filled[i] = start + (end - start) * (i - a) / (b - a) if b > a else start
    for i in range(known[-1], count):
        filled[i] = known_gain[known[-1]]
    smooth_half = max(1, round(settings.smoothing / 2 / FRAME_SECONDS))
    return _moving_average(_moving_average(filled, smooth_half), smooth_half)


def limiter_loss(momentary: Sequence[float], frame_peak: Sequence[float], curve: list[float], gain_db: float, ceiling: float) -> list[float]:
    """What the limiter will take from each block (dB), estimated as most of the overshoot of its peak.

    Speech's power is in the same loud vowels that make its peaks, so a block
    whose peak is pushed o dB over the ceiling loses nearly o dB (calibrated
    on the demo debates and a stereo recording: within 0.1 LU).
    """
    return [-LIMITER_LOSS_SHARE * max(0.0, p + g + gain_db - ceiling) for p, g in zip(frame_peak, curve)]


def static_gain(momentary: Sequence[float], frame_peak: Sequence[float], curve: list[float], target: float, ceiling: float) -> float:
    """The gain that, added to `curve`, brings the integrated loudness to `target` after the limiter."""
    gain = target - gated_loudness(momentary, curve)
    for _ in range(4):
        loss = limiter_loss(momentary, frame_peak, curve, gain, ceiling)
        total = [c + l for c, l in zip(curve, loss)]
        error = target - gated_loudness(momentary, total, gain)
        gain += error
        if abs(error) < 0.02:
            break
    return gain
