"""A feed for every directory: ownership proof, artwork with alt text, frequency, allied podcasts,
trailers, the episode's own cover and where it is discussed — read back by partytime and feedsmith,
and shown on the pages (the fediverse account with rel="me")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support.cli import REPO, run_cli
from support.podcasts import CONFIG, GOOD, make_podcast
from support.feeds import node

from pipeline.source.config import podcast_guid

DIRECTORIES = CONFIG + """\
apple_verify: "apple-verification-code-1234"
fediverse: "https://mastodon.example.social/@collectif"
cover_alt: "Un micro sur une table de conférence"
update_frequency: {text: "Un débat par mois", rrule: "FREQ=MONTHLY"}
podroll:
  - {title: "Les Voix du Quartier", feed_url: "https://voix.example.net/feed.xml"}
  - {title: "Radio Amie", guid: "917393e3-1b1e-5cef-ace4-edaa54e1f810"}
"""

DISCUSSED = GOOD.replace("---\nDes", 'discussion: "https://mastodon.example.social/@collectif/113000000000000001"\ncover: couverture.jpg\n---\nDes')
TRAILER = GOOD.replace("---\nDes", "episode_type: trailer\nseason: 1\n---\nDes").replace("Un bon épisode", "Bande-annonce").replace("2024-03-20", "2024-03-01")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = make_podcast(tmp_path_factory.mktemp("dirs") / "podcast", {"2024-03-20-debat": DISCUSSED.format(guid="g-debat"), "2024-03-01-annonce": TRAILER.format(guid="g-annonce")})
    (root / "podcast.yaml").write_text(DIRECTORIES, encoding="utf-8")
    shutil.copy2(REPO / "cover.jpg", root / "episodes" / "2024-03-20-debat" / "couverture.jpg")
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    return root


def test_partytime_reads_the_directory_tags(built):
    feed = node("partytime.cjs", built / "site" / "feed.xml")
    assert feed["podcastTxt"] == [{"value": "apple-verification-code-1234", "purpose": "applepodcastsverify"}]
    assert feed["podroll"] == [
        {"feedGuid": podcast_guid("https://voix.example.net/feed.xml"), "feedUrl": "https://voix.example.net/feed.xml", "title": "Les Voix du Quartier"},
        {"feedGuid": "917393e3-1b1e-5cef-ace4-edaa54e1f810", "title": "Radio Amie"},
    ]
    mp3 = built / "site" / "media" / "2024-03-01-annonce.mp3"
    assert [(t["title"], t["url"], t["length"], t["season"]) for t in feed["trailers"]] == [
        ("Bande-annonce", "https://podcast.example.org/media/2024-03-01-annonce.mp3", mp3.stat().st_size, 1)
    ]
    items = {i["guid"]: i for i in feed["items"]}
    assert items["g-debat"]["podcastSocialInteraction"] == [{"platform": "activitypub", "id": "", "url": "https://mastodon.example.social/@collectif/113000000000000001"}]
    assert items["g-debat"]["itunesImage"] == "https://podcast.example.org/media/2024-03-20-debat.jpg"
    assert "itunesImage" not in items["g-annonce"]


def test_feedsmith_reads_the_directory_tags(built):
    feed = node("feedsmith.mjs", built / "site" / "feed.xml")
    podcast = feed["podcast"]
    assert podcast["txts"] == [{"display": "apple-verification-code-1234", "purpose": "applepodcastsverify"}]
    assert podcast["images"] == [{"href": "https://podcast.example.org/cover.jpg", "alt": "Un micro sur une table de conférence", "width": 1400, "height": 1400, "type": "image/jpeg", "purpose": "artwork"}]
    assert podcast["updateFrequency"] == {"display": "Un débat par mois", "rrule": "FREQ=MONTHLY"}
    assert [r["title"] for r in podcast["podroll"]["remoteItems"]] == ["Les Voix du Quartier", "Radio Amie"]
    assert [t["display"] for t in podcast["trailers"]] == ["Bande-annonce"]
    cover = built / "site" / "media" / "2024-03-20-debat.jpg"
    from PIL import Image

    with Image.open(cover) as image:  # the episode's own cover, as Apple wants it
        assert image.format == "JPEG" and image.mode == "RGB" and image.size[0] == image.size[1] >= 1400


def test_pages_link_the_fediverse_account_and_the_discussion(built):
    index = (built / "site" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="me" href="https://mastodon.example.social/@collectif">' in index
    assert "Podcasts amis" in index and 'href="https://voix.example.net/feed.xml">Les Voix du Quartier</a>' in index
    page = (built / "site" / "episodes" / "2024-03-20-debat" / "index.html").read_text(encoding="utf-8")
    assert '<a href="https://mastodon.example.social/@collectif/113000000000000001">Discuter de ce débat</a>' in page
    assert 'rel="me" href="https://mastodon.example.social/@collectif"' in page


def test_wrong_directory_fields_are_reported(tmp_path):
    root = make_podcast(tmp_path / "podcast", {"2024-03-20-debat": GOOD.format(guid="g1").replace("---\nDes", 'discussion: "http://insecure.example/1"\n---\nDes')})
    result = run_cli(root, "check")
    assert result.returncode == 1
    assert result.stderr.strip() == 'episodes/2024-03-20-debat/episode.md: discussion: "http://insecure.example/1" is not an https:// address'
    (root / "podcast.yaml").write_text(CONFIG + 'update_frequency: {text: "souvent", rrule: "tous les jours"}\npodroll:\n  - {title: "Sans adresse"}\n', encoding="utf-8")
    result = run_cli(root, "check")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "podcast.yaml: podroll[1].feed_url: is missing: give the allied podcast's feed address (feed_url:) or its guid (guid:)",
        'podcast.yaml: update_frequency.rrule: "tous les jours" is not an iCalendar rule (write FREQ=MONTHLY or FREQ=WEEKLY;INTERVAL=2)',
    ]
