"""Benchmark of `portevoix stats`: lines per second and peak memory on a generated 10-million-line log.

The log is an nginx combined log of a year of a small podcast's site: feed polls,
pages, and media requests (whole files, ranges, probes, HEAD, bots), from a few
thousand addresses a day (IPv4 and IPv6). It is generated here (bench/out/stats/)
with a fixed seed. Measured, each in its own process, with the kernel's meters
(wall clock; peak resident memory from getrusage):

- `portevoix stats` on 1 M and on 10 M lines (memory must not grow with the log),
- a second run on the same 10 M lines (incremental: nothing new to read),
- GoAccess, the usual log analyser (C), on the same 10 M lines, as the peer.

    make bench-stats                      # 10 M lines
    .venv/bin/python bench/bench_stats.py --lines 2000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out" / "stats"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
EPISODES = ("2024-03-20-numerisation-massive", "2017-10-03-construire-la-riposte")
AGENTS = (
    "AntennaPod/3.4.0",
    "Podcasts/1650.20 CFNetwork/1408.0.4 Darwin/22.5.0",
    "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)",
    "PocketCasts/1.0 (Pocket Casts Feed Parser; +http://pocketcasts.com/)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "gPodder/3.11.1 (+http://gpodder.org/) Linux",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Spotify/8.8.0 iOS/17.1 (iPhone15,2)",
)


def clf(when: dt.datetime) -> str:
    return f"{when.day:02d}/{MONTHS[when.month - 1]}/{when.year}:{when:%H:%M:%S} +0100"


def generate(path: Path, lines: int, seed: int = 19) -> None:
    """`lines` lines over a year: 45 % feed polls, 15 % pages, 40 % media requests."""
    rng = random.Random(seed)
    start = dt.datetime(2025, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    per_day = max(1, lines // 365)
    step = 86400 / per_day
    size = 2_400_000
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="ascii", buffering=1 << 20) as out:
        batch = []
        for index in range(lines):
            when = start + dt.timedelta(seconds=int(index * step))
            day = index // per_day
            client = rng.randrange(3000)
            ip = f"{10 + client % 200}.{(client // 200) % 250}.{day % 250}.{client % 250}" if client % 5 else f"2001:db8:{day:x}:{client:x}::{rng.randrange(65536):x}"
            agent = AGENTS[client % len(AGENTS)]
            kind = rng.random()
            if kind < 0.45:
                request, status, sent = "GET /feed.xml HTTP/1.1", 200, 48_000
            elif kind < 0.60:
                request, status, sent = f"GET /episodes/{EPISODES[client % 2]}/ HTTP/1.1", 200, 9_000
            else:
                media = f"/media/{EPISODES[client % 2]}.{'mp3' if client % 3 else 'opus'}"
                shape = rng.random()
                if shape < 0.1:
                    request, status, sent = f"HEAD {media} HTTP/1.1", 200, 0
                elif shape < 0.25:
                    request, status, sent = f"GET {media} HTTP/1.1", 206, 2
                elif shape < 0.7:
                    request, status, sent = f"GET {media} HTTP/1.1", 206, rng.randrange(100_000, 1_500_000)
                else:
                    request, status, sent = f"GET {media} HTTP/1.1", 200, size
            batch.append(f'{ip} - - [{clf(when)}] "{request}" {status} {sent} "-" "{agent}"\n')
            if len(batch) >= 10_000:
                out.writelines(batch)
                batch.clear()
        out.writelines(batch)


def measured(command: list[str]) -> dict:
    """Wall time and peak resident memory of `command`, run in a fresh process that only waits for it."""
    probe = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.monotonic(); r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
        "w = time.monotonic() - t\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'rc': r.returncode, 'wall_s': w, 'cpu_s': u.ru_utime + u.ru_stime, 'max_rss_mib': u.ru_maxrss / 1024,"
        " 'stderr': r.stderr.decode()[-300:]}))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000_000)
    args = parser.parse_args()
    podcast = OUT / "podcast"
    if podcast.exists():
        shutil.rmtree(podcast)
    podcast.mkdir(parents=True)
    for name in ("podcast.yaml", "cover.jpg"):
        shutil.copy2(REPO / name, podcast / name)
    shutil.copytree(REPO / "episodes", podcast / "episodes")
    small, big = OUT / "access-small.log", OUT / "access.log"
    small_lines = max(1, args.lines // 10)
    began = time.monotonic()
    generate(small, small_lines)
    generate(big, args.lines)
    print(f"generated {args.lines} + {small_lines} lines in {time.monotonic() - began:.0f} s ({big.stat().st_size / 2**20:.0f} MiB)", flush=True)
    portevoix = [str(REPO / ".venv" / "bin" / "portevoix"), "-C", str(podcast), "stats"]
    results: dict = {"lines": args.lines, "load_before": os.getloadavg()}
    for name, log, output in (("small", small, "out-small"), ("big", big, "out-big"), ("again", big, "out-big")):
        if name != "again" and (OUT / output).exists():
            shutil.rmtree(OUT / output)
        results[name] = measured([*portevoix, str(log), "--output", str(OUT / output), "--csv", str(OUT / f"{output}.csv")])
        print(name, results[name], flush=True)
    goaccess = shutil.which("goaccess")
    if goaccess:
        results["goaccess"] = measured([goaccess, str(big), "--log-format=COMBINED", "--no-global-config", "-o", str(OUT / "goaccess.json")])
        print("goaccess", results["goaccess"], flush=True)
    results["load_after"] = os.getloadavg()
    big_run = results["big"]
    summary = {
        "lines_per_s": args.lines / big_run["wall_s"],
        "lines_per_s_small": small_lines / results["small"]["wall_s"],
        "rss_big_over_small": big_run["max_rss_mib"] / results["small"]["max_rss_mib"],
        "again_wall_s": results["again"]["wall_s"],
    }
    if "goaccess" in results:
        summary["cpu_ratio_to_goaccess"] = big_run["cpu_s"] / results["goaccess"]["cpu_s"]
        summary["wall_ratio_to_goaccess"] = big_run["wall_s"] / results["goaccess"]["wall_s"]
        summary["rss_ratio_to_goaccess"] = big_run["max_rss_mib"] / results["goaccess"]["max_rss_mib"]
    results["summary"] = summary
    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
