"""`portevoix publish` to a local folder: release folders, atomic switch, rollback, check, lock, faults."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from support.files import sha256, tree_digest
from support.net import free_port
from support.publish import (  # noqa: F401 - fixtures
    enclosure_names, still_announced, podcast_folder, publish, publish_held_at, publish_killed_at, read_site, target_snapshot, use_site, web_root,
)


def local_yaml(path, extra: str = "") -> str:
    return f"publish:\n  web:\n    type: local\n    path: {path}\n    keep: 3\n{extra}"


@pytest.fixture()
def folder(tmp_path):
    return podcast_folder(tmp_path, local_yaml(tmp_path / "www"))


def test_publish_makes_a_release_and_links_current(folder, sites, tmp_path, web_root):
    use_site(folder, sites, "v1")
    result = publish(folder)
    assert result.returncode == 0, result.stderr
    www = tmp_path / "www"
    current = www / "current"
    assert current.is_symlink() and os.readlink(current).startswith("releases/")
    assert tree_digest(current) == tree_digest(folder / "site")
    feed = read_site(web_root(current))
    assert feed == (sites["v1"] / "site" / "feed.xml").read_bytes()

    # v2: only what changed travels; unchanged media is hard-linked from the previous release.
    use_site(folder, sites, "v2")
    result = publish(folder)
    assert result.returncode == 0, result.stderr
    releases = sorted(p for p in (www / "releases").iterdir() if p.is_dir())
    assert len(releases) == 2
    old, new = releases
    a_mp3 = "media/2024-03-20-a.mp3"
    assert (old / a_mp3).stat().st_ino == (new / a_mp3).stat().st_ino
    assert (new / "feed.xml").read_bytes() == (sites["v2"] / "site" / "feed.xml").read_bytes()
    # Episode B left the site, but the published v1 feed announced its audio: it is kept.
    assert (new / "media/2024-03-21-b.mp3").is_file()
    assert not (new / "episodes/2024-03-21-b").exists()
    served = read_site(web_root(current))
    assert enclosure_names(served) == {"media/2024-03-20-a.mp3", "media/2024-03-22-c.mp3"}
    assert "media/2024-03-21-b.mp3 (" not in result.stdout


def test_second_publish_of_the_same_site_sends_nothing(folder, sites, tmp_path):
    use_site(folder, sites, "v1")
    assert publish(folder).returncode == 0
    before = target_snapshot(tmp_path / "www")
    result = publish(folder)
    assert result.returncode == 0 and "nothing to send" in result.stdout
    assert target_snapshot(tmp_path / "www") == before


def test_rollback_goes_back_to_the_previous_release(folder, sites, tmp_path):
    use_site(folder, sites, "v1")
    assert publish(folder).returncode == 0
    use_site(folder, sites, "v2")
    assert publish(folder).returncode == 0
    result = publish(folder, "--rollback")
    assert result.returncode == 0, result.stderr
    assert "rolled back" in result.stdout
    assert (tmp_path / "www/current/feed.xml").read_bytes() == (sites["v1"] / "site/feed.xml").read_bytes()
    result = publish(folder, "--rollback")
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert publish(folder).returncode == 0
    assert (tmp_path / "www/current/feed.xml").read_bytes() == (sites["v2"] / "site/feed.xml").read_bytes()


def test_old_releases_are_pruned_to_keep(folder, sites, tmp_path):
    for version in ("v1", "v2", "v1", "v2", "v1"):
        use_site(folder, sites, version)
        assert publish(folder).returncode == 0
    releases = [p for p in (tmp_path / "www/releases").iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert len(releases) == 3


def test_dry_run_prints_the_plan_and_changes_nothing(folder, sites, tmp_path):
    use_site(folder, sites, "v1")
    assert publish(folder).returncode == 0
    use_site(folder, sites, "v2")
    before = target_snapshot(tmp_path / "www")
    result = publish(folder, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert target_snapshot(tmp_path / "www") == before
    out = result.stdout
    size = (folder / "site/media/2024-03-22-c.mp3").stat().st_size
    assert "media/2024-03-22-c.mp3" in out and "new" in out
    assert "keep media/2024-03-21-b.mp3" in out
    assert "remove episodes/2024-03-21-b/index.html" in out
    assert f"{size / 1000:.1f} kB" in out
    assert out.index("media:") < out.index("pages:") < out.index("feed:")


def test_check_heads_every_enclosure(tmp_path, sites, web_root):
    www = tmp_path / "www"
    (www / "releases").mkdir(parents=True)
    os.symlink("releases/none", www / "current")  # the web server's root, before the first publish
    url = web_root(www / "current")
    folder = podcast_folder(tmp_path, local_yaml(www, f"    check_url: {url}\n"))
    os.unlink(www / "current")
    use_site(folder, sites, "v2")
    result = publish(folder, "--check")
    assert result.returncode == 0, result.stderr
    assert "2 enclosures" in result.stdout

    # A damaged file on the server: the check says which, and what is wrong.
    mp3 = www / "current/media/2024-03-22-c.mp3"
    data = mp3.read_bytes()
    mp3.unlink()
    mp3.write_bytes(data[: len(data) // 2])
    result = publish(folder, "--only-check")
    assert result.returncode == 1
    assert f"media/2024-03-22-c.mp3: length {len(data) // 2}, the feed announces {len(data)}" in result.stderr


def test_two_publishes_cannot_run_at_once(folder, sites, tmp_path):
    use_site(folder, sites, "v1")
    with publish_held_at(folder, "pages"):
        second = publish(folder)
    assert second.returncode == 1
    assert second.stderr.strip().splitlines() == ["portevoix: web: another publish to this target is running; wait for it to finish"]
    assert publish(folder).returncode == 0


@pytest.mark.parametrize("point", ["media", "pages", "feed"])
def test_killed_publish_leaves_a_consistent_site_and_a_rerun_converges(point, folder, sites, tmp_path, web_root):
    use_site(folder, sites, "v1")
    assert publish(folder).returncode == 0
    url = web_root(tmp_path / "www/current")
    v1_feed = (sites["v1"] / "site/feed.xml").read_bytes()

    use_site(folder, sites, "v2")
    publish_killed_at(folder, point)
    assert read_site(url) == v1_feed  # the old site, whole

    result = publish(folder)
    assert result.returncode == 0, result.stderr
    assert read_site(url) == (sites["v2"] / "site/feed.xml").read_bytes()
    current = tmp_path / "www/current"
    expected = tree_digest(folder / "site")
    for name in still_announced(sites):
        expected[name] = sha256(sites["v1"] / "site" / name)
    assert tree_digest(current) == expected
    assert not list(current.rglob(".rsync-partial")) and not list(current.rglob(".*.??????"))


@pytest.fixture()
def small_disk(tmp_path):
    """A tiny filesystem (tmpfs) for the target, to run out of space for real; needs the right to mount."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here ({made.stderr.strip()}); run as root with CAP_SYS_ADMIN")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_no_space_left_is_one_line_and_the_site_stays(tmp_path, sites, small_disk, web_root):
    www = small_disk / "www"
    folder = podcast_folder(tmp_path, local_yaml(www))
    use_site(folder, sites, "v1")
    assert publish(folder).returncode == 0
    used = os.statvfs(small_disk)
    used_bytes = (used.f_blocks - used.f_bfree) * used.f_frsize
    # Room for 64 kB more: not enough for the new episode's audio.
    subprocess.run(["mount", "-o", f"remount,size={used_bytes + 65536}", str(small_disk)], check=True)
    before = target_snapshot(www)

    use_site(folder, sites, "v2")
    result = publish(folder)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == ["portevoix: web (folder %s): no space left on the target: free some space there, then publish again "
                     "(nothing was switched)" % www]
    assert read_site(web_root(www / "current")) == (sites["v1"] / "site/feed.xml").read_bytes()
    after = target_snapshot(www)
    assert {k: v for k, v in after.items() if not k.startswith("releases/.incoming")} == before

    subprocess.run(["mount", "-o", "remount,size=4m", str(small_disk)], check=True)
    assert publish(folder).returncode == 0  # room again: the interrupted release completes
    assert (www / "current/feed.xml").read_bytes() == (sites["v2"] / "site/feed.xml").read_bytes()


