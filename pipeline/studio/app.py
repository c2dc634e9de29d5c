"""The studio's pages: the podcast's settings, its episodes, an episode's form.

Pages read the folder on every request (it is the one source of truth, and a text editor may have
changed it) through the same loader as `portevoix check`, whose problems are shown next to the field
they concern. Saving writes podcast.yaml or episode.md with their comments and key order kept.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import tempfile
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from flask import Flask, Request, Response, abort, redirect, render_template, request, send_file
from jinja2 import ChoiceLoader, FileSystemLoader

from pipeline.audio.cache import CACHE_DIR
from pipeline.errors import PortevoixError, ProblemCollector
from pipeline.i18n import language, say
from pipeline.source.config import CONFIG_FILE, PodcastConfig, load_config
from pipeline.source.episode_meta import EpisodeMeta
from pipeline.source.episodes import EPISODE_FILE, EPISODES_DIR, split_front_matter
from pipeline.source.new import new_episode
from pipeline.source.yamlio import YamlError, parse_yaml
from pipeline.source.init import FIELD_NOTES
from pipeline.studio import building, cover, creating, forms, notes_preview, preview, publishing, review, roundtrip, static, targets, waveform
from pipeline.studio.creating import COVER_LIMIT
from pipeline.studio.folder import episode_problems as folder_problems
from pipeline.studio.guard import Guard, inside_folder, safe_file_name
from pipeline.studio.jobs import Jobs

log = logging.getLogger(__name__)

MAX_UPLOAD = 4 * 1024**3
"""Largest upload: a recording of a few hours in WAV. Larger ones are refused before being read."""
IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
SETTINGS_SKIP = ("publish",)
"""podcast.yaml fields the settings form does not edit (publish targets are listed and tested, edited in podcast.yaml)."""


def templates_folder() -> Path:
    """templates/studio/: at the top of the repository, or inside the installed package (see setup.py)."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "templates" / "studio", package.parent / "templates" / "studio"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("templates/studio/")


def words(key: str, **values: object) -> str:
    return say("studio_" + key, **values)


