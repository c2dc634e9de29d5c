"""The processing pass: one decoding of the recording makes every encoding at once (one ffmpeg, feeding one per format but one).

decode → mix down → 44.1 kHz → repairs (when measured) → cut the dead air
  → × leveler curve (a 2nd input) → cuts, jingles → one copy per format         ── ffmpeg 1
  | pipe → its gain → codec band → limiter (MP3 ceiling) → MP3 encoder          ── ffmpeg 2
  |                                                     └ meter (loudness over time)
  | pipe → … one branch, in an ffmpeg of its own, for each other format the podcast publishes
  └ 48 kHz → its gain → codec band → limiter (Opus ceiling) → Opus encoder      ── ffmpeg 1 (the last format)

The first ffmpeg writes the programme (raw 32-bit float, lossless) into one pipe per format but the last, whose
branch it runs itself; each other branch runs in its own ffmpeg, so that the repairs, the branches and the
encoders work side by side on every core. (In one ffmpeg the branches' filters and encoders would take turns:
its scheduler keeps a process's outputs within 100 ms of each other.)

The gain curve planned by `leveler` comes in as a second, 10 Hz input that
ffmpeg resamples and multiplies the audio by, so the gain glides as planned.
Each branch is cut to the band its codec keeps before its limiter: the limiter
then holds the peaks the decoder gives back, not those of sound the codec drops.
What the decoder gives back is still metered afterwards (`verify`), and a
branch over its ceiling is made again with a lower limit.
"""

from __future__ import annotations

import logging
import math
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.audio.analysis import channel_filter
from pipeline.audio.edits import CUT_CROSSFADE, JINGLE_CROSSFADE
from pipeline.audio.loudness import FRAME_SECONDS, EbuLog, Meter
from pipeline.audio.containers import input_args
from pipeline.audio.tools import FFMPEG_QUIET, ONE_FILTER_THREAD, last_error, run_fanned
from pipeline.media.formats import Format
from pipeline.presets import Preset

log = logging.getLogger(__name__)

SAMPLE_RATE = 44100
CURVE_FILE = "gain.f32"
CURVE_RATE = 10
"""The gain curve has one point per 100 ms frame of the analysis."""
CURVE_PADDING = 50


class RenderError(ValueError):
    pass


@dataclass(frozen=True)
class Branch:
    """One published format in the processing pass: its format (rate, codec band, encoder), gain and limiter."""

    format: Format
    gain_db: float
    """Gain on top of the leveler curve, this format's codec allowance included."""
    limit_db: float
    """Sample ceiling of its limiter, dBFS (below the true-peak ceiling by the format's margin)."""

    @property
    def name(self) -> str:
        return self.format.name

    @property
    def file_name(self) -> str:
        """The encoded file, in the cache entry's folder."""
        return f"audio.{self.format.extension}"


@dataclass(frozen=True)
class Jingle:
    path: Path
    channels: int
    gain_db: float
    """Brings it to the programme's loudness before the branches' gain."""
    place: str
    """"intro" or "outro"."""


@dataclass(frozen=True)
class RenderPlan:
    branches: tuple[Branch, ...]
    curve: Sequence[float]
    """Leveler gain (dB) per 100 ms frame of the recording (an array of doubles: 8 bytes a frame)."""
    channels: int
    mono_from: str | None
    trim_start: float
    trim_end: float
    """Where the published audio starts and ends in the recording, seconds."""
    repairs: tuple[str, ...] = ()
    """ffmpeg filters applied to the sound before the trim and the leveler (high-pass, notches, noise reduction),
    with times in the recording."""
    declip: tuple[tuple[float, float], ...] = ()
    """Stretches of the recording (seconds) whose samples are replaced by adeclip's repair of them: only there does
    adeclip run (`declip_parts`)."""
    segments: tuple[tuple[float, float], ...] = ()
    """Stretches of the recording kept when there are cuts (recording time); empty: all of [trim_start, trim_end]."""
    jingles: tuple[Jingle, ...] = ()
    """Intro (before the programme) and outro (after), when the episode has them."""

    def mix(self, source_channels: int, preset: Preset) -> str:
        if self.mono_from == "left":
            return channel_filter(source_channels, False) + ",pan=mono|c0=c0"
        if self.mono_from == "right":
            return channel_filter(source_channels, False) + ",pan=mono|c0=c1"
        return channel_filter(source_channels, self.channels == 1)

    def branch(self, name: str) -> Branch:
        return next(b for b in self.branches if b.name == name)


