"""`releases/` on a local folder and over a real SSH server: only portevoix's releases are ever pruned or rolled back to.

A person may keep things in `releases/` (a backup, notes, a folder named with
spaces, a folder named like a release but without its manifest): however many
publishes prune old releases, all of it stays. --rollback refuses a release
whose files are not all there, and the current site keeps serving.
"""

from __future__ import annotations


import pytest

from support.files import tree_digest
from support.publish import podcast_folder, publish, ssh_yaml, use_site

FOREIGN = {
    "mes sauvegardes/ancien site.html": b"<p>fait main</p>",
    "notes du bureau.txt": b"ne pas effacer",
    "20200101T000000Z/index.html": b"named like a release, but no manifest",
    "vieux.manifest.json": b'{"files": {}}',
    "my files/a b c.mp3": b"ID3 pas a nous",
}


def local_yaml(path) -> str:
    return f"publish:\n  web:\n    type: local\n    path: {path}\n    keep: 2\n"


@pytest.fixture(params=["local", "ssh"])
def folder(request, tmp_path):
    if request.param == "local":
        return podcast_folder(tmp_path, local_yaml(tmp_path / "www"))
    return podcast_folder(tmp_path, ssh_yaml(request.getfixturevalue("sshd"), tmp_path / "www").replace("keep: 3", "keep: 2"))


def test_foreign_things_in_releases_survive_pruning_and_rollback_checks_completeness(folder, sites, tmp_path):
    releases = tmp_path / "www" / "releases"
    for name, data in FOREIGN.items():
        (releases / name).parent.mkdir(parents=True, exist_ok=True)
        (releases / name).write_bytes(data)
    for version in ("v1", "v2", "v1", "v2"):
        use_site(folder, sites, version)
        result = publish(folder)
        assert result.returncode == 0, result.stderr
    ours = sorted(p.name for p in releases.iterdir() if p.is_dir() and p.name[:1].isdigit() and (releases / f"{p.name}.manifest.json").exists())
    assert len(ours) == 2, "pruned to keep: 2"
    for name, data in FOREIGN.items():
        assert (releases / name).read_bytes() == data, f"{name} was left alone"

    # The release before the current one loses a file: --rollback refuses it and the site stays.
    served = tree_digest(tmp_path / "www/current")
    previous = releases / ours[0]
    (previous / "feed.xml").unlink()
    result = publish(folder, "--rollback")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1
    assert f"release {ours[0]} is incomplete (1 files missing or changed, e.g. feed.xml); not rolled back, {ours[1]} still serves" in line
    assert tree_digest(tmp_path / "www/current") == served

    # Made whole again, it is rolled back to.
    (previous / "feed.xml").write_bytes((sites["v1"] / "site/feed.xml").read_bytes())
    result = publish(folder, "--rollback")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "www/current/feed.xml").read_bytes() == (sites["v1"] / "site/feed.xml").read_bytes()
