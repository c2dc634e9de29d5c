"""`podcast.yaml`: the podcast's own settings, declared as documented fields."""

from __future__ import annotations

import json
import re
import uuid
import zoneinfo
from pathlib import Path

from pipeline.fsutil import write_atomically
from pipeline import presets
from pipeline.errors import ProblemCollector
from pipeline.i18n import say
from pipeline.media.formats import DEFAULT_FORMATS, FORMATS, main_format
from pipeline.media.cover_cache import checked_cover
from pipeline.audio.identity_cache import IdentityCache
from pipeline.source.fields import (
    OffChoice,
    Boolean,
    Choice,
    Email,
    Integer,
    ListOf,
    Nested,
    RelativePath,
    Schema,
    Text,
    Url,
    load_fields,
    near_miss,
)
from pipeline.publish.settings import Targets
from pipeline.source.yamlio import parse_yaml, read_text

CONFIG_FILE = "podcast.yaml"


class Owner(Schema):
    name = Text(required=True, doc="Name of the person or collective that owns the podcast.")
    email = Email(required=True, doc="E-mail address podcast directories use to verify ownership.")


MEDIUMS = ("podcast", "music", "video", "film", "audiobook", "newsletter", "blog", "course")
GEO = re.compile(r"-?\d{1,2}(\.\d+)?,\s*-?\d{1,3}(\.\d+)?")
OSM = re.compile(r"[NWR]\d+(#\d+)?")


class Host(Schema):
    name = Text(required=True, max_length=128, doc="Name of the host.")
    role = Text(default="host", doc="Podcasting 2.0 role (host, co-host, producer…).")
    group = Text(default="cast", doc="Podcasting 2.0 group of the role (cast, creative direction…).")
    url = Url(doc="A page about the host.")
    img = Url(doc="A picture of the host.")


class Funding(Schema):
    url = Url(required=True, doc="Page where listeners can give.")
    text = Text(required=True, max_length=128, doc="What the link says, e.g. Soutenir le collectif.")


class Place(Schema):
    name = Text(required=True, max_length=128, doc="Name of the place, as people say it.")
    geo = Text(doc="Latitude,longitude, e.g. 45.4225,4.4073.")
    osm = Text(doc="OpenStreetMap object, e.g. R120965.")
    country = Text(doc="Two-letter country code, e.g. fr.")

    def validate(self, errors, prefix):
        if self.geo and not GEO.fullmatch(self.geo):
            errors.append((prefix + "geo", f'"{self.geo}" is not latitude,longitude (write 45.4225,4.4073)'))
        if self.osm and not OSM.fullmatch(self.osm):
            errors.append((prefix + "osm", f'"{self.osm}" is not an OpenStreetMap object (write N, W or R and its number, e.g. R120965)'))
        if self.country and not re.fullmatch(r"[A-Za-z]{2}", self.country):
            errors.append((prefix + "country", f'"{self.country}" is not a two-letter country code (write fr)'))


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def licence_identity(licence: str) -> tuple[str, str] | None:
    """("cc-by-sa-4.0", its creativecommons.org address) for a Creative Commons licence written "CC BY-SA 4.0"; else None."""
    match = re.fullmatch(r"(?i)cc[\s-]+(by(?:-nc)?(?:-sa|-nd)?)[\s-]+(\d\.\d)", licence.strip())
    if match:
        kind, version = match.group(1).lower(), match.group(2)
        return f"cc-{kind}-{version}", f"https://creativecommons.org/licenses/{kind}/{version}/"
    if re.fullmatch(r"(?i)cc0(?:[\s-]+1\.0)?", licence.strip()):
        return "cc0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/"
    return None


def apple_categories() -> dict[str, list[str]]:
    """Apple Podcasts' category list: {category: [subcategories]}, from apple-categories.json."""
    return json.loads((Path(__file__).resolve().parent.parent / "apple-categories.json").read_text(encoding="utf-8"))


def apple_category_problem(category: str) -> str | None:
    """Why `category` ("Society & Culture" or "Society & Culture > Documentary") is not on Apple's list, or None."""
    known = apple_categories()
    parent, _, child = (part.strip() for part in category.partition(">"))
    if parent not in known:
        return f'"{parent}" is not an Apple Podcasts category{near_miss(parent, known)}'
    if child and child not in known[parent]:
        return f'"{child}" is not a subcategory of {parent}{near_miss(child, known[parent])}'
    return None


def language_problem(code: str) -> str | None:
    """Why `code` is not an ISO 639 language code (fr, en, pt-BR…), or None."""
    if 2 <= len(code.split("-")[0]) <= 3 and code.replace("-", "").isalpha():
        return None
    return f'"{code}" is not a language code (write fr or en)'


def podcast_guid(feed_url: str) -> str:
    """The Podcasting 2.0 podcast:guid of a feed address: UUIDv5 of the URL without scheme and trailing slashes."""
    bare = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", feed_url).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")


