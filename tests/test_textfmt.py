"""textfmt.clock: the one clock formatter writes what each place wrote with its own copy before (issue 11).

The references below are the formatters as they stood in each module before they became one; each style must
give exactly their output, for any time (fractions, hours, negative values included), and fsutil's atomic write
and digests must behave like the copies they replaced."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest
from hypothesis import given, settings, strategies as st

from pipeline import fsutil, textfmt
from pipeline.textfmt import CHAPTER, CHAPTER_EXACT, EXACT, PLAYER, REPORT, SHORT, clock


def progress_clock(seconds):  # pipeline/progress.py
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def probe_clock(seconds):  # pipeline/audio/probe.py
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def audio_clock(seconds):  # pipeline/audio/__init__.py
    minutes, rest = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{rest:02d}" if hours else f"{minutes:02d}:{rest:02d}"


def pages_clock(seconds):  # pipeline/site/pages.py
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def tags_clock(seconds):  # pipeline/media/tags.py
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def npt(seconds):  # pipeline/feed/podcasting.py
    millis = round(seconds * 1000)
    return f"{millis // 3_600_000:02d}:{millis % 3_600_000 // 60_000:02d}:{millis % 60_000 // 1000:02d}.{millis % 1000:03d}"


def hms(seconds):  # pipeline/source/new.py
    whole = max(0, round(seconds))
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def import_clock(seconds):  # pipeline/importer/steps.py
    whole, millis = divmod(round(seconds * 1000), 1000)
    return hms(whole) + (f".{millis:03d}" if millis else "")


def human_bytes(count):  # pipeline/publish/plan.py
    for unit in ("B", "kB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count} B"


PLACES = [(SHORT, progress_clock), (SHORT, probe_clock), (REPORT, audio_clock), (PLAYER, pages_clock),
          (EXACT, tags_clock), (EXACT, npt), (CHAPTER, hms), (CHAPTER_EXACT, import_clock)]

times = st.one_of(
    st.floats(min_value=-7200, max_value=400_000, allow_nan=False),
    st.integers(min_value=-100, max_value=400_000).map(float),
    st.integers(min_value=0, max_value=400_000_000).map(lambda ms: ms / 1000),
    st.sampled_from([0.0, 0.4995, 0.5, 1.5, 2.5, 59.5, 59.9996, 3599.5, 3600.0, 5999.9994, 86400.0, 359999.9995]),
)


@settings(max_examples=600, deadline=None)
@given(times)
def test_each_style_writes_what_its_place_wrote(seconds):
    for style, before in PLACES:
        assert clock(seconds, style) == before(seconds), (before.__name__, seconds)


def test_the_styles_read_as_their_places_show_them():
    assert [clock(3723.6, style) for style in (SHORT, PLAYER, REPORT, CHAPTER, CHAPTER_EXACT, EXACT)] == [
        "1:02:04", "1:02:03", "01:02:03", "01:02:04", "01:02:03.600", "01:02:03.600"]
    assert [clock(75.25, style) for style in (SHORT, PLAYER, REPORT, CHAPTER, CHAPTER_EXACT, EXACT)] == [
        "1:15", "01:15", "01:15", "00:01:15", "00:01:15.250", "00:01:15.250"]
    assert clock(12.0, CHAPTER_EXACT) == "00:00:12"


@given(st.one_of(st.integers(min_value=0, max_value=10**13), st.floats(min_value=0, max_value=1e13, allow_nan=False)))
def test_sizes_are_written_as_before(count):
    assert textfmt.human_bytes(count) == human_bytes(count)


def test_sizes_in_french_have_french_units_and_a_decimal_comma():
    assert [textfmt.human_bytes(n, "fr") for n in (12, 3_400, 55_000_000, 1_234_000_000_000)] == ["12 o", "3,4 ko", "55,0 Mo", "1234,0 Go"]
    assert [textfmt.human_bytes(n) for n in (12, 3_400, 55_000_000)] == ["12 B", "3.4 kB", "55.0 MB"]


def test_an_atomic_write_replaces_whole_and_keeps_or_sets_the_mode(tmp_path):
    path = tmp_path / "deep" / "podcast.yaml"
    fsutil.write_atomically(path, "titre: Débats\n")
    assert path.read_bytes() == "titre: Débats\n".encode()
    os.chmod(path, 0o600)
    fsutil.write_atomically(path, b"bytes too", keep_mode=True)
    assert path.read_bytes() == b"bytes too" and stat.S_IMODE(path.stat().st_mode) == 0o600
    fsutil.write_atomically(path, "x", mode=0o644)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert sorted(p.name for p in path.parent.iterdir()) == ["podcast.yaml"]


def test_a_failed_atomic_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "record.json"
    path.write_text("old")
    with pytest.raises(TypeError):
        fsutil.write_atomically(path, 42)  # type: ignore[arg-type]
    assert path.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["record.json"]


def test_file_digests_are_the_library_digests(tmp_path):
    path = tmp_path / "audio.bin"
    data = os.urandom(3 * fsutil.BLOCK + 17)
    path.write_bytes(data)
    assert fsutil.file_digest(path) == hashlib.sha256(data).hexdigest()
    size, (sha, md5) = fsutil.file_hashes(path, "sha256", "md5")
    assert size == len(data) and sha.digest() == hashlib.sha256(data).digest() and md5.hexdigest() == hashlib.md5(data).hexdigest()


def test_a_streamed_atomic_write_replaces_the_file_only_when_its_block_ends(tmp_path):
    path = tmp_path / "site-manifest.txt"
    path.write_text("old\n")
    with fsutil.writing_atomically(path, encoding="utf-8") as out:
        out.write("première ligne\n")
        assert path.read_text() == "old\n"  # a reader still sees the old file while the new one is written
        out.write("seconde ligne\n")
    assert path.read_text(encoding="utf-8") == "première ligne\nseconde ligne\n"
    with pytest.raises(RuntimeError), fsutil.writing_atomically(path) as raw:
        raw.write(b"half")
        raise RuntimeError("killed half-way")
    assert path.read_text(encoding="utf-8") == "première ligne\nseconde ligne\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site-manifest.txt"]
