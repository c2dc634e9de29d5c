"""`portevoix init`, the first episode with `new`, what `check` says is unfinished, and the podcast's own identity.

Everything runs through the real command line (a pseudo-terminal for the questions), on real files:
the generated cover is read back with Pillow, the skeletons are parsed with PyYAML.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pexpect
import pytest
import yaml
from PIL import Image

from support.cli import REPO, run_cli
from support.sound import make_tone
from support.files import sha256, tree_digest

PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")  # Podcasting 2.0's, written out here
FLAGS = ["--title", "Débats de la Bourse du travail", "--author", "Union locale de Saint-Étienne", "--email", "bureau@ul-stetienne.fr", "--base-url", "https://debats.ul-stetienne.fr/"]


def init(folder: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    folder.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "init", str(folder), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=folder.parent,
        env={**os.environ, **(env or {})},
    )


def expected_guid(feed_url: str) -> str:
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, re.sub("^https://", "", feed_url).rstrip("/")))


def uncommented(text: str) -> str:
    """Every commented field made active: "# key: …" and "#   - …" lose their "# "; explanations stay."""
    return re.sub(r"(?m)^# (?=[a-z_]+:|\s+)", "", text)


@pytest.fixture(scope="module")
def podcast(tmp_path_factory) -> Path:
    """A podcast made by `init --yes` in English (the language of the episodes is still French)."""
    folder = tmp_path_factory.mktemp("init") / "bourse"
    result = init(folder, "--yes", *FLAGS, "--language", "fr", "--category", "news > politics", env={"LANG": "C.UTF-8"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "created the podcast folder bourse: episodes/, cover.jpg, .gitignore, podcast.yaml",
        "cover.jpg was made from the title: replace it with the collective's own square image (1400 to 3000 px) when you have one",
        'next: cd bourse ; portevoix new "Title of the debate" --audio recording.wav',
    ]
    return folder


def test_init_yes_writes_a_commented_podcast_yaml_without_guid(podcast):
    text = (podcast / "podcast.yaml").read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    assert config["title"] == "Débats de la Bourse du travail"
    assert config["owner"] == {"name": "Union locale de Saint-Étienne", "email": "bureau@ul-stetienne.fr"}
    assert config["base_url"] == "https://debats.ul-stetienne.fr/"
    assert config["categories"] == ["News > Politics"]  # written in Apple's spelling
    assert config["description"] == "Enregistrements des débats publics de Union locale de Saint-Étienne."  # in the podcast's language
    assert "guid" not in config
    # Every field of the schema is there, set or commented, each explained on the comment line above it.
    from pipeline.source.config import PodcastConfig
    from pipeline.source.init import FIELD_NOTES

    assert sorted(set(PodcastConfig.fields) - set(FIELD_NOTES)) == [], "explain the new fields of podcast.yaml in FIELD_NOTES (pipeline/source/init.py)"
    for name in PodcastConfig.fields:
        if name != "guid":
            assert re.search(rf"(?m)^(# )?{name}:", text), name
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if re.match(r"(# )?[a-z_]+:", line):
            above = lines[number - 1]
            assert above.startswith("# ") and not re.match(r"# [a-z_]+:", above), line
    # Every commented example is right once uncommented.
    example = podcast.parent / "uncommented"
    shutil.copytree(podcast, example)
    (example / "podcast.yaml").write_text(uncommented(text), encoding="utf-8")
    for jingle in ("generique-debut.wav", "generique-fin.wav"):  # the files the intro: and outro: examples name
        make_tone(example / jingle, 1.0)
    active = yaml.safe_load((example / "podcast.yaml").read_text(encoding="utf-8"))
    assert {"audio_leveler", "hosts", "funding", "location", "feed_limit", "publish", "license_url", "new_feed_url"} <= set(active)
    checked = run_cli(example, "check")
    assert checked.returncode == 0, checked.stderr
    assert (podcast / ".gitignore").read_text(encoding="utf-8").splitlines()[1:] == ["/site/", "/site.*/", "/.cache/"]
    assert (podcast / "episodes").is_dir()


def test_the_generated_cover_is_a_good_square_jpeg_that_check_calls_unfinished(podcast, tmp_path):
    with Image.open(podcast / "cover.jpg") as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (3000, 3000))
        # Not a blank picture: the text is drawn in two colours on the background.
        colours = image.resize((300, 300)).getcolors(300 * 300)
        assert len([count for count, _ in colours if count > 200]) >= 3
    assert (podcast / "cover.jpg").stat().st_size < 1_000_000
    checked = run_cli(podcast, "check")
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr.splitlines() == [
        "warning: podcast.yaml: cover: \"cover.jpg\" is still the cover made by 'portevoix init': replace it with the collective's own square image (1400 to 3000 px)"
    ]
    # Edited (here: saved again by another program), it is the collective's own: no warning.
    copy = tmp_path / "copy"
    shutil.copytree(podcast, copy)
    with Image.open(copy / "cover.jpg") as image:
        image.save(copy / "cover.jpg", quality=85)
    assert run_cli(copy, "check").stderr == ""


def test_init_refuses_an_existing_podcast_folder_and_changes_nothing(podcast):
    before = tree_digest(podcast)
    for args in (["--yes", *FLAGS], []):
        result = init(podcast, *args)
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            f"{podcast}/podcast.yaml: already exists: this folder is already a podcast; nothing was changed (run 'portevoix check' in it)"
        ]
    assert tree_digest(podcast) == before


def test_init_yes_reports_every_wrong_flag_at_once_and_writes_nothing(tmp_path):
    folder = tmp_path / "neuf"
    result = init(folder, "--yes", "--title", "Essai", "--email", "bureau.ul.fr", "--base-url", "http://debats.ul.fr", "--category", "Politique", "--cover", str(tmp_path / "absent.png"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "init: --author is needed with --yes",
        'init: --email: "bureau.ul.fr" is not an e-mail address',
        'init: --base-url: "http://debats.ul.fr/" is not an https:// address',
        'init: --category: "Politique" is not an Apple Podcasts category',
        f"init: --cover: {tmp_path}/absent.png: file not found",
    ]
    assert not folder.exists()


def test_init_takes_the_collectives_own_cover(tmp_path):
    own = tmp_path / "logo.png"
    Image.new("RGB", (1600, 1600), (200, 30, 40)).save(own)
    folder = tmp_path / "avec-logo"
    result = init(folder, "--yes", *FLAGS, "--cover", str(own))
    assert result.returncode == 0, result.stderr
    assert "was made from the title" not in result.stdout
    assert sha256(folder / "cover.png") == sha256(own)
    assert yaml.safe_load((folder / "podcast.yaml").read_text(encoding="utf-8"))["cover"] == "cover.png"
    small = tmp_path / "petit.png"
    Image.new("RGB", (600, 600)).save(small)
    refused = init(tmp_path / "trop-petit", "--yes", *FLAGS, "--cover", str(small))
    assert refused.returncode == 1
    assert refused.stderr.strip() == f"init: --cover: {small}: is 600x600 px; podcast apps need at least 1400x1400"


def test_interactive_init_through_a_terminal_reasks_a_wrong_email(tmp_path):
    folder = tmp_path / "interactif"
    child = pexpect.spawn(
        sys.executable,
        ["-m", "pipeline", "init", str(folder)],
        env={**os.environ, "LANG": "fr_FR.UTF-8", "LANGUAGE": "fr"},
        encoding="utf-8",
        timeout=60,
        cwd=str(tmp_path),
    )
    child.expect_exact("Titre du podcast : ")
    child.sendline("Les débats du collectif")
    child.expect_exact("Nom du collectif qui le fait : ")
    child.sendline("Collectif Halte")
    child.expect_exact("qu'il est à vous) : ")
    child.sendline("pas-une-adresse")
    child.expect_exact('"pas-une-adresse" is not an e-mail address ; recommencez')
    child.expect_exact("qu'il est à vous) : ")
    child.sendline("contact@halte-collectif.fr")
    child.expect_exact("Langue des épisodes (fr, en…) [fr] : ")
    child.sendline("")
    child.expect_exact("Adresse publique où le site sera publié (https://…) : ")
    child.sendline("podcast.halte-collectif.fr")
    child.expect_exact("2. News > Politics")
    child.expect_exact("Catégorie [Society & Culture] : ")
    child.sendline("2")
    child.expect_exact("Entrée : elle est faite à partir du titre) : ")
    child.sendline("")
    child.expect_exact("dossier du podcast interactif créé : episodes/, cover.jpg, .gitignore, podcast.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    config = yaml.safe_load((folder / "podcast.yaml").read_text(encoding="utf-8"))
    assert (config["owner"]["email"], config["language"], config["base_url"], config["categories"]) == (
        "contact@halte-collectif.fr",
        "fr",
        "https://podcast.halte-collectif.fr/",
        ["News > Politics"],
    )
    assert "# Nom du podcast, tel que les applications l'affichent." in (folder / "podcast.yaml").read_text(encoding="utf-8")


def test_new_writes_a_skeleton_whose_fields_can_be_uncommented_as_they_are(podcast, tmp_path):
    root = tmp_path / "p"
    shutil.copytree(podcast, root)
    recording = make_tone(tmp_path / "debat.wav", 75.0)
    result = run_cli(root, "new", "Premier débat : la Sécu", "--audio", str(recording), "--date", "2024-05-02")
    assert result.returncode == 0, result.stderr
    source = root / "episodes" / "2024-05-02-premier-debat-la-secu" / "episode.md"
    text = source.read_text(encoding="utf-8")
    # The recording's real duration, as ffprobe reads it (75 s).
    seconds = float(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(recording)], capture_output=True, text=True, check=True).stdout)
    assert round(seconds) == 75
    assert "which lasts 00:01:15 (hours:minutes:seconds)" in text
    front = text.split("---\n")[1]
    assert yaml.safe_load(front)["title"] == "Premier débat : la Sécu"
    active = yaml.safe_load(uncommented(front))
    assert {"venue", "speakers", "chapters", "season", "episode"} <= set(active)
    assert active["chapters"] == [{"start": "00:00:00", "title": "Introduction"}]

    # The untouched skeleton is valid, and check says what is unfinished in it.
    checked = run_cli(root, "check")
    assert checked.returncode == 0, checked.stderr
    shown = "episodes/2024-05-02-premier-debat-la-secu/episode.md"
    assert checked.stderr.splitlines()[1:] == [
        f"warning: {shown}: notes: still the placeholder written by 'portevoix new': write the show notes",
        f"warning: {shown}: summary: is empty: apps show it under the title; write one or two sentences",
    ]
    # Every field uncommented: still valid. Notes and summary written: the warnings go.
    finished = uncommented(text).replace('summary: ""', 'summary: "La Sécurité sociale en débat."')
    finished = finished.split("---\n")
    source.write_text("---\n" + finished[1] + "---\nLe débat du 2 mai.\n", encoding="utf-8")
    checked = run_cli(root, "check")
    assert checked.returncode == 0, checked.stderr
    assert [line for line in checked.stderr.splitlines() if shown in line] == []


def test_new_outside_a_podcast_folder_suggests_init(tmp_path):
    recording = make_tone(tmp_path / "debat.wav", 1.0)
    result = run_cli(tmp_path, "new", "Titre", "--audio", str(recording))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"podcast.yaml: not found in {tmp_path}: this is not a podcast folder; create one with 'portevoix init', or name one with -C"
    ]
    assert not (tmp_path / "episodes").exists()


def test_check_warns_about_an_example_owner_address(podcast, tmp_path):
    root = tmp_path / "p"
    shutil.copytree(podcast, root)
    config = root / "podcast.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("bureau@ul-stetienne.fr", "contact@example.org"), encoding="utf-8")
    checked = run_cli(root, "check")
    assert checked.returncode == 0
    assert (
        'warning: podcast.yaml: owner.email: "contact@example.org" is an example address, no mail reaches it: directories write '
        "to the owner to verify the podcast is yours; write a real one"
    ) in checked.stderr.splitlines()


def with_episode(podcast: Path, root: Path) -> Path:
    shutil.copytree(podcast, root)
    make_tone(root / "debat.wav", 2.0)
    assert run_cli(root, "new", "Un débat", "--audio", str(root / "debat.wav"), "--date", "2024-05-02").returncode == 0
    (root / "debat.wav").unlink()
    return root


def test_a_guid_copied_from_the_demo_is_refused_with_the_right_value(podcast, tmp_path):
    root = with_episode(podcast, tmp_path / "p")
    demo_guid = yaml.safe_load((REPO / "podcast.yaml").read_text(encoding="utf-8"))["guid"]
    config = root / "podcast.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f'guid: "{demo_guid}"\n', encoding="utf-8")
    own = expected_guid("https://debats.ul-stetienne.fr/feed.xml")
    line = (
        f'podcast.yaml: guid: "{demo_guid}" is not the guid of this podcast: it belongs to another feed address (copied from '
        f'another podcast.yaml?) and no build of this folder announced it; write guid: "{own}", or delete the line and the first build writes it'
    )
    for command in ("check", "build"):
        result = run_cli(root, command)
        assert result.returncode == 1, command
        assert result.stderr.splitlines() == [line]
    assert not (root / "site").exists() and not (root / "published-feed.json").exists()

    # Without the copied line, the first build gives the podcast its own guid, derived from its own address.
    config.write_text(config.read_text(encoding="utf-8").replace(f'guid: "{demo_guid}"\n', ""), encoding="utf-8")
    built = run_cli(root, "build")
    assert built.returncode == 0, built.stderr
    assert yaml.safe_load(config.read_text(encoding="utf-8"))["guid"] == own
    assert f"<podcast:guid>{own}</podcast:guid>" in (root / "site" / "feed.xml").read_text(encoding="utf-8")
    assert json.loads((root / "published-feed.json").read_text(encoding="utf-8"))["feed_url"] == "https://debats.ul-stetienne.fr/feed.xml"


def test_a_folder_copied_with_another_podcasts_record_is_told_apart_from_a_move(podcast, tmp_path):
    root = with_episode(podcast, tmp_path / "p")
    assert run_cli(root, "build").returncode == 0
    first = expected_guid("https://debats.ul-stetienne.fr/feed.xml")
    # The folder is copied to start another podcast at another address, guid line and records included.
    other = tmp_path / "autre"
    shutil.copytree(root, other, ignore=shutil.ignore_patterns("site", ".cache"))
    config = other / "podcast.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("https://debats.ul-stetienne.fr/", "https://autre.example.net/"), encoding="utf-8")
    result = run_cli(other, "build", "--allow-enclosure-change")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f'podcast.yaml: guid: "{first}" was announced at https://debats.ul-stetienne.fr/feed.xml, not at https://autre.example.net/feed.xml; '
        'if the podcast moved, set new_feed_url: "https://autre.example.net/feed.xml" (and redirect the old address to it); if this folder is a '
        f'copy of another podcast, write guid: "{expected_guid("https://autre.example.net/feed.xml")}" and delete published-feed.json and published.json'
    ]
    # A declared move keeps the guid.
    config.write_text(config.read_text(encoding="utf-8") + 'new_feed_url: "https://autre.example.net/feed.xml"\n', encoding="utf-8")
    moved = run_cli(other, "build", "--allow-enclosure-change")
    assert moved.returncode == 0, moved.stderr
    assert f"<podcast:guid>{first}</podcast:guid>" in (other / "site" / "feed.xml").read_text(encoding="utf-8")


def test_help_is_in_french_with_a_french_locale(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pipeline", "init", "--help"], capture_output=True, text=True, env={**os.environ, "LANG": "fr_FR.UTF-8", "LANGUAGE": "", "COLUMNS": "200"}, cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("utilisation : portevoix init [-h] [--yes]")
    assert "  -h, --help           afficher cette aide et quitter" in result.stdout
    assert "ne rien demander : prendre les réponses des options ci-dessous" in result.stdout
    wrong = subprocess.run([sys.executable, "-m", "pipeline", "inti"], capture_output=True, text=True, env={**os.environ, "LANG": "fr_FR.UTF-8"}, cwd=tmp_path)
    assert wrong.returncode == 2
    assert wrong.stderr.splitlines()[-1].startswith("portevoix : erreur : argument COMMAND : choix invalide : 'inti' (choisissez parmi 'init',")
    english = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, env={**os.environ, "LANG": "C.UTF-8"}, cwd=tmp_path)
    assert english.stdout.startswith("usage: portevoix")


def test_a_missing_ffprobe_says_how_to_install_it(podcast, tmp_path):
    recording = make_tone(tmp_path / "debat.wav", 1.0)
    empty = tmp_path / "bin"  # a PATH where no program is found
    empty.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "-C", str(podcast), "new", "Titre", "--audio", str(recording)],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": str(empty)},
        cwd=REPO,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "portevoix: ffprobe not found: install ffmpeg, which brings it (Debian, Ubuntu: sudo apt install ffmpeg; Fedora: sudo dnf install ffmpeg-free; macOS: brew install ffmpeg)"
    ]


def test_every_help_text_of_the_command_line_has_its_french():
    import argparse

    from pipeline.cli import parser
    from pipeline.i18n import HELP_FR

    main = parser()
    parsers = [main] + [
        sub for action in main._actions if isinstance(action, argparse._SubParsersAction) for sub in action.choices.values()
    ]
    texts = {main.description} | {
        action.help for p in parsers for action in p._actions if action.help and action.help != argparse.SUPPRESS
    } | {choice.help for action in main._actions if isinstance(action, argparse._SubParsersAction) for choice in action._choices_actions}
    missing = sorted(text for text in texts if text not in HELP_FR and text != "show this help message and exit")
    assert missing == []
