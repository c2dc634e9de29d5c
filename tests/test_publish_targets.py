"""The publish targets registry: a kind of target added from outside (one class, one `register`) is validated from
podcast.yaml and driven end to end by `portevoix publish`'s steps, like the built-in local, ssh and s3 kinds."""

from __future__ import annotations

import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from support.files import tree_digest
from support.publish import podcast_folder, publish, use_site  # noqa: F401 - fixtures
from pipeline.errors import PortevoixError
from pipeline.publish import targets
from pipeline.publish.plan import FEED, MEDIA, PAGES, Manifest, Plan, group_of, hash_file, manifest_json, parse_manifest
from pipeline.publish.steps import publish as publish_in_process
from pipeline.source.fields import Text

STATE = ".mirror-manifest.json"


class MirrorSettings(targets.TargetSettings):
    """A second kind of local folder: plain copies, no release folders (what a USB key or a synced folder wants)."""

    kind = "mirror"
    needs = ("folder",)
    rollback_refused = "--rollback needs release folders (a mirror has one copy)"

    folder = Text(doc="mirror: the folder that receives a copy of the site.")

    def open(self, site: Path) -> targets.Target:
        return MirrorTarget(self, site)


class MirrorTarget:
    def __init__(self, settings: MirrorSettings, site: Path):
        self.root, self.site = Path(settings.folder), site
        self.where = f"{settings.name} (mirror {settings.folder})"
        self.sent: list[str] = []

    def read_state(self) -> tuple[Manifest, bytes | None]:
        state = self.root / STATE
        feed = self.root / "feed.xml"
        return (parse_manifest(state.read_text()) if state.is_file() else {}), (feed.read_bytes() if feed.is_file() else None)

    @contextmanager
    def lock(self):
        self.root.mkdir(parents=True, exist_ok=True)
        handle = os.open(self.root / ".lock", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        try:
            yield
        finally:
            os.close(handle)
            (self.root / ".lock").unlink()

    def begin(self, plan: Plan) -> None:
        self.sent.clear()

    def send(self, plan: Plan, names: list[str]) -> None:
        for name in names:
            if name in plan.changed():
                (self.root / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(self.site / name, self.root / name)
                self.sent.append(name)

    def verify(self, plan: Plan, names: list[str]) -> None:
        for name in names:
            if hash_file(self.root / name) != plan.manifest[name]:
                raise PortevoixError(f"{self.where}: {name} arrived damaged")

    def finish(self, plan: Plan) -> None:
        for name in plan.removed:
            (self.root / name).unlink(missing_ok=True)
        (self.root / STATE).write_text(manifest_json({**plan.manifest, **{n: plan.previous[n] for n in plan.retained}}))

    def rollback(self) -> str:
        raise AssertionError("never called: the settings refuse --rollback first")

    def describe_release(self) -> str:
        return f"{len(self.sent)} files copied"


@pytest.fixture()
def mirror_kind():
    targets.register(MirrorSettings)
    yield MirrorSettings
    del targets.KIND_MODULES["mirror"], targets._classes["mirror"]


def mirrored(folder: Path) -> dict:
    copy = folder.parent / "copy"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(STATE))
    try:
        return tree_digest(copy)
    finally:
        shutil.rmtree(copy)


def test_a_registered_kind_is_validated_and_published_end_to_end(mirror_kind, sites, tmp_path):
    mirror = tmp_path / "mirror"
    root = podcast_folder(tmp_path, f"publish:\n  key:\n    type: mirror\n    folder: {mirror}\n")
    use_site(root, sites, "v1")
    result = publish_in_process(root)
    assert result.lines[0].startswith(f"published to key (mirror {mirror}): ")
    assert mirrored(mirror) == tree_digest(root / "site")

    use_site(root, sites, "v2")
    result = publish_in_process(root)
    # Episode B left the site; the audio the published v1 feed announced stays (the plan's rule, any kind of target).
    kept = {name: digest for name, digest in tree_digest(sites["v1"] / "site").items() if name.startswith("media/2024-03-21-b.")}
    assert "media/2024-03-21-b.mp3" in kept
    assert mirrored(mirror) == tree_digest(root / "site") | kept
    state = json.loads((mirror / STATE).read_text())["files"]
    assert "media/2024-03-21-b.mp3" in state and "episodes/2024-03-21-b/index.html" not in state
    assert not (mirror / "episodes/2024-03-21-b/index.html").exists()

    # The same site again: nothing travels; B's audio goes, now that the feed served no longer announces it.
    assert ", 0 files sent (0 B), " in publish_in_process(root).lines[0]
    assert mirrored(mirror) == tree_digest(root / "site")
    assert publish_in_process(root).lines == [f"key (mirror {mirror}) already holds this site: nothing to send"]
    with pytest.raises(PortevoixError, match="--rollback needs release folders"):
        publish_in_process(root, rollback=True)


def test_feed_goes_last_to_a_registered_kind(mirror_kind, sites, tmp_path, monkeypatch):
    order: list[str] = []
    monkeypatch.setattr(MirrorTarget, "send", lambda self, plan, names: order.extend(names))
    monkeypatch.setattr(MirrorTarget, "verify", lambda self, plan, names: None)
    root = podcast_folder(tmp_path, f"publish:\n  key: {{type: mirror, folder: {tmp_path / 'm'}}}\n")
    use_site(root, sites, "v1")
    publish_in_process(root)
    groups = [group_of(name) for name in order]
    assert groups == sorted(groups, key=[MEDIA, PAGES, FEED].index) and set(groups) == {MEDIA, PAGES, FEED}
    assert order[-1] == "feed.xml" and order.count("feed.xml") == 1


def test_a_registered_kind_owns_its_settings(mirror_kind, tmp_path):
    root = podcast_folder(tmp_path, "publish:\n  key:\n    type: mirror\n    bucket: b\n    foldr: /x\n  bad: {type: s4}\n")
    with pytest.raises(PortevoixError) as caught:
        publish_in_process(root, "key")
    assert [str(p) for p in caught.value.problems] == [
        "podcast.yaml: publish.key.foldr: unknown key (did you mean folder?)",
        "podcast.yaml: publish.key.folder: is missing (a mirror target needs it)",
        "podcast.yaml: publish.key.bucket: is not used by a mirror target",
        'podcast.yaml: publish.bad.type: "s4" is not one of local, ssh, s3, mirror',
    ]
