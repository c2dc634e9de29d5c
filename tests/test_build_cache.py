"""The build's caches (file identities, probes, digests, processed audio) are invalidated exactly when they must be.

After each change, the site built incrementally is compared, byte for byte, with the site a
build from an empty cache makes of a copy of the same sources. What was (re)processed is
measured from the outside: the build's own count of processed recordings, and which
recordings its processes read (the kernel's page-cache residency after evicting them).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from support.sound import make_tone
from support.cli import run_cli
from support.files import tree_digest
from support.podcasts import DEBATE, DEBATE_TRANSCRIPT, add_debates, fresh_site, make_podcast
from support.pagecache import evicted, resident_bytes

EPISODE = DEBATE.replace("{date}", "2024-03-{day}T18:30:00+01:00")
TRANSCRIPT = DEBATE_TRANSCRIPT


def processed_count(root: Path, *extra: str) -> int:
    result = run_cli(root, "build", *extra)
    assert result.returncode == 0, result.stderr
    assert "up to date" not in result.stdout, "a change was not seen"
    return int(result.stdout.split(" episodes, ")[1].split(" ")[0])


def up_to_date(root: Path) -> bool:
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    return "up to date" in result.stdout


def stamp_of(entries: dict, path: Path) -> list[int]:
    stat = path.stat()
    return entries[f"{stat.st_dev}:{stat.st_ino}"]["stamp"]


def test_every_change_gives_the_site_of_an_empty_cache(tmp_path):
    root = add_debates(make_podcast(tmp_path / "podcast", {}), lambda day: TRANSCRIPT)
    scratch = tmp_path / "fresh"
    first = root / "episodes/2024-03-20-debat"
    recording = first / "enregistrement.wav"

    assert processed_count(root) == 2
    assert up_to_date(root)  # nothing changed: nothing done
    assert processed_count(root, "--full") == 0  # every step done: no audio made

    # A recording replaced by another of the same size, with a new mtime: processed again.
    size = recording.stat().st_size
    make_tone(tmp_path / "other.wav", 2.5, volume_db=-26.0)
    shutil.copyfile(tmp_path / "other.wav", recording)
    assert recording.stat().st_size == size
    assert processed_count(root) == 1
    assert tree_digest(root / "site") == fresh_site(root, scratch)

    # A touch without change: the digest is recomputed (new stamp), the audio kept.
    before = json.loads((root / ".cache/portevoix/identity.json").read_text())["files"]
    old_stamp = stamp_of(before, recording)
    time.sleep(0.01)
    os.utime(recording)
    assert processed_count(root) == 0
    after = json.loads((root / ".cache/portevoix/identity.json").read_text())["files"]
    assert stamp_of(after, recording) != old_stamp
    assert stamp_of(after, recording)[1] == recording.stat().st_mtime_ns
    assert tree_digest(root / "site") == fresh_site(root, scratch)

    # A changed preset: that episode's audio is made again.
    text = (first / "episode.md").read_text(encoding="utf-8")
    (first / "episode.md").write_text(text.replace("guid: guid-20\n", "guid: guid-20\naudio_preset: speech-mono\n"), encoding="utf-8")
    assert processed_count(root) == 1
    assert tree_digest(root / "site") == fresh_site(root, scratch)

    # An edited transcript: no audio made, the pages follow.
    transcript_page = root / "site/episodes/2024-03-21-debat/transcription/index.html"
    (root / "episodes/2024-03-21-debat/transcript.vtt").write_text(TRANSCRIPT.replace("Bonsoir", "Bonjour"), encoding="utf-8")
    assert processed_count(root) == 0
    assert "Bonjour à toutes" in transcript_page.read_text(encoding="utf-8")
    assert tree_digest(root / "site") == fresh_site(root, scratch)

    # A renamed episode folder: same recording (same inode), no audio made; new addresses, redirects from the old.
    first.rename(root / "episodes/2024-03-20-premier-debat")
    assert processed_count(root, "--allow-enclosure-change") == 0
    site = tree_digest(root / "site")
    assert any(name.startswith("episodes/2024-03-20-premier-debat/") for name in site)
    assert site == fresh_site(root, scratch, "--allow-enclosure-change")

    # A new episode, one episode per list page: every page of the list shifts (rendered while its episodes'
    # contexts are at hand, see pages.py), the other episodes' pages are kept.
    with (root / "podcast.yaml").open("a", encoding="utf-8") as config:
        config.write("episodes_per_page: 1\n")
    assert processed_count(root) == 0
    pages_before = {name for name in tree_digest(root / "site") if name.startswith("page/")}
    assert len(pages_before) == 1  # page/2/ (the newest episode is on index.html)
    folder = root / "episodes/2024-03-22-debat"
    folder.mkdir()
    (folder / "episode.md").write_text(EPISODE.format(title="Troisième débat", day="22"), encoding="utf-8")
    (folder / "transcript.vtt").write_text(TRANSCRIPT, encoding="utf-8")
    make_tone(folder / "enregistrement.wav", 2.5, volume_db=-23.0)
    assert processed_count(root) == 1
    site = tree_digest(root / "site")
    assert {name for name in site if name.startswith("page/")} == {"page/2/index.html", "page/3/index.html"}
    assert "Troisième débat" in (root / "site/index.html").read_text(encoding="utf-8")
    assert site == fresh_site(root, scratch)


def two_episodes(root: Path) -> Path:
    return add_debates(make_podcast(root, {}), lambda day: TRANSCRIPT)


def identities(site: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in site.rglob("*") if p.is_file()}


def test_unchanged_files_are_kept_and_never_linked_into_the_cache(tmp_path):
    root = two_episodes(tmp_path / "podcast")
    assert processed_count(root) == 2
    site, cache = root / "site", root / ".cache/portevoix"
    media = sorted([*site.glob("media/*.mp3"), *site.glob("media/*.opus")])
    assert media and all(p.stat().st_nlink == 1 for p in media)  # copies (or reflinks), not links into the cache
    cache_inodes = {p.stat().st_ino for p in cache.rglob("*") if p.is_file()}
    assert not cache_inodes & {p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    first = identities(site)

    # Every step done again with nothing changed: each file is the previous site's own (same inode, same mtime).
    assert processed_count(root, "--full") == 0
    assert identities(site) == first

    # A published page edited by hand: the next build puts back what it makes, and keeps the rest.
    page = site / "episodes/2024-03-20-debat/index.html"
    made = page.read_bytes()
    cache_before = tree_digest(cache / "tagged")
    with page.open("r+b") as handle:  # edited in place, as an editor may
        handle.write(b"<!-- edited -->")
    assert not up_to_date(root)
    assert page.read_bytes() == made
    after = identities(site)
    assert after.pop("episodes/2024-03-20-debat/index.html") != first.pop("episodes/2024-03-20-debat/index.html")
    assert after == first
    assert tree_digest(cache / "tagged") == cache_before

    # A published medium edited in place never reaches the cache.
    with media[0].open("r+b") as handle:
        handle.write(b"\0" * 64)
    assert tree_digest(cache / "tagged") == cache_before
    assert not up_to_date(root)
    assert tree_digest(cache / "tagged") == cache_before
    assert media[0].read_bytes() == (cache / "tagged").joinpath(
        next(n for n, d in cache_before.items() if d == tree_digest(site)[f"media/{media[0].name}"])
    ).read_bytes()


def test_unchanged_recordings_are_not_read_by_build_or_check(tmp_path):
    root = two_episodes(tmp_path / "podcast")
    recordings = sorted(root.glob("episodes/*/enregistrement.wav"))
    assert processed_count(root) == 2
    if not evicted(recordings):
        pytest.skip("this file system keeps files in memory: page-cache residency cannot show what was read")
    assert processed_count(root, "--full") == 0  # every step of a build
    assert resident_bytes(recordings) == 0
    assert run_cli(root, "check").returncode == 0
    assert resident_bytes(recordings) == 0
    # Nor are the cache's tagged media hashed again (their digests are known by identity, a check in between).
    tagged = sorted((root / ".cache/portevoix/tagged").glob("*.mp3"))
    assert tagged and evicted(tagged)
    assert processed_count(root, "--full") == 0
    assert resident_bytes(tagged) == 0
    # The meter sees reads: a changed recording is read (to hash and process it).
    os.utime(recordings[0])
    assert processed_count(root) == 0
    assert resident_bytes(recordings[:1]) > 0 and resident_bytes(recordings[1:]) == 0


def rendered_pages(root: Path, *extra: str) -> tuple[int, int]:
    """(pages rendered, pages in the site) of one build, as its log says (-v)."""
    result = run_cli(root, "-v", "build", *extra)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stderr.splitlines() if " pages rendered, " in line)
    rendered, total = line.split(" pages rendered")[0].split(" of ")
    return int(rendered), int(total)


def fresh_pages(root: Path, scratch: Path) -> dict[str, str]:
    """The site a build makes of a copy of `root`'s sources with no cache but its processed audio.

    The processed audio is keyed by the recording's digest and settings (its own invalidation is the test
    above's subject); every other cache (file identities, tagged media, notes, feed digests, the site
    manifest that the page memo reads, the build stamp) starts empty, and there is no site to reuse."""
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(root, scratch, ignore=shutil.ignore_patterns(".cache", "site", "site.*"))
    shutil.copytree(root / ".cache/portevoix/audio", scratch / ".cache/portevoix/audio")
    result = run_cli(scratch, "build")
    assert result.returncode == 0, result.stderr
    return tree_digest(scratch / "site")


def test_pages_of_unchanged_episodes_are_reused_until_what_they_show_changes(tmp_path):
    root = two_episodes(tmp_path / "podcast")
    scratch = tmp_path / "fresh"
    rendered, total = rendered_pages(root)
    assert rendered == total  # nothing to reuse the first time
    site = root / "site"

    # One episode's notes edited: its three pages and the episode list are made again, nothing else.
    notes = root / "episodes/2024-03-21-debat/episode.md"
    notes.write_text(notes.read_text(encoding="utf-8").replace("Des notes", "Des notes revues"), encoding="utf-8")
    kept = identities(site)["episodes/2024-03-20-debat/index.html"]
    assert rendered_pages(root) == (4, total)
    assert identities(site)["episodes/2024-03-20-debat/index.html"] == kept  # the other episode's page: the same file
    assert "Des notes revues" in (site / "episodes/2024-03-21-debat/index.html").read_text(encoding="utf-8")
    assert tree_digest(site) == fresh_pages(root, scratch)

    # A site-wide value (the podcast's title): every page shows it, every page is made again.
    config = root / "podcast.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("title: ", "title: Nouveau ", 1), encoding="utf-8")
    assert rendered_pages(root) == (total, total)
    assert tree_digest(site) == fresh_pages(root, scratch)

    # A template of the podcast's own (an override of the built-in one): the pages that use it.
    (root / "templates").mkdir()
    builtin = Path(__file__).resolve().parents[1] / "templates" / "embed.html"
    (root / "templates/embed.html").write_text(builtin.read_text(encoding="utf-8").replace("</body>", "<!-- ours --></body>"), encoding="utf-8")
    assert rendered_pages(root) == (total, total)  # a template changes the key of every page (includes reach anywhere)
    assert "<!-- ours -->" in (site / "embed/2024-03-20-debat/index.html").read_text(encoding="utf-8")
    assert tree_digest(site) == fresh_pages(root, scratch)

    # A page edited by hand in the site is not taken for the memo's: it is made again.
    page = site / "episodes/2024-03-20-debat/index.html"
    made = page.read_bytes()
    with page.open("r+b") as handle:
        handle.write(b"<!-- edited -->")
    assert rendered_pages(root) == (1, total)
    assert page.read_bytes() == made

    # A tagged medium damaged in the cache with its size kept (new mtime): made again, never published damaged.
    tagged = sorted((root / ".cache/portevoix/tagged").glob("*.mp3"))[0]
    data = bytearray(tagged.read_bytes())
    data[-200:-100] = b"\0" * 100
    tagged.write_bytes(bytes(data))
    assert not up_to_date(root)
    assert tree_digest(site) == fresh_pages(root, scratch)


def test_renderers_take_the_published_state_as_arguments_and_return_files(tmp_path):
    """feed.render and pages.render are given the published state and return {site path: bytes}; the feed
    checks run on those files, before any is written; published.json is not what they read."""
    import datetime as dt

    from pipeline.audio.cache import CACHE_DIR, AudioCache
    from pipeline.audio.identity_cache import IdentityCache
    from pipeline.build import process_audio
    from pipeline.feed import rss
    from pipeline.identity import Published, PublishedEpisode
    from pipeline.site import pages
    from pipeline.source.load import load_podcast

    root = two_episodes(tmp_path / "podcast")
    assert processed_count(root) == 2
    site_before = tree_digest(root / "site")
    known = IdentityCache(root / CACHE_DIR)
    podcast = load_podcast(root, known)
    built, processed = process_audio(podcast, AudioCache(root), known)
    assert processed == 0
    (root / "published.json").write_text("not JSON: the renderers must not read it", encoding="utf-8")
    guid, slug = built[0].episode.meta.guid, built[0].episode.slug
    published = Published(record={guid: PublishedEpisode(guid, slugs=["ancien-nom", slug])},
                          feed_state={"digest": "an older content", "changed": "2020-01-01T00:00:00+00:00"})

    made = pages.render(podcast, built, published)
    assert "episodes/ancien-nom/index.html" in made.files  # the redirect comes from the record given
    assert b"episodes/" + slug.encode() in made.files["episodes/ancien-nom/index.html"]
    assert made.files[f"episodes/{slug}/index.html"] == (root / "site" / f"episodes/{slug}/index.html").read_bytes()

    now = dt.datetime(2030, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)
    feed = rss.render(podcast, built, published, now=now)
    assert b"<lastBuildDate>Mon, 06 May 2030 07:08:09 +0000</lastBuildDate>" in feed.files["feed.xml"]  # content "changed"
    same = rss.render(podcast, built, Published(record={}, feed_state={"digest": feed.state[0], "changed": "2020-01-01T00:00:00+00:00"}), now=now)
    assert b"<lastBuildDate>Wed, 01 Jan 2020 00:00:00 +0000</lastBuildDate>" in same.files["feed.xml"]  # unchanged: its date kept

    cache = rss.FeedCache(root)
    files = {**feed.files, "cover.jpg": (root / "site/cover.jpg").read_bytes()}
    assert rss.check(podcast, built, files, cache) == []
    chapters = f"media/{slug}.chapters.json"
    assert chapters in files
    broken = rss.check(podcast, built, {**files, chapters: b"{}"}, cache)
    assert [str(p) for p in broken if chapters in str(p)], broken
    assert rss.check(podcast, built, files, cache, feed.keys) == []  # every item passed: their proofs are kept
    assert len(cache.proved) == len(built)
    cache.checked |= cache.proved
    trusted = rss.check(podcast, built, {**files, chapters: b"{}"}, cache, feed.keys)  # a file an item points to changed
    assert [str(p) for p in trusted if chapters in str(p)] == [str(p) for p in broken if chapters in str(p)]
    assert tree_digest(root / "site") == site_before  # nothing was written


def test_the_spare_folder_never_shows_in_the_site(tmp_path):
    """The previous site is kept beside site/ as its spare (site/writer.py): hard links to the site's own files only.
    Whatever happens to it (a file edited in place, one added by hand, site/ deleted), the site stays what a build from
    an empty cache makes."""
    root = two_episodes(tmp_path / "podcast")
    scratch = tmp_path / "fresh"
    site, spare = root / "site", root / "site.spare"
    assert processed_count(root) == 2
    assert not spare.exists()  # the first build had no previous site
    notes = root / "episodes/2024-03-21-debat/episode.md"
    notes.write_text(notes.read_text(encoding="utf-8").replace("Des notes", "Les notes"), encoding="utf-8")
    assert processed_count(root) == 0
    spare_files = [p for p in spare.rglob("*") if not p.is_dir()]
    assert spare_files, "the previous site was kept as the spare"
    for path in spare_files:  # only the files the new site shares, never an older version
        assert path.stat().st_ino == (site / path.relative_to(spare)).stat().st_ino, path
    assert not (spare / "episodes/2024-03-21-debat/index.html").exists(), "the edited page's old version is not kept"
    assert tree_digest(site) == fresh_site(root, scratch)

    # A file added to the spare by hand, another of its files (the site's own) edited in place: neither is published.
    (spare / "ajout.html").write_text("<p>à la main</p>", encoding="utf-8")
    (spare / "episodes/stray").mkdir(parents=True)
    (spare / "episodes/stray/index.html").write_text("perdu", encoding="utf-8")
    with (spare / "feed.xml").open("ab") as handle:
        handle.write(b"<!-- edited -->")
    notes.write_text(notes.read_text(encoding="utf-8").replace("Les notes", "Des notes"), encoding="utf-8")
    assert processed_count(root) == 0
    assert tree_digest(site) == fresh_site(root, scratch)

    # site/ deleted: the spare's files still as the manifest knows them make the site again, the same.
    shutil.rmtree(site)
    assert processed_count(root) == 0
    assert tree_digest(site) == fresh_site(root, scratch)
    cache_inodes = {p.stat().st_ino for p in (root / ".cache").rglob("*") if p.is_file()}
    assert not cache_inodes & {p.stat().st_ino for p in site.rglob("*") if p.is_file()}


def test_a_build_that_kept_nothing_still_leaves_a_spare_the_next_build_takes(tmp_path):
    """A build that trusted none of the site's files (its manifest lost) writes them all, its marker included: the
    spare it leaves still holds the marker (a link to the new site's), so the next build takes it as its staging
    folder. A spare an older build left without one, folders and no file, is replaced by the next previous site; a
    spare holding a file of someone's is left alone. The site is each time what an empty cache makes."""
    root = two_episodes(tmp_path / "podcast")
    scratch, site, spare = tmp_path / "fresh", root / "site", root / "site.spare"
    marker = ".portevoix-site"
    assert processed_count(root) == 2
    assert processed_count(root, "--full") == 0
    expected = fresh_site(root, scratch)
    (root / ".cache/portevoix/site-manifest.txt").unlink()
    assert processed_count(root, "--full") == 0
    assert (spare / marker).stat().st_ino == (site / marker).stat().st_ino
    assert not [p for p in spare.rglob("*") if p.is_file() and p.name != marker], "nothing else was shared"
    assert tree_digest(site) == expected
    notes = root / "episodes/2024-03-21-debat/episode.md"
    notes.write_text(notes.read_text(encoding="utf-8").replace("Des notes", "Les notes"), encoding="utf-8")
    before = identities(site)
    assert processed_count(root) == 0
    after = identities(site)
    assert after["episodes/2024-03-20-debat/index.html"] == before["episodes/2024-03-20-debat/index.html"]
    assert (spare / "episodes/2024-03-20-debat/index.html").stat().st_ino == (site / "episodes/2024-03-20-debat/index.html").stat().st_ino
    assert tree_digest(site) == fresh_site(root, scratch)

    # A spare of folders only, without the marker (what such a build left before): replaced, and used again after.
    shutil.rmtree(spare)
    (spare / "episodes/2024-03-20-debat").mkdir(parents=True)
    (spare / "media").mkdir()
    notes.write_text(notes.read_text(encoding="utf-8").replace("Les notes", "Des notes"), encoding="utf-8")
    assert processed_count(root) == 0
    assert (spare / marker).is_file() and (spare / "episodes/2024-03-20-debat/index.html").is_file()
    assert tree_digest(site) == fresh_site(root, scratch)

    # A folder at the spare's name holding a file of someone's: never removed, never used.
    shutil.rmtree(spare)
    (spare / "notes").mkdir(parents=True)
    (spare / "notes/mine.txt").write_text("à moi", encoding="utf-8")
    notes.write_text(notes.read_text(encoding="utf-8").replace("Des notes", "Les notes"), encoding="utf-8")
    assert processed_count(root) == 0
    assert (spare / "notes/mine.txt").read_text(encoding="utf-8") == "à moi"
    assert sorted(p.relative_to(spare).as_posix() for p in spare.rglob("*")) == ["notes", "notes/mine.txt"]
    assert tree_digest(site) == fresh_site(root, scratch)


def test_a_site_manifest_of_another_format_or_cut_short_is_no_manifest(tmp_path):
    """The site manifest (site/writer.py: what the last build wrote, one line per file) is read only in its own
    format: the JSON one of before, another format's first line, or a file cut short is no manifest at all. Every
    file is then written again (none is trusted), the site what an empty cache makes; the next build keeps them all."""
    root = two_episodes(tmp_path / "podcast")
    scratch, site = tmp_path / "fresh", root / "site"
    manifest, old = root / ".cache/portevoix/site-manifest.txt", root / ".cache/portevoix/site-manifest.json"
    assert processed_count(root) == 2
    text = manifest.read_text(encoding="utf-8")
    assert text.startswith("portevoix site manifest 2\n") and text.count("\n") > len(identities(site))
    expected = fresh_site(root, scratch)

    def kept(damage) -> bool:
        before = identities(site)
        damage()
        assert processed_count(root, "--full") == 0
        after = identities(site)
        assert after.keys() == before.keys()
        assert tree_digest(site) == expected
        if after == before:
            return True
        assert not set(after.items()) & set(before.items()), "a file was trusted without a manifest"
        return False

    def older() -> None:  # the format before this one: JSON, under the old name
        old.write_text(json.dumps({"output": str(site), "files": {}}), encoding="utf-8")
        manifest.unlink()

    assert not kept(older)
    assert not old.exists(), "the old format's file is removed"
    assert kept(lambda: None)
    assert not kept(lambda: manifest.write_text(text.replace("manifest 2", "manifest 1", 1), encoding="utf-8"))
    assert not kept(lambda: manifest.write_text(manifest.read_text(encoding="utf-8")[:-3], encoding="utf-8"))
    assert kept(lambda: None)


def test_the_writer_finds_in_its_manifest_table_what_the_manifest_says(tmp_path):
    """The writer holds the previous manifest as flat arrays (site/writer.py, ManifestTable), found by the names'
    hashes: each name gives its line's entry (the last one, for a name written twice), an unknown name none."""
    from pipeline.site.writer import MANIFEST_FORMAT, ManifestTable, read_manifest, read_manifest_table

    output = tmp_path / "site"
    lines = [f"page-{n}/index.html\t1 {n} 10 20\tin:{n:064x}\n" for n in range(500)]
    lines += ["feed.xml\t1 9 10 20\tsha256:" + "ab" * 32 + "\n", "page-7/index.html\t1 7 11 21\tfile:x|1|2\n"]
    manifest = tmp_path / "manifest.txt"
    manifest.write_text(f"{MANIFEST_FORMAT}\n{json.dumps(str(output))}\n" + "".join(lines), encoding="utf-8")
    expected, table = read_manifest(manifest, output), read_manifest_table(manifest, output)
    assert expected is not None and table is not None and len(expected) == 501
    assert all(table.get(name) == entry for name, entry in expected.items())
    assert table.get("page-7/index.html") == expected["page-7/index.html"] == b"1 7 11 21\t=file:x|1|2"
    assert table.get("page-500/index.html") is None and ManifestTable().get("feed.xml") is None
    manifest.write_text(manifest.read_text(encoding="utf-8")[:-3], encoding="utf-8")
    assert read_manifest_table(manifest, output) is None and read_manifest_table(tmp_path / "none", output) is None


def test_the_search_index_is_brought_up_to_date_not_made_again(tmp_path):
    """The Pagefind folder of the cache (site/search.py) keeps the documents and the bundle: an edit rewrites one
    document and adds its fragment; a damaged or half-written bundle there is made again. Each time the site is
    the one a build from an empty cache makes."""
    root = two_episodes(tmp_path / "podcast")
    scratch = tmp_path / "fresh"
    search = root / ".cache/portevoix/search"
    assert processed_count(root) == 2
    documents = {p: p.stat().st_mtime_ns for p in (search / "documents").rglob("*.html")}
    fragments = {p.name: p.stat().st_ino for p in (search / "bundle/fragment").iterdir()}
    assert len(documents) == 2 and len(fragments) == 2

    notes = root / "episodes/2024-03-21-debat/episode.md"
    notes.write_text(notes.read_text(encoding="utf-8").replace("Des notes", "Les notes"), encoding="utf-8")
    assert processed_count(root) == 0
    assert tree_digest(root / "site") == fresh_site(root, scratch)
    changed = [p for p, mtime in documents.items() if p.stat().st_mtime_ns != mtime]
    assert [p.parent.name for p in changed] == ["2024-03-21-debat"], "only the edited episode's document is written"
    now = {p.name: p.stat().st_ino for p in (search / "bundle/fragment").iterdir()}
    assert len(now) == 2 and len(now.keys() & fragments.keys()) == 1, "the other episode's fragment is kept, the old one removed"
    assert {f"pagefind/fragment/{name}" for name in now} == {n for n in tree_digest(root / "site") if n.startswith("pagefind/fragment/")}

    # A fragment of the cache damaged (same name, other bytes), then a run of Pagefind that never finished.
    kept = search / "bundle/fragment" / next(iter(now.keys() & fragments.keys()))
    kept.write_bytes(kept.read_bytes()[:-7] + b"damaged")
    notes.write_text(notes.read_text(encoding="utf-8").replace("Les notes", "Des notes"), encoding="utf-8")
    assert processed_count(root) == 0
    assert tree_digest(root / "site") == fresh_site(root, scratch)
    state = json.loads((search / "state.json").read_text(encoding="utf-8"))
    (search / "state.json").write_text(json.dumps({**state, "key": None}), encoding="utf-8")
    fragment = next((search / "bundle/fragment").iterdir())
    fragment.write_bytes(fragment.read_bytes()[:10])  # cut short, as a killed Pagefind leaves it
    notes.write_text(notes.read_text(encoding="utf-8").replace("Des notes", "Nos notes"), encoding="utf-8")
    assert processed_count(root) == 0
    assert tree_digest(root / "site") == fresh_site(root, scratch)


def test_an_episode_edited_while_a_build_runs_is_built_by_the_next_one(tmp_path):
    """The build stamp keeps the identities the sources had when the build started (before it read them): an
    episode.md edited after the build read it is not taken for built, the next build runs and shows the edit."""
    import subprocess
    import sys

    root = two_episodes(tmp_path / "podcast")
    assert processed_count(root) == 2
    release = tmp_path / "release"
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PORTEVOIX_TEST_HOOK": "wait@rendered",
           "PORTEVOIX_TEST_RELEASE": str(release)}
    episode = root / "episodes/2024-03-20-debat/episode.md"
    episode.write_text(episode.read_text(encoding="utf-8").replace("Des notes", "Des notes lues"), encoding="utf-8")
    running = subprocess.Popen([sys.executable, "-m", "pipeline", "-C", str(root), "build"], env=env, cwd=root,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not Path(f"{release}.waiting").exists():
        assert running.poll() is None and time.monotonic() < deadline, running.stderr.read() if running.poll() is not None else "timeout"
        time.sleep(0.05)
    episode.write_text(episode.read_text(encoding="utf-8").replace("Des notes lues", "Des notes écrites pendant la construction"),
                       encoding="utf-8")  # after the build read it, before it finished
    release.touch()
    _, err = running.communicate(timeout=120)
    assert running.returncode == 0, err
    page = root / "site/episodes/2024-03-20-debat/index.html"
    assert "Des notes lues" in page.read_text(encoding="utf-8")  # what that build read

    assert not up_to_date(root), "the edit made during the build was taken for built"
    assert "pendant la construction" in page.read_text(encoding="utf-8")
    assert up_to_date(root)
    assert tree_digest(root / "site") == fresh_site(root, tmp_path / "fresh")


def test_the_code_stamp_leaves_out_bytecode_in_every_subpackage(tmp_path):
    """Python writes .pyc files under each subpackage's __pycache__ when a module is first imported: that is not a
    change of the code, and must not turn the next build into a full one (it did, for subpackages only)."""
    from pipeline.build_stamp import _tree

    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "cli.cpython-311.pyc").write_bytes(b"top")
    (tmp_path / "publish" / "__pycache__").mkdir(parents=True)
    (tmp_path / "publish" / "__pycache__" / "ssh.cpython-311.pyc").write_bytes(b"deep")
    (tmp_path / "publish" / "ssh.py").write_text("x = 1\n")
    (tmp_path / "cli.py").write_text("y = 2\n")
    walked: dict[str, list[int]] = {}
    _tree(tmp_path, walked, "pipeline/", skip=("__pycache__",))
    assert sorted(walked) == ["pipeline/cli.py", "pipeline/publish/ssh.py"]