def create_app(root: Path, guard: Guard, max_upload: int = MAX_UPLOAD) -> Flask:
    """The studio for the podcast folder `root`, protected by `guard` (see pipeline/studio/guard.py)."""
    root = root.resolve()
    app = Flask(__name__, static_folder=None, template_folder=None)
    app.jinja_loader = ChoiceLoader([FileSystemLoader(str(templates_folder()))])
    jobs = Jobs(root)
    app.request_class = uploads_inside(root / CACHE_DIR / "studio-uploads")
    app.config["MAX_CONTENT_LENGTH"] = max_upload
    app.url_map.merge_slashes = False  # "/file//etc/x" is refused, not redirected to a path inside the folder
    app.jinja_env.globals.update(w=words, csrf=guard.csrf, lang=language(), quote=quote)

    app.register_blueprint(creating.blueprint(root))
    app.register_blueprint(cover.blueprint(root))
    app.register_blueprint(targets.blueprint(root))
    app.register_blueprint(notes_preview.blueprint())
    app.register_blueprint(preview.blueprint(root))
    app.register_blueprint(building.blueprint(root, jobs))
    app.register_blueprint(publishing.blueprint(root, jobs))
    app.register_blueprint(static.blueprint())
    app.register_blueprint(waveform.blueprint(root))
    app.register_blueprint(review.blueprint(root, jobs))

    @app.before_request
    def check_request() -> Any:
        if not guard.host_allowed(request.host):
            return refuse(403, words("wrong_host"))
        token = request.args.get("token")
        if token is not None:
            if not guard.token_matches(token):
                return refuse(403, words("no_token"))
            answer = redirect(request.path, code=303)
            answer.set_cookie(guard.cookie, guard.token, httponly=True, samesite="Strict", path="/")
            return answer
        if not guard.token_matches(request.cookies.get(guard.cookie)):
            return refuse(403, words("no_token"))
        if request.method not in ("GET", "HEAD"):
            limit = getattr(app.view_functions.get(request.endpoint or ""), "upload_limit", None)
            if limit is not None:
                request.max_content_length = limit  # refused before the form is read (see guard.upload_limit)
            if not guard.origin_allowed(request.headers.get("Origin"), request.host):
                return refuse(403, words("wrong_origin"))
            if not guard.csrf_matches(request.form.get("csrf")):
                return refuse(403, words("wrong_origin"))
        return None

    @app.after_request
    def headers(answer: Response) -> Response:
        answer.headers.setdefault("Content-Security-Policy", "default-src 'self'; img-src 'self'; style-src 'self'; frame-ancestors 'none'; form-action 'self'")
        answer.headers.setdefault("X-Frame-Options", "DENY")  # the site's preview sets its own (pipeline/studio/preview.py)
        answer.headers["Referrer-Policy"] = "same-origin"  # "no-referrer" would make chromium send Origin: null with the forms
        answer.headers["Cache-Control"] = "no-store"
        return answer

    @app.errorhandler(413)
    def too_large(_error: Exception) -> Any:
        return refuse(413, words("too_large", size=f"{(request.max_content_length or max_upload) / 1024**2:.0f} MB"))

    @app.errorhandler(404)
    def not_found(_error: Exception) -> Any:
        return refuse(404, words("not_found"))

    def refuse(status: int, message: str) -> Any:
        return render_template("refused.html", message=message), status

    def episode_folders() -> dict[str, Path]:
        base = root / EPISODES_DIR
        if not base.is_dir():
            return {}
        return {p.name: p for p in sorted(base.iterdir()) if p.is_dir() and not p.name.startswith(".") and (p / EPISODE_FILE).is_file()
                and inside_folder(root, f"{EPISODES_DIR}/{p.name}/{EPISODE_FILE}") is not None}

    def folder_of(name: str) -> Path:
        folders = episode_folders()
        if name not in folders:
            abort(404)
        return folders[name]

    def config_problems() -> tuple[PodcastConfig | None, list[tuple[str, str]]]:
        problems = ProblemCollector()
        config = load_config(root, problems)
        return config, [(p.field or "", p.message) for p in problems.problems]

    @app.get("/")
    def index() -> Any:
        if not (root / CONFIG_FILE).is_file():
            return redirect("/create")  # init's questions (pipeline/studio/creating.py)
        rows = []
        for name, folder in episode_folders().items():
            front: dict[str, Any]
            try:
                front = roundtrip.read_episode(folder / EPISODE_FILE).front
            except (YamlError, OSError):
                front = {}
            rows.append({"name": name, "title": forms.shown_value(front.get("title")) or name, "date": forms.shown_value(front.get("date"))})
        rows.sort(key=lambda row: (row["date"], row["name"]), reverse=True)
        config, problems = config_problems()
        title = config.title if config else root.name
        return render_template("index.html", here="index", title=title, episodes=rows, config_problems=len(problems))

    @app.route("/settings", methods=["GET", "POST"])
    def settings() -> Any:
        path = root / CONFIG_FILE
        if not path.is_file():
            return redirect("/")
        try:
            data = roundtrip.read_config(path)
        except (YamlError, OSError) as exc:
            return render_template("broken.html", file=CONFIG_FILE, message=str(exc)), 422
        status, not_saved = 200, []
        if request.method == "POST":
            forms.update(PodcastConfig, data, request.form, skip=SETTINGS_SKIP)
            candidate = roundtrip.dump_mapping(data)
            made = forms.widgets(PodcastConfig, data, skip=SETTINGS_SKIP, notes=setting_notes())
            not_saved = blocking(made, schema_errors(PodcastConfig, candidate, 1))
            if not not_saved:
                roundtrip.write_atomically(path, candidate)
                return redirect("/settings?saved=1", code=303)
            status = 422
        made = forms.widgets(PodcastConfig, data, skip=SETTINGS_SKIP, notes=setting_notes())
        if not_saved:
            left = forms.place_problems(made, not_saved)
        else:
            left = forms.place_problems(made, config_problems()[1])
        cover = data.get("cover") or "cover.jpg"
        cover_url = "/file/" + quote(str(cover)) if inside_folder(root, str(cover)) and (root / str(cover)).is_file() else None
        return render_template("settings.html", here="settings", widgets=made, left=left, not_saved=bool(not_saved), saved=request.args.get("saved"),
                               flagged=forms.flagged(made), cover_url=cover_url, targets=targets.listed(data), created=request.args.get("created"),
                               cover_done=request.args.get("cover"), cover_limit=f"{COVER_LIMIT / 1024**2:.0f} MB"), status

    @app.route("/episodes/<name>", methods=["GET", "POST"])
    def episode(name: str) -> Any:
        folder = folder_of(name)
        path = folder / EPISODE_FILE
        try:
            source = roundtrip.read_episode(path)
        except (YamlError, OSError) as exc:
            return render_template("broken.html", file=f"{EPISODES_DIR}/{name}/{EPISODE_FILE}", message=str(exc)), 422
        status, not_saved = 200, []
        if request.method == "POST":
            forms.update(EpisodeMeta, source.front, request.form)
            source = source.with_notes(request.form.get("notes", source.notes))
            candidate = source.text()
            front, _notes, first_line = split_front_matter(candidate)
            made = forms.widgets(EpisodeMeta, source.front)
            not_saved = blocking(made, schema_errors(EpisodeMeta, front, first_line))
            if not not_saved:
                roundtrip.write_atomically(path, candidate)
                return redirect(f"/episodes/{quote(name)}?saved=1", code=303)
            status = 422
        made = forms.widgets(EpisodeMeta, source.front)
        left = forms.place_problems(made, not_saved or episode_problems(folder))
        files = sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
        title = forms.shown_value(source.front.get("title")) or name
        return render_template("episode.html", name=name, title=title, widgets=made, notes=source.notes, left=left,
                               not_saved=bool(not_saved), saved=request.args.get("saved"), flagged=forms.flagged(made),
                               files=files, uploaded=request.args.get("uploaded")), status

    @app.route("/new", methods=["GET", "POST"])
    def new() -> Any:
        """A new episode from a recording uploaded or already in the podcast folder, as `portevoix new` makes it."""
        if not (root / CONFIG_FILE).is_file():
            return redirect("/")
        given = {key: request.form.get(key, "").strip() for key in ("title", "date", "path")}
        given["date"] = given["date"] or dt.datetime.now().astimezone().date().isoformat()
        problems: dict[str, list[str]] = {}
        if request.method == "POST":
            folder = None
            try:
                folder = new_from_form(given, request.files.get("recording"), problems)
            except PortevoixError as exc:
                problems.setdefault("recording", []).extend(p.message for p in exc.problems)
            if folder is not None:
                return redirect(f"/episodes/{quote(folder.name)}?saved=1", code=303)
        return render_template("new.html", here="new", given=given, problems=problems), 422 if problems else 200

    def new_from_form(given: dict[str, str], sent: Any, problems: dict[str, list[str]]) -> Path | None:
        if not given["title"]:
            problems["title"] = [say("missing", what=words("title_lower"))]
        try:
            date = dt.date.fromisoformat(given["date"])
        except ValueError:
            problems["date"] = [say("not_a_date", value=f'"{given["date"]}"')]
        uploaded = safe_file_name(sent.filename or "") if sent and sent.filename else ""
        if not uploaded and not given["path"]:
            problems["recording"] = [words("no_file")]
        elif not uploaded and (inside_folder(root, given["path"]) is None or not (root / given["path"]).is_file()):
            problems["path"] = [words("path_inside", path=given["path"])]
        if problems:
            return None
        if not uploaded:
            return new_episode(root, given["title"], root / given["path"], date)
        uploads = root / CACHE_DIR / "studio-uploads"
        uploads.mkdir(parents=True, exist_ok=True)
        partial = uploads / f"{secrets.token_hex(8)}-{uploaded}"
        try:
            sent.save(partial)
            return new_episode(root, given["title"], partial, date)
        finally:
            partial.unlink(missing_ok=True)

    @app.post("/episodes/<name>/files")
    def upload(name: str) -> Any:
        folder = folder_of(name)
        sent = request.files.get("file")
        file_name = safe_file_name(sent.filename or "") if sent else ""
        if not sent or not file_name:
            return refuse(400, words("no_file"))
        target = inside_folder(root, f"{EPISODES_DIR}/{folder.name}/{file_name}")
        if target is None or target.parent != folder.resolve():
            return refuse(400, words("no_file"))
        if target.exists():
            return refuse(409, words("file_exists", name=file_name))
        partial = target.with_name(f".{file_name}.upload")
        sent.save(partial)
        partial.rename(target)
        log.info("studio: uploaded %s", target)
        return redirect(f"/episodes/{quote(name)}?uploaded={quote(file_name)}", code=303)

    @app.get("/file/<path:relative>")
    def podcast_file(relative: str) -> Any:
        path = inside_folder(root, relative)
        if path is None or not path.is_file() or path.suffix.lower() not in IMAGE_TYPES:
            return refuse(404, words("not_found"))
        return send_file(path, mimetype=IMAGE_TYPES[path.suffix.lower()])

    @app.get("/favicon.ico")
    def no_icon() -> Any:
        return Response(status=204)

    @app.get("/studio.css")
    def stylesheet() -> Any:
        return send_file(templates_folder() / "studio.css", mimetype="text/css")

    def episode_problems(folder: Path) -> list[tuple[str, str]]:
        return folder_problems(root, folder)

    return app


