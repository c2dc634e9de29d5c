"""The built site previewed from the studio, under /site/ (behind the studio's token, as every page).

Files are looked up only inside site/ (links resolved, `..` refused, see `guard.inside_folder`);
a folder's address serves its index.html, as a web server does. The site's pages use relative
addresses, so they work under /site/ as they will at the public address. Byte ranges are answered,
so the episode players can seek.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, redirect, request, send_file

from pipeline.build import OUTPUT_DIR
from pipeline.site.serve import EXTRA_TYPES
from pipeline.studio.guard import inside_folder

PREVIEW_POLICY = ("default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self' 'unsafe-inline'; "
                  "frame-ancestors 'self'; form-action 'self'")
"""The site's own pages load only from the same address; the studio's stricter policy would break their styles."""


def blueprint(root: Path) -> Blueprint:
    pages = Blueprint("preview", __name__)
    site = root / OUTPUT_DIR

    @pages.get("/site/")
    @pages.get("/site/<path:relative>")
    def preview(relative: str = "") -> Any:
        path = inside_folder(site, relative) if relative else site.resolve()
        if path is None or not site.is_dir():
            abort(404)
        if path.is_dir():
            if relative and not relative.endswith("/"):
                return redirect(request.path + "/", code=301)
            path = path / "index.html"
        if not path.is_file():
            abort(404)
        kind = EXTRA_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        answer: Response = send_file(path, mimetype=kind, conditional=True)
        answer.headers["Content-Security-Policy"] = PREVIEW_POLICY
        answer.headers["X-Frame-Options"] = "SAMEORIGIN"
        return answer

    return pages
