"""The studio's script and vendored files: templates/studio/static/ (the wheel carries it, see setup.py).

Only files of that folder are served, by suffix (scripts, styles, licences and notes), links resolved.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, send_file

from pipeline.i18n import say
from pipeline.studio.guard import inside_folder

TYPES = {".js": "text/javascript", ".css": "text/css", ".txt": "text/plain", ".md": "text/plain"}


def blueprint() -> Blueprint:
    from pipeline.studio.app import templates_folder

    files = Blueprint("static_files", __name__)
    folder = templates_folder() / "static"

    @files.get("/static/<path:name>")
    def static_file(name: str) -> Any:
        path = inside_folder(folder, name)
        kind = TYPES.get(path.suffix.lower()) if path is not None else None
        if path is None or kind is None or not path.is_file():
            return render_template("refused.html", message=say("studio_not_found")), 404
        return send_file(path, mimetype=kind)

    return files
