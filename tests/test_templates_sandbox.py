"""A podcast's own templates are rendered in jinja2's sandbox: they show values, they cannot run commands.

A template that climbs to Python's internals to run a shell command is one line
naming the file and its line; the command never runs and the previous site
stays. A template that only uses the values it is given works, over the
built-in ones. Static files are copied as regular files (links leading out,
loops and pipes are corpus cases: see tests/corpus/cases.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support.files import tree_digest
from corpus.folders import Materials, make_case_folder
from corpus.run import run_portevoix

ATTACKS = {
    "mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "globals": "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "lipsum": "{{ lipsum.__globals__['os'].system('touch MARKER') }}",
}
EXPECTED = {
    "mro": "templates/index.html: line 2: access to attribute '__class__' of 'str' object is unsafe (templates may only show values, not run code)",
    "globals": "templates/index.html: line 2: access to attribute '__init__' of 'type' object is unsafe (templates may only show values, not run code)",
    "lipsum": "templates/index.html: line 2: access to attribute '__globals__' of 'function' object is unsafe (templates may only show values, not run code)",
}


@pytest.fixture(scope="module")
def podcast(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("templates")
    root = make_case_folder(base / "podcast", {}, Materials(base / "materials"))
    result = run_portevoix(root, "build")
    assert result.returncode == 0, result.stderr
    return root


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_a_template_cannot_run_a_command(podcast, attack, tmp_path):
    marker = tmp_path / "pwned"
    template = podcast / "templates" / "index.html"
    template.parent.mkdir(exist_ok=True)
    template.write_text("{% extends 'base.html' %}\n{% block main %}" + ATTACKS[attack].replace("MARKER", str(marker))
                        + "{% endblock %}\n", encoding="utf-8")
    site = tree_digest(podcast / "site")
    try:
        result = run_portevoix(podcast, "build")
    finally:
        template.unlink()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [EXPECTED[attack]]
    assert not marker.exists(), "the command did not run"
    assert tree_digest(podcast / "site") == site, "the previous site is intact"


def test_a_template_that_shows_values_overrides_the_built_in_one(podcast):
    template = podcast / "templates" / "index.html"
    template.parent.mkdir(exist_ok=True)
    template.write_text("{% extends 'base.html' %}\n{% block main %}<p id=mine>{{ site.title | upper }}</p>{% endblock %}\n", encoding="utf-8")
    (podcast / "templates" / "static").mkdir(exist_ok=True)
    (podcast / "templates" / "static" / "extra.css").write_text("p { color: teal }\n", encoding="utf-8")
    try:
        result = run_portevoix(podcast, "build")
    finally:
        template.unlink()
    assert result.returncode == 0, result.stderr
    assert "<p id=mine>DÉBATS DU COLLECTIF</p>" in (podcast / "site/index.html").read_text(encoding="utf-8")
    assert (podcast / "site/static/extra.css").read_text(encoding="utf-8") == "p { color: teal }\n"
