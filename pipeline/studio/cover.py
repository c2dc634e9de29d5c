"""The podcast's cover, replaced from the studio by an upload.

The upload is size-limited (refused before it is read), spooled inside the podcast folder, and
checked with the loader's own `cover_problems` (square, large enough, a real JPEG or PNG) before it
takes the place of the cover: a wrong image leaves the old cover as it was. A cover of another kind
(PNG for a JPEG) is written beside it under its own name and podcast.yaml's `cover:` follows; the old
file is left where it is (the studio never deletes a file of the collective).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path, PurePosixPath
from typing import Any

from flask import Blueprint, redirect, render_template, request

from pipeline.i18n import say
from pipeline.media.images import cover_problems
from pipeline.source.config import CONFIG_FILE
from pipeline.source.yamlio import YamlError
from pipeline.studio import roundtrip
from pipeline.studio.guard import inside_folder, safe_file_name, upload_limit
from pipeline.studio.creating import COVER_LIMIT, COVER_SUFFIXES


def blueprint(root: Path) -> Blueprint:
    pages = Blueprint("cover", __name__)

    @pages.post("/settings/cover")
    @upload_limit(COVER_LIMIT)
    def replace_cover() -> Any:
        path = root / CONFIG_FILE
        try:
            data = roundtrip.read_config(path)
        except (YamlError, OSError) as exc:
            return render_template("broken.html", file=CONFIG_FILE, message=str(exc)), 422
        sent = request.files.get("cover")
        name = safe_file_name(sent.filename or "") if sent and sent.filename else ""
        suffix = PurePosixPath(name).suffix.lower()
        if sent is None or not name:
            return problem(say("studio_no_file"))
        if suffix not in COVER_SUFFIXES:
            return problem(say("studio_cover_kind"))
        current = str(data.get("cover") or "cover.jpg")
        now = PurePosixPath(current)
        if suffix == ".png":
            wanted = now.with_suffix(".png")
        else:
            wanted = now if now.suffix.lower() in (".jpg", ".jpeg") else now.with_suffix(".jpg")
        target = inside_folder(root, str(wanted))
        if target is None:
            return problem(say("leaves_folder", name=current, folder=say("podcast_folder")))
        if str(wanted) != current and target.exists():
            return problem(say("studio_file_exists", name=str(wanted)))
        partial = target.with_name(f".{secrets.token_hex(8)}{suffix}.upload")  # beside it: replaced in one rename
        try:
            sent.save(partial)
            found = cover_problems(partial)
            if found:
                return problem(f'"{name}" ' + "; ".join(found))
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        if str(wanted) != current:
            data["cover"] = str(wanted)
            roundtrip.write_atomically(path, roundtrip.dump_mapping(data))
        return redirect("/settings?cover=1#cover", code=303)

    def problem(message: str) -> Any:
        return render_template("cover.html", here="settings", message=message), 422

    return pages
