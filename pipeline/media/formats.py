"""The published audio formats, declared once: one row per format.

Every stage loops over this table: the audio stage makes one branch per
format in its single ffmpeg run (rate, codec band, limiter margin, codec
loudness offset, encoder), the media stage writes each file's tags with the
format's tag writer, the feed announces the main format as the enclosure and
the others as `podcast:alternateEnclosure`, pages offer each as a player
source and a download, sharing lists each in JSON-LD, publish sends them all.

A podcast chooses its formats in podcast.yaml (`formats: [mp3, opus, aac]`);
MP3 is always one of them (the enclosure every app plays). Adding a format is
a row here and, when it needs one, a tag writer in `media/tags.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.media import tags
from pipeline.presets import Preset

MAIN = "main"
"""The role of the format that is the feed's enclosure (one only)."""
ALTERNATE = "alternate"
"""The role of the formats announced beside it (podcast:alternateEnclosure, page player sources)."""


@dataclass(frozen=True)
class Format:
    name: str
    """What podcast.yaml's `formats:` says, e.g. "opus"."""
    extension: str
    """File extension, without the dot: media/<slug>.<extension>."""
    label: str
    """As listeners read it on pages and in apps (download links, alternateEnclosure title)."""
    mime: str
    codecs: str
    """RFC 6381 codecs parameter (page <source type>, podcast:alternateEnclosure codecs)."""
    role: str
    """MAIN or ALTERNATE."""
    rate: int
    """Sample rate of the encoder's input, Hz."""
    limiter_margin: float
    """dB under the true-peak ceiling where this branch's limiter sits: decoders overshoot what went in."""
    loudness_offset: float
    """dB added before the limiter: what the codec loses of the loudness (decoded files measure this much quieter)."""
    lowpass: float
    """Hz: the band the codec keeps; cut before the limiter so that it holds the peaks the decoder gives back."""
    bitrate: Callable[[Preset, int], str]
    """The encoder's bitrate (ffmpeg's -b:a) for a preset and a channel count."""
    encoder: Callable[[str], list[str]]
    """ffmpeg output options (codec, muxer) for that bitrate."""
    tag_writer: Callable[[Path, tags.Tags], None]
    """Replaces every tag of a file of this format (cover and chapters included)."""
    limiter_oversampling: int = 1
    """The limiter runs on the branch resampled this many times (4: it holds the true peak, not only the samples)."""
    loudness_offset_stereo: float | None = None
    """`loudness_offset` for a stereo branch, where the codec loses another share of the loudness (None: the same)."""

    def loudness_offset_for(self, channels: int) -> float:
        """dB added before the limiter for a branch of `channels` channels (see `loudness_offset`)."""
        if channels == 2 and self.loudness_offset_stereo is not None:
            return self.loudness_offset_stereo
        return self.loudness_offset

    @property
    def content_type(self) -> str:
        """MIME type with its codecs, as a page's <source type> wants it."""
        return f"{self.mime}; codecs={self.codecs}" if self.codecs else self.mime


def _mp3(bitrate: str) -> list[str]:
    # -q 7: at speech bitrates transparent and twice as fast as LAME's default 3. The Xing header gives apps the duration.
    return ["-c:a", "libmp3lame", "-b:a", bitrate, "-compression_level", "7", "-write_xing", "1", "-id3v2_version", "0",
            "-fflags", "+bitexact", "-f", "mp3"]


def _opus(bitrate: str) -> list[str]:
    # bitexact: the Ogg stream serial is otherwise random, and the same audio would give another file (and digest).
    return ["-c:a", "libopus", "-b:a", bitrate, "-application", "audio", "-compression_level", "5",
            "-fflags", "+bitexact", "-f", "ogg"]


def _aac(bitrate: str) -> list[str]:
    # ffmpeg's own AAC-LC encoder; faststart puts the index first so that players start before the end arrives.
    return ["-c:a", "aac", "-b:a", bitrate, "-fflags", "+bitexact", "-movflags", "+faststart", "-f", "ipod"]


