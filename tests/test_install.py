"""portevoix installed as a user installs it, used outside the repository.

1. A wheel is built from the sources, installed into a fresh virtual environment in a
   temporary folder (support.wheel.installed_wheel, shared with test_wheel), and a podcast is made from nothing with `init --yes`, `new`, `check`
   and `build`; podcastparser (gPodder) and feedparser read the feed it writes.
2. The README's "Start your own podcast" commands run exactly as written, in bash, with
   pipx, in a temporary home; the questions of `init` are answered on its input.

The second needs the package index (or pip's cache) for the dependencies, as any pipx install does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import feedparser
import podcastparser
import pytest
from PIL import Image

from support.cli import REPO
from support.sound import make_tone

PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")  # Podcasting 2.0's namespace, written out here
pytestmark = pytest.mark.timeout(900)


def source_copy(target: Path) -> Path:
    """The repository's files as a clone has them (tracked, or new and not ignored; links kept as links): no .venv, no site/."""
    listed = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"], capture_output=True, check=True
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            (target / name).symlink_to(os.readlink(source))
        elif source.is_file():
            shutil.copy2(source, target / name)
    return target


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a user's shell: nothing that points into the repository or its virtual environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PIP_NO_COMPILE"] = "1"  # no .pyc for every dependency: the install takes half the time
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p and not p.startswith(str(REPO)))
    env.update(extra)
    return env


def run(args: list[str], cwd: Path, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=600)
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result


def read_feed(feed: Path, url: str) -> tuple[dict, feedparser.FeedParserDict]:
    with feed.open("rb") as handle:
        gpodder = podcastparser.parse(url, handle)
    parsed = feedparser.parse(feed.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return gpodder, parsed


def podcast_guid(feed_url: str) -> str:
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, re.sub("^https://", "", feed_url).rstrip("/")))


def test_a_wheel_in_a_fresh_environment_makes_a_podcast_from_nothing(installed_wheel, tmp_path):
    env = clean_env()
    portevoix = str(installed_wheel / "bin" / "portevoix")

    home = tmp_path / "maison"  # an empty folder, far from the repository
    home.mkdir()
    url = "https://podcast.amis-du-quartier.fr/"
    run(
        [portevoix, "init", "amis", "--yes", "--title", "Les débats des Amis du quartier", "--author", "Amis du quartier", "--email", "bureau@amis-du-quartier.fr", "--base-url", url],
        home,
        env,
    )
    root = home / "amis"
    recording = make_tone(home / "reunion.flac", 4.0)
    run([portevoix, "new", "Réunion publique du 12 mai", "--audio", str(recording), "--date", "2024-05-12"], root, env)
    checked = run([portevoix, "check"], root, env)
    assert "cover.jpg\" is still the cover made by 'portevoix init'" in checked.stderr
    run([portevoix, "build"], root, env)

    gpodder, parsed = read_feed(root / "site" / "feed.xml", url + "feed.xml")
    assert gpodder["title"] == parsed.feed.title == "Les débats des Amis du quartier"
    (episode,) = gpodder["episodes"]
    assert episode["title"] == "Réunion publique du 12 mai"
    (enclosure,) = episode["enclosures"]
    assert enclosure["url"] == url + "media/2024-05-12-reunion-publique-du-12-mai.mp3"
    assert enclosure["file_size"] == (root / "site" / "media" / "2024-05-12-reunion-publique-du-12-mai.mp3").stat().st_size
    # Its own guid, derived from its own address, announced in the feed and kept in podcast.yaml.
    own = podcast_guid(url + "feed.xml")
    assert parsed.feed.get("podcast_guid") == own
    assert (root / "podcast.yaml").read_text(encoding="utf-8").count(f'guid: "{own}"') == 1
    # The generated cover passes the feed's cover rules: a square RGB JPEG of 1400 to 3000 px, at the announced address.
    assert parsed.feed.image.href == url + "cover.jpg" and gpodder["cover_url"] == url + "cover.jpg"
    with Image.open(root / "site" / "cover.jpg") as cover:
        assert cover.format == "JPEG" and cover.mode == "RGB" and cover.width == cover.height and 1400 <= cover.width <= 3000
    with Image.open(root / "cover.jpg") as original:
        assert original.size == (3000, 3000)


def readme_section() -> str:
    """The commands of the README's "Start your own podcast" that follow the system packages."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Start your own podcast\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    (commands,) = [block for block in blocks if "portevoix init" in block]
    return commands


def test_the_readme_start_your_own_podcast_runs_as_written(tmp_path):
    commands = readme_section()
    assert commands.startswith("pipx install ./portevoix\n")
    source_copy(tmp_path / "portevoix")
    home = tmp_path / "home"
    home.mkdir()
    make_tone(home / "enregistrement.wav", 3.0)
    tools = tmp_path / "tools"  # pipx, as the system package would provide it
    tools.mkdir()
    (tools / "pipx").symlink_to(Path(sys.executable).parent / "pipx")
    env = clean_env(
        HOME=str(home),
        PIPX_HOME=str(tmp_path / "pipx"),
        PIPX_BIN_DIR=str(home / ".local" / "bin"),
        PIP_CACHE_DIR=os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip"),
        LANG="C.UTF-8",
    )
    env["PATH"] = os.pathsep.join([str(home / ".local" / "bin"), str(tools), env["PATH"]])
    answers = "\n".join(["Mon podcast", "Collectif du quartier", "contact@collectif-du-quartier.fr", "fr", "podcast.collectif-du-quartier.fr", "1", ""]) + "\n"
    result = run(["bash", "-e", "-c", commands], tmp_path, env, stdin=answers)
    root = tmp_path / "mon-podcast"
    assert "1 episodes, no problem found" in result.stdout
    assert "warning: podcast.yaml: cover:" in result.stderr
    gpodder, parsed = read_feed(root / "site" / "feed.xml", "https://podcast.collectif-du-quartier.fr/feed.xml")
    assert [e["title"] for e in gpodder["episodes"]] == ["Mon premier débat"]
    assert parsed.feed.get("podcast_guid") == podcast_guid("https://podcast.collectif-du-quartier.fr/feed.xml")
    assert (home / ".local" / "bin" / "portevoix").exists()