def write_curve(path: Path, plan: RenderPlan) -> None:
    """The leveler curve as a 10 Hz stream of linear gains (raw float32), in the time of the trimmed audio.

    ffmpeg reads it as a second input, resamples it to the audio's rate (a smooth,
    band-limited glide between the points) and multiplies the audio by it: memory
    and time stay flat however long the recording (timed filter commands do not).
    """
    first = min(round(plan.trim_start / FRAME_SECONDS), max(0, len(plan.curve) - 1))
    last = min(len(plan.curve), round(plan.trim_end / FRAME_SECONDS) + 1)
    gains = array("f", (10 ** (plan.curve[i] / 20) for i in range(first, last)))
    if not gains:
        gains.append(1.0)
    gains.extend([gains[-1]] * CURVE_PADDING)  # the audio must never outlast its gain
    path.write_bytes(gains.tobytes())


def limiter(limit_db: float, rate: int = SAMPLE_RATE, oversampling: int = 1) -> str:
    """The branch's limiter; oversampled (`oversampling` > 1), it limits the peaks between the samples too.

    The resampling around it is soxr's: a 4x round trip cost 4.3 CPU s per 10 minutes of stereo with swr's default,
    3.1 with soxr (whose stopband is deeper), 1.7 at 2x."""
    limit = f"alimiter=limit={10 ** (limit_db / 20):.5f}:attack=5:release=50:level=disabled:latency=1"
    if oversampling == 1:
        return limit
    return f"aresample={rate * oversampling}:resampler=soxr,{limit},aresample={rate}:resampler=soxr"


LARGE_FRAMES = "asetnsamples=n=8192:p=0"
"""Where the first ffmpeg's frames are joined again: afftdn gives back small frames, and each frame is handed from
thread to thread through the rest of the graph, the outputs and the pipes (the first ffmpeg of the bench's
10 minutes: 9.8 -> 7.5 CPU s, 300,000 -> 50,000 context switches, the same samples)."""


def repaired(plan: RenderPlan, source_channels: int, preset: Preset) -> str:
    """The graph of the first ffmpeg: the recording mixed down, repaired and trimmed, ending in [sound]."""
    head = f"[0:a:0]{plan.mix(source_channels, preset)},aresample={SAMPLE_RATE},aformat=sample_fmts=flt"
    parts: list[str] = []
    if plan.declip:
        head = declip_parts(head, plan.declip, parts)
    # repairs run on the whole recording (the noise profile may be learnt in the dead air before the first word)
    repairs = "".join(f"{r}," for r in plan.repairs)
    parts.append(f"{head},{repairs}atrim=start={plan.trim_start:.3f}:end={plan.trim_end:.3f},asetpts=PTS-STARTPTS,{LARGE_FRAMES}[sound]")
    return ";".join(parts)


def programme(plan: RenderPlan, source_channels: int, preset: Preset) -> str:
    """The graph of the first ffmpeg: the repaired sound (`repaired`) times the gain curve (input 1), edited, in one
    copy per branch: [s0], [s1]…"""
    count = len(plan.branches)
    layout = "mono" if plan.channels == 1 else "stereo"
    parts = [repaired(plan, source_channels, preset),
             f"[1:a]aresample={SAMPLE_RATE},aformat=sample_fmts=flt,{'pan=stereo|c0=c0|c1=c0' if layout == 'stereo' else 'anull'}[gain]",
             "[sound][gain]amultiply[levelled]"]
    edited = edit_chain(plan, parts)
    parts.append(f"[{edited}]{LARGE_FRAMES},asplit={count}" + "".join(f"[s{i}]" for i in range(count)))
    return ";".join(parts)


