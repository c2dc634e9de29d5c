"""Helpers shared by the tests (issue 11): a package, so that no test module imports another.

- `cli`: the repository's place and the real command line (`run_cli`);
- `files`: file and tree digests;
- `sound`: short generated recordings (ffmpeg) and the independent meters (ebur128, silencedetect);
- `podcasts`: podcast folders (the demo's copy, a small podcast of generated episodes);
- `feeds`: the node feed parsers;
- `net`: free ports; `nginx`: Debian's nginx serving a folder;
- `wheel`: the wheel built and installed in a fresh virtual environment;
- `pagecache`: evicting files from the page cache, and measuring what stays (bench/bench_site.py uses it too).

The older helper modules beside the tests (audio_fixtures, room_fixtures, browser, publish_support,
studio_support, stats_logs) import from here.
"""
