#!/usr/bin/env python3
"""Run portevoix's audio stage on one recording, into a fresh cache: `run_stage.py RECORDING FOLDER [--repairs]`.

`--repairs`: medium noise reduction and declipping asked for (hum notches and the rumble high-pass are applied
when the analysis finds them, as always); the leveler is the preset's (gentle)."""

import dataclasses
import json
import shutil
import sys
from pathlib import Path

from pipeline import presets
from pipeline.audio import process
from pipeline.audio.cache import AudioCache
from pipeline.audio.probe import probe
from pipeline.progress import Progress

source, folder = Path(sys.argv[1]), Path(sys.argv[2])
preset = presets.load("podcast")
if "--repairs" in sys.argv[3:]:
    preset = dataclasses.replace(preset, denoise="medium", declip=True)
shutil.rmtree(folder, ignore_errors=True)
folder.mkdir(parents=True)
result = process(source, probe(source), preset, AudioCache(folder), progress=Progress)
record = json.loads((result.mp3.parent / "done.json").read_text(encoding="utf-8"))
print(f"before {result.before}, after {result.after}, gain {result.gain_db} dB, trimmed {result.trim_start} + {result.trim_end} s")
print("repairs:", json.dumps(record.get("repairs", [])))
print("warnings:", json.dumps(result.warnings, ensure_ascii=False))