def branch_graph(branch: Branch, metered: bool, source: str = "[0:a]", out: str = "out") -> str:
    """The graph of a branch, from the programme (`source`: a branch ffmpeg's input) to [`out`], the encoder's;
    `metered`: also [measured], the loudness over time of what goes into the encoder."""
    # Fixed-size frames first: the programme's frames come from a pipe, and the codec band filters do not give the
    # same samples for other frame sizes; the same input must give the same bytes.
    rate, lowpass = branch.format.rate, branch.format.lowpass
    resample = f"aresample={rate}," if rate != SAMPLE_RATE else ""
    chain = (f"{source}asetnsamples=n={FRAME_SAMPLES}:p=0,{resample}volume={branch.gain_db:.3f}dB:precision=float,"
             f"lowpass=f={lowpass:.0f},lowpass=f={lowpass:.0f},{limiter(branch.limit_db, rate, branch.format.limiter_oversampling)}")
    if not metered:
        return f"{chain}[{out}]"
    # loudness over time only (the report's series, the length): the true peaks that count are metered on the
    # decoded files
    return f"{chain},asplit=2[{out}][meter];[meter]ebur128@after=framelog=info[measured]"


FRAME_SAMPLES = 4096
DECLIP_JOIN = 2.0
"""Clipped stretches closer than this (seconds) are repaired as one (adeclip leaves unclipped samples as they are)."""
DECLIP_PREROLL = 0.1
"""Seconds of sound adeclip is given before each stretch it repairs, then cut from what it gives back: its first
window (55 ms) comes out attenuated, and it must not fall in the published audio."""


ADECLIP_WINDOW = int(SAMPLE_RATE * 55 / 1000.0)
"""Samples in adeclip's window (its default 55 ms, truncated as the filter does)."""
ADECLIP_HOP = int(ADECLIP_WINDOW * (1 - 0.75))
"""Samples between two of its windows (75 % overlap)."""
DECLIP_SLACK = 4 * 4096
"""Silence after each stretch beyond adeclip's window: more than it reads ahead of what it gives back (a frame
upstream), so that it finishes a stretch before it asks for the next one's sound."""


def declip_spans(stretches: tuple[tuple[float, float], ...]) -> list[tuple[int, int]]:
    """The stretches as sample spans, those closer than DECLIP_JOIN joined."""
    spans: list[tuple[int, int]] = []
    for start, end in stretches:
        first, last = max(0, round(start * SAMPLE_RATE)), round(end * SAMPLE_RATE)
        if spans and first <= spans[-1][1] + DECLIP_JOIN * SAMPLE_RATE:
            spans[-1] = (spans[-1][0], max(spans[-1][1], last))
        elif last > first:
            spans.append((first, last))
    return spans


def declip_block(pre: int, size: int) -> int:
    """Samples a stretch (with its `pre`-roll: `size` in all) takes in adeclip's stream, silence after it included:
    a whole number of hops, so that each stretch meets adeclip's windows where a fresh adeclip would."""
    return math.ceil((size + ADECLIP_WINDOW + DECLIP_SLACK) / ADECLIP_HOP) * ADECLIP_HOP


