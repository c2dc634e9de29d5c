"""Helpers shared by the tests (issue 11): a package, so that no test module imports another.

- `cli`: the repository's place and the real command line (`run_cli`);
- `files`: file and tree digests;
- `sound`: short generated recordings (ffmpeg) and the independent meters (ebur128, silencedetect);
- `podcasts`: podcast folders (the demo's copy, a small podcast of generated episodes);
- `feeds`: the node feed parsers;
- `net`: free ports; `nginx`: Debian's nginx serving a folder;
- `wheel`: the wheel built and installed in a fresh virtual environment;
- `pagecache`: evicting files from the page cache, and measuring what stays (bench/bench_site.py uses it too);
- `audio`: short speech-like recordings with channels that really differ, and ffprobe's view of a stream;
- `room`: a lecture-hall debate whose clean speech is known, and band and segment meters;
- `browser`: Debian's chromium driven by Playwright, axe-core, the page fixtures;
- `publish`: a tiny podcast in two versions, real servers (sshd, moto's S3, a static server), a reader;
- `studio`: `portevoix studio` as a subprocess, and a small podcast folder;
- `stats_logs`: access logs whose right answer is known by construction.

Every helper lives here: tests/test_layout.py refuses any other module at the top of tests/.
"""
