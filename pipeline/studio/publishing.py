"""The publish page: the dry-run plan first, a confirm button, the publish in the background, then `--check`.

The plan is computed by the code `portevoix publish --dry-run` runs (`load_settings`, `built_site`,
the target's `open`, `read_state`, `make_plan`): what goes where, how many files and bytes, in which order
(media, pages, then the feed, last). Confirming starts `portevoix publish --target NAME --check` as
a background job (pipeline/studio/jobs.py): its folder and target locks keep it to one publish at a
time and away from a running build; closing the tab does not stop it, and every tab follows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, redirect, render_template, request

from pipeline.errors import PortevoixError
from pipeline.i18n import language, said
from pipeline.publish.plan import GROUPS
from pipeline.textfmt import human_bytes
from pipeline.publish.steps import planned
from pipeline.source.config import CONFIG_FILE
from pipeline.source.yamlio import YamlError
from pipeline.studio import roundtrip
from pipeline.studio.jobs import Job, Jobs
from pipeline.studio.targets import listed



@dataclass
class Outcome:
    """What a finished publish job says: published or not, and the check of the live site."""

    published: bool
    checked: bool
    check_lines: list[str]


def is_published(line: str) -> bool:
    return said("publish_done", line) or said("publish_unchanged", line)


def outcome(job: Job) -> Outcome:
    """Read from the job's lines, in the language the publish spoke."""
    published = any(is_published(line) for line in job.lines)
    after = [line for line in job.lines if said("publish_checked", line)]
    checked = job.status == 0 and bool(after)
    if not checked and published:
        index = max(i for i, line in enumerate(job.lines) if is_published(line))
        after = [line for line in job.lines[index + 1:] if line.strip()]
    return Outcome(published, checked, after)


def blueprint(root: Path, jobs: Jobs) -> Blueprint:
    pages = Blueprint("publishing", __name__)

    @pages.route("/publish", methods=["GET", "POST"])
    def publish() -> Any:
        if not (root / CONFIG_FILE).is_file():
            return redirect("/")  # no podcast yet: init's questions first
        try:
            names = [t.name for t in listed(roundtrip.read_config(root / CONFIG_FILE))]
        except (YamlError, OSError) as exc:
            return render_template("broken.html", file=CONFIG_FILE, message=str(exc)), 422
        job = jobs.current.get("publish")
        building = jobs.current.get("build")
        busy = (job is not None and job.running) or (building is not None and building.running)
        if request.method == "POST":
            name = request.form.get("target", "")
            if name in names and not busy:
                jobs.start("publish", "--target", name, "--check")
            return redirect("/publish", code=303)
        chosen = request.args.get("target") or (names[0] if len(names) == 1 else None)
        plan = where = problem = None
        if chosen in names and not busy:
            try:
                plan, where = planned(root, chosen)
            except PortevoixError as exc:
                problem = "; ".join(p.message for p in exc.problems)
        return render_template("publish.html", here="publish", names=names, chosen=chosen, plan=plan, where=where, problem=problem,
                               groups=GROUPS, size=lambda count: human_bytes(count, language()), job=job, outcome=outcome(job) if job and not job.running else None,
                               building=building is not None and building.running), 422 if problem else 200

    return pages
