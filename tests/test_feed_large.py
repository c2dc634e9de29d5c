"""The feed stage in-process: 1,000 episodes, RFC 5005 paging, trimmed audio, and the checks catching mistakes.

Episodes here are synthetic BuiltEpisodes over small real files (the audio stage
is not under test); the feeds are read back by podcastparser and feedparser.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import time
from pathlib import Path

import feedparser
import podcastparser
import pytest

from pipeline import paths, presets
from pipeline.audio import ProcessedAudio
from pipeline.audio.loudness import Loudness
from pipeline.audio.probe import RecordingInfo
from pipeline.source.config import PodcastConfig
from pipeline.source.episode_meta import EpisodeMeta
from pipeline.source.episodes import Episode
from pipeline.feed.rss import build_feeds
from pipeline.feed.checks import check_feed, check_site
from pipeline.feed.sidecars import sidecar_files
from pipeline.media.built import BuiltEpisode
from pipeline.source.load import Podcast
from pipeline.media.tagged import MediaFile
from pipeline.source import transcripts

from support.feeds import node

BASE = "https://podcast.example.org/"
PARIS = dt.timezone(dt.timedelta(hours=1))


def config(**extra) -> PodcastConfig:
    errors: list = []
    data = {
        "title": "Essai & co",
        "description": "Un podcast d'essai.",
        "author": "Collectif",
        "owner": {"name": "Collectif", "email": "contact@example.org"},
        "base_url": BASE,
        "guid": "245f0c51-097a-58b7-98f4-ae536297c3d2",
        "hosts": [{"name": "Claire Vernay"}],
        "funding": [{"url": "https://example.org/don", "text": "Soutenir"}],
        "location": {"name": "Saint-Étienne", "geo": "45.43,4.39", "osm": "R117905", "country": "fr"},
    }
    data.update(extra)
    made = PodcastConfig.from_mapping(data, errors)
    assert not errors, errors
    return made


def synthetic(folder: Path, number: int, *, trim: float = 0.0, meta: dict | None = None, transcript: Path | None = None) -> BuiltEpisode:
    errors: list = []
    fields = {
        "title": f"Épisode {number} : débat & questions",
        "date": "2024-01-01",
        "recording": "r.wav",
        "guid": f"guid-{number:05d}",
        "speakers": [{"name": "Claire Vernay", "role": "host"}, {"name": f"Invitée {number}", "role": "panelist"}],
        "venue": {"name": "Bourse du travail", "geo": "45.4225,4.4073"},
        "chapters": [{"start": "00:00:00", "title": "Ouverture"}, {"start": "00:00:30", "title": "Débat"}],
        "season": 1,
        "episode": number,
    }
    fields.update(meta or {})
    episode_meta = EpisodeMeta.from_mapping(fields, errors)
    assert not errors, errors
    slug = f"episode-{number:05d}"
    published = dt.datetime(2024, 1, 1, 12, tzinfo=PARIS) + dt.timedelta(days=number)
    mp3, opus = folder / f"{slug}.mp3", folder / f"{slug}.opus"
    mp3.write_bytes(b"ID3" + bytes(number % 251 for _ in range(1000 + number)))
    opus.write_bytes(b"OggS" + bytes((number * 7) % 251 for _ in range(500 + number)))
    episode = Episode(
        slug=slug, folder=folder, meta=episode_meta, notes=f"Notes **{number}** avec <script>x</script> & co.\n",
        recording=folder / "r.wav", info=RecordingInfo(120.0, 1, 44100, "pcm"), published=published,
        preset=presets.load("podcast"), transcript=transcript,
    )
    loud = Loudness(-16.0, 5.0, -1.5)
    audio = ProcessedAudio(files={"mp3": mp3, "opus": opus}, duration=120.0 - trim, before=loud, after=loud, gain_db=0.0, from_cache=True, trim_start=trim)
    return BuiltEpisode(
        episode=episode,
        audio=audio,
        media={"mp3": MediaFile(mp3, paths.media_file(slug, "mp3"), "audio/mpeg", mp3.stat().st_size, 120.0 - trim),
        "opus": MediaFile(opus, paths.media_file(slug, "opus"), "audio/ogg", opus.stat().st_size, 120.0 - trim)},
    )


def write_site(site: Path, built: list[BuiltEpisode], feeds: dict[str, bytes]) -> None:
    for item in built:
        for media in (item.media["mp3"], item.media["opus"]):
            target = site / media.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(media.path.read_bytes())
        for name, data in sidecar_files(item).items():
            (site / name).write_bytes(data)
    for name, data in feeds.items():
        (site / name).write_bytes(data)


@pytest.fixture(scope="module")
def thousand(tmp_path_factory) -> list[BuiltEpisode]:
    folder = tmp_path_factory.mktemp("media")
    return sorted((synthetic(folder, n) for n in range(1, 1001)), key=lambda b: b.episode.published, reverse=True)


def test_a_thousand_episodes(thousand, tmp_path, capsys):
    podcast = Podcast(root=tmp_path, config=config(), episodes=[b.episode for b in thousand])
    build_feeds(podcast, thousand)  # first build: integrity digests are computed and remembered
    started = time.perf_counter()
    feeds = build_feeds(podcast, thousand)
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n1,000-episode feed built in {elapsed * 1000:.0f} ms ({len(feeds['feed.xml']) / 1e6:.1f} MB)")
    assert list(feeds) == ["feed.xml"]
    assert build_feeds(podcast, thousand) == feeds  # byte-identical
    parsed = podcastparser.parse(BASE + "feed.xml", io.BytesIO(feeds["feed.xml"]))
    assert len(parsed["episodes"]) == 1000
    sizes = {e["guid"]: e["enclosures"][0]["file_size"] for e in parsed["episodes"]}
    assert sizes == {b.episode.meta.guid: b.main.path.stat().st_size for b in thousand}
    write_site(tmp_path / "site", thousand, feeds)
    assert check_site(tmp_path / "site", BASE) == []


def test_item_limit_pages_the_archive_with_rfc_5005_links(thousand, tmp_path):
    podcast = Podcast(root=tmp_path, config=config(feed_limit=300), episodes=[b.episode for b in thousand])
    feeds = build_feeds(podcast, thousand)
    assert list(feeds) == ["feed.xml", "feed-2.xml", "feed-3.xml", "feed-4.xml"]
    seen, page, pages_read = [], "feed.xml", 0
    while page:  # follow rel="next" as a client would
        parsed = feedparser.parse(feeds[page])
        assert not parsed.bozo, parsed.bozo_exception
        links = {link.rel: link.href for link in parsed.feed.links}
        assert links["self"] == BASE + page and links["first"] == BASE + "feed.xml" and links["last"] == BASE + "feed-4.xml"
        seen += [e.id for e in parsed.entries]
        page = links.get("next", "").removeprefix(BASE) or None
        pages_read += 1
    assert pages_read == 4
    assert seen == [b.episode.meta.guid for b in thousand]  # newest first, each once
    assert len(feedparser.parse(feeds["feed.xml"]).entries) == 300
    write_site(tmp_path / "site", thousand, feeds)
    assert check_site(tmp_path / "site", BASE) == []


def test_trimmed_audio_moves_chapters_transcripts_and_soundbites(tmp_path):
    source = tmp_path / "transcript.vtt"
    source.write_text(
        "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v Claire Vernay>Silence avant.\n\n"
        "00:00:05.000 --> 00:00:09.500\n<v Claire Vernay>Bonsoir à toutes & tous.\n\n"
        "00:00:40.000 --> 00:00:45.000\n<v Invitée 1>Merci.\n",
        encoding="utf-8",
    )
    item = synthetic(
        tmp_path, 1, trim=4.0, transcript=source,
        meta={
            "chapters": [{"start": "00:00:00", "title": "Avant"}, {"start": "00:00:02", "title": "Ouverture"}, {"start": "00:00:34", "title": "Débat"}],
            "soundbites": [{"start": "00:00:40", "duration": 5, "title": "Merci"}],
            "license": "CC BY 4.0",
        },
    )
    files = sidecar_files(item)
    chapters = json.loads(files[paths.chapters_file(item.episode.slug)])
    assert chapters == {"version": "1.2.0", "chapters": [{"startTime": 0, "title": "Ouverture"}, {"startTime": 30, "title": "Débat"}]}
    vtt = transcripts.parse(files[paths.transcript_file(item.episode.slug, "vtt")].decode(), ".vtt")
    srt = transcripts.parse(files[paths.transcript_file(item.episode.slug, "srt")].decode(), ".srt")
    for cues in (vtt, srt):
        assert [(c.start, c.end, c.speaker, c.text) for c in cues] == [
            (1.0, 5.5, "Claire Vernay", "Bonsoir à toutes & tous."),
            (36.0, 41.0, "Invitée 1", "Merci."),
        ]
    podcast = Podcast(root=tmp_path, config=config(), episodes=[item.episode])
    feed = build_feeds(podcast, [item])["feed.xml"].decode()
    assert '<podcast:soundbite startTime="36" duration="5">Merci</podcast:soundbite>' in feed
    assert '<podcast:license url="https://creativecommons.org/licenses/by/4.0/">cc-by-4.0</podcast:license>' in feed
    # Hosts of the channel are repeated in the item; a panelist is a guest in the taxonomy.
    persons = re.findall(r'<podcast:person role="(\w+)" group="(\w+)">([^<]+)<', feed)
    assert ("host", "cast", "Claire Vernay") in persons and ("guest", "cast", "Invitée 1") in persons
    assert '<podcast:location rel="creator" geo="geo:45.43,4.39" osm="R117905" country="fr">Saint-Étienne</podcast:location>' in feed
    assert '<podcast:funding url="https://example.org/don">Soutenir</podcast:funding>' in feed

    # What a namespace-aware parser and Podcast Index's parser make of it.
    (tmp_path / "feed.xml").write_text(feed, encoding="utf-8")
    smith = node("feedsmith.mjs", tmp_path / "feed.xml")
    assert smith["podcast"]["fundings"] == [{"url": "https://example.org/don", "display": "Soutenir"}]
    assert smith["podcast"]["persons"] == [{"display": "Claire Vernay", "role": "host", "group": "cast"}]
    (item_view,) = smith["items"]
    assert item_view["podcast"]["soundbites"] == [{"startTime": 36, "duration": 5, "display": "Merci"}]
    party = node("partytime.cjs", tmp_path / "feed.xml")
    assert party["podcastFunding"] == [{"url": "https://example.org/don", "message": "Soutenir"}]
    assert party["items"][0]["podcastSoundbites"] == [{"startTime": 36, "duration": 5, "title": "Merci"}]
    assert party["items"][0]["license"]["identifier"] == "cc-by-4.0"


def test_checks_report_every_violation_one_line_each(tmp_path):
    item = synthetic(tmp_path, 1)
    podcast = Podcast(root=tmp_path, config=config(), episodes=[item.episode])
    good = build_feeds(podcast, [item])["feed.xml"]
    assert check_feed("feed.xml", good, feed_url=BASE + "feed.xml") == []
    bad = (
        good.replace(b"<itunes:explicit>false</itunes:explicit>", b"<itunes:explicit>no</itunes:explicit>", 1)
        .replace(b'url="https://podcast.example.org/media/episode-00001.mp3"', b'url="http://podcast.example.org/media/episode-00001.mp3"')
        .replace(b"<pubDate>Tue, 02 Jan 2024", b"<pubDate>Wed, 02 Jan 2024")
        .replace(b'<itunes:category text="Society &amp; Culture"/>', b'<itunes:category text="Politics"/>')
        .replace(b'type="sri" value="sha256-', b'type="sri" value="md5-')
    )
    problems = [str(p) for p in check_feed("feed.xml", bad, feed_url=BASE + "feed.xml", size_of=lambda url: 12)]
    assert problems == [
        'feed.xml: itunes:explicit: is "no"; Apple wants true or false',
        "feed.xml: itunes:category: \"Politics\" is not on Apple's list",
        'feed.xml: item "guid-00001": pubDate: "Wed, 02 Jan 2024 12:00:00 +0100": 02 Jan 2024 is a Tuesday',
        'feed.xml: item "guid-00001": enclosure: url http://podcast.example.org/media/episode-00001.mp3 is not an https address',
        f'feed.xml: item "guid-00001": enclosure: length is {item.media["mp3"].size} but the file has 12 bytes',
        'feed.xml: item "guid-00001": podcast:integrity: "md5-' + item_integrity_tail(good) + '" is not a Subresource Integrity value',
        f'feed.xml: item "guid-00001": podcast:alternateEnclosure: length is {item.media["opus"].size} but the file has 12 bytes',
    ]
    assert [str(p) for p in check_feed("feed.xml", b"<rss><channel>&</channel></rss>")][0].startswith("feed.xml: is not well-formed XML")


def item_integrity_tail(feed: bytes) -> str:
    return re.search(rb'value="sha256-([^"]+)"', feed).group(1).decode()


def whole_feed(podcast: Podcast, built: list[BuiltEpisode]) -> bytes:
    """The feed as feedgen writes it in one tree with every item: what the spliced feed must be, byte for byte."""
    from pipeline.feed import rss

    fg = rss._channel(podcast, 1, 1, rss.newest_date(built))
    getattr(fg, rss.EXTENSION_NAME).data.trailers = rss.trailers(podcast, built)
    cache = rss.FeedCache(podcast.root)
    for item in built:
        rss.fill_entry(fg.add_entry(order="append"), rss.item_view(podcast, item, cache))
    return fg.rss_str(pretty=True)


def test_items_are_made_once_and_spliced_as_feedgen_writes_the_whole_feed(tmp_path):
    from pipeline.feed.rss import FeedCache

    source = tmp_path / "transcript.vtt"
    source.write_text("WEBVTT\n\n00:00:05.000 --> 00:00:09.500\n<v Claire Vernay>Bonsoir à toutes & tous.\n", encoding="utf-8")
    varied = {"soundbites": [{"start": "00:00:40", "duration": 5, "title": "Merci"}], "license": "CC BY 4.0",
              "discussion": "https://mastodon.example/@collectif/1", "summary": "Résumé <b>gras</b> & co", "episode_type": "trailer"}
    built = [synthetic(tmp_path, n, trim=3.0 if n % 3 == 0 else 0.0, transcript=source if n % 2 else None,
                       meta=varied if n % 4 == 0 else None) for n in range(1, 41)]
    built.sort(key=lambda b: b.episode.published, reverse=True)
    podcast = Podcast(root=tmp_path / "a", config=config(), episodes=[b.episode for b in built])
    first = build_feeds(podcast, built)["feed.xml"]
    assert first == whole_feed(podcast, built)
    assert len(list((tmp_path / "a/.cache/portevoix/feed-items").iterdir())) == 40

    # One episode edited: its item alone is made; the feed is the one a build from an empty cache makes.
    at = next(i for i, b in enumerate(built) if b.episode.meta.guid == "guid-00002")
    built[at] = synthetic(tmp_path, 2, meta={"title": "Titre corrigé"})
    cache = FeedCache(podcast.root)
    again = build_feeds(podcast, built, cache=cache)["feed.xml"]
    cache.save()
    assert cache.items.made == 1 and b"Titre corrig\xc3\xa9" in again
    fresh = Podcast(root=tmp_path / "b", config=config(), episodes=podcast.episodes)
    assert again == build_feeds(fresh, built)["feed.xml"] == whole_feed(fresh, built)
    assert len(list((tmp_path / "a/.cache/portevoix/feed-items").iterdir())) == 40  # the old text removed
    stored = sorted((tmp_path / "a/.cache/portevoix/feed-items").iterdir())
    stored[0].write_bytes(stored[0].read_bytes()[:-40])  # a damaged text is made again, never spliced in
    stored[1].write_bytes(stored[1].read_bytes().replace(b"<item>", b"<itme>"))
    cache = FeedCache(podcast.root)
    assert build_feeds(podcast, built, cache=cache)["feed.xml"] == again and cache.items.made == 2
    parsed = podcastparser.parse(BASE + "feed.xml", io.BytesIO(again))
    assert [e["guid"] for e in parsed["episodes"]] == [b.episode.meta.guid for b in built]
    assert len(feedparser.parse(again).entries) == 40


def test_a_cached_item_is_checked_again_when_a_file_it_points_to_changed(tmp_path):
    from pipeline import identity
    from pipeline.feed import rss

    built = [synthetic(tmp_path, n) for n in (2, 1)]
    podcast = Podcast(root=tmp_path, config=config(), episodes=[b.episode for b in built])
    cache = rss.FeedCache(tmp_path)
    feed = rss.render(podcast, built, identity.Published({}, None), cache)
    assert rss.check(podcast, built, feed.files, cache, feed.keys) == []
    cache.save()
    mp3 = built[1].media["mp3"].path
    with mp3.open("ab") as handle:  # the file grows behind the build's back: its item's text is as before
        handle.write(b"\0" * 10)
    cache = rss.FeedCache(tmp_path)
    feed = rss.render(podcast, built, identity.Published({}, None), cache)
    assert cache.items.made == 0
    problems = [str(p) for p in rss.check(podcast, built, feed.files, cache, feed.keys)]
    assert problems == [f'feed.xml: item "guid-00001": enclosure: length is {mp3.stat().st_size - 10} but the file has {mp3.stat().st_size} bytes']


def test_the_feed_checked_and_digested_from_its_file_as_from_its_bytes(tmp_path):
    """A build's feed pages are files in the cache (rss.render's folder), read as streams: the same digest, the
    same lastBuildDate set, the same problems as from the bytes in memory."""
    from pipeline import fsutil, identity
    from pipeline.feed import rss

    built = [synthetic(tmp_path, n) for n in (3, 2, 1)]
    podcast = Podcast(root=tmp_path, config=config(), episodes=[b.episode for b in built])
    state = {"digest": "another", "changed": "2020-01-01T00:00:00+00:00"}
    now = dt.datetime(2025, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)
    in_memory = rss.render(podcast, built, identity.Published({}, state), rss.FeedCache(tmp_path), now=now)
    folder = tmp_path / ".cache/portevoix" / rss.PAGES_FOLDER
    (folder / "feed-9.xml").parent.mkdir(parents=True)
    (folder / "feed-9.xml").write_bytes(b"left by an earlier build")
    on_disk = rss.render(podcast, built, identity.Published({}, state), rss.FeedCache(tmp_path), now=now, folder=folder)
    assert "feed.xml" not in on_disk.files and sorted(p.name for p in folder.iterdir()) == ["feed.xml"]
    data = in_memory.files["feed.xml"]
    assert on_disk.pages["feed.xml"].read_bytes() == data and b"Tue, 06 May 2025 07:08:09" in data
    assert on_disk.state == in_memory.state
    assert identity.feed_content_digest({"feed.xml": on_disk.pages["feed.xml"]}) == identity.feed_content_digest({"feed.xml": data})

    wrong = data.replace(b"<itunes:explicit>false</itunes:explicit>", b"<itunes:explicit>no</itunes:explicit>", 1)
    broken = wrong.replace(b"<content:encoded><![CDATA[", b"<content:encoded>", 1)  # and not well-formed
    for bad in (wrong, broken):
        (tmp_path / "bad.xml").write_bytes(bad)
        said = [str(p) for p in check_feed("feed.xml", bad, feed_url=BASE + "feed.xml")]
        assert said and said == [str(p) for p in check_feed("feed.xml", tmp_path / "bad.xml", feed_url=BASE + "feed.xml")]
    cache = rss.FeedCache(tmp_path)
    assert rss.check(podcast, built, on_disk.files, cache, on_disk.keys, on_disk=on_disk.pages) == []

    # the pieces a file is read in (a megabyte at a time) are those of its bytes, wherever a read ends
    for size in (1, 5, 64, 1000):
        fsutil.PIECE_READ, kept = size, fsutil.PIECE_READ
        try:
            assert list(fsutil.pieces(tmp_path / "bad.xml", b"<item>")) == list(fsutil.pieces(bad, b"<item>"))
        finally:
            fsutil.PIECE_READ = kept
