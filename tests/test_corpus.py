"""The broken-input corpus, run through the real command line.

For every case in tests/corpus/cases.py: `portevoix check` prints exactly the
case's lines on stderr (one per problem, all at once, no traceback) with exit
status 1, or accepts the folder; `portevoix build` refuses the same folder with
the same lines, writes no site and changes no file of the podcast folder (the
recordings are hashed before and after each command). CORPUS.md, the table
users read, must be what tests/corpus/table.py generates from the cases.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from corpus import table
from corpus.cases import CASES, Case
from corpus.folders import Materials, make_case_folder
from corpus.run import english_environment, lines_of, run_case, run_portevoix

IDENTITY_CACHE = ".cache/portevoix/identity.json"
LOCK = ".cache/portevoix/build.lock"
RECORDS = ".cache/portevoix/episode-records.txt"


@pytest.fixture(scope="session")
def materials(tmp_path_factory) -> Materials:
    return Materials(tmp_path_factory.mktemp("corpus-materials"))


def folder_digest(root: Path) -> dict[str, str]:
    """{path: sha256} of every file below `root` (links not followed; the build lock and the file-identity
    cache and the episode records left out: `check` remembers the probes of the recordings it read, and the
    episodes it read without a problem, so that the next one need not)."""
    found = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[name] = "link to " + str(path.readlink())
        elif path.is_file() and name not in (LOCK, IDENTITY_CACHE, RECORDS):
            try:
                found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
            except PermissionError:  # the unreadable-recording case, when the tests do not run as root
                found[name] = f"unreadable, {path.stat().st_size} bytes, modified {path.stat().st_mtime_ns}"
    return found


def test_the_corpus_has_at_least_thirty_broken_kinds():
    broken = [case for case in CASES if case.lines]
    assert len(broken) >= 30
    assert len({case.name for case in CASES}) == len(CASES), "case names are unique"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_check_says_exactly_what_is_wrong(case: Case, tmp_path, materials):
    root = make_case_folder(tmp_path / case.name, case.files, materials)
    before = folder_digest(root)

    _, result = run_case(case, tmp_path, materials)
    assert "Traceback" not in result.stderr
    assert lines_of(result, root) == case.lines
    if case.lines:
        assert result.returncode == 1
        assert result.stdout == ""
    else:
        assert result.returncode == 0
        assert result.stdout.strip().endswith("no problem found")
    assert folder_digest(root) == before, "check changed a file"

    if case.lines:
        _, built = run_case(case, tmp_path, materials, command="build")
        assert built.returncode == 1
        assert lines_of(built, root) == case.lines, "build reports what check reports"
        assert not (root / "site").exists()
        assert folder_digest(root) == before, "a refused build changed a file"


def test_debug_shows_the_traceback_that_is_otherwise_hidden(tmp_path, materials):
    case = next(c for c in CASES if c.name == "missing-title")
    root, plain = run_case(case, tmp_path, materials)
    debug = run_portevoix(root, "--debug", "check")
    assert "Traceback" not in plain.stderr
    assert debug.returncode == 1
    assert "Traceback" in debug.stderr and "PortevoixError" in debug.stderr


def test_french_locale_gets_french_messages(tmp_path, materials):
    case = next(c for c in CASES if c.name == "every-problem-at-once")
    root, _ = run_case(case, tmp_path, materials)
    env = english_environment()
    env["LANG"] = "fr_FR.UTF-8"
    result = run_portevoix(root, "check", env=env)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        'episodes/2024-03-20-debat/episode.md: date: "hier" n\'est pas une date (écrivez 2024-03-20 ou 2024-03-20T18:30:00+01:00)',
        "episodes/2024-03-21-suite/episode.md: title: manque (champ obligatoire)",
        'episodes/2024-03-21-suite/episode.md: recording: "absent.wav" introuvable dans episodes/2024-03-21-suite/',
        "episodes/2024-03-22-fin/episode.md: season: 0 is less than 1",
    ]
    good = next(c for c in CASES if c.name == "emoji-and-right-to-left")
    root, _ = run_case(good, tmp_path, materials)
    env["LANGUAGE"] = "fr:en"
    env["LANG"] = "en_GB.UTF-8"
    assert run_portevoix(root, "check", env=env).stdout == "1 épisode(s), aucun problème trouvé\n"


def test_corpus_table_is_up_to_date():
    assert table.TABLE.read_text(encoding="utf-8") == table.render(), "run: python tests/corpus/table.py"