def test_a_damaged_upload_is_caught_before_the_switch_and_resent(folder, sites, tmp_path):
    use_site(folder, sites, "v1")
    assert publish(folder).returncode == 0
    use_site(folder, sites, "v2")
    publish_killed_at(folder, "media")  # one new media file of the new episode is in the incoming release
    incoming = tmp_path / "www/releases/.incoming"
    sent = [p for p in incoming.rglob("*") if p.is_file() and not p.is_symlink() and "2024-03-22-c" in p.as_posix()]
    sent = [p for p in sent if p.stat().st_nlink == 1]  # sent now, not hard-linked from the current release
    assert len(sent) == 1
    name = sent[0].relative_to(incoming).as_posix()
    # Damage it without changing its size or date: rsync's quick check cannot see it, the checksum does.
    stat = sent[0].stat()
    data = bytearray(sent[0].read_bytes())
    data[len(data) // 2] ^= 0xFF
    sent[0].write_bytes(bytes(data))
    os.utime(sent[0], ns=(stat.st_atime_ns, stat.st_mtime_ns))

    result = publish(folder)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"portevoix: web (folder {tmp_path / 'www'}): {name} arrived damaged (size or checksum differs); "
        "publish again to resend it (nothing was switched)"
    ]
    assert (tmp_path / "www/current/feed.xml").read_bytes() == (sites["v1"] / "site/feed.xml").read_bytes()
    assert publish(folder).returncode == 0
    assert sha256(tmp_path / "www/current" / name) == sha256(folder / "site" / name)


