#!/usr/bin/env python3
"""Run portevoix's audio stage on one recording, into a fresh cache: `run_stage.py RECORDING FOLDER`."""

import shutil
import sys
from pathlib import Path

from pipeline import presets
from pipeline.audio import process
from pipeline.audio.cache import AudioCache
from pipeline.audio.probe import probe
from pipeline.progress import Progress

source, folder = Path(sys.argv[1]), Path(sys.argv[2])
shutil.rmtree(folder, ignore_errors=True)
folder.mkdir(parents=True)
result = process(source, probe(source), presets.load("podcast"), AudioCache(folder), progress=Progress)
print(f"before {result.before}, after {result.after}, gain {result.gain_db} dB, trimmed {result.trim_start} + {result.trim_end} s")
