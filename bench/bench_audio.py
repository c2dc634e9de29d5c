#!/usr/bin/env python3
"""Benchmark of the audio stage against ffmpeg-normalize, in one run on one machine.

    make bench-audio            (or: .venv/bin/python bench/bench_audio.py [--minutes 60 180] [--repairs] [--peer-minutes 60])

1. Generates 44.1 kHz 16-bit stereo WAV recordings of speech-like audio with
   uneven speakers, from the two demo recordings: one speaker panned left and
   3 dB up, the other panned right and 7 dB down, decorrelated room noise on
   each channel, looped to the wanted length (bench/out/, not committed).
2. For each length, times portevoix's audio stage (analysis + MP3 + Opus, with
   a fresh cache) and `ffmpeg-normalize --preset podcast` (MP3 128 kb/s),
   one after the other, sampling the resident memory of each whole process
   tree (Python and its ffmpeg children) every 0.1 s.
   Beside them, the floor: the same ffmpeg encoding the same MP3 and Opus with no filter.
   With --repairs the input also has mains hum, rumble and a clipped passage in each cycle, and
   portevoix runs with medium noise reduction and declipping: the whole chain.
3. Measures every output with the system's ffmpeg `ebur128=peak=true`
   (not the code under test) and writes bench/out/results.md, also printed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
DEMO = [
    REPO / "episodes/2017-10-03-construire-la-riposte/enregistrement.mp3",
    REPO / "episodes/2024-03-20-numerisation-massive/enregistrement.ogg",
]
SYSTEM_FFMPEG = shutil.which("ffmpeg") or "ffmpeg"


ROOM = (
    # what a lecture hall adds, so that every repair runs: 50 Hz mains hum and three harmonics, rumble under
    # 45 Hz, and once a cycle a passage driven 9 dB into the converter, flattened at full scale (clipped)
    "aevalsrc='0.010*sin(2*PI*50*t)+0.005*sin(2*PI*100*t)+0.003*sin(2*PI*150*t)+0.002*sin(2*PI*200*t)':s=44100:c=stereo[hum];"
    "anoisesrc=r=44100:a=0.25:c=brown:seed=11,lowpass=f=45,lowpass=f=45,pan=stereo|c0=c0|c1=c0[rumble];"
    "[0:a][hum][rumble]amix=inputs=3:duration=first:normalize=0,"
    "volume='if(between(t,95,101),2.8,1)':eval=frame,aeval='clip(val(ch),-1,1)':c=same"
)


def generate(minutes: int, room: bool = False) -> Path:
    """The speech-like input, `minutes` long; with `room`, with hum, rumble and clipped passages in each cycle."""
    target = OUT / f"speech-{'room-' if room else ''}{minutes}min.wav"
    if target.is_file():
        return target
    cycle = OUT / "cycle.wav"
    if not cycle.is_file():
        graph = (
            "[0:a]aresample=44100,volume=3dB,pan=stereo|c0=0.9*c0|c1=0.6*c0[a];"
            "[1:a]aresample=44100,volume=-7dB,pan=stereo|c0=0.55*c0|c1=0.85*c0[b];"
            "[a][b]concat=n=2:v=0:a=1[speech];"
            "anoisesrc=r=44100:a=0.003:c=pink:seed=7[n1];anoisesrc=r=44100:a=0.003:c=pink:seed=8[n2];"
            "[n1][n2]join=inputs=2:channel_layout=stereo[noise];"
            "[speech][noise]amix=inputs=2:duration=first:normalize=0"
        )
        subprocess.run([SYSTEM_FFMPEG, "-hide_banner", "-v", "error", "-y", "-i", str(DEMO[0]), "-i", str(DEMO[1]),
                        "-filter_complex", graph, "-c:a", "pcm_s16le", str(cycle)], check=True)
    if room:
        room_cycle = OUT / "cycle-room.wav"
        if not room_cycle.is_file():
            subprocess.run([SYSTEM_FFMPEG, "-hide_banner", "-v", "error", "-y", "-i", str(cycle), "-filter_complex", ROOM,
                            "-c:a", "pcm_s16le", str(room_cycle)], check=True)
        cycle = room_cycle
    subprocess.run([SYSTEM_FFMPEG, "-hide_banner", "-v", "error", "-y", "-stream_loop", "-1", "-i", str(cycle),
                    "-t", str(minutes * 60), "-c", "copy", str(target)], check=True)
    return target


def role(command: list[str]) -> str:
    """What a process of the tree does, from its command line: the rows of the per-process breakdown."""
    name = Path(command[0]).name if command else "?"
    if "python" in name:
        return "python"
    text = " ".join(command)
    if "ffmpeg" not in name:
        return name
    if "ebur128@src" in text:
        return "ffmpeg analysis: loudness"
    if "astats@" in text:
        return "ffmpeg analysis: bands"
    if command[-1] == "pipe:1":
        return "ffmpeg processing: repairs"
    if "pipe:0" in command:
        return "ffmpeg processing: encoders"
    if "ebur128" in text:
        return "ffmpeg metering"
    return "ffmpeg"


def _tree(pid: int) -> dict[int, tuple[str, int, int, int]]:
    """{pid: (role, VmRSS kB, RssAnon kB, Pss kB)} of `pid` and all its descendants."""
    found, stack = {}, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            command = Path(f"/proc/{current}/cmdline").read_bytes().decode("utf-8", "replace").split("\0")[:-1]
            pss = int(re.search(r"^Pss:\s+(\d+)", Path(f"/proc/{current}/smaps_rollup").read_text(), re.M).group(1))
            found[current] = (role(command), *(int(re.search(rf"{key}:\s+(\d+)", status).group(1)) for key in ("VmRSS", "RssAnon")), pss)
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, AttributeError):
            continue
    return found


@dataclass
class Memory:
    """What the sampler saw: the tree's peak, what made it up then, and each role's own peak (MB).

    Resident size (VmRSS) counts the pages of the program itself (file-backed: 26 to 60 MB of the static ffmpeg's
    code in each ffmpeg, the same pages in all of them, more where the kernel maps the page cache's large folios
    whole); RssAnon, its private memory, is what its work holds. The proportional size (Pss) shares each page out
    among the processes that map it: its sum over the tree counts the program's pages once, the tree's real use."""

    peak_mb: float = 0.0
    pss_peak_mb: float = 0.0
    at_peak: dict[str, tuple[float, float]] = field(default_factory=dict)
    per_role: dict[str, tuple[float, float]] = field(default_factory=dict)

    def sample(self, tree: dict[int, tuple[str, int, int, int]]) -> None:
        now: dict[str, tuple[float, float]] = {}
        self.pss_peak_mb = max(self.pss_peak_mb, sum(pss for *_, pss in tree.values()) / 1024)
        for name, kb, anon, _ in tree.values():
            rss, private = now.get(name, (0.0, 0.0))
            now[name] = (rss + kb / 1024, private + anon / 1024)
            known = self.per_role.get(name, (0.0, 0.0))
            self.per_role[name] = (max(known[0], kb / 1024), max(known[1], anon / 1024))
        total = sum(rss for rss, _ in now.values())
        if total > self.peak_mb:
            self.peak_mb, self.at_peak = total, now

    def breakdown(self) -> str:
        def listed(rows: dict[str, tuple[float, float]]) -> str:
            return ", ".join(f"{k} {v[0]:.0f} ({v[1]:.0f})" for k, v in sorted(rows.items(), key=lambda kv: -kv[1][0]))
        return (f"at the peak: {listed(self.at_peak)}; each process's own peak: {listed(self.per_role)} "
                "(VmRSS MB, its RssAnon in brackets)")


def timed(command: list[str], log: Path) -> tuple[float, float, float, Memory]:
    """Wall seconds, peak RSS (MB) of the whole process tree, CPU seconds of the tree, and the memory breakdown."""
    before = os.times()
    start = time.monotonic()
    memory = Memory()
    with log.open("w") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                memory.sample(_tree(process.pid))
                stop.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        status = process.wait()
        stop.set()
        sampler.join()
    wall = time.monotonic() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if status != 0:
        raise SystemExit(f"{command[0]} failed, see {log}")
    return wall, memory.peak_mb, cpu, memory


def ebur128(path: Path) -> dict[str, float]:
    result = subprocess.run([SYSTEM_FFMPEG, "-hide_banner", "-nostats", "-i", str(path), "-map", "0:a:0",
                             "-af", "ebur128=peak=true", "-f", "null", "-"], capture_output=True, text=True, check=True)
    summary = result.stderr.split("Summary:")[-1]
    return {
        "I": float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1)),
        "LRA": float(re.search(r"LRA:\s+(-?[\d.]+) LU", summary).group(1)),
        "TP": float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1)),
    }


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


MEMORY_NOTES: list[str] = []
"""One line a run of portevoix: what its process tree's peak RSS was made of (printed under the table)."""