class PodrollEntry(Schema):
    title = Text(max_length=128, doc="Name of the allied podcast, as shown on the index page.")
    feed_url = Url(doc="Its feed address.")
    guid = Text(doc="Its podcast:guid, if its feed has one (otherwise derived from feed_url).")

    def validate(self, errors, prefix):
        if not self.feed_url and not self.guid:
            errors.append((prefix + "feed_url", "is missing: give the allied podcast's feed address (feed_url:) or its guid (guid:)"))
        if self.guid and not _is_uuid(self.guid):
            errors.append((prefix + "guid", f'"{self.guid}" is not a UUID (copy it from the <podcast:guid> of their feed)'))


class UpdateFrequency(Schema):
    text = Text(required=True, max_length=128, doc="How often episodes come, in words, e.g. Un débat par mois.")
    rrule = Text(doc="The same as an iCalendar rule, e.g. FREQ=MONTHLY or FREQ=WEEKLY;INTERVAL=2.")
    complete = Boolean(default=False, doc="true when no episode will be added any more.")

    def validate(self, errors, prefix):
        if self.rrule and not re.fullmatch(r"FREQ=(YEARLY|MONTHLY|WEEKLY|DAILY)(;[A-Z]+=[A-Z0-9,+-]+)*", self.rrule):
            errors.append((prefix + "rrule", f'"{self.rrule}" is not an iCalendar rule (write FREQ=MONTHLY or FREQ=WEEKLY;INTERVAL=2)'))


TRANSCRIPTION_DEVICES = ("auto", "cpu", "cuda")


class Transcription(Schema):
    model = Text(default="small", doc="Speech recognition model: a name (tiny, base, small, medium, large-v3…) downloaded once into .cache/portevoix/models/ when the machine is online, or the path of a folder holding a faster-whisper model (model.bin…), relative to the podcast folder.")
    language = Text(doc="Language spoken in the recordings, e.g. fr; default: the podcast's language.")
    auto = Boolean(default=False, doc="Let 'portevoix build' transcribe every episode that has no transcript yet (a draft to review).")
    device = Choice(TRANSCRIPTION_DEVICES, default="auto", doc="Where the model runs: auto (a CUDA GPU when there is one), cpu or cuda.")


