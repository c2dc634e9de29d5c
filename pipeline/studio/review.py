"""An episode's transcript in the studio: speech recognition run in the background, then reviewed cue by cue.

`/episodes/<name>/transcript` starts `portevoix transcribe <slug>` (the command line itself, as a job of
pipeline/studio/jobs.py: its progress lines followed by every tab, the same draft file and the same
`transcript_status: draft` in episode.md), then lists the cues: each one plays from the recording (a button,
with scripts: static/review.js), its text and speaker can be corrected, and a box marks the transcript
reviewed. That is the "reviewed/draft" notion the loader already has (`transcript_status:`, see
source/episode_meta.py): a reviewed transcript is no longer called automatic on the pages and in the feed,
and `portevoix transcribe` never replaces it.

Saving writes the transcript file in its own format as the command line writes it (WebVTT with voice tags
through cues.to_vtt, SubRip through cues.to_srt; the draft's NOTE kept while it is a draft), and
`transcript_status:` through the round-trip writer (comments kept). Times are not edited here; a cue whose
text is emptied is removed. A transcript changed on disk since the page was opened is not overwritten.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Blueprint, redirect, render_template, request

from pipeline import fsutil, textfmt
from pipeline.i18n import say
from pipeline.source import transcripts
from pipeline.source.cues import to_srt, to_vtt
from pipeline.source.episodes import EPISODE_FILE, slugify
from pipeline.source.transcripts import Cue, TranscriptError
from pipeline.studio import roundtrip
from pipeline.studio.folder import Opened, episode_file, episode_folder, open_episode
from pipeline.studio.forms import shown_value
from pipeline.studio.jobs import Jobs

DRAFT, REVIEWED = "draft", "reviewed"
KIND = "transcribe"
"""The job's kind (pipeline/studio/jobs.py): one transcription at a time in a studio."""


def draft_note(text: str) -> str | None:
    """The NOTE block of a WebVTT draft (what `portevoix transcribe` wrote about its model), without "NOTE "."""
    match = re.search(r"^NOTE (.+)$", text, re.M)
    return match.group(1) if match else None


def written(cues: list[Cue], kind: str, note: str | None) -> str:
    return to_srt(cues) if kind == ".srt" else to_vtt(cues, note)


def corrected(cues: list[Cue], texts: list[str], speakers: list[str]) -> list[Cue]:
    """The cues with the texts and speakers the form sent (one of each per cue, in order); emptied ones left out."""
    made = []
    for cue, text, speaker in zip(cues, texts, speakers):
        text = " ".join(text.split())
        if text:
            made.append(Cue(cue.start, cue.end, text, " ".join(speaker.split()) or None))
    return made


def blueprint(root: Path, jobs: Jobs) -> Blueprint:
    """The transcript's routes, for the podcast folder `root`, its jobs shared with the build and publish pages."""
    root = root.resolve()
    pages = Blueprint("review", __name__)

    def refuse(status: int, message: str) -> Any:
        return render_template("refused.html", message=message), status

    def job_for(slug: str) -> Any:
        job = jobs.current.get(KIND)
        return job if job is not None and job.command[-1] == slug else None

    @pages.route("/episodes/<name>/transcript", methods=["GET", "POST"])
    def transcript(name: str) -> Any:
        found = open_episode(root, name)
        if not isinstance(found, Opened):
            return found
        folder, source = found.folder, found.source
        front = source.front
        title = shown_value(front.get("title")) or name
        status = shown_value(front.get("transcript_status"))
        named = front.get("transcript")
        path = episode_file(root, folder, named)
        cues: list[Cue] = []
        problem, text = None, ""
        if named and path is None:
            problem = say("studio_tr_missing", name=shown_value(named))
        elif path is not None:
            try:
                text = path.read_bytes().decode("utf-8-sig")
                cues = transcripts.parse(text, path.suffix.lower())
            except (TranscriptError, UnicodeDecodeError, OSError) as exc:
                problem = f"{shown_value(named)}: {exc}"
        digest = hashlib.sha256(text.encode()).hexdigest()
        if request.method == "POST" and path is not None and not problem:
            if request.form.get("digest") != digest:
                return refuse(409, say("studio_tr_changed"))
            reviewed = request.form.get("reviewed") == "yes"
            kept = corrected(cues, request.form.getlist("cue-text"), request.form.getlist("cue-speaker"))
            if not kept:
                return refuse(422, say("studio_tr_empty"))
            note = draft_note(text) if not reviewed else None
            fsutil.write_atomically(path, written(kept, path.suffix.lower(), note), keep_mode=True)
            # Unticked, a reviewed transcript goes back to draft; one written by people (no status) stays so.
            wanted = REVIEWED if reviewed else (DRAFT if status in (DRAFT, REVIEWED) else status or None)
            if wanted and wanted != status:
                front["transcript_status"] = wanted
                roundtrip.write_atomically(folder / EPISODE_FILE, source.text())
            return redirect(f"/episodes/{quote(name)}/transcript?saved=1", code=303)
        speakers = [shown_value(s.get("name")) for s in front.get("speakers") or [] if isinstance(s, dict) and s.get("name")]
        recording = episode_file(root, folder, front.get("recording"))
        return render_template("transcript.html", name=name, title=title, cues=cues, status=status, problem=problem,
                               digest=digest, speakers=speakers, recording=recording is not None, named=shown_value(named),
                               job=job_for(slugify(name)), other_job=jobs.current.get(KIND), saved=request.args.get("saved"),
                               clock=lambda seconds: textfmt.clock(seconds, textfmt.PLAYER))

    @pages.post("/episodes/<name>/transcribe")
    def transcribe(name: str) -> Any:
        """`portevoix transcribe <slug>` (with --force to make a draft again) in the background."""
        folder = episode_folder(root, name)
        if folder is None:
            return refuse(404, say("studio_not_found"))
        arguments = ["--force"] if request.form.get("again") == "yes" else []
        jobs.start(KIND, *arguments, slugify(name))
        return redirect(f"/episodes/{quote(name)}/transcript", code=303)

    return pages