FORMATS: dict[str, Format] = {
    "mp3": Format(
        name="mp3", extension="mp3", label="MP3", mime="audio/mpeg", codecs="", role=MAIN, rate=44100,
        # limited 4x oversampled, the decoded MP3's true peak stays 0.1-0.4 dB under the limit (room debate, noisy
        # debate, demo, bench room input); limiting the samples at 1.2 dB under the ceiling cost 1 dB of headroom.
        # 2x (soxr) gives the same first-pass peaks on six recordings, 0.1 dB higher on one (the room debate, strong:
        # -1.1 dBTP), for 1.7 CPU s per 10 minutes of stereo instead of 3.1
        limiter_margin=0.2, limiter_oversampling=2,
        loudness_offset=0.45,  # LAME's files decode this much quieter (measured on a sine, speech, stereo)
        lowpass=16000.0,  # LAME keeps no more at these bitrates
        bitrate=lambda preset, channels: preset.mp3_bitrate_mono if channels == 1 else preset.mp3_bitrate_stereo,
        encoder=_mp3, tag_writer=tags.write_mp3_tags,
    ),
    "opus": Format(
        name="opus", extension="opus", label="Opus", mime="audio/ogg", codecs="opus", role=ALTERNATE, rate=48000,
        limiter_margin=2.5,  # Opus overshoots more (decoded at 48 kHz with another filter bank)
        loudness_offset=0.3,  # at speech bitrates it narrows the band: -0.4 to -0.6 LU on the demo debates
        # in stereo at the same bitrate it decodes 0.2-0.3 LU louder than that next to the MP3 (the bench's room input,
        # three stereo versions of the tests' debates and of the demo), 0-0.1 quieter in mono (five recordings)
        loudness_offset_stereo=0.05,
        lowpass=12000.0,  # what Opus keeps of speech at its bitrate here (super-wide band)
        bitrate=lambda preset, channels: preset.opus_bitrate,
        encoder=_opus, tag_writer=tags.write_opus_tags,
    ),
    "aac": Format(
        name="aac", extension="m4a", label="AAC", mime="audio/mp4", codecs="mp4a.40.2", role=ALTERNATE, rate=44100,
        limiter_margin=1.5,  # AAC-LC decodes with overshoots between MP3's and Opus's
        loudness_offset=0.2,
        lowpass=14000.0,  # what ffmpeg's encoder keeps at these bitrates
        # ffmpeg's encoder short of bits overshoots at random (a 0.3 dB change of gain moved the decoded peak of the
        # room debate by up to 1.5 dB): at 64k mono its first pass went 0.5-3.3 dB over the limiter's margin on
        # three of four renderings, at 96k it stayed 0.6-1.0 dB under the ceiling on all four; on eight first passes
        # (the demo debates, the room debate and a clean one, gentle and strong) 96k mono still went over twice
        # (-0.3, +2.1 dBTP), 112k twice (-0.8, -0.5), 128k never (-2.2 to -1.6)
        bitrate=lambda preset, channels: "128k",
        encoder=_aac, tag_writer=tags.write_mp4_tags,
    ),
}
"""Every format portevoix can publish, in the order pages and feeds list them after the main one."""

DEFAULT_FORMATS = ("mp3", "opus")
"""What a podcast publishes when podcast.yaml does not say."""


def chosen(names: Iterable[str] | None) -> tuple[Format, ...]:
    """The formats named (podcast.yaml's `formats:`), main first; the defaults when None."""
    wanted = set(names or DEFAULT_FORMATS)
    rows = [f for f in FORMATS.values() if f.name in wanted]
    return tuple(sorted(rows, key=lambda f: f.role != MAIN))


@cache
def main_format() -> Format:
    """The feed's enclosure format (looked up once: pages ask for it at every transcript cue)."""
    return next(f for f in FORMATS.values() if f.role == MAIN)
