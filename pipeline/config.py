"""`podcast.yaml`: the podcast's own settings, declared as documented fields."""

from __future__ import annotations

import zoneinfo
from pathlib import Path

from pipeline import presets
from pipeline.errors import ProblemCollector
from pipeline.images import cover_problems
from pipeline.fields import (
    Boolean,
    Choice,
    Email,
    ListOf,
    Nested,
    RelativePath,
    Schema,
    Text,
    Url,
)
from pipeline.yamlio import YamlError, parse_yaml, read_text

CONFIG_FILE = "podcast.yaml"


class Owner(Schema):
    name = Text(required=True, doc="Name of the person or collective that owns the podcast.")
    email = Email(required=True, doc="E-mail address podcast directories use to verify ownership.")


class PodcastConfig(Schema):
    title = Text(required=True, max_length=255, doc="Name of the podcast, as apps show it.")
    description = Text(required=True, single_line=False, max_length=4000, doc="What the podcast is about, a paragraph.")
    author = Text(required=True, max_length=255, doc="Who makes it: the collective's name.")
    owner = Nested(Owner, required=True, doc="Owner name and e-mail (name:, email:).")
    language = Text(default="fr", doc="Language of the episodes, an ISO 639 code such as fr or en.")
    base_url = Url(required=True, doc="Public https address where the site will be published.")
    categories = ListOf(Text(), default=["Society & Culture"], doc="Apple Podcasts categories, the first one counts.")
    explicit = Boolean(default=False, doc="Whether episodes contain explicit content, unless an episode says otherwise.")
    cover = RelativePath(default="cover.jpg", doc="Square cover image (JPEG or PNG, 1400 to 3000 px).")
    license = Text(default="CC BY-SA 4.0", doc="Licence of the recordings, e.g. CC BY-SA 4.0.")
    timezone = Text(default="Europe/Paris", doc="Timezone of dates written without a time, e.g. Europe/Paris.")
    audio_preset = Choice(presets.names(), default="podcast", doc="Loudness preset used for every episode by default.")
    audio_leveler = presets.LevelerChoice(doc="Speech leveler: off, gentle or strong (default: the preset's, gentle).")
    type = Choice(("episodic", "serial"), default="episodic", doc="episodic (newest first) or serial (in order).")

    def validate(self, errors, prefix):
        if self.timezone:
            try:
                zoneinfo.ZoneInfo(self.timezone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                errors.append((prefix + "timezone", f'"{self.timezone}" is not a timezone (write e.g. Europe/Paris)'))
        if self.language and not (2 <= len(self.language.split("-")[0]) <= 3 and self.language.replace("-", "").isalpha()):
            errors.append((prefix + "language", f'"{self.language}" is not a language code (write fr or en)'))
        if self.base_url and not self.base_url.endswith("/"):
            self.base_url += "/"

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


def load_config(root: Path, problems: ProblemCollector) -> PodcastConfig | None:
    """Read and validate `podcast.yaml`; every problem goes to `problems`."""
    path = root / CONFIG_FILE
    shown = CONFIG_FILE
    if not path.is_file():
        problems.add(shown, f"not found in {root} (is this a podcast folder? use -C to name one)")
        return None
    try:
        data = parse_yaml(read_text(path))
    except YamlError as exc:
        problems.add(shown, str(exc))
        return None
    errors: list[tuple[str, str]] = []
    config = PodcastConfig.from_mapping(data, errors)
    for field, message in errors:
        problems.add(shown, message, field)
    if config is not None and config.cover:
        cover = root / config.cover
        if not cover.is_file():
            problems.add(shown, f'"{config.cover}" not found next to {CONFIG_FILE}', "cover")
        else:
            for message in cover_problems(cover):
                problems.add(shown, f'"{config.cover}" {message}', "cover")
    return None if errors else config
