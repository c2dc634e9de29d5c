"""`portevoix import`: real feeds of other generators become podcast folders, GUIDs kept exactly.

The feeds are real (tests/data/feeds, from podcast-partytime's fixtures). So that the test
needs no internet, each is trimmed to its newest items and its enclosures, covers, chapters
and transcripts are pointed at a local HTTP server that serves small real recordings (made
by ffmpeg); each enclosure's length is set to the real size of the file served. Everything
else in the feed stays as the generator wrote it. Parsed before and after by gPodder's
podcastparser and by podcast-partytime.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import podcastparser
import pytest
from lxml import etree

from support.sound import make_tone
from support.cli import run_cli
from support.files import tree_digest
from support.feeds import node

from pipeline.site.serve import make_server

FEEDS = Path(__file__).parent / "data" / "feeds"
ITEMS = 2
ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_URIS = ("https://podcastindex.org/namespace/1.0", "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md")
GENERATORS = ["sentimental-garbage", "1865", "launched", "changing-the-tide", "themnshow", "dk-podcast", "no-agenda"]
UNREACHABLE = "http://127.0.0.1:9/"  # the discard port: nothing answers


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A local web server for the feeds' files (with byte ranges, as real hosts have)."""
    www = tmp_path_factory.mktemp("www")
    httpd = make_server(www, "127.0.0.1", 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield www, f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    httpd.server_close()


def _cover(path: Path, size: int = 1400) -> None:
    from PIL import Image

    Image.new("RGB", (size, size), (120, 30, 60)).save(path, "JPEG", quality=85)


def local_feed(name: str, server, *, reachable_cover: bool = True) -> Path:
    """The real feed `name`, trimmed to its newest ITEMS items, its links pointing at `server`."""
    www, base = server
    folder = www / name
    folder.mkdir(exist_ok=True)
    root = etree.fromstring(FEEDS.joinpath(f"{name}.xml").read_bytes().lstrip(), etree.XMLParser(recover=True, resolve_entities=False))
    channel = root.find("channel")
    items = channel.findall("item")
    for extra in items[ITEMS:]:
        channel.remove(extra)
    for index, item in enumerate(items[:ITEMS]):
        enclosure = item.find("enclosure")
        audio = make_tone(folder / f"episode-{index}.mp3", seconds=2.0 + index, codec=["-c:a", "libmp3lame", "-b:a", "64k"])
        enclosure.set("url", f"{base}{name}/{audio.name}")
        enclosure.set("length", str(audio.stat().st_size))
        enclosure.set("type", "audio/mpeg")
        for uri in PODCAST_URIS:
            for chapters in item.iterfind(f"{{{uri}}}chapters"):
                (folder / f"chapters-{index}.json").write_text(json.dumps({"version": "1.2.0", "chapters": [{"startTime": 0, "title": "Ouverture"}, {"startTime": 1.5, "title": "Questions"}]}))
                chapters.set("url", f"{base}{name}/chapters-{index}.json")
            for transcript in item.iterfind(f"{{{uri}}}transcript"):
                (folder / f"transcript-{index}.srt").write_text("1\n00:00:00,000 --> 00:00:01,500\nBonjour à toutes et à tous.\n\n2\n00:00:01,500 --> 00:00:02,000\nMerci.\n")
                transcript.set("url", f"{base}{name}/transcript-{index}.srt")
    _cover(folder / "cover.jpg")
    for image in list(channel.iterfind(f"{{{ITUNES}}}image")):
        image.set("href", f"{base}{name}/cover.jpg" if reachable_cover else f"{UNREACHABLE}cover.jpg")
    for url in channel.iterfind("image/url"):
        url.text = f"{base}{name}/cover.jpg" if reachable_cover else f"{UNREACHABLE}cover.jpg"
    for item in items[:ITEMS]:
        for image in item.iterfind(f"{{{ITUNES}}}image"):
            image.set("href", f"{base}{name}/cover.jpg")
    path = folder / "feed.xml"
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return path


def episode_fronts(root: Path) -> dict[str, dict]:
    """{guid: front matter} of the imported episode folders, read as YAML."""
    import yaml

    fronts = {}
    for path in sorted(root.glob("episodes/*/episode.md")):
        front = path.read_text(encoding="utf-8").split("---\n")[1]
        data = yaml.safe_load(front)
        data["_folder"] = path.parent
        fronts[data["guid"]] = data
    return fronts


@pytest.mark.parametrize("name", GENERATORS)
def test_a_real_feed_is_imported_with_its_guids_and_built(name, server, tmp_path):
    feed = local_feed(name, server)
    before = podcastparser.parse(feed.as_uri(), feed.open("rb"))
    before_pt = node("partytime.cjs", feed)
    root = tmp_path / "podcast"
    root.mkdir()

    owner = etree.parse(str(feed)).getroot().findtext(f"channel/{{{ITUNES}}}owner/{{{ITUNES}}}email") or "x@example.org"
    result = run_cli(root, "import", str(feed), "--base-url", "https://debats.example.org/", "--owner-email", owner)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr

    fronts = episode_fronts(root)
    expected = {e["guid"]: e for e in before["episodes"]}
    assert set(fronts) == set(expected)  # every GUID kept exactly
    for guid, episode in expected.items():
        front = fronts[guid]
        assert front["title"] == episode["title"].strip()
        recording = front["_folder"] / front["recording"]
        assert recording.stat().st_size == episode["enclosures"][0]["file_size"]  # downloaded whole
    # partytime reads the same GUIDs and titles in the source feed.
    assert {i["guid"] for i in before_pt["items"]} == set(expected)

    checked = run_cli(root, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = run_cli(root, "build")
    assert built.returncode == 0, built.stderr
    # The first build says which addresses move, once, and goes ahead.
    assert built.stderr.count("imported episode(s) get a new audio address") == 1
    assert built.stderr.count("imported: its audio moves from") == ITEMS

    ours = root / "site" / "feed.xml"
    after = podcastparser.parse("https://debats.example.org/feed.xml", ours.open("rb"))
    after_pt = node("partytime.cjs", ours)
    assert {e["guid"]: e["title"] for e in after["episodes"]} == {g: e["title"].strip() for g, e in expected.items()}
    assert {i["guid"] for i in after_pt["items"]} == set(expected)
    for item in after["episodes"]:
        media = root / "site" / item["enclosures"][0]["url"].removeprefix("https://debats.example.org/")
        assert item["enclosures"][0]["file_size"] == media.stat().st_size
    # The podcast keeps its identity: the old feed's podcast:guid, or the one its old address gives.
    old_guid = before_pt.get("guid") or before_pt.get("podcastGuid")
    feed_text = ours.read_text(encoding="utf-8")
    if old_guid:
        assert f"<podcast:guid>{old_guid}</podcast:guid>" in feed_text
    rebuilt = run_cli(root, "build")
    assert rebuilt.returncode == 0 and "get a new audio address" not in rebuilt.stderr

    # A second import of the same feed changes nothing.
    tree = tree_digest(root / "episodes") | {"podcast.yaml": (root / "podcast.yaml").read_text()}
    again = run_cli(root, "import", str(feed), "--owner-email", owner)
    assert again.returncode == 0, again.stderr
    assert f"0 episodes imported into {root}, {ITEMS} already there" in again.stdout
    assert tree_digest(root / "episodes") | {"podcast.yaml": (root / "podcast.yaml").read_text()} == tree


def test_chapters_and_transcripts_come_along(server, tmp_path):
    feed = local_feed("themnshow", server)
    root = tmp_path / "podcast"
    root.mkdir()
    assert run_cli(root, "import", str(feed)).returncode == 0
    items = etree.parse(str(feed)).getroot().findall("channel/item")
    seasons = {i.findtext("guid"): int(i.findtext(f"{{{ITUNES}}}season") or i.findtext(f"{{{PODCAST_URIS[1]}}}season")) for i in items}
    for guid, front in episode_fronts(root).items():
        assert [c["title"] for c in front["chapters"]] == ["Ouverture", "Questions"]
        assert front["chapters"][1]["start"] == "00:00:01.500"
        assert (front["_folder"] / front["transcript"]).read_text().startswith("1\n00:00:00,000 --> 00:00:01,500\nBonjour")
        assert {s["name"] for s in front["speakers"]}  # podcast:person of the item
        assert front["season"] == seasons[guid]


def test_new_episodes_of_the_feed_are_added_by_a_second_import(server, tmp_path):
    feed = local_feed("changing-the-tide", server)
    root = tmp_path / "podcast"
    root.mkdir()
    full = feed.read_bytes()
    first_only = re.sub(rb"<item>.*?</item>", b"", full, count=1, flags=re.S)  # the newest item not out yet
    feed.write_bytes(first_only)
    assert run_cli(root, "import", str(feed)).returncode == 0
    assert len(episode_fronts(root)) == ITEMS - 1
    config = (root / "podcast.yaml").read_text()
    feed.write_bytes(full)
    again = run_cli(root, "import", str(feed))
    assert again.returncode == 0, again.stderr
    assert len(episode_fronts(root)) == ITEMS
    assert (root / "podcast.yaml").read_text() == config


def test_a_locked_feed_needs_its_owners_email(server, tmp_path):
    feed = local_feed("launched", server)
    root = tmp_path / "podcast"
    root.mkdir()
    refused = run_cli(root, "import", str(feed))
    assert refused.returncode == 1
    assert refused.stderr.strip() == f"{feed}: podcast:locked: the feed is locked by its owner (podcast:locked): if it is yours, give its owner's e-mail with --owner-email"
    assert not (root / "episodes").exists()
    wrong = run_cli(root, "import", str(feed), "--owner-email", "someone@example.org")
    assert wrong.returncode == 1 and "is not the owner's e-mail" in wrong.stderr
    owner = etree.parse(str(feed)).getroot().findtext(f"channel/{{{ITUNES}}}owner/{{{ITUNES}}}email")
    accepted = run_cli(root, "import", str(feed), "--owner-email", owner.upper())
    assert accepted.returncode == 0, accepted.stderr
    assert len(episode_fronts(root)) == ITEMS


def test_what_cannot_be_fetched_is_a_warning_and_media_come_from_a_folder(server, tmp_path):
    www, base = server
    feed = local_feed("1865", server, reachable_cover=False)
    media = tmp_path / "old-media"
    media.mkdir()
    text = feed.read_text(encoding="utf-8")
    for audio in sorted((www / "1865").glob("episode-*.mp3")):
        (media / audio.name).write_bytes(audio.read_bytes())
    text = text.replace(f"{base}1865/episode-", f"{UNREACHABLE}1865/episode-")  # the old host is gone
    feed.write_text(text, encoding="utf-8")
    root = tmp_path / "podcast"
    root.mkdir()
    result = run_cli(root, "import", str(feed), "--media", str(media))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert any(f"{UNREACHABLE}cover.jpg: the cover cannot be fetched" in line for line in warnings), warnings
    assert any("a generated one is written to cover.jpg" in line for line in warnings)
    fronts = episode_fronts(root)
    assert len(fronts) == ITEMS
    for front in fronts.values():
        recording = front["_folder"] / front["recording"]
        assert any(recording.read_bytes() == m.read_bytes() for m in media.iterdir())
    assert run_cli(root, "check").returncode == 0  # the generated cover passes the cover rules


def test_an_interrupted_download_resumes(server, tmp_path):
    www, base = server
    feed = local_feed("dk-podcast", server)
    root = tmp_path / "podcast"
    root.mkdir()
    first = podcastparser.parse(feed.as_uri(), feed.open("rb"))["episodes"][0]
    source = www / "dk-podcast" / first["enclosures"][0]["url"].rsplit("/", 1)[1]
    data = source.read_bytes()
    result = run_cli(root, "import", str(feed))
    assert result.returncode == 0, result.stderr
    folder = next(f for f in (root / "episodes").iterdir() if (f / source.name).is_file())
    # Again in a fresh folder, with half the file already there (marked, so that a resume shows).
    root2 = tmp_path / "podcast2"
    staging = root2 / "episodes" / f".{folder.name}.importing"
    staging.mkdir(parents=True)
    half = len(data) // 2
    (staging / f".{source.name}.part").write_bytes(b"\0" * half)
    resumed = run_cli(root2, "import", str(feed))
    assert resumed.returncode == 0, resumed.stderr
    got = (root2 / "episodes" / folder.name / source.name).read_bytes()
    assert got == b"\0" * half + data[half:]  # only the rest was asked for (Range)
    assert not list(root2.glob("episodes/.*"))


@pytest.mark.parametrize(
    "change, line",
    [
        (lambda t: t[: len(t) // 2], "is not a readable feed: "),
        (lambda t: re.sub(r"<enclosure [^>]*/>", "", t, count=1), 'has no enclosure (no audio): it is left out'),
        (lambda t: re.sub(r"<guid[^>]*>[^<]*</guid>", "<guid>same</guid>", t), 'share the guid "same"'),
    ],
    ids=["truncated", "missing-enclosure", "duplicate-guids"],
)
def test_broken_feeds_give_one_line(change, line, server, tmp_path):
    feed = local_feed("changing-the-tide", server)
    broken = tmp_path / "broken.xml"
    broken.write_text(change(feed.read_text(encoding="utf-8")), encoding="utf-8")
    root = tmp_path / "podcast"
    root.mkdir()
    result = run_cli(root, "import", str(broken))
    assert "Traceback" not in result.stderr
    lines = [x for x in result.stderr.splitlines() if line in x]
    assert len(lines) == 1, result.stderr
    if "left out" in line:
        assert result.returncode == 0 and lines[0].startswith("warning: ")
        assert len(episode_fronts(root)) == ITEMS - 1
    else:
        assert result.returncode == 1
        assert not (root / "episodes").exists()