def save(rows: list[str], note: str = "") -> None:
    memory = "".join(f"\n- {line}" for line in MEMORY_NOTES)
    header = (f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} cores; targets -16 LUFS, -1 dBTP "
              "(portevoix), -16 LUFS, -2 dBTP (ffmpeg-normalize preset).\n\n")
    (OUT / "results.md").write_text(header + "\n".join(rows) + "\n" + memory + "\n" + note, encoding="utf-8")


def floor_command(source: Path, work: Path) -> list[str]:
    """The floor: the same ffmpeg portevoix processes with, encoding the same MP3 and Opus, no filter at all."""
    sys.path.insert(0, str(REPO))
    from pipeline import presets
    from pipeline.audio.tools import executable
    from pipeline.media.formats import FORMATS

    preset = presets.load("podcast")
    mp3, opus = FORMATS["mp3"], FORMATS["opus"]
    return [executable("ffmpeg"), "-hide_banner", "-v", "error", "-nostdin", "-y", "-i", str(source),
            "-map", "0:a", *mp3.encoder(mp3.bitrate(preset, 2)), str(work / "floor.mp3"),
            "-map", "0:a", "-ar", "48000", *opus.encoder(opus.bitrate(preset, 2)), str(work / "floor.opus")]


def run(minutes: int, rows: list[str], with_peer: bool = True, repairs: bool = False) -> None:
    source = generate(minutes, room=repairs)
    work = OUT / f"run-{minutes}{'-repairs' if repairs else ''}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    source_figures = ebur128(source)
    print(f"{minutes} min: input I {source_figures['I']} LUFS, LRA {source_figures['LRA']} LU, TP {source_figures['TP']} dBTP", flush=True)

    load_ours = load_average()
    stage = [sys.executable, str(REPO / "bench" / "run_stage.py"), str(source), str(work / "portevoix"), *(["--repairs"] if repairs else [])]
    ours = timed(stage, work / "portevoix.log")
    folder = next((work / "portevoix").glob(".cache/portevoix/audio/*/audio.mp3")).parent
    ours_mp3, ours_opus = ebur128(folder / "audio.mp3"), ebur128(folder / "audio.opus")
    what = "whole chain with repairs (hum, rumble, denoise medium, declip, gentle leveler)" if repairs else "MP3 128k + Opus 32k"
    ours_row = (
        f"| {minutes} min | portevoix ({what}) | {ours[0]:.1f} | {ours[2]:.1f} | {ours[1]:.0f}; {ours[3].pss_peak_mb:.0f} | "
        f"MP3 {ours_mp3['I']} / {ours_mp3['TP']} / {ours_mp3['LRA']}; Opus {ours_opus['I']} / {ours_opus['TP']} / {ours_opus['LRA']} | {load_ours} |"
    )
    rows.append(ours_row)
    MEMORY_NOTES.append(f"{minutes} min, portevoix, peak RSS {ours[1]:.0f} MB (sum of VmRSS, sampled every 0.1 s), peak PSS {ours[3].pss_peak_mb:.0f} MB: {ours[3].breakdown()}")
    print(MEMORY_NOTES[-1], flush=True)
    save(rows, f"\n(floor and ffmpeg-normalize on {minutes} min running)\n")
    print(ours_row, flush=True)
    if repairs:
        applied = [line for line in (work / "portevoix.log").read_text().splitlines() if line.startswith(("repairs:", "warnings:"))]
        print("\n".join(applied), flush=True)
    if not with_peer:
        save(rows)
        return

    load_floor = load_average()
    floor = timed(floor_command(source, work), work / "floor.log")
    rows.append(f"| {minutes} min | floor: the same ffmpeg, MP3 + Opus, no filter | {floor[0]:.1f} | {floor[2]:.1f} | {floor[1]:.0f}; {floor[3].pss_peak_mb:.0f} | | {load_floor} |")
    print(rows[-1], flush=True)
    save(rows, f"\n(ffmpeg-normalize on {minutes} min running)\n")

    load_peer = load_average()
    peer_out = work / "ffmpeg-normalize.mp3"
    env_peer = [shutil.which("ffmpeg-normalize") or str(Path(sys.executable).parent / "ffmpeg-normalize")]
    peer = timed([*env_peer, str(source), "--preset", "podcast", "-c:a", "libmp3lame", "-b:a", "128k", "-o", str(peer_out), "-f"],
                 work / "ffmpeg-normalize.log")
    peer_mp3 = ebur128(peer_out)

    ratio = ours[0] / peer[0]
    print(f"{minutes} min: portevoix {ours[0]:.1f} s, ffmpeg-normalize {peer[0]:.1f} s, ratio {ratio:.2f}", flush=True)
    rows.append(
        f"| {minutes} min | ffmpeg-normalize --preset podcast (MP3 128k) | {peer[0]:.1f} | {peer[2]:.1f} | {peer[1]:.0f}; {peer[3].pss_peak_mb:.0f} | "
        f"MP3 {peer_mp3['I']} / {peer_mp3['TP']} / {peer_mp3['LRA']} | {load_peer} |"
    )
    print(rows[-1], flush=True)
    rows.append(f"| {minutes} min | **ratio portevoix / ffmpeg-normalize** | **{ratio:.2f}** | {ours[2] / peer[2]:.2f} (CPU) | | input {source_figures['I']} / {source_figures['TP']} / {source_figures['LRA']} | |")
    rows.append(f"| {minutes} min | **ratio portevoix / floor** | **{ours[0] / floor[0]:.2f}** | {ours[2] / floor[2]:.2f} (CPU) | | | |")
    save(rows)


def main() -> None:
    global OUT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, nargs="+", default=[60, 180])
    parser.add_argument("--no-peer", action="store_true", help="time portevoix only (no ratio)")
    parser.add_argument("--repairs", action="store_true", help="input with hum, rumble and clipping; noise reduction and declipping on")
    parser.add_argument("--peer-minutes", type=int, nargs="*", default=None,
                        help="lengths at which the floor and ffmpeg-normalize also run (default: all); the others time portevoix only")
    parser.add_argument("--out", type=Path, default=OUT,
                        help="folder of the inputs, runs and results (default bench/out): two runs side by side each need their own")
    args = parser.parse_args()
    OUT = args.out.resolve()
    OUT.mkdir(parents=True, exist_ok=True)
    rows = [
        "| input | tool | wall s | CPU s | peak RSS MB (process tree; PSS) | output I LUFS / TP dBTP / LRA LU (system ffmpeg ebur128) | load avg at start |",
        "|---|---|---|---|---|---|---|",
    ]
    for minutes in args.minutes:
        peer = not args.no_peer and (args.peer_minutes is None or minutes in args.peer_minutes)
        run(minutes, rows, with_peer=peer, repairs=args.repairs)
    print((OUT / "results.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
