"""The pages' templates: where they come from, the sandboxed jinja2 environment, a failing template as one line.

Templates live in the repository's `templates/` (or the copy a wheel carries); a podcast folder's own
`templates/` overrides any of them. `templates_digest` names exactly the template sources a build uses,
for the page memo (see pages.py).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from pipeline import paths
from pipeline.errors import Problem
from pipeline.source.load import Podcast


def _builtin_templates() -> Path:
    """templates/ of the source checkout, or the copy a wheel carries in pipeline/templates/ (see setup.py)."""
    here = Path(__file__).resolve()
    packaged = here.parents[1] / "templates"
    return packaged if packaged.is_dir() else here.parents[2] / "templates"


BUILTIN_TEMPLATES = _builtin_templates()
APP_LINKS = (
    ("AntennaPod", "antennapod-subscribe://{feed}"),
    ("Apple Podcasts", "podcast://{feed}"),
    ("Pocket Casts", "pktc://subscribe/{feed}"),
)
"""Links that open a podcast app on the listener's device (URL schemes, no web request)."""

CONTENT_POLICY = "default-src 'self'; img-src 'self'; media-src 'self'; script-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'"
"""Every page may load only files from its own site: the browser itself refuses anything else."""
SEARCH_POLICY = CONTENT_POLICY.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")
"""The search page also runs Pagefind's WebAssembly (from the site itself); still nothing from elsewhere."""

def environment(podcast: Podcast) -> jinja2.Environment:
    """The podcast's own templates first, then the built-in ones; all rendered in jinja2's sandbox.

    A podcast folder's templates are not trusted code: in the sandbox a template cannot reach Python internals
    (`''.__class__.__mro__`…) to run commands; it still reads every value the pages are given."""
    loaders = [jinja2.FileSystemLoader(str(podcast.root / "templates")), jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES))]
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def relative_root(page: str) -> str:
    """'../../' for a page at episodes/<slug>/: links work from a folder or a web server alike."""
    depth = page.count("/")
    return "../" * depth if depth else "./"


def folder_url(base_url: str, page: str) -> str:
    """The public address of a page, without its index.html."""
    return paths.absolute(base_url, page.removesuffix("index.html"))


def templates_digest(podcast: Podcast) -> str:
    """Digest of every template file the pages may use (the podcast's own and the built-in ones), with jinja2's version."""
    digest = hashlib.sha256(jinja2.__version__.encode())
    for label, folder in (("podcast", podcast.root / "templates"), ("builtin", BUILTIN_TEMPLATES)):
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "static" not in p.relative_to(folder).parts):
            digest.update(f"{label}/{path.relative_to(folder).as_posix()}\0".encode() + path.read_bytes() + b"\0")
    return digest.hexdigest()


def template_problem(exc: jinja2.TemplateError, root: Path) -> Problem:
    """One line for a template that fails: its file (as the user names it), its line, what is wrong."""
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    trace = exc.__traceback__
    while trace is not None:  # jinja2 puts the template's own lines in the traceback
        if trace.tb_frame.f_code.co_filename.endswith((".html", ".json", ".xml", ".txt")):
            filename, line = trace.tb_frame.f_code.co_filename, trace.tb_lineno
        trace = trace.tb_next
    shown = "templates"
    if filename:
        path = Path(filename)
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else f"templates/{path.name} (built in)"
    where = f"{shown}: line {line}" if line else shown
    message = str(exc.message if getattr(exc, "message", None) else exc).strip().rstrip(".")
    if isinstance(exc, SecurityError):
        message += " (templates may only show values, not run code)"
    return Problem(where, message)
