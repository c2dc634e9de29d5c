"""A lecture-hall debate whose clean speech is known: espeak-ng voices at set levels, and a room's troubles mixed in.

`make_debate` writes, in a folder:

- `clean.wav`: the speech alone, each turn at its speaker's loudness (the reference for STOI and PESQ);
- `room.wav`: the same speech with what a room adds, each at a known time: continuous room noise,
  rumble, 50 Hz mains hum with three harmonics, a chair bang, a shouted passage that clips, applause;

and returns a `Debate` that says where every turn is, so that tests measure each speaker over their own
turns with an independent meter (ffmpeg's ebur128), never with the code under test.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

RATE = 44100
FFMPEG = ["ffmpeg", "-hide_banner", "-v", "error", "-nostdin", "-y"]

# speaker -> (espeak voice, pitch, words per minute)
VOICES = {
    "host": ("fr+f2", 55, 165),
    "guest": ("fr+m3", 40, 155),
    "quiet": ("fr+f4", 48, 160),
    "audience": ("fr+f5", 62, 150),
}
LINES = {
    "host": "Bonsoir à toutes et à tous, et merci d'être venus si nombreux ce soir à la bourse du travail.",
    "guest": "Ce que je vois d'abord, c'est qu'il n'y a presque plus de guichet, tout passe par un site.",
    "quiet": "Une partie de la population n'a pas d'ordinateur, ni d'imprimante, et renonce à ses droits.",
    "audience": "Bonsoir, je voulais savoir comment on peut agir localement, ici, dans notre quartier ?",
    "shout": "C'est inacceptable, il faut que cela change maintenant, tout de suite !",
}


@dataclass(frozen=True)
class Turn:
    speaker: str
    start: float
    end: float
    lufs: float
    """Loudness of the turn in the recording (clean speech), LUFS."""


@dataclass
class Debate:
    clean: Path
    room: Path
    duration: float
    turns: list[Turn] = field(default_factory=list)
    hum: tuple[float, float] | None = None
    """Where the mains hum is (seconds), if any."""
    bang: float | None = None
    clipped: tuple[float, float] | None = None
    applause: tuple[float, float] | None = None
    noise_dbfs: float | None = None

    def segments(self, speaker: str) -> list[tuple[float, float]]:
        return [(t.start, t.end) for t in self.turns if t.speaker == speaker]

    @property
    def speakers(self) -> list[str]:
        return sorted({t.speaker for t in self.turns})

    @property
    def pauses(self) -> list[tuple[float, float]]:
        """Stretches with no speech, no bang, no applause (room noise only), at least a second long."""
        busy = sorted([(t.start, t.end) for t in self.turns]
                      + ([(self.bang - 0.1, self.bang + 0.6)] if self.bang is not None else [])
                      + ([self.applause] if self.applause else []))
        gaps, last = [], 0.0
        for start, end in busy:
            if start - last >= 1.0:
                gaps.append((last + 0.2, start - 0.2))
            last = max(last, end)
        if self.duration - last >= 1.0:
            gaps.append((last + 0.2, self.duration - 0.2))
        return gaps


def loudness(path: Path) -> float:
    result = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-af", "ebur128", "-f", "null", "-"],
                            capture_output=True, text=True, check=True)
    summary = result.stderr[result.stderr.rfind("Summary:"):]
    return float(summary.split("I:")[1].split("LUFS")[0])


def speak(folder: Path, name: str, speaker: str, text: str, lufs: float) -> tuple[Path, float]:
    """One utterance by espeak-ng, at 44.1 kHz, brought to `lufs`; returns the file and its length."""
    voice, pitch, speed = VOICES[speaker]
    raw = folder / f"{name}.raw.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-p", str(pitch), "-s", str(speed), "-w", str(raw), text], check=True)
    level = loudness(raw)
    out = folder / f"{name}.wav"
    subprocess.run([*FFMPEG, "-i", str(raw), "-af", f"aresample={RATE},volume={lufs - level:.2f}dB", "-c:a", "pcm_f32le", str(out)],
                   check=True)
    result = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(out)],
                            capture_output=True, text=True, check=True)
    return out, float(result.stdout)


def make_debate(folder: Path, *, levels: dict[str, float] | None = None, hum: bool = True, rumble: bool = True,
                noise_dbfs: float | None = -52.0, clip: bool = True, bang: bool = True, applause: bool = True,
                hum_hz: float = 50.0) -> Debate:
    """About 30 s: host, quiet guest (hum under her turn), host, bang, audience, loud guest shouting (clipped), applause."""
    folder.mkdir(parents=True, exist_ok=True)
    levels = {"host": -23.0, "guest": -19.0, "quiet": -38.0, "audience": -40.0, **(levels or {})}
    plan = [("host", "host"), ("quiet", "quiet"), ("host", "host"), ("audience", "audience"), ("guest", "guest"),
            ("guest", "shout")]
    time, turns, parts = 1.5, [], []
    bang_at = clipped = None
    for index, (speaker, line) in enumerate(plan):
        if speaker == "audience" and bang:
            bang_at = time
            time += 0.8  # the question comes right after the bang
        lufs = levels[speaker] + (2.0 if line == "shout" else 0.0)
        path, length = speak(folder, f"turn{index}", speaker, LINES[line], lufs)
        if line == "shout" and clip:
            clipped = (time, time + length)
        parts.append((path, time, line == "shout" and clip))
        turns.append(Turn(speaker, round(time, 3), round(time + length, 3), lufs))
        time += length + (0.15 if line == "shout" else 1.3)
    applause_span = (time + 0.2, time + 3.2) if applause else None
    duration = round((applause_span[1] if applause_span else time) + 1.5, 2)
    quiet_turn = next(t for t in turns if t.speaker == "quiet")
    hum_span = (quiet_turn.start - 1.0, quiet_turn.end + 0.5) if hum else None

    def timeline(include_room: bool) -> list[str]:
        args, graph, labels = [], [], []
        for i, (path, start, clipped_turn) in enumerate(parts):
            args += ["-i", str(path)]
            chain = f"[{i}:a]adelay={round(start * 1000)}:all=1"
            if clipped_turn and include_room:
                # the shout overloads the input: 9 dB too hot for the converter, flattened at full scale
                chain += ",volume=6dB,aeval='clip(val(0),-0.63,0.63)':c=same,volume=4dB"
            graph.append(f"{chain},apad=whole_dur={duration}[s{i}]")
            labels.append(f"[s{i}]")
        if include_room:
            sources = []
            if noise_dbfs is not None:
                sources.append(f"anoisesrc=c=pink:r={RATE}:a={10 ** (noise_dbfs / 20) * 2.2:.6f}:d={duration}:s=7,"
                               "highpass=f=100,lowpass=f=6000")
            if rumble:
                sources.append(f"anoisesrc=c=brown:r={RATE}:a=0.3:d={duration}:s=11,lowpass=f=45,lowpass=f=45")
            if hum_span:
                a, b = hum_span
                partials = "+".join(f"{amp}*sin(2*PI*{hum_hz * k}*t)" for k, amp in ((1, 0.012), (2, 0.006), (3, 0.004), (4, 0.002)))
                sources.append(f"aevalsrc='({partials})*between(t,{a},{b})':s={RATE}:d={duration}")
            if bang_at is not None:
                sources.append(f"aevalsrc='if(between(t,{bang_at},{bang_at + 0.25}),0.9*(2*random(0)-1)*exp(-(t-{bang_at})*30),0)'"
                               f":s={RATE}:d={duration}")
            if applause_span:
                a, b = applause_span
                # many hands: noise in the clapping band, pulsed at irregular rates
                sources.append(f"anoisesrc=c=white:r={RATE}:a=0.5:d={duration}:s=5,bandpass=f=1800:w=2500,"
                               f"volume='between(t,{a},{b})*(0.35+0.3*abs(sin(2*PI*3.1*t))*abs(sin(2*PI*4.3*t)))':eval=frame")
            for j, source in enumerate(sources):
                args += ["-f", "lavfi", "-i", source]
                labels.append(f"[{len(parts) + j}:a]")
        graph.append(f"{''.join(labels)}amix=inputs={len(labels)}:normalize=0:duration=longest,"
                     f"atrim=end={duration},aformat=sample_fmts=flt:channel_layouts=mono[out]")
        return [*args, "-filter_complex", ";".join(graph), "-map", "[out]"]

    clean, room = folder / "clean.wav", folder / "room.wav"
    subprocess.run([*FFMPEG, *timeline(False), "-c:a", "pcm_s16le", str(clean)], check=True)
    subprocess.run([*FFMPEG, *timeline(True), "-c:a", "pcm_s16le", str(room)], check=True)
    return Debate(clean=clean, room=room, duration=duration, turns=turns, hum=hum_span, bang=bang_at, clipped=clipped,
                  applause=applause_span, noise_dbfs=noise_dbfs)


def segment_loudness(path: Path, segments: list[tuple[float, float]], *, shift: float = 0.0) -> float:
    """Integrated loudness (ebur128) of `segments` of `path` joined together, each moved back by `shift` seconds."""
    parts = "".join(f"[0:a]atrim={max(0.0, a - shift):.3f}:{b - shift:.3f},asetpts=PTS-STARTPTS[p{i}];" for i, (a, b) in enumerate(segments))
    joined = "".join(f"[p{i}]" for i in range(len(segments)))
    graph = f"{parts}{joined}concat=n={len(segments)}:v=0:a=1,ebur128"
    result = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-filter_complex", graph, "-f", "null", "-"],
                            capture_output=True, text=True, check=True)
    summary = result.stderr[result.stderr.rfind("Summary:"):]
    return float(summary.split("I:")[1].split("LUFS")[0])


def band_level(path: Path, hz: float, *, start: float = 0.0, end: float | None = None, width: float = 4.0) -> float:
    """RMS level (dB) of a narrow band around `hz` (bandpass twice + astats), over [start, end]."""
    trim = f"atrim={start:.3f}" + (f":{end:.3f}" if end is not None else "") + ","
    chain = f"{trim}bandpass=f={hz}:width_type=h:w={width},bandpass=f={hz}:width_type=h:w={width},astats=measure_overall=RMS_level:measure_perchannel=none"
    result = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-af", chain, "-f", "null", "-"],
                            capture_output=True, text=True, check=True)
    values = [line.split("RMS level dB:")[1] for line in result.stderr.splitlines() if "RMS level dB:" in line]
    return float(values[-1])


def opened_during(paths: list[Path], action):
    """Run `action()`; return (its result, the paths some process opened or read meanwhile), as the kernel saw it
    (inotify: IN_OPEN and IN_ACCESS on each file, whichever process, ffmpeg included)."""
    import ctypes
    import os
    import struct

    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(os.O_NONBLOCK)
    assert fd >= 0, os.strerror(ctypes.get_errno())
    try:
        watches = {libc.inotify_add_watch(fd, str(p).encode(), 0x00000001 | 0x00000020): p for p in paths}
        result = action()
        seen: set[Path] = set()
        while True:
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                break
            offset = 0
            while offset < len(data):
                wd, _mask, _cookie, length = struct.unpack_from("iIII", data, offset)
                seen.add(watches[wd])
                offset += 16 + length
        return result, seen
    finally:
        os.close(fd)