def setting_notes() -> dict[str, str]:
    """Help text of the settings in French: init's explanation of each field (the field docs are in English)."""
    return {key: notes["fr"] for key, notes in FIELD_NOTES.items() if notes.get("fr")} if language() == "fr" else {}


def uploads_inside(folder: Path) -> type[Request]:
    """Flask's request, with the files of a form spooled inside the podcast folder (Werkzeug's default is
    the system's temporary folder): an upload is written nowhere else, even while it arrives."""

    class StudioRequest(Request):
        def _get_file_stream(self, total_content_length: int | None, content_type: str | None,
                             filename: str | None = None, content_length: int | None = None) -> IO[bytes]:
            folder.mkdir(parents=True, exist_ok=True)
            return tempfile.TemporaryFile(dir=folder)  # no name left behind, even if the studio is killed

    return StudioRequest


def schema_errors(schema: type[Any], text: str, first_line: int) -> list[tuple[str, str]]:
    """What the loader says of a YAML text about to be saved, field by field (the same words as check)."""
    try:
        data = parse_yaml(text, first_line)
    except YamlError as exc:
        return [("", str(exc))]
    errors: list[tuple[str, str]] = []
    schema.from_mapping(data, errors)
    return errors


def blocking(made: list[forms.Widget], errors: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The errors that stop a save: those on a field the form shows (others, such as an unknown key
    written by hand, cannot be mended here and do not stop it); a file that cannot be read stops it."""
    elsewhere = forms.place_problems(made, errors)
    return [e for e in errors if e not in elsewhere or not e[0]]
