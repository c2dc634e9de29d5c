"""Unusual input that must work, and paths that must stay inside: covers, slugs, output folders, languages."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from corpus.folders import Materials, make_case_folder
from corpus.run import english_environment, run_portevoix
from pipeline import i18n
from pipeline.media import images
from pipeline.source.episodes import slugify
from pipeline.errors import PortevoixError
from pipeline.site.writer import SiteWriter


def test_a_cmyk_cover_is_converted_to_rgb_for_the_feed_and_the_pages(tmp_path):
    cover = tmp_path / "cover.jpg"
    Image.new("CMYK", (1500, 1500), (80, 20, 0, 10)).save(cover, "JPEG")
    assert images.cover_problems(cover) == []
    for data, size in ((images.feed_cover(cover), 1500), (images.page_cover(cover, 160), 160)):
        made = Image.open(io.BytesIO(data))
        assert (made.format, made.mode, made.size) == ("JPEG", "RGB", (size, size))
        red, green, blue = made.getpixel((size // 2, size // 2))
        assert blue > red, "the colour survives the conversion (a blue stays blue)"


def test_a_palette_png_with_transparency_is_accepted(tmp_path):
    cover = tmp_path / "cover.png"
    Image.new("P", (1400, 1400), 3).save(cover, "PNG", transparency=3)
    assert images.cover_problems(cover) == []
    assert Image.open(io.BytesIO(images.feed_cover(cover))).mode == "RGB"


def test_a_decompression_bomb_is_a_problem_not_a_crash(tmp_path, monkeypatch):
    cover = tmp_path / "cover.png"
    Image.new("1", (3000, 3000)).save(cover, "PNG")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # Pillow refuses twice this: 3000x3000 is a "bomb" here
    assert images.cover_problems(cover) == ["is far too large to be a cover (use a JPEG or PNG of 1400 to 3000 px)"]


@pytest.mark.parametrize("name", ["../../etc/passwd", "/absolute/path", "<script>alert(1)</script>", "a/../../b", "..", "Débat à\x00Bobigny", "  ", "🎙️"])
def test_slugs_are_plain_ascii_words(name):
    slug = slugify(name)
    assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in slug)
    assert not slug.startswith("-") and not slug.endswith("-") and ".." not in slug


def test_new_with_a_hostile_title_stays_in_episodes(tmp_path):
    root = make_case_folder(tmp_path / "podcast", {}, Materials(tmp_path / "materials"))
    before = set(tmp_path.rglob("*"))
    result = run_portevoix(root, "new", "../../../tmp/pwn <script>", "--audio", str(root / "episodes/2024-03-20-debat/enregistrement.wav"), "--date", "2024-04-01")
    assert result.returncode == 0, result.stderr
    created = set(tmp_path.rglob("*")) - before
    assert created and all((root / "episodes") in path.parents for path in created)
    assert (root / "episodes" / "2024-04-01-tmp-pwn-script" / "episode.md").is_file()


def test_the_site_writer_refuses_names_leaving_the_site(tmp_path):
    writer = SiteWriter(tmp_path / "out" / "site", tmp_path / "podcast")
    writer.start()
    for name in ("../escape.html", "/etc/passwd", "media/../../escape"):
        with pytest.raises(PortevoixError):
            writer.write_text(name, "x")
    writer.abort()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []


def test_build_refuses_an_output_folder_holding_sources(tmp_path):
    root = make_case_folder(tmp_path / "podcast", {}, Materials(tmp_path / "materials"))
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    for output, reason in (
        (root, "contains the podcast folder"),
        (tmp_path, "contains the podcast folder"),
        (root / "episodes", "is part of the podcast's sources"),
        (root / "episodes" / "2024-03-20-debat", "is part of the podcast's sources"),
        (root / ".cache" / "site", "is part of the podcast's sources"),
    ):
        result = run_portevoix(root, "build", "--output", str(output))
        assert result.returncode == 1 and reason in result.stderr and "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".cache" not in p.parts} == {
        p: data for p, data in before.items() if ".cache" not in p.parts
    }
    elsewhere = make_case_folder(tmp_path / "other", {}, Materials(tmp_path / "materials"))
    result = run_portevoix(root, "build", "--output", str(elsewhere / "episodes"))
    assert result.returncode == 1 and "looks like sources" in result.stderr


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "fr_FR.UTF-8", "LC_ALL": "C"}, "en"),
        ({"LANG": "C", "LC_MESSAGES": "fr_CA.UTF-8"}, "fr"),
        ({"LANG": "en_US.UTF-8", "LANGUAGE": "fr:en"}, "fr"),
        ({"LANG": "fr_BE", "LANGUAGE": "en_GB:fr"}, "en"),
        ({"LANG": "", "LC_ALL": ""}, "en"),
    ],
)
def test_language_follows_the_locale_as_gettext_reads_it(environ, expected):
    assert i18n.language(environ) == expected


def test_every_message_exists_in_both_languages_with_the_same_placeholders():
    import string

    for key, texts in i18n.MESSAGES.items():
        assert set(texts) == set(i18n.LANGUAGES), key
        english, *others = [{name for _, name, _, _ in string.Formatter().parse(text) if name} for text in texts.values()]
        assert all(other <= english for other in others), key  # a translation may leave out a detail, never add one


def test_every_message_key_belongs_to_one_area():
    seen: dict[str, str] = {}
    for area, table in i18n.AREAS.items():
        for key in table:
            assert key not in seen, f"{key} is in both {seen[key]} and {area}"
            seen[key] = area
    assert set(seen) == set(i18n.MESSAGES)


def test_every_field_label_exists_in_both_languages():
    for key, texts in i18n.FIELD_LABELS.items():
        assert set(texts) == set(i18n.LANGUAGES) and all(texts.values()), key


def test_the_command_line_speaks_french(tmp_path):
    root = make_case_folder(tmp_path / "podcast", {}, Materials(tmp_path / "materials"))
    env = english_environment()
    env["LC_ALL"] = "fr_FR.UTF-8"
    assert run_portevoix(root, "check", env=env).stdout == "1 épisode(s), aucun problème trouvé\n"
    os.remove(root / "podcast.yaml")
    result = run_portevoix(root, "check", env=env)
    assert result.stderr == f"podcast.yaml: introuvable dans {root} (est-ce bien le dossier du podcast ? indiquez-le avec -C)\n"


def test_the_exif_orientation_of_a_phone_picture_is_applied(tmp_path):
    """A cover taken upside down (EXIF orientation 3) is published upright: its red half on top."""
    cover = tmp_path / "cover.jpg"
    picture = Image.new("RGB", (1400, 1400), (20, 40, 200))
    picture.paste((220, 30, 30), (0, 700, 1400, 1400))  # red at the bottom of the stored pixels
    exif = Image.Exif()
    exif[0x0112] = 3  # rotate 180° to show
    picture.save(cover, "JPEG", exif=exif.tobytes())
    assert images.cover_problems(cover) == []
    for data in (images.feed_cover(cover), images.page_cover(cover, 160)):
        made = Image.open(io.BytesIO(data))
        top = made.getpixel((made.width // 2, made.height // 8))
        bottom = made.getpixel((made.width // 2, made.height * 7 // 8))
        assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0], (top, bottom)
