"""`portevoix init [DIR]`: a new podcast folder from a few answers (as `mkdocs new` or `pelican-quickstart` do).

It writes a commented `podcast.yaml` (every field, with its value, its default or a commented
example, each explained on its own comment line), an `episodes/` folder, a `.gitignore` and, when
the collective has no cover yet, a generated one (see `images.generated_cover`). It writes no
`guid`: the first build derives it from the feed address. A folder that already holds a
`podcast.yaml` is refused, and no existing file is ever overwritten.

The answers are asked (in the user's language, each re-asked until it is right) or given as flags
with `--yes` (`answers.py`); this module writes the folder and its commented `podcast.yaml`.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from pipeline.source.config import CONFIG_FILE, PodcastConfig
from pipeline.source.episodes import EPISODES_DIR
from pipeline.errors import PortevoixError, Problem
from pipeline.source.fields import MISSING
from pipeline.i18n import language, say
from pipeline.media.images import generated_cover

from pipeline.source.answers import COVER_FILE, Answers, ask_answers, given_answers

log = logging.getLogger(__name__)

def refuse_existing(folder: Path) -> None:
    """A folder that already holds a podcast is never written over."""
    if (folder / CONFIG_FILE).exists():
        raise PortevoixError(Problem(str(folder / CONFIG_FILE), say("init_exists")))
    if folder.exists() and not folder.is_dir():
        raise PortevoixError(Problem(str(folder), say("init_not_a_folder")))


def create_podcast(folder: Path, answers: Answers) -> list[str]:
    """Write the new podcast folder; returns the names written, in order. Nothing existing is overwritten."""
    refuse_existing(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    cover_name = COVER_FILE
    cover_data: bytes | None = None
    if answers.cover is not None:
        cover_name = "cover" + answers.cover.suffix.lower() if answers.cover.suffix.lower() in (".jpg", ".jpeg", ".png") else COVER_FILE
    if (folder / cover_name).exists():
        if answers.cover is not None and (folder / cover_name).resolve() != answers.cover.resolve():
            raise PortevoixError(Problem(str(folder / cover_name), say("init_cover_exists")))
    elif answers.cover is not None:
        cover_data = answers.cover.read_bytes()
    else:
        cover_data = generated_cover(answers.title, answers.author)

    text = podcast_yaml(answers, cover_name, generated=answers.cover is None and cover_data is not None)
    # podcast.yaml last: until it is there, the folder is not a podcast and init can be run again.
    (folder / EPISODES_DIR).mkdir(exist_ok=True)
    written.append(EPISODES_DIR + "/")
    if cover_data is not None:
        (folder / cover_name).write_bytes(cover_data)
        written.append(cover_name)
    from pipeline.audio.cache import CACHE_DIR
    from pipeline.build import OUTPUT_DIR

    ignore = folder / ".gitignore"
    wanted = [f"/{OUTPUT_DIR}/", f"/{OUTPUT_DIR}.*/", f"/{CACHE_DIR.split('/')[0]}/"]
    existing = ignore.read_text(encoding="utf-8").splitlines() if ignore.is_file() else []
    missing = [line for line in wanted if line not in existing]
    if missing:
        header = [] if existing else ["# made by portevoix build: never committed"]
        lines = existing + header + missing
        ignore.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(".gitignore")
    with (folder / CONFIG_FILE).open("x", encoding="utf-8") as out:
        out.write(text)
    written.append(CONFIG_FILE)
    log.info("created %s in %s", ", ".join(written), folder)
    return written


# podcast.yaml, field by field: how each is written and explained. The explanations are in the
# user's language; every field of PodcastConfig has one (tests check it).

FIELD_NOTES: dict[str, dict[str, str]] = {
    "title": {"fr": "Nom du podcast, tel que les applications l'affichent.", "en": "Name of the podcast, as apps show it."},
    "description": {
        "fr": "Ce dont parle le podcast, en un paragraphe (4000 caractères au plus) : complétez-le.",
        "en": "What the podcast is about, a paragraph (at most 4000 characters): complete it.",
    },
    "author": {"fr": "Qui le fait : le nom du collectif.", "en": "Who makes it: the collective's name."},
    "owner": {
        "fr": "Propriétaire : les annuaires (Apple, Spotify…) écrivent à cette adresse pour vérifier que le podcast est à vous.",
        "en": "Owner: directories (Apple, Spotify…) write to this address to verify the podcast is yours.",
    },
    "language": {"fr": "Langue des épisodes, un code ISO 639 (fr, en…).", "en": "Language of the episodes, an ISO 639 code (fr, en…)."},
    "base_url": {
        "fr": "Adresse publique https où le site sera publié ; le flux sera à cette adresse suivie de feed.xml.",
        "en": "Public https address where the site will be published; the feed will be this address followed by feed.xml.",
    },
    "categories": {
        "fr": "Catégories Apple Podcasts, de la liste d'Apple (par exemple News > Politics) ; la première compte.",
        "en": "Apple Podcasts categories, from Apple's list (e.g. News > Politics); the first one counts.",
    },
    "explicit": {"fr": "Contenu explicite (true ou false), sauf si un épisode dit autre chose.", "en": "Explicit content (true or false), unless an episode says otherwise."},
    "cover": {
        "fr": "Couverture carrée (JPEG ou PNG, 1400 à 3000 px).",
        "en": "Square cover (JPEG or PNG, 1400 to 3000 px).",
    },
    "license": {"fr": "Licence des enregistrements.", "en": "Licence of the recordings."},
    "timezone": {"fr": "Fuseau horaire des dates écrites sans heure.", "en": "Timezone of dates written without a time."},
    "audio_preset": {
        "fr": "Réglage de sonie : podcast (-16 LUFS), speech-mono (-19 LUFS, mono) ou radio (-23 LUFS, EBU R128, pour une diffusion sur une radio locale ou associative).",
        "en": "Loudness preset: podcast (-16 LUFS), speech-mono (-19 LUFS, mono) or radio (-23 LUFS, EBU R128, for airing on local or community radio).",
    },
    "audio_leveler": {"fr": "Nivellement de la parole : off, gentle ou strong (par défaut : gentle).", "en": "Speech leveler: off, gentle or strong (default: gentle)."},
    "audio_denoise": {
        "fr": "Réduction du bruit de salle (ventilation, projecteur) : off, light ou medium ; par défaut light quand un bruit est mesuré, sinon off.",
        "en": "Room noise reduction (ventilation, projector): off, light or medium; default: light when noise is measured, else off.",
    },
    "audio_declip": {
        "fr": "Réparer les passages où l'enregistrement a saturé (signalés par check et build --report). Par défaut : false.",
        "en": "Repair stretches where the recording clipped (found and reported by check and build --report). Default: false.",
    },
    "formats": {
        "fr": "Formats audio publiés pour chaque épisode (mp3, opus, aac) ; mp3 toujours, le fichier que toutes les applications lisent.",
        "en": "Audio formats published for every episode (mp3, opus, aac); mp3 always, the file every app plays.",
    },
    "intro": {
        "fr": "Jingle joué avant chaque épisode (fichier audio à côté de podcast.yaml), mis à la sonie des épisodes et fondu ; un épisode peut nommer le sien.",
        "en": "A jingle played before every episode (audio file beside podcast.yaml), brought to the episodes' loudness and crossfaded; an episode may name its own.",
    },
    "outro": {"fr": "Jingle joué après chaque épisode, comme intro:.", "en": "A jingle played after every episode, like intro:."},
    "type": {"fr": "episodic (le plus récent d'abord) ou serial (dans l'ordre).", "en": "episodic (newest first) or serial (in order)."},
    "episodes_per_page": {"fr": "Épisodes par page d'accueil ; les plus anciens vont sur page/2/, page/3/…", "en": "Episodes on each index page; older ones go to page/2/, page/3/…"},
    "guid": {"fr": "", "en": ""},
    "new_feed_url": {
        "fr": "Seulement si le podcast déménage : l'adresse de son nouveau flux (le guid reste le même).",
        "en": "Only when the podcast moves: the address of its new feed (the guid stays the same).",
    },
    "locked": {"fr": "Interdire aux autres plateformes d'importer le flux (podcast:locked).", "en": "Forbid other platforms to import the feed (podcast:locked)."},
    "medium": {"fr": "Ce que contient le flux : podcast, music, video, film, audiobook, newsletter, blog, course.", "en": "What the feed holds: podcast, music, video, film, audiobook, newsletter, blog, course."},
    "license_url": {"fr": "Adresse du texte de la licence, seulement pour une licence qui n'est pas Creative Commons.", "en": "Address of the licence's text, only for a licence that is not a Creative Commons one."},
    "hosts": {"fr": "Qui anime le podcast ; repris dans les crédits de chaque épisode.", "en": "Who hosts the podcast; repeated in every episode's credits."},
    "funding": {"fr": "Où les auditeurs peuvent soutenir le collectif.", "en": "Where listeners can support the collective."},
    "location": {"fr": "Où le podcast est fait.", "en": "Where the podcast is made."},
    "feed_limit": {"fr": "Nombre d'épisodes au plus dans feed.xml ; les plus anciens vont dans feed-2.xml… (par défaut : tous).", "en": "Most episodes in feed.xml; older ones go to feed-2.xml… (default: all)."},
    "cover_alt": {
        "fr": "Ce que montre la couverture, pour les personnes qui ne la voient pas.",
        "en": "What the cover shows, for people who cannot see it.",
    },
    "apple_verify": {
        "fr": "Le code de vérification qu'Apple Podcasts Connect donne pour prouver que le flux est à vous (podcast:txt).",
        "en": "The verification code Apple Podcasts Connect gives to prove the feed is yours (podcast:txt).",
    },
    "fediverse": {
        "fr": "Le compte du collectif sur le fédivers, lié depuis chaque page (rel=\"me\").",
        "en": "The collective's fediverse account, linked from every page (rel=\"me\").",
    },
    "podroll": {
        "fr": "Podcasts amis recommandés aux auditeurs, dans le flux et sur la page d'accueil.",
        "en": "Allied podcasts recommended to listeners, in the feed and on the index page.",
    },
    "update_frequency": {
        "fr": "Le rythme des épisodes, en mots et en règle iCalendar, pour les applications.",
        "en": "How often episodes come, in words and as an iCalendar rule, for apps.",
    },
    "transcription": {
        "fr": "Transcriptions automatiques (model:, language:, auto:, device:) : voir « Transcripts » dans le README.",
        "en": "Automatic transcripts (model:, language:, auto:, device:): see Transcripts in the README.",
    },
    "publish": {"fr": "Où publier le site (dossier, serveur ssh, stockage s3) : voir « Publishing » dans le README.", "en": "Where to publish the site (folder, ssh server, s3 storage): see Publishing in the README."},
}

EXAMPLES: dict[str, str] = {
    "audio_leveler": "audio_leveler: gentle",
    "new_feed_url": 'new_feed_url: "https://nouvelle-adresse.example.net/feed.xml"',
    "license_url": 'license_url: "https://www.gnu.org/licenses/fdl-1.3.html"',
    "hosts": 'hosts:\n  - {name: "Prénom Nom", role: host}',
    "funding": 'funding:\n  - {url: "https://collectif.example.net/soutenir", text: "Soutenir le collectif"}',
    "location": 'location: {name: "Saint-Étienne", geo: "45.4397,4.3872", country: fr}',
    "feed_limit": "feed_limit: 100",
    "transcription": "transcription: {model: small, auto: false}",
    "audio_denoise": "audio_denoise: light",
    "audio_declip": "audio_declip: true",
    "intro": "intro: generique-debut.wav",
    "outro": "outro: generique-fin.wav",
    "cover_alt": 'cover_alt: "Le titre du podcast en lettres blanches sur fond bleu"',
    "apple_verify": 'apple_verify: "code-donne-par-apple"',
    "fediverse": 'fediverse: "https://mastodon.social/@collectif"',
    "podroll": 'podroll:\n  - {title: "Un podcast ami", feed_url: "https://ami.example.net/feed.xml"}',
    "update_frequency": 'update_frequency: {text: "Un débat par mois", rrule: "FREQ=MONTHLY"}',
    "publish": "publish:\n  vps:\n    type: ssh\n    host: debats.example.net\n    user: deploy\n    path: /var/www/debats",
}
"""Optional fields without a default, written commented out; each is valid once its "# " is removed."""

HEADER = {
    "fr": "# Le podcast : ce que le collectif écrit une fois (fait par « portevoix init »).\n"
    "# Chaque champ est expliqué sur la ligne au-dessus ; retirez le « # » d'un champ pour vous en servir.\n",
    "en": "# The podcast: what the collective writes once (made by 'portevoix init').\n"
    "# Each field is explained on the line above it; remove the \"# \" of a field to use it.\n",
}
GUID_NOTE = {
    "fr": "# Pas de guid ici : la première construction le calcule à partir de l'adresse du flux et l'ajoute à la fin.\n",
    "en": "# No guid here: the first build derives it from the feed address and adds it at the end.\n",
}
GENERATED_COVER_NOTE = {
    "fr": "Celle-ci a été faite à partir du titre : remplacez-la par celle du collectif.",
    "en": "This one was made from the title: replace it with the collective's own.",
}
DESCRIPTION = {
    "fr": "Enregistrements des débats publics de {author}.",
    "en": "Recordings of the public debates of {author}.",
}


def _scalar(value: object) -> str:
    """A YAML value that reads back exactly (JSON strings, numbers and booleans are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def podcast_yaml(answers: Answers, cover_name: str = COVER_FILE, generated: bool = False, lang: str | None = None) -> str:
    """The commented podcast.yaml `init` writes: every field of PodcastConfig, in the schema's order."""
    lang = lang if lang in HEADER else language()
    values: dict[str, str] = {
        "title": f"title: {_scalar(answers.title)}",
        # The description is published: in the podcast's language, not the user's.
        "description": f"description: {_scalar(DESCRIPTION['fr' if answers.language.startswith('fr') else 'en'].format(author=answers.author))}",
        "author": f"author: {_scalar(answers.author)}",
        "owner": f"owner:\n  name: {_scalar(answers.author)}\n  email: {_scalar(answers.email)}",
        "language": f"language: {answers.language}",
        "base_url": f"base_url: {_scalar(answers.base_url)}",
        "categories": f"categories:\n  - {_scalar(answers.category)}",
        "cover": f"cover: {cover_name}",
    }
    parts = [HEADER[lang]]
    for name, field in PodcastConfig.fields.items():
        if name == "guid":
            continue
        # A field added to the schema without its note here is explained by its English doc.
        note = FIELD_NOTES.get(name, {}).get(lang) or field.doc
        if name == "cover" and generated:
            note += " " + GENERATED_COVER_NOTE[lang]
        if name in values:
            body = values[name]
        elif field.default not in (MISSING, None, []):
            default = field.default
            body = f"{name}:\n" + "".join(f"  - {_scalar(item)}\n" for item in default) if isinstance(default, list) else f"{name}: {_yaml_default(default)}"
        else:
            body = "\n".join("# " + line for line in EXAMPLES.get(name, f"{name}:").split("\n"))
        parts.append(f"# {note}\n{body.rstrip()}\n")
    parts.append(GUID_NOTE[lang])
    return "".join(parts)


def _yaml_default(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.replace("-", "").replace("/", "").replace("_", "").isalnum():
        return value
    return _scalar(value)


def init_podcast(folder: Path, given: dict[str, str | None], interactive: bool) -> list[str]:
    """`portevoix init`: check the folder first (before asking anything), get the answers, write."""
    refuse_existing(folder)
    answers = ask_answers(given) if interactive else given_answers(given)
    return create_podcast(folder, answers)
