"""`portevoix publish` to a real OpenSSH server on loopback, with rsync: faults, dry run, clear errors."""

from __future__ import annotations

import pytest

from support.files import sha256, tree_digest
from support.publish import (  # noqa: F401 - fixtures
    free_port, podcast_folder, publish, publish_held_at, publish_killed_at, read_site, ssh_yaml, still_announced, target_snapshot, use_site, web_root,
)


@pytest.fixture()
def folder(tmp_path, sshd):
    return podcast_folder(tmp_path, ssh_yaml(sshd, tmp_path / "www"))


def test_publish_over_ssh_then_incremental(folder, sites, tmp_path, web_root):
    use_site(folder, sites, "v1")
    result = publish(folder, "--target", "vps")
    assert result.returncode == 0, result.stderr
    url = web_root(tmp_path / "www/current")
    assert read_site(url) == (sites["v1"] / "site/feed.xml").read_bytes()

    use_site(folder, sites, "v2")
    result = publish(folder, "--target", "vps")
    assert result.returncode == 0, result.stderr
    assert read_site(url) == (sites["v2"] / "site/feed.xml").read_bytes()
    # What did not change was not sent again: one release's unchanged audio is the other's, hard-linked.
    old, new = sorted(p for p in (tmp_path / "www/releases").iterdir() if p.is_dir())
    assert (old / "media/2024-03-20-a.mp3").stat().st_ino == (new / "media/2024-03-20-a.mp3").stat().st_ino
    assert "files sent" in result.stdout


def test_dry_run_over_ssh_leaves_the_server_byte_identical(folder, sites, tmp_path):
    use_site(folder, sites, "v1")
    assert publish(folder).returncode == 0
    use_site(folder, sites, "v2")
    before = target_snapshot(tmp_path / "www")
    result = publish(folder, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "media/2024-03-22-c.mp3" in result.stdout and "to send" in result.stdout
    assert target_snapshot(tmp_path / "www") == before


@pytest.mark.parametrize("point", ["media", "pages", "feed"])
def test_killed_publish_over_ssh_is_consistent_then_converges(point, folder, sites, tmp_path, web_root):
    use_site(folder, sites, "v1")
    assert publish(folder).returncode == 0
    url = web_root(tmp_path / "www/current")
    use_site(folder, sites, "v2")
    publish_killed_at(folder, point)
    assert read_site(url) == (sites["v1"] / "site/feed.xml").read_bytes()

    result = publish(folder)  # the lock held by the killed publish went with it
    assert result.returncode == 0, result.stderr
    assert read_site(url) == (sites["v2"] / "site/feed.xml").read_bytes()
    expected = tree_digest(folder / "site")
    for name in still_announced(sites):
        expected[name] = sha256(sites["v1"] / "site" / name)
    assert tree_digest(tmp_path / "www/current") == expected


def one_clear_line(result) -> str:
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_refused_key_is_one_line_and_changes_nothing(tmp_path, sites, sshd):
    folder = podcast_folder(tmp_path, ssh_yaml(sshd, tmp_path / "www", key=sshd["stranger"]))
    use_site(folder, sites, "v1")
    line = one_clear_line(publish(folder))
    assert "refused the SSH key" in line and "authorized_keys" in line
    assert not (tmp_path / "www").exists()


def test_unreachable_host_is_one_line_and_changes_nothing(tmp_path, sites, sshd, monkeypatch):
    port = free_port()  # nothing listens there
    folder = podcast_folder(tmp_path, ssh_yaml(sshd, tmp_path / "www", port=port))
    use_site(folder, sites, "v1")
    line = one_clear_line(publish(folder))
    assert f"cannot connect to 127.0.0.1 port {port}: connection refused" in line
    monkeypatch.setenv("LANGUAGE", "fr")  # the same, in French
    line = one_clear_line(publish(folder))
    assert line.endswith(f"127.0.0.1:{port}:{tmp_path / 'www'}) : impossible de se connecter à 127.0.0.1 port {port} : connexion refusée "
                         "(le serveur SSH tourne-t-il, le port est-il le bon ?)"), line
    assert not (tmp_path / "www").exists()


def test_unwritable_folder_is_one_line_and_leaves_the_site(tmp_path, sites, sshd):
    folder = podcast_folder(tmp_path, ssh_yaml(sshd, tmp_path / "www"))
    use_site(folder, sites, "v1")
    assert publish(folder).returncode == 0
    before = target_snapshot(tmp_path / "www")
    # The same server, but a path that is a file: nothing can be written there.
    (tmp_path / "afile").write_text("not a folder")
    bad = podcast_folder(tmp_path / "other", ssh_yaml(sshd, tmp_path / "afile"))
    use_site(bad, sites, "v2")
    line = one_clear_line(publish(bad))
    assert "vps" in line and "afile" in line
    assert target_snapshot(tmp_path / "www") == before


def test_the_server_side_lock_refuses_a_second_publisher(tmp_path, sites, sshd):
    """Two podcast folders (two computers of the collective) publishing to the same server at once."""
    first_folder = podcast_folder(tmp_path / "alice", ssh_yaml(sshd, tmp_path / "www"))
    second_folder = podcast_folder(tmp_path / "bob", ssh_yaml(sshd, tmp_path / "www"))
    use_site(first_folder, sites, "v1")
    use_site(second_folder, sites, "v2")
    with publish_held_at(first_folder, "pages"):
        second = publish(second_folder)
    assert second.returncode == 1
    assert second.stderr.strip().splitlines() == [
        f"portevoix: vps ({sshd['user']}@127.0.0.1:{sshd['port']}:{tmp_path / 'www'}): another publish to this target is running; wait for it to finish"
    ]
    assert publish(second_folder).returncode == 0