def square_image(path: Path, colour: tuple[int, int, int]) -> None:
    from PIL import Image

    Image.new("RGB", (1400, 1400), colour).save(path, quality=95)


def colour_of(path: Path) -> tuple[int, ...]:
    from PIL import Image

    with Image.open(path) as image:
        return image.convert("RGB").getpixel((image.width // 2, image.height // 2))


def test_covers_are_made_once_and_again_when_their_image_changes(tmp_path):
    """The feed, page and tag covers made from the podcast's and an episode's own images are kept in the cache:
    a build where nothing changed makes none of them again; a replaced image makes new ones, the same as a
    build from an empty cache (colours measured by Pillow in the site's files)."""
    root = two_episodes(tmp_path / "podcast")
    first = root / "episodes/2024-03-20-debat"
    square_image(first / "own.jpg", (200, 30, 30))
    text = (first / "episode.md").read_text(encoding="utf-8")
    (first / "episode.md").write_text(text.replace("guid: guid-20\n", "guid: guid-20\ncover: own.jpg\n"), encoding="utf-8")
    square_image(root / "cover.jpg", (30, 30, 200))
    covers = root / ".cache/portevoix/covers"
    site = root / "site"
    scratch = tmp_path / "fresh"

    assert processed_count(root) == 2
    made = identities(covers)
    assert len(made) == 2 * 3  # two images: the feed's (also the tags'), and the pages' two sizes
    assert processed_count(root, "--full") == 0
    assert identities(covers) == made, "a build where nothing changed made covers again"
    assert tree_digest(site) == fresh_site(root, scratch)

    square_image(first / "own.jpg", (30, 200, 30))  # the episode's image replaced: its covers follow
    square_image(root / "cover.jpg", (230, 230, 30))  # and the podcast's
    assert processed_count(root) == 0  # the audio is kept (its tags are written again)
    for name in ("media/2024-03-20-debat.jpg", "media/2024-03-20-debat-160.jpg", "media/2024-03-20-debat-320.jpg"):
        red, green, blue = colour_of(site / name)
        assert green > 150 and red < 80 and blue < 80, name
    for name in ("cover.jpg", "cover-160.jpg", "cover-320.jpg"):
        red, green, blue = colour_of(site / name)
        assert red > 180 and green > 180 and blue < 80, name
    from mutagen.id3 import ID3

    embedded = tmp_path / "embedded.jpg"  # the cover in the episode's MP3 tags (read by mutagen)
    embedded.write_bytes(ID3(site / "media/2024-03-20-debat.mp3").getall("APIC")[0].data)
    red, green, blue = colour_of(embedded)
    assert green > 150 and red < 80 and blue < 80
    assert set(made) < set(identities(covers)), "the old covers are kept (the cache is not cleared), new ones made"
    assert tree_digest(site) == fresh_site(root, scratch)


def test_the_loudness_picture_follows_what_it_shows(tmp_path):
    """The loudness picture is keyed by the audio it shows and the podcast's language: kept while they hold,
    made again when one changes (here the language), as a build from an empty cache makes it."""
    root = two_episodes(tmp_path / "podcast")
    picture = root / "site/episodes/2024-03-20-debat/loudness.svg"
    assert processed_count(root) == 2
    assert "— après" in picture.read_text(encoding="utf-8")  # the podcast's language: French by default
    kept = picture.stat().st_ino
    assert processed_count(root, "--full") == 0
    assert picture.stat().st_ino == kept  # the current site's file, linked into the new one
    config = root / "podcast.yaml"
    with config.open("a", encoding="utf-8") as out:
        out.write("language: en\n")
    assert processed_count(root) == 0
    assert "— after" in picture.read_text(encoding="utf-8")
    assert tree_digest(root / "site") == fresh_site(root, tmp_path / "fresh")


def test_tagged_media_a_build_made_are_not_read_by_the_next(tmp_path):
    """The digest of each tagged file is known from the moment it is made: the build after the one that made them
    does not read them to hash them (at a hundred two-hour debates, 14 GB of MP3 and Opus)."""
    root = two_episodes(tmp_path / "podcast")
    assert processed_count(root) == 2
    tagged = sorted((root / ".cache/portevoix/tagged").glob("*.*[!n]"))  # the media, not their .json records
    assert len(tagged) == 4
    if not evicted(tagged):
        pytest.skip("this file system keeps files in memory: page-cache residency cannot show what was read")
    assert processed_count(root, "--full") == 0
    assert resident_bytes(tagged) == 0
    # The meter sees reads: a tagged file touched is hashed again (and kept, its bytes being what its record says).
    time.sleep(0.01)
    os.utime(tagged[0])
    assert processed_count(root, "--full") == 0
    assert resident_bytes(tagged[:1]) > 0 and resident_bytes(tagged[1:]) == 0


def test_media_no_episode_publishes_any_more_leave_the_cache(tmp_path):
    """An edit of an episode's tags makes its media again: the old copies (a two-hour debate's MP3 and Opus:
    115-144 MB an edit) leave the cache once the new site is in place, and a failed build removes nothing."""
    root = two_episodes(tmp_path / "podcast")
    assert processed_count(root) == 2
    cache = root / ".cache/portevoix/tagged"
    first = tree_digest(cache)
    assert len(first) == 8  # MP3 and Opus of two episodes, each with its record
    notes = root / "episodes/2024-03-20-debat/episode.md"
    notes.write_text(notes.read_text(encoding="utf-8").replace("Premier débat", "Premier débat, revu"), encoding="utf-8")

    broken = root / "episodes/2024-03-21-debat/episode.md"
    kept = broken.read_text(encoding="utf-8")
    broken.write_text(kept.replace("title:", "titre:", 1), encoding="utf-8")
    assert run_cli(root, "build").returncode != 0
    assert tree_digest(cache) == first

    broken.write_text(kept, encoding="utf-8")
    assert processed_count(root) == 0
    after = tree_digest(cache)
    assert len(after) == 8
    site = tree_digest(root / "site")
    published = {site[f"media/{episode}.{ext}"] for episode in ("2024-03-20-debat", "2024-03-21-debat") for ext in ("mp3", "opus")}
    media = {name: digest for name, digest in after.items() if not name.endswith(".json")}
    assert set(media.values()) == published  # what is left is what the site publishes, no more
    unchanged = {name for name in first if name in after}
    assert len(unchanged) == 4 and all(first[name] == after[name] for name in unchanged)  # the other episode's, kept


def test_audio_an_older_version_processed_leaves_the_cache_and_other_settings_stay(tmp_path):
    """Each new processing version makes every recording's audio again (its version is in the key): the old entries
    are never looked up again, and they go once a new site is in place (a two-hour debate: ~145 MB each). An
    entry of this version made with other settings (another leveler tried) stays, and a failed build removes nothing."""
    from pipeline.audio import ENTRY_PREFIX

    root = two_episodes(tmp_path / "podcast")
    assert processed_count(root) == 2
    audio = root / ".cache/portevoix/audio"
    current = sorted(p.name for p in audio.iterdir())
    assert len(current) == 2 and all(name.startswith(ENTRY_PREFIX) for name in current)
    older = audio / "3f1c0a9e5b7d2e4f6a8b0c1d2e3f4a5b"  # an entry named as version 9 named them
    other = audio / f"{ENTRY_PREFIX}00000000000000000000000000000000"  # this version, other settings
    for entry in (older, other):
        shutil.copytree(audio / current[0], entry)

    broken = root / "episodes/2024-03-21-debat/episode.md"
    kept = broken.read_text(encoding="utf-8")
    broken.write_text(kept.replace("title:", "titre:", 1), encoding="utf-8")
    assert run_cli(root, "build").returncode != 0
    assert older.is_dir() and other.is_dir()

    broken.write_text(kept, encoding="utf-8")
    assert processed_count(root) == 0
    assert sorted(p.name for p in audio.iterdir()) == sorted([*current, other.name])
    assert tree_digest(audio / current[0]) == tree_digest(other)  # what stays is untouched