class PodcastConfig(Schema):
    title = Text(required=True, max_length=255, doc="Name of the podcast, as apps show it.")
    description = Text(required=True, single_line=False, max_length=4000, doc="What the podcast is about, a paragraph.")
    author = Text(required=True, max_length=255, doc="Who makes it: the collective's name.")
    owner = Nested(Owner, required=True, doc="Owner name and e-mail (name:, email:).")
    language = Text(default="fr", doc="Language of the episodes, an ISO 639 code such as fr or en.")
    base_url = Url(required=True, doc="Public https address where the site will be published.")
    categories = ListOf(Text(), default=["Society & Culture"], doc="Apple Podcasts categories from Apple's list, e.g. Society & Culture or News > Politics; the first one counts.")
    explicit = Boolean(default=False, doc="Whether episodes contain explicit content, unless an episode says otherwise.")
    cover = RelativePath(default="cover.jpg", doc="Square cover image (JPEG or PNG, 1400 to 3000 px).")
    license = Text(default="CC BY-SA 4.0", doc="Licence of the recordings, e.g. CC BY-SA 4.0.")
    timezone = Text(default="Europe/Paris", doc="Timezone of dates written without a time, e.g. Europe/Paris.")
    audio_preset = Choice(presets.names(), default="podcast", doc="Loudness preset used for every episode by default.")
    audio_leveler = OffChoice(presets.leveler_names(), doc="Speech leveler: off, gentle or strong (default: the preset's, gentle).")
    audio_denoise = OffChoice(presets.DENOISE_CHOICES, doc="Room noise reduction (ventilation, projector): off, light or medium; default: light when noise is measured, else off.")
    audio_declip = Boolean(doc="Repair stretches where the recording clipped (found and reported by check and build --report). Default: false.")
    intro = RelativePath(doc="A jingle played before every episode (audio file beside podcast.yaml), brought to the episodes' loudness and crossfaded; an episode may name its own.")
    outro = RelativePath(doc="A jingle played after every episode, like intro:.")
    type = Choice(("episodic", "serial"), default="episodic", doc="episodic (newest first) or serial (in order).")
    episodes_per_page = Integer(default=20, minimum=1, doc="Episodes listed on each index page; older ones go to page/2/, page/3/…")

    # The feed's identity and Podcasting 2.0 channel tags (see pipeline/feed/rss.py).
    guid = Text(doc="Podcasting 2.0 identity of the podcast: computed once from the feed address by the first build, then kept here for life; never change it, even when the podcast moves.")
    new_feed_url = Url(doc="Only when the podcast moves: its new feed address; apps and directories follow it (itunes:new-feed-url). The podcast guid stays.")
    locked = Boolean(default=True, doc="Forbid other platforms to import the feed (podcast:locked, with the owner's e-mail).")
    medium = Choice(MEDIUMS, default="podcast", doc="What the feed holds (podcast:medium): " + ", ".join(MEDIUMS) + ".")
    license_url = Url(doc="Address of the licence's full text; needed only for a licence that is not a Creative Commons one.")
    hosts = ListOf(Host, doc="Who hosts the podcast (name:, role:, url:, img:); repeated in every episode's credits.")
    funding = ListOf(Funding, doc="Where listeners can support the podcast (url:, text:).")
    location = Nested(Place, doc="Where the podcast is made (name:, geo: latitude,longitude, osm:, country:).")
    feed_limit = Integer(minimum=1, doc="Most episodes in feed.xml; older ones go to archive pages (feed-2.xml…) linked with RFC 5005 paging. Default: all.")
    formats = ListOf(Choice(tuple(FORMATS)), default=list(DEFAULT_FORMATS), doc="Audio formats published for every episode: " + ", ".join(FORMATS) + "; mp3 is always one (the file every app plays), the others are offered beside it.")
    apple_verify = Text(max_length=256, doc="The verification code Apple Podcasts Connect gives to prove the feed is yours (written as podcast:txt).")
    fediverse = Url(doc="The collective's fediverse account (e.g. https://mastodon.social/@collectif), linked from every page with rel=\"me\".")
    podroll = ListOf(PodrollEntry, doc="Allied podcasts recommended to listeners (title:, feed_url:, guid:), in the feed (podcast:podroll) and on the index page.")
    update_frequency = Nested(UpdateFrequency, doc="How often episodes come (text:, rrule:, complete:), for apps (podcast:updateFrequency).")
    cover_alt = Text(max_length=512, doc="What the cover shows, for people who cannot see it (podcast:image alt and the pages).")
    transcription = Nested(Transcription, doc="Automatic transcripts (model:, language:, auto:, device:); see Transcripts.")
    publish = Targets(doc="Named places the site is published to (local folder, ssh server, s3 bucket); see Publishing.")

    def validate(self, errors, prefix):
        if self.guid and not _is_uuid(self.guid):
            errors.append((prefix + "guid", f'"{self.guid}" is not a UUID; put back the guid the first build wrote here'))
        if self.license and not self.license_url and licence_identity(self.license) is None:
            errors.append((prefix + "license_url", f'is missing: "{self.license}" is not a Creative Commons licence, give the address of its text'))
        for index, category in enumerate(self.categories or [], start=1):
            problem = apple_category_problem(category)
            if problem:
                errors.append((f"{prefix}categories[{index}]", problem))
        if self.timezone:
            try:
                zoneinfo.ZoneInfo(self.timezone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                errors.append((prefix + "timezone", f'"{self.timezone}" is not a timezone (write e.g. Europe/Paris)'))
        if self.language and language_problem(self.language):
            errors.append((prefix + "language", language_problem(self.language)))
        main = main_format().name
        if self.formats and main not in self.formats:
            errors.append((prefix + "formats", f"must include {main}: it is the file every podcast app plays (write [{main}, {', '.join(self.formats)}])"))
        if self.base_url and not self.base_url.endswith("/"):
            self.base_url += "/"

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


def remember_podcast_guid(root: Path, guid: str) -> None:
    """Write the podcast guid computed by the first build into podcast.yaml, so that it never changes.

    The user's file is kept as written: one commented line is appended, atomically.
    """
    path = root / CONFIG_FILE
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    text += f'# Podcasting 2.0 identity of the podcast, computed once from the feed address: never change it.\nguid: "{guid}"\n'
    write_atomically(path, text, keep_mode=True)


def load_config(root: Path, problems: ProblemCollector, known: IdentityCache | None = None) -> PodcastConfig | None:
    """Read and validate `podcast.yaml`; every problem goes to `problems`.

    `known`: the identity cache, which remembers what checking the cover found while the image stays the same
    (checking it decodes the whole image: 15 to 60 ms in every build)."""
    path = root / CONFIG_FILE
    shown = CONFIG_FILE
    if not path.is_file():
        problems.add(shown, say("config_not_found", root=root))
        return None
    config, errors = load_fields(PodcastConfig, shown, lambda: parse_yaml(read_text(path)), problems)
    if config is not None:
        for key in ("intro", "outro"):
            name = getattr(config, key)
            if name and not (root / name).resolve().is_relative_to(root.resolve()):
                problems.add(shown, say("leaves_folder", name=name, folder=say("podcast_folder")), key)
                return None
            if name and not (root / name).is_file():
                problems.add(shown, f'"{name}" not found next to {CONFIG_FILE}', key)
    if config is not None and config.cover:
        cover = root / config.cover
        if not cover.resolve().is_relative_to(root.resolve()):
            problems.add(shown, say("leaves_folder", name=config.cover, folder=say("podcast_folder")), "cover")
            return None
        if not cover.is_file():
            problems.add(shown, f'"{config.cover}" not found next to {CONFIG_FILE}', "cover")
        else:
            for message in checked_cover(cover, known):
                problems.add(shown, f'"{config.cover}" {message}', "cover")
    return None if errors else config
