"""The build page: `portevoix build --report` in the background, its lines followed live, then its report.

The job is the command line itself (pipeline/studio/jobs.py): its build lock, its progress lines,
and `--report`'s loudness figures and warnings for each episode, which this page shows episode by
episode with the loudness picture the build wrote beside the episode page. Then the built site can
be previewed (pipeline/studio/preview.py) and published (pipeline/studio/publishing.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Blueprint, redirect, render_template, request

from pipeline.source.config import CONFIG_FILE
from pipeline.studio.jobs import Job, Jobs

SITE_INDEX = "site/index.html"
PICTURE = "picture: "
WARNING = "warning: "


@dataclass
class EpisodeReport:
    """What `build --report` says of one episode."""

    slug: str
    figures: str
    warnings: list[str] = field(default_factory=list)
    picture: str | None = None
    """The loudness picture's address in the preview (/site/episodes/<slug>/loudness.svg)."""


def read_report(lines: list[str], slugs: set[str]) -> tuple[list[EpisodeReport], list[str]]:
    """The report's lines (`<slug>: figures`, `  warning: <slug>: …`, `  picture: …`) per episode,
    and the other warnings the build printed."""
    episodes: list[EpisodeReport] = []
    others: list[str] = []
    for line in lines:
        text = line.strip()
        slug, _, rest = text.partition(": ")
        if not line.startswith(" ") and slug in slugs and rest:
            episodes.append(EpisodeReport(slug, rest))
        elif text.startswith(WARNING) and episodes and text[len(WARNING):].startswith(episodes[-1].slug + ": "):
            episodes[-1].warnings.append(text[len(WARNING) + len(episodes[-1].slug) + 2:])
        elif text.startswith(PICTURE) and episodes:
            episodes[-1].picture = f"/site/episodes/{episodes[-1].slug}/loudness.svg"
        elif text.lower().startswith(("warning:", "attention")):
            others.append(text)
    return episodes, others


def blueprint(root: Path, jobs: Jobs) -> Blueprint:
    pages = Blueprint("building", __name__)

    @pages.route("/build", methods=["GET", "POST"])
    def build() -> Any:
        """Build the site in the background; the page follows it (every tab, and after the tab was closed)."""
        if not (root / CONFIG_FILE).is_file():
            return redirect("/")  # no podcast yet: init's questions first
        if request.method == "POST":
            jobs.start("build", "--report")
            return redirect("/build", code=303)
        job: Job | None = jobs.current.get("build")
        episodes: list[EpisodeReport] = []
        others: list[str] = []
        if job is not None and not job.running:
            slugs = {p.name for p in (root / "episodes").iterdir() if p.is_dir()} if (root / "episodes").is_dir() else set()
            episodes, others = read_report(job.lines, slugs)
        publishing = jobs.current.get("publish")
        return render_template("build.html", here="build", job=job, site_built=(root / SITE_INDEX).is_file(), episodes=episodes,
                               warnings=others, busy=publishing is not None and publishing.running)

    return pages
