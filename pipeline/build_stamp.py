"""Whether a build has anything to do: what it reads and what it wrote, as the last build left them.

After a build, the identity (inode, size, modification time in ns) of every file it may read
is kept in `.cache/portevoix/build-stamp.json`: the podcast folder's own files, everything
under `episodes/` and `templates/`, and portevoix's code and built-in templates. The next
build first compares them, and checks that `site/` still holds exactly the files the last
build wrote, unchanged (the writer's manifest). When all of that holds, the same sources
would give the same site, byte for byte, and the build stops there — as make does. A
file added, removed, edited or merely touched anywhere in those places makes a full build.
Nothing depends on the clock when nothing changed (lastBuildDate moves only with the content).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from pipeline.fsutil import write_atomically
from pipeline import failpoints
from pipeline.site.writer import MANIFEST, entry_identity, read_manifest  # a light module: `build` asks before importing the heavy stages

CACHE_DIR = ".cache/portevoix"
"""pipeline.audio.cache.CACHE_DIR (not imported: the audio package is heavy to import)."""

log = logging.getLogger(__name__)

STAMP = "build-stamp.json"
FORMAT = 2
PACKAGE = Path(__file__).resolve().parent
BUILTIN_TEMPLATES = PACKAGE.parent / "templates"
READ_FOLDERS = ("episodes", "templates", ".cache/portevoix/tagged", ".cache/portevoix/clips")
"""Folders of the podcast folder a build reads, besides its top-level files. The tagged files are the
cache's finished media and soundbite clips, copied into the site: one damaged or removed there means the build must run
(it checks each one's size and digest before using it, and makes it again)."""


def _tree(folder: Path | str, into: dict[str, str], prefix: str, *, skip: tuple[str, ...] = ()) -> None:
    """{relative path: its identity (`_identity`)} of every file below `folder` (symbolic links as what they point to),
    leaving out the names in `skip` at every depth (`__pycache__` in each subpackage, not only at the top).

    Plain strings and os.scandir: a site of ten thousand episodes has over a hundred thousand files (one string
    each, not a list of three numbers: a third of the memory)."""
    try:
        entries = os.scandir(folder)
    except OSError:
        return
    with entries:
        for entry in entries:
            name = entry.name
            if name in skip:
                continue
            try:
                if entry.is_dir():
                    _tree(entry.path, into, prefix + name + "/", skip=skip)
                elif entry.is_file():
                    into[prefix + name] = _identity(entry.stat())
            except OSError:
                into[prefix + name] = ""


def _identity(stat: os.stat_result) -> str:
    """"inode size mtime_ns" of a file ("" when it cannot be read)."""
    return f"{stat.st_ino} {stat.st_size} {stat.st_mtime_ns}"


SOURCE_FOLDERS = ("episodes", "templates")
"""The READ_FOLDERS a build only reads (unless it writes draft transcripts): see `inputs`' `before`."""


def inputs(root: Path, output: Path, options: dict, extra: list[str] = [], before: Snapshot | None = None) -> dict:  # noqa: B006 (never changed)
    """Everything that decides what a build of `root` into `output` makes, as identities.

    `extra`: other files of the podcast folder the build read (jingles named in podcast.yaml…), relative paths.
    `before`: the inputs taken when the build started (`snapshot`): the identities of the episodes, templates and
    code are those, not walked again; what the build writes (the folder's own files, the cache's media) is. What
    the build read is then what the stamp says, even when a file is edited while it runs: the next build sees
    the edit and runs, instead of finding the edited file's identity in the stamp."""
    podcast: dict[str, str] = {}
    for name in extra:
        try:
            podcast[name] = _identity((root / name).stat())
        except OSError:
            podcast[name] = ""
    for entry in os.scandir(root):
        if entry.is_file():
            podcast[entry.name] = _identity(entry.stat())
    kept = SOURCE_FOLDERS if before is not None else ()
    for name in READ_FOLDERS:
        if name not in kept:
            _tree(root / name, podcast, f"{name}/")
    if before is not None:
        podcast.update(before.sources())
        code = before.code()
    else:
        code = {}
        _tree(PACKAGE, code, "pipeline/", skip=("__pycache__",))
        _tree(BUILTIN_TEMPLATES, code, "templates/")
    return {"format": FORMAT, "output": str(output), "options": options, "extra": sorted(extra), "podcast": podcast, "code": code}


class Snapshot:
    """The inputs (`inputs`) of a podcast folder as a build found them: for the up-to-date question (`inputs`), then
    for `save` (the identities of the episodes, templates and code it read: `sources`, `code`).

    Once the question is answered, `settle` keeps only what `save` takes, packed into bytes: at ten thousand
    episodes the inputs are 70,000 names and identities, 14 MB as a dict of strings (3.5 MB packed), and were held
    through the whole build, its peak included. The dict is read back when the build saves its stamp."""

    def __init__(self, taken: dict) -> None:
        self._inputs: dict | None = taken
        self._packed: tuple[bytes, bytes] = (b"", b"")

    @property
    def inputs(self) -> dict:
        assert self._inputs is not None, "settled: only `sources` and `code` are kept"
        return self._inputs

    def settle(self) -> None:
        """Keep only the identities of the folders a build only reads (SOURCE_FOLDERS) and of the code, packed."""
        if self._inputs is None:
            return
        self._packed = (_pack(self.sources()), _pack(self._inputs["code"]))
        self._inputs = None

    def sources(self) -> dict[str, str]:
        """{relative path: identity} of every file under SOURCE_FOLDERS."""
        if self._inputs is None:
            return _unpack(self._packed[0])
        prefixes = tuple(f"{name}/" for name in SOURCE_FOLDERS)
        return {name: identity for name, identity in self._inputs["podcast"].items() if name.startswith(prefixes)}

    def code(self) -> dict[str, str]:
        """{path: identity} of portevoix's code and built-in templates."""
        return _unpack(self._packed[1]) if self._inputs is None else self._inputs["code"]


def _pack(identities: dict[str, str]) -> bytes:
    """{name: identity} as one UTF-8 text, `name NUL identity NUL …` (no path holds a NUL; names that are not UTF-8
    come back as they were, by surrogateescape)."""
    return "\0".join(f"{name}\0{identity}" for name, identity in identities.items()).encode("utf-8", "surrogateescape")


def _unpack(packed: bytes) -> dict[str, str]:
    if not packed:
        return {}
    parts = packed.decode("utf-8", "surrogateescape").split("\0")
    return dict(zip(parts[::2], parts[1::2]))


def _site_as_written(root: Path, output: Path) -> bool:
    """True when `output` holds exactly the files the last build wrote there, unchanged."""
    written = read_manifest(root / MANIFEST, output)
    if written is None:
        return False
    found: dict[str, str] = {}
    _tree(output, found, "")
    if found.keys() != written.keys():
        return False
    for name, identity in found.items():
        if not identity or entry_identity(written[name]).partition(" ")[2] != identity:
            return False
    return True


def _saved(root: Path) -> dict | None:
    try:
        saved = json.loads((root / CACHE_DIR / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return saved if isinstance(saved, dict) else None


def snapshot(root: Path, output: Path, options: dict) -> Snapshot:
    """The inputs as they are now (with the extra files the last build named), for `up_to_date` and `save`."""
    saved = _saved(root) or {}
    extra = saved.get("extra")
    return Snapshot(inputs(root, output, options, [n for n in extra if isinstance(n, str)] if isinstance(extra, list) else []))


def up_to_date(root: Path, output: Path, options: dict, now: Snapshot | None = None) -> bool:
    """True when building `root` into `output` would make the site that is already there.

    `now`: the inputs taken by `snapshot` (else walked here). Never while a test hook is set: a test that stops or
    holds a build at a step needs every step."""
    if failpoints.active():
        return False
    saved = _saved(root)
    if saved is None:
        return False
    if saved != (now.inputs if now is not None else inputs(root, output, options, list(saved.get("extra") or []))):
        return False
    return output.is_dir() and _site_as_written(root, output)


def save(root: Path, output: Path, options: dict, read: list[Path], before: Snapshot | None = None) -> None:
    """Remember the inputs of the build that just finished (called last, after every file it writes).

    `read`: the files the build read by name (cover, jingles…); those outside the folders always looked at are kept.
    `before`: the `snapshot` taken when the build started, when it wrote nothing among the episodes (see inputs)."""
    path = root / CACHE_DIR / STAMP
    extra = sorted({p.resolve().relative_to(root).as_posix() for p in read if p.resolve().is_relative_to(root)})
    extra = [name for name in extra if "/" in name and name.split("/")[0] not in READ_FOLDERS]
    try:
        write_atomically(path, json.dumps(inputs(root, output, options, extra, before), separators=(",", ":")))
    except OSError as exc:
        log.warning("cannot keep the build stamp in %s: %s", path, exc)


def forget(root: Path) -> None:
    """Drop the stamp: the next build does all its steps (called before a build changes anything)."""
    (root / CACHE_DIR / STAMP).unlink(missing_ok=True)
