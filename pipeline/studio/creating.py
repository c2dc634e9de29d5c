"""Creating the podcast from the studio: `portevoix init`'s questions as a form, for a folder without podcast.yaml.

Every answer goes through init's own `normalised` and `answer_problem` (the checks podcast.yaml
gets), an uploaded cover through `cover_problem`, and the folder is written by `create_podcast`:
the same podcast.yaml, cover, episodes/ and .gitignore as the command line makes. Then the
settings follow, where every other field can be filled in.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Blueprint, redirect, render_template, request

from pipeline.audio.cache import CACHE_DIR
from pipeline.errors import PortevoixError
from pipeline.i18n import language, say
from pipeline.source.config import CONFIG_FILE
from pipeline.source.answers import QUESTIONS, SUGGESTED_CATEGORIES, Answers, answer_problem, cover_problem, normalised
from pipeline.source.init import FIELD_NOTES, create_podcast
from pipeline.studio.guard import safe_file_name, upload_limit

COVER_LIMIT = 20 * 1024**2
"""Largest cover accepted (a 3000 px JPEG is a few MB); larger ones are refused before being read."""
COVER_SUFFIXES = (".jpg", ".jpeg", ".png")


def defaults() -> dict[str, str]:
    """What init proposes when nothing is typed."""
    return {"language": language(), "category": SUGGESTED_CATEGORIES[0]}


def blueprint(root: Path) -> Blueprint:
    pages = Blueprint("creating", __name__)

    @pages.route("/create", methods=["GET", "POST"])
    @upload_limit(COVER_LIMIT)
    def create() -> Any:
        if (root / CONFIG_FILE).is_file():
            return redirect("/settings")
        problems: dict[str, list[str]] = {}
        given = {key: request.form.get(key, "") for key, _ in QUESTIONS}
        for key, value in defaults().items():
            given[key] = given[key] or value
        if request.method == "POST":
            try:
                if create_from_form(root, given, request.files.get("cover"), problems):
                    return redirect("/settings?created=1", code=303)
            except PortevoixError as exc:
                problems.setdefault("", []).extend(p.message for p in exc.problems)
        # init's questions as labels, without their explanations in brackets: the help under each field gives them.
        questions = [(key, say(question).split(" (")[0], field_note(key)) for key, question in QUESTIONS]
        questions.append(("cover", say("init_ask_cover").split(" (")[0].split(", ")[0], field_note("cover") + " " + say("studio_cover_made")))
        return render_template("create.html", root=root, given=given, problems=problems, questions=questions,
                               categories=SUGGESTED_CATEGORIES), 422 if problems else 200

    return pages


def field_note(answer: str) -> str:
    """The explanation init writes above the podcast.yaml field this answer fills."""
    field = {"email": "owner", "category": "categories"}.get(answer, answer)
    notes = FIELD_NOTES.get(field, {})
    return notes.get(language()) or notes.get("en", "")


def create_from_form(root: Path, given: dict[str, str], sent: Any, problems: dict[str, list[str]]) -> bool:
    """Check every answer as init does; write the podcast folder when all are right."""
    values = {}
    for key, _ in QUESTIONS:
        values[key] = normalised(key, given[key])
        problem = answer_problem(key, values[key])
        if problem:
            problems[key] = [problem]
    name = safe_file_name(sent.filename or "") if sent and sent.filename else ""
    if sent and sent.filename and not name.lower().endswith(COVER_SUFFIXES):
        problems["cover"] = [say("studio_cover_kind")]
    if problems:
        return False
    cover = None
    if name:
        uploads = root / CACHE_DIR / "studio-uploads"
        uploads.mkdir(parents=True, exist_ok=True)
        cover = uploads / f"{secrets.token_hex(8)}-{name}"
        sent.save(cover)
    try:
        if cover is not None:
            problem = cover_problem(cover)
            if problem:
                problems["cover"] = [problem.replace(str(cover), name)]
                return False
        create_podcast(root, Answers(cover=cover, **values))
        return True
    finally:
        if cover is not None:
            cover.unlink(missing_ok=True)
