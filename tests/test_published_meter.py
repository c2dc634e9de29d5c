"""The published files are metered side by side (verify.meter_files, one ffmpeg each): each file's figures are its
own, as an independent meter (Debian's ffmpeg) gives them, and a file that does not decode is an error.

(One ffmpeg for all the files was tried: its filter graphs print their summaries from their own threads as they
end, and the lines of two summaries then interleave: a fresh-clone CI run lost one file's figures in 5 builds.)"""

from __future__ import annotations

import pytest
from support.sound import ebur128, make_tone

from pipeline.audio.loudness import MeasureError
from pipeline.audio.verify import meter_files


def test_each_file_gets_its_own_figures(tmp_path):
    # two sounds far apart in level and peak, so that a mix-up of the two meters could not pass
    loud = make_tone(tmp_path / "audio.mp3", 4.0, volume_db=-6.0, codec=["-c:a", "libmp3lame", "-b:a", "128k"])
    quiet = make_tone(tmp_path / "audio.opus", 4.0, volume_db=-30.0, rate=48000, codec=["-c:a", "libopus", "-b:a", "32k"])
    measured = meter_files({"mp3": loud, "opus": quiet})
    assert set(measured) == {"mp3", "opus"}
    for name, path in (("mp3", loud), ("opus", quiet)):
        independent = ebur128(path)
        assert measured[name].integrated == pytest.approx(independent["I"], abs=0.15), name
        assert measured[name].true_peak is not None
        assert measured[name].true_peak == pytest.approx(independent["Peak"], abs=0.25), name
    assert measured["mp3"].integrated - measured["opus"].integrated > 8


def test_a_file_that_does_not_decode_is_an_error(tmp_path):
    good = make_tone(tmp_path / "audio.mp3", 2.0, codec=["-c:a", "libmp3lame", "-b:a", "128k"])
    broken = tmp_path / "audio.opus"
    broken.write_bytes(b"OggS" + bytes(200))
    with pytest.raises(MeasureError):
        meter_files({"mp3": good, "opus": broken})