def declip_parts(head: str, stretches: tuple[tuple[float, float], ...], parts: list[str]) -> str:
    """Add to `parts` the graph that runs adeclip on `stretches` alone; returns the label of the joined sound.

    ffmpeg's timeline (`enable`) does not spare adeclip its work outside the enabled times (~150 CPU-s an hour
    of audio): the sound is split once at the stretches' edges (asegment, exact to the sample) into gaps,
    pre-rolls and stretches. One adeclip gets each pre-roll and stretch in turn, each followed by silence and
    starting on a hop of its windows: what it gives back for a stretch is what a fresh adeclip would (its first
    window comes out attenuated, in the pre-roll, dropped), bit for bit, and its memory does not grow with the
    number of stretches (each adeclip keeps ~1 MB of matrices: one per stretch was 28 MB for 27 stretches).
    Outside the stretches the samples are those of the recording, untouched; everything stays streamed."""
    spans = declip_spans(stretches)
    if not spans:
        return head
    roll = round(DECLIP_PREROLL * SAMPLE_RATE)
    pres = [min(first, roll) for first, _ in spans]
    sizes = [pre + last - first for pre, (first, last) in zip(pres, spans)]
    blocks = [declip_block(pre, size) for pre, size in zip(pres, sizes)]
    count = len(spans)
    edges = [edge for pre, (first, last) in zip(pres, spans) for edge in (first - pre, first, last)]
    # the sound in 3n + 1 parts: gap 0, pre-roll 0, stretch 0, gap 1, ... gap n
    parts.append(f"{head},asegment=samples={'|'.join(map(str, edges))}" + "".join(f"[dq{k}]" for k in range(3 * count + 1)))
    for i in range(count):
        parts.append(f"[dq{3 * i + 1}]asplit=2[dp{i}][dw{i}]")
        parts.append(f"[dw{i}]asetpts=PTS-STARTPTS[dv{i}];[dq{3 * i + 2}]asetpts=PTS-STARTPTS[dt{i}]")
        parts.append(f"[dv{i}][dt{i}]concat=n=2:v=0:a=1,apad=pad_len={blocks[i] - sizes[i]}[dz{i}]")
    # adeclip's stream cut after each stretch: part i is the silence after stretch i - 1, pre-roll i, stretch i
    ends = [sum(blocks[:i]) + sizes[i] for i in range(count - 1)]
    cut = f",asegment=samples={'|'.join(map(str, ends))}" if ends else ""
    parts.append("".join(f"[dz{i}]" for i in range(count)) + f"concat=n={count}:v=0:a=1,adeclip{cut}" + "".join(f"[dx{i}]" for i in range(count)))
    joined = []
    for i in range(count):
        skip = (blocks[i - 1] - sizes[i - 1] if i else 0) + pres[i]
        parts.append(f"[dx{i}]atrim=start_sample={skip}:end_sample={skip + sizes[i] - pres[i]},asetpts=PTS-STARTPTS[dd{i}]")
        parts.append(f"[dq{3 * i}]asetpts=PTS-STARTPTS[dg{i}];[dp{i}]asetpts=PTS-STARTPTS[dP{i}]")
        joined += [f"[dg{i}]", f"[dP{i}]", f"[dd{i}]"]
    parts.append(f"[dq{3 * count}]asetpts=PTS-STARTPTS[dg{count}]")
    parts.append("".join(joined) + f"[dg{count}]concat=n={3 * count + 1}:v=0:a=1[declipped]")
    return "[declipped]anull"


def edit_chain(plan: RenderPlan, parts: list[str]) -> str:
    """Add the cuts (crossfaded joins) and the jingles to `parts`; returns the label of the edited programme."""
    label = "levelled"
    if len(plan.segments) > 1:
        parts.append(f"[levelled]asplit={len(plan.segments)}" + "".join(f"[k{i}]" for i in range(len(plan.segments))))
        for i, (start, end) in enumerate(plan.segments):
            parts.append(f"[k{i}]atrim=start={start - plan.trim_start:.3f}:end={end - plan.trim_start:.3f},asetpts=PTS-STARTPTS[kept{i}]")
        label = "kept0"
        for i in range(1, len(plan.segments)):
            parts.append(f"[{label}][kept{i}]acrossfade=d={CUT_CROSSFADE}:c1=tri:c2=tri[joined{i}]")
            label = f"joined{i}"
    for index, jingle in enumerate(plan.jingles):
        mono = plan.channels == 1
        parts.append(f"[{2 + index}:a]{channel_filter(jingle.channels, mono)},aresample={SAMPLE_RATE},aformat=sample_fmts=flt,"
                     f"volume={jingle.gain_db:.3f}dB:precision=float[{jingle.place}]")
        first, second = (jingle.place, label) if jingle.place == "intro" else (label, jingle.place)
        parts.append(f"[{first}][{second}]acrossfade=d={JINGLE_CROSSFADE}:c1=qsin:c2=qsin[with_{jingle.place}]")
        label = f"with_{jingle.place}"
    return label


