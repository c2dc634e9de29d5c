"""Static HTML pages from jinja2 templates: the index and one page per episode.

Templates live in the repository's `templates/`; a podcast folder's own
`templates/` overrides any of them. Templates only lay out what this module
prepares: dates are formatted, sizes and durations written out, here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2

from pipeline import images, layout, notes
from pipeline.layout import BuiltEpisode
from pipeline.load import Podcast

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
}


LABELS = {
    "fr": {
        "episodes": "Épisodes", "listen": "Écouter", "chapters": "Chapitres", "speakers": "Intervenants",
        "downloads": "Télécharger", "subscribe": "S’abonner", "feed": "Adresse du flux à copier dans votre application de podcasts",
        "license": "Licence", "recorded_at": "Enregistré à", "duration": "Durée", "no_audio": "Votre navigateur ne lit pas l’audio : téléchargez le fichier.",
        "home": "Accueil", "notes": "Notes", "no_tracking": "Ce site ne dépose aucun cookie et ne mesure pas son audience.",
    },
    "en": {
        "episodes": "Episodes", "listen": "Listen", "chapters": "Chapters", "speakers": "Speakers",
        "downloads": "Download", "subscribe": "Subscribe", "feed": "Feed address to paste into your podcast app",
        "license": "Licence", "recorded_at": "Recorded at", "duration": "Duration", "no_audio": "Your browser cannot play audio: download the file.",
        "home": "Home", "notes": "Notes", "no_tracking": "This site sets no cookie and does not measure its audience.",
    },
}


def page_language(podcast: Podcast) -> str:
    language = podcast.config.language.split("-")[0]
    return language if language in MONTHS else "en"


def human_date(moment: dt.datetime, language: str) -> str:
    """20 mars 2024 / 20 March 2024."""
    month = MONTHS[language][moment.month - 1]
    day = "1er" if language == "fr" and moment.day == 1 else str(moment.day)
    return f"{day} {month} {moment.year}"


def human_duration(seconds: float) -> str:
    """1 h 05 min, 42 min, 35 s."""
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min"
    return f"{seconds} s"


def human_size(size: int, language: str) -> str:
    """55 Mo / 55 MB: megabytes, as people read them on a download link."""
    unit = "Mo" if language == "fr" else "MB"
    megabytes = size / 1_000_000
    text = f"{megabytes:.1f}" if megabytes < 10 else f"{megabytes:.0f}"
    if language == "fr":
        text = text.replace(".", ",")
    return f"{text} {unit}"


def clock(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def environment(podcast: Podcast) -> jinja2.Environment:
    loaders = [jinja2.FileSystemLoader(str(podcast.root / "templates")), jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES))]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def relative_root(page: str) -> str:
    """'../../' for a page at episodes/<slug>/: links work from a folder or a web server alike."""
    depth = page.count("/")
    return "../" * depth if depth else "./"


def episode_context(item: BuiltEpisode, podcast: Podcast, language: str) -> dict:
    episode, meta = item.episode, item.episode.meta
    return {
        "slug": episode.slug,
        "title": meta.title,
        "date": human_date(episode.published, language),
        "iso_date": episode.published.isoformat(),
        "summary": meta.summary,
        "notes_html": notes.to_html(episode.notes),
        "venue": meta.venue,
        "speakers": meta.speakers,
        "chapters": [{"start": c.start, "clock": clock(c.start), "title": c.title, "url": c.url} for c in meta.chapters],
        "duration": human_duration(item.mp3.duration),
        "page": item.page,
        "url": layout.absolute(podcast.config.base_url, item.page),
        "downloads": [
            {"label": label, "href": media.name, "mime": media.mime, "size": human_size(media.size, language)}
            for label, media in (("Opus", item.opus), ("MP3", item.mp3))
        ],
        "license": meta.license or podcast.config.license,
    }


def render_pages(podcast: Podcast, built: list[BuiltEpisode]) -> dict[str, str]:
    """{site path: HTML} for every page."""
    env = environment(podcast)
    language = page_language(podcast)
    config = podcast.config
    site = {
        "title": config.title,
        "description": config.description,
        "author": config.author,
        "language": language,
        "feed_url": podcast.feed_url,
        "base_url": config.base_url,
        "cover": layout.page_cover_file(images.PAGE_SIZES[0]),
        "cover_2x": layout.page_cover_file(images.PAGE_SIZES[1]),
        "license": config.license,
    }
    env.globals["t"] = LABELS[language]
    episodes = [episode_context(item, podcast, language) for item in built]
    pages = {
        layout.INDEX: env.get_template("index.html").render(site=site, episodes=episodes, root=relative_root(layout.INDEX), page_url=config.base_url),
    }
    for context in episodes:
        name = context["page"] + "index.html"
        pages[name] = env.get_template("episode.html").render(
            site=site, episode=context, root=relative_root(context["page"]), page_url=context["url"]
        )
    return pages
