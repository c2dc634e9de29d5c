"""The show notes' preview: the Markdown of the episode form rendered by the site's own renderer.

`pipeline.source.notes.to_html` is what the episode pages and the feed use: raw HTML is not
rendered (it shows as text), links other than http(s), mailto and relative ones are refused.
Nothing is saved. Without script the preview opens as its own page; with the studio's small
script (notes-preview.js) it appears under the notes, in the same page.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, send_file
from markupsafe import Markup

from pipeline.source import notes


def blueprint() -> Blueprint:
    pages = Blueprint("notes_preview", __name__)

    @pages.post("/episodes/<name>/notes-preview")
    def preview(name: str) -> Any:
        rendered = Markup(notes.to_html(request.form.get("notes", "")))  # safe: the renderer escapes raw HTML
        return render_template("notes_preview.html", name=name, rendered=rendered)

    @pages.get("/notes-preview.js")
    def script() -> Any:
        from pipeline.studio.app import templates_folder

        return send_file(templates_folder() / "notes-preview.js", mimetype="text/javascript")

    return pages