def encoder_args(branch: Branch, plan: RenderPlan, preset: Preset, folder: Path, label: str = "out") -> list[str]:
    out, fmt = str((folder / branch.file_name).resolve()), branch.format
    return ["-map", f"[{label}]", "-map_metadata", "-1", *fmt.encoder(fmt.bitrate(preset, plan.channels)), out]


def commands(source: Path, source_channels: int, plan: RenderPlan, preset: Preset, folder: Path,
             demuxer: str | None = None) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """The first ffmpeg (the programme: `programme`), its outputs' options (raw 32-bit float: lossless) and one ffmpeg
    for each of them (`branch_graph`, its encoder), for `tools.run_fanned`. The first branch has its own ffmpeg and
    meters; with two branches or more, the last one runs in the first ffmpeg: one process fewer (each holds ~37 MB,
    23 of them the program's own pages), for 0.6 s more on the bench's 10 minutes (its scheduler again).
    One ffmpeg with the two graphs joined by a loopback decoder (`-dec`) was tried: with jingles it stopped for good
    about one run in 15 (ffmpeg 9.0)."""
    layout = ["-ar", str(SAMPLE_RATE), "-ac", str(plan.channels)]
    piped = plan.branches if len(plan.branches) < 2 else plan.branches[:-1]
    graph = programme(plan, source_channels, preset)
    own: list[str] = []
    if len(piped) < len(plan.branches):
        last = len(plan.branches) - 1
        graph += ";" + branch_graph(plan.branches[last], metered=False, source=f"[s{last}]", out="own")
        own = encoder_args(plan.branches[last], plan, preset, folder, label="own")
    first = ["ffmpeg", *FFMPEG_QUIET, *ONE_FILTER_THREAD, "-y", *input_args(source, demuxer),
             "-ar", str(CURVE_RATE), "-ac", "1", *input_args(folder / CURVE_FILE, "f32le"),
             *[arg for jingle in plan.jingles for arg in input_args(jingle.path, None)],
             "-filter_complex", graph, *own]
    outputs = [["-map", f"[s{i}]", "-c:a", "pcm_f32le", "-f", "f32le", *layout] for i in range(len(piped))]
    branches = []
    for i, branch in enumerate(piped):
        command = ["ffmpeg", *FFMPEG_QUIET, *ONE_FILTER_THREAD, "-y", "-protocol_whitelist", "pipe", "-f", "f32le", *layout, "-i", "pipe:0",
                   "-filter_complex", branch_graph(branch, metered=i == 0), *encoder_args(branch, plan, preset, folder)]
        if i == 0:
            command += ["-map", "[measured]", "-f", "null", "-"]
        branches.append(command)
    return first, outputs, branches


def render(source: Path, source_channels: int, plan: RenderPlan, preset: Preset, folder: Path, *, demuxer: str | None = None, on_time=None) -> Meter:
    """Write folder/audio.<extension> for each branch; return the meter of the first (what goes into its encoder)."""
    write_curve(folder / CURVE_FILE, plan)
    ebu = EbuLog(keep_frames={"after"}, on_time=on_time)
    status, last = run_fanned(*commands(source, source_channels, plan, preset, folder, demuxer), ebu.feed)
    (folder / CURVE_FILE).unlink(missing_ok=True)
    if status != 0 or "after" not in ebu.meters:
        raise RenderError(f"encoding failed ({last_error(last)})")
    return ebu.meters["after"]