def test_publish_speaks_french_when_the_user_does(folder, sites, tmp_path, monkeypatch):
    """The real command in French: a publish, a second one with nothing to send, a dry run, a rollback,
    a refused target and an unreachable live site, each in French, one line per problem, no traceback."""
    monkeypatch.setenv("LANGUAGE", "fr")
    www = tmp_path / "www"
    use_site(folder, sites, "v1")
    result = publish(folder, "--rollback")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"portevoix: web (dossier {www}) : rien n'a encore été publié, rien à annuler"]

    result = publish(folder)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(rf"publié vers web \(dossier {www}\) : version \d{{8}}T\d{{6}}Z, \d+ fichier\(s\) envoyé\(s\) "
                        r"\(\d+,\d [kM]o\), 0 inchangé\(s\)\n", result.stdout), result.stdout
    result = publish(folder)
    assert result.returncode == 0 and result.stdout == f"web (dossier {www}) a déjà ce site : rien à envoyer\n"

    use_site(folder, sites, "v2")
    before = target_snapshot(www)
    result = publish(folder, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert target_snapshot(www) == before
    lines = result.stdout.splitlines()
    assert lines[0] == "essai à blanc : rien n'a été envoyé, rien n'a changé"
    assert re.fullmatch(rf"publier \d+ fichier\(s\) vers web \(dossier {www}\)", lines[1]), lines[1]
    groups = [line.split(" :")[0].strip() for line in lines if re.match(r"  \S.* : \d+ à envoyer \(", line)]
    assert groups == ["médias", "pages", "flux"]
    assert any(re.fullmatch(r"    media/2024-03-22-c\.mp3  \d+,\d ko  nouveau", line) for line in lines), lines
    assert "  garder media/2024-03-21-b.mp3 : le flux publié y renvoie encore" in lines
    assert "  retirer episodes/2024-03-21-b/index.html : n'est plus dans le site" in lines
    assert re.fullmatch(r"  total : \d+ fichier\(s\), \d+,\d [kM]o à envoyer ; le flux en dernier", lines[-1]), lines[-1]

    # A target publish refuses: its web root is a folder someone made, not publish's link.
    other = tmp_path / "other"
    (other / "current").mkdir(parents=True)
    (folder / "podcast.yaml").write_text((folder / "podcast.yaml").read_text(encoding="utf-8").replace(str(www), str(other)), encoding="utf-8")
    result = publish(folder)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"portevoix: web (dossier {other}) : {other}/current est un dossier, pas un lien fait par "
                                          "portevoix publish : déplacez-le d'abord"]
    # The live site cannot be reached (nothing listens there): the check says so in French.
    closed = free_port()
    config = (folder / "podcast.yaml").read_text(encoding="utf-8").replace(str(other), str(www))
    (folder / "podcast.yaml").write_text(config + f"    check_url: http://127.0.0.1:{closed}/\n", encoding="utf-8")
    result = publish(folder, "--only-check")
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"http://127.0.0.1:{closed}/feed.xml : impossible de récupérer le flux (") and "refused" in line.lower(), line
