"""Static HTML pages from jinja2 templates: the index, the search page, and per episode its page, transcript and embed player.

Templates live in the repository's `templates/`; a podcast folder's own
`templates/` overrides any of them. Templates only lay out what this module
prepares: dates are formatted, sizes and durations written out, here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from pipeline.media import images
from pipeline import identity, paths
from pipeline.source import notes, transcripts
from pipeline.site import sharing
from pipeline.errors import PortevoixError, Problem
from pipeline.media.built import BuiltEpisode
from pipeline.source.episodes import Episode
from pipeline.source.load import Podcast
from pipeline.source.cues import DRAFT_NOTICE
from pipeline.feed.sidecars import is_draft, transcript_files
from pipeline.source.transcripts import TranscriptError


def _builtin_templates() -> Path:
    """templates/ of the source checkout, or the copy a wheel carries in pipeline/templates/ (see setup.py)."""
    here = Path(__file__).resolve()
    packaged = here.parents[1] / "templates"
    return packaged if packaged.is_dir() else here.parents[2] / "templates"


BUILTIN_TEMPLATES = _builtin_templates()

MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
}


LABELS = {
    "fr": {
        "episodes": "Épisodes", "listen": "Écouter", "chapters": "Chapitres", "speakers": "Intervenant·es",
        "downloads": "Télécharger", "subscribe": "S’abonner", "feed": "Adresse du flux à copier dans votre application de podcasts",
        "license": "Licence", "duration": "Durée", "no_audio": "Votre navigateur ne lit pas l’audio : téléchargez le fichier.",
        "home": "Accueil", "notes": "Notes", "no_tracking": "Ce site ne dépose aucun cookie et ne mesure pas son audience.",
        "skip": "Aller au contenu", "player": "Lecteur", "transcript": "Transcription", "read_transcript": "Lire la transcription",
        "back_to_episode": "Retour à l’épisode", "share": "Partager", "embed": "Code à coller pour intégrer le lecteur dans un autre site",
        "permalink": "Adresse de cette page", "copy_button": "Copier", "copied": "Copié", "apps": "Ouvrir dans une application :",
        "other_apps": "autres applications : copiez l’adresse du flux", "link": "lien", "pages": "Pages de la liste des épisodes",
        "newer": "Épisodes plus récents", "older": "Épisodes plus anciens", "page": "Page", "moved": "Cette page a changé d’adresse :",
        "episode_page": "Page de l’épisode", "unknown_speaker": "Intervenant·e", "at": "à",
        "play": "Lecture", "pause": "Pause", "back_15": "reculer de 15 secondes", "forward_30": "avancer de 30 secondes",
        "speed": "Vitesse", "decimal": ",", "mute": "Muet", "share_from": "à partir d’ici", "share_copied": "Adresse copiée :",
        "position": "Position dans l’enregistrement", "resume_at": "Reprendre à {time}", "from_start": "Depuis le début",
        "shortcuts": "Raccourcis clavier dans le lecteur : K, ou Espace sur la barre de temps, lecture ou pause ; "
        "flèches gauche et droite, reculer ou avancer de 15 secondes, avec Maj de 30 secondes ; Page précédente et "
        "Page suivante, chapitre précédent ou suivant ; < et >, vitesse ; M, couper le son.",
        "search": "Rechercher", "search_title": "Rechercher dans les épisodes",
        "search_label": "Un mot, un nom, une phrase dite pendant un débat",
        "search_no_js": "La recherche a besoin de JavaScript. Sans lui, parcourez la liste des épisodes :",
        "episode_list": "Liste des épisodes", "found": "{count} épisodes trouvés pour « {query} »",
        "found_one": "Un épisode trouvé pour « {query} »", "chapter": "Chapitre",
        "not_found": "Aucun épisode trouvé pour « {query} »", "more_results": "Plus de résultats",
        "listen_at": "Écouter", "read_at": "Lire", "venue": "Lieu", "follow": "Revenir au passage en cours",
        "plain_text": "Texte brut", "download_transcript": "Télécharger la transcription",
        "discuss": "Discuter de ce débat", "podroll": "Podcasts amis", "fediverse": "Nous suivre sur le fédivers",
        "transcript_vtt": "Transcription WebVTT", "transcript_srt": "Transcription SRT", "transcript_txt": "Transcription en texte",
        "draft_help": "Elle a été faite par reconnaissance de la parole ; le collectif la relira.",
        "soundbites": "Extraits à partager", "soundbite": "Extrait", "seconds": "s", "in_episode": "dans l’épisode à",
    },
    "en": {
        "episodes": "Episodes", "listen": "Listen", "chapters": "Chapters", "speakers": "Speakers",
        "downloads": "Download", "subscribe": "Subscribe", "feed": "Feed address to paste into your podcast app",
        "license": "Licence", "duration": "Duration", "no_audio": "Your browser cannot play audio: download the file.",
        "home": "Home", "notes": "Notes", "no_tracking": "This site sets no cookie and does not measure its audience.",
        "skip": "Skip to content", "player": "Player", "transcript": "Transcript", "read_transcript": "Read the transcript",
        "back_to_episode": "Back to the episode", "share": "Share", "embed": "Code to paste to embed the player in another site",
        "permalink": "Address of this page", "copy_button": "Copy", "copied": "Copied", "apps": "Open in an app:",
        "other_apps": "other apps: copy the feed address", "link": "link", "pages": "Pages of the episode list",
        "newer": "Newer episodes", "older": "Older episodes", "page": "Page", "moved": "This page has moved to:",
        "episode_page": "Episode page", "unknown_speaker": "Speaker", "at": "at",
        "play": "Play", "pause": "Pause", "back_15": "back 15 seconds", "forward_30": "forward 30 seconds",
        "speed": "Speed", "decimal": ".", "mute": "Mute", "share_from": "from here", "share_copied": "Address copied:",
        "position": "Position in the recording", "resume_at": "Resume at {time}", "from_start": "From the start",
        "shortcuts": "Keyboard shortcuts in the player: K, or Space on the time bar, play or pause; left and right "
        "arrows, back or forward 15 seconds, with Shift 30 seconds; Page Up and Page Down, previous or next chapter; "
        "< and >, speed; M, mute.",
        "search": "Search", "search_title": "Search the episodes",
        "search_label": "A word, a name, something said during a debate",
        "search_no_js": "Search needs JavaScript. Without it, browse the list of episodes:",
        "episode_list": "List of episodes", "found": "{count} episodes found for “{query}”",
        "found_one": "One episode found for “{query}”", "chapter": "Chapter",
        "not_found": "No episode found for “{query}”", "more_results": "More results",
        "listen_at": "Listen", "read_at": "Read", "venue": "Venue", "follow": "Back to the current passage",
        "plain_text": "Plain text", "download_transcript": "Download the transcript",
        "discuss": "Discuss this debate", "podroll": "Podcasts we recommend", "fediverse": "Follow us on the fediverse",
        "transcript_vtt": "Transcript WebVTT", "transcript_srt": "Transcript SRT", "transcript_txt": "Transcript as text",
        "draft_help": "It was made by speech recognition; the collective will review it.",
        "soundbites": "Clips to share", "soundbite": "Clip", "seconds": "s", "in_episode": "in the episode at",
    },
}

ROLES = {
    "fr": {
        "host": "animation", "co-host": "co-animation", "guest": "invité·e", "moderator": "modération",
        "speaker": "intervention", "panelist": "table ronde", "audience": "public", "producer": "production",
        "editor": "montage", "sound engineer": "son",
    },
    "en": {
        "host": "host", "co-host": "co-host", "guest": "guest", "moderator": "moderator", "speaker": "speaker",
        "panelist": "panelist", "audience": "audience", "producer": "producer", "editor": "editor", "sound engineer": "sound engineer",
    },
}

APP_LINKS = (
    ("AntennaPod", "antennapod-subscribe://{feed}"),
    ("Apple Podcasts", "podcast://{feed}"),
    ("Pocket Casts", "pktc://subscribe/{feed}"),
)
"""Links that open a podcast app on the listener's device (URL schemes, no web request)."""

CONTENT_POLICY = "default-src 'self'; img-src 'self'; media-src 'self'; script-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'"
"""Every page may load only files from its own site: the browser itself refuses anything else."""
SEARCH_POLICY = CONTENT_POLICY.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")
"""The search page also runs Pagefind's WebAssembly (from the site itself); still nothing from elsewhere."""


def page_language(podcast: Podcast) -> str:
    language = podcast.config.language.split("-")[0]
    return language if language in MONTHS else "en"


def human_date(moment: dt.datetime, language: str) -> str:
    """20 mars 2024 / 20 March 2024."""
    month = MONTHS[language][moment.month - 1]
    day = "1er" if language == "fr" and moment.day == 1 else str(moment.day)
    return f"{day} {month} {moment.year}"


def human_time(moment: dt.datetime, language: str) -> str:
    """18 h 30 / 6:30 pm: the time of day, as people write it."""
    if language == "fr":
        return f"{moment.hour}{NBSP}h{NBSP}{moment.minute:02d}" if moment.minute else f"{moment.hour}{NBSP}h"
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d}{NBSP}{'am' if moment.hour < 12 else 'pm'}"


def when(episode: Episode, podcast: Podcast, language: str) -> str:
    """The day of the debate, and its time when the episode gives one, in the podcast's timezone."""
    moment = episode.published.astimezone(podcast.config.tz)
    day = human_date(moment, language)
    if not isinstance(episode.meta.date, dt.datetime):
        return day
    return f"{day} {LABELS[language]['at']} {human_time(moment, language)}"


NBSP = "\u00a0"
"""Between a number and its unit, so that "3 min" or "55 Mo" never breaks across lines."""


def human_duration(seconds: float) -> str:
    """1 h 05 min, 42 min, 35 s (with no-break spaces)."""
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    if hours:
        return f"{hours}{NBSP}h{NBSP}{minutes:02d}{NBSP}min"
    if minutes:
        return f"{minutes}{NBSP}min"
    return f"{seconds}{NBSP}s"


def human_size(size: int, language: str) -> str:
    """55 Mo / 55 MB: megabytes, as people read them on a download link."""
    unit = "Mo" if language == "fr" else "MB"
    megabytes = size / 1_000_000
    text = f"{megabytes:.1f}" if megabytes < 10 else f"{megabytes:.0f}"
    if language == "fr":
        text = text.replace(".", ",")
    return f"{text}{NBSP}{unit}"


def clock(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"



def environment(podcast: Podcast) -> jinja2.Environment:
    """The podcast's own templates first, then the built-in ones; all rendered in jinja2's sandbox.

    A podcast folder's templates are not trusted code: in the sandbox a template cannot reach Python internals
    (`''.__class__.__mro__`…) to run commands; it still reads every value the pages are given."""
    loaders = [jinja2.FileSystemLoader(str(podcast.root / "templates")), jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES))]
    env = SandboxedEnvironment(
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


def folder_url(base_url: str, page: str) -> str:
    """The public address of a page, without its index.html."""
    return paths.absolute(base_url, page.removesuffix("index.html"))


def covers(item: BuiltEpisode) -> tuple[str, str]:
    """Site paths of the small covers (1x, 2x) shown for an episode: its own, otherwise the podcast's."""
    small, large = images.PAGE_SIZES
    if item.episode.cover:
        return paths.episode_cover_file(item.episode.slug, small), paths.episode_cover_file(item.episode.slug, large)
    return paths.page_cover_file(small), paths.page_cover_file(large)


def media_link(item: BuiltEpisode, seconds: float) -> dict:
    """A moment of the published audio: the main file (MP3) with a media fragment (plays there without JavaScript)."""
    return {"start": f"{seconds:.3f}", "href": f"{item.main.name}#t={int(seconds)}", "clock": clock(seconds), "iso": sharing.iso_duration(seconds)}


def transcript_turns(item: BuiltEpisode, language: str) -> list[dict]:
    """The transcript's cues grouped by speaker turn, with times in the published audio."""
    path = item.episode.transcript
    assert path is not None, "only episodes with a transcript have turns"
    try:
        cues = transcripts.read(path)
    except TranscriptError as exc:
        raise PortevoixError(Problem(path.relative_to(item.episode.folder.parent.parent).as_posix(), str(exc))) from None
    turns: list[dict] = []
    anchored: set[int] = set()
    for cue in cues:
        if not cue.text:
            continue
        if not turns or cue.speaker != turns[-1]["speaker"]:
            turns.append({"speaker": cue.speaker, "cues": []})
        start = item.published_time(cue.start)
        # `#t=43` scrolls to the first cue of second 43 even without JavaScript (the script also seeks there).
        anchor = f"t={int(start)}" if int(start) not in anchored else None
        anchored.add(int(start))
        end = max(start, item.published_time(cue.end))
        turns[-1]["cues"].append({**media_link(item, start), "end": f"{end:.3f}", "anchor": anchor, "text": cue.text})
    return turns


TRANSCRIPT_DOWNLOADS = (("vtt", "text/vtt"), ("srt", "application/x-subrip"), ("txt", "text/plain"))


def transcript_downloads(item: BuiltEpisode, language: str) -> list[dict]:
    """The transcript files beside the media (WebVTT, SubRip, plain text), with their real sizes."""
    files = transcript_files(item, language)
    labels = LABELS[language]
    found = []
    for extension, mime in TRANSCRIPT_DOWNLOADS:
        name = paths.transcript_file(item.episode.slug, extension)
        if name in files:
            found.append({"label": labels[f"transcript_{extension}"], "href": name, "mime": mime, "size": human_size(len(files[name]), language)})
    return found


def soundbite_clips(item: BuiltEpisode, language: str) -> list[dict]:
    """The soundbites as clips to share: where each is in the episode, and its files (small formats first)."""
    found = []
    for clip in item.clips:
        files = []
        for fmt, _ in item.offered:
            if fmt.name in clip.files:
                name = paths.clip_file(item.episode.slug, clip.number, fmt.extension)
                size = human_size(clip.files[fmt.name].stat().st_size, language)
                files.append({"label": fmt.label, "href": name, "type": fmt.content_type, "mime": fmt.mime, "size": size})
        found.append({**media_link(item, clip.start), "title": clip.title, "seconds": round(clip.duration), "files": files})
    return found


def episode_context(item: BuiltEpisode, podcast: Podcast, language: str, notes_html: Callable[[str], str] = notes.to_html) -> dict:
    episode, meta = item.episode, item.episode.meta
    base = podcast.config.base_url
    cover, cover_2x = covers(item)
    embed_url = paths.absolute(base, paths.embed_page(episode.slug))
    return {
        "slug": episode.slug,
        "title": meta.title,
        "date": human_date(episode.published.astimezone(podcast.config.tz), language),
        "when": when(episode, podcast, language),
        "iso_date": episode.published.isoformat(),
        "summary": meta.summary,
        "notes_html": notes_html(episode.notes),
        "venue": meta.venue,
        "speakers": [{"name": s.name, "url": s.url, "role": ROLES[language].get(s.role, s.role)} for s in meta.speakers],
        "chapters": [{**media_link(item, item.published_time(c.start)), "title": c.title, "url": c.url} for c in meta.chapters],
        "duration": human_duration(item.audio.duration),
        "seconds": f"{item.audio.duration:.3f}",
        "clock": clock(item.audio.duration),
        "clips": soundbite_clips(item, language),
        "chapter_marks": [[round(item.published_time(c.start), 3), c.title] for c in meta.chapters],
        "iso_duration": sharing.iso_duration(item.audio.duration),
        "page": item.page,
        "url": paths.absolute(base, item.page),
        "cover": cover,
        "cover_2x": cover_2x,
        "mp3": item.main.name,
        "sources": [{"href": media.name, "type": fmt.content_type} for fmt, media in item.offered],
        "downloads": [
            {"label": fmt.label, "href": media.name, "mime": media.mime, "size": human_size(media.size, language)}
            for fmt, media in item.offered
        ] + transcript_downloads(item, language),
        "transcript_draft": DRAFT_NOTICE.get(language, DRAFT_NOTICE["en"]) if is_draft(item) else None,
        "license": meta.license or podcast.config.license,
        "discussion": meta.discussion,
        "transcript_page": paths.transcript_page(episode.slug) if episode.transcript else None,
        "embed_page": paths.embed_page(episode.slug),
        "embed_url": embed_url,
        "embed_snippet": sharing.embed_snippet(embed_url, meta.title, sharing.embed_height(item)),
        "oembed_url": paths.absolute(base, paths.oembed_file(episode.slug)),
        "meta": sharing.episode_meta(podcast, item, cover_2x),
        "jsonld": sharing.script_json(sharing.episode_jsonld(podcast, item, cover_2x)),
    }


def site_context(podcast: Podcast, language: str) -> dict:
    config = podcast.config
    return {
        "title": config.title,
        "description": config.description,
        "author": config.author,
        "language": language,
        "feed_url": podcast.feed_url,
        "base_url": config.base_url,
        "cover": paths.page_cover_file(images.PAGE_SIZES[0]),
        "cover_2x": paths.page_cover_file(images.PAGE_SIZES[1]),
        "license": config.license,
        "apps": [{"name": name, "href": pattern.format(feed=podcast.feed_url.split("://", 1)[1])} for name, pattern in APP_LINKS],
        "policy": CONTENT_POLICY,
        "search_page": paths.search_page(language),
        "fediverse": config.fediverse,
        "podroll": [{"title": p.title or (p.feed_url or "").split("/")[2], "href": p.feed_url} for p in config.podroll if p.title or p.feed_url],
    }


def index_pages(env: jinja2.Environment, podcast: Podcast, site: dict, episodes: list[dict]) -> dict[str, str]:
    """The list of episodes, newest first, `episodes_per_page` to a page."""
    size = podcast.config.episodes_per_page
    chunks = [episodes[i : i + size] for i in range(0, len(episodes), size)] or [[]]
    pages = {}
    for number, chunk in enumerate(chunks, start=1):
        name = paths.index_page(number)
        root = relative_root(name)

        def href(n: int, root: str = root) -> str:
            return root + paths.index_page(n).removesuffix("index.html")

        pager = {
            "count": len(chunks),
            "number": number,
            "newer": href(number - 1) if number > 1 else None,
            "older": href(number + 1) if number < len(chunks) else None,
            "pages": [{"number": n, "href": href(n), "current": n == number} for n in range(1, len(chunks) + 1)],
        }
        pages[name] = env.get_template("index.html").render(
            site=site,
            episodes=chunk,
            pager=pager,
            root=root,
            page_url=folder_url(podcast.config.base_url, name),
            meta=sharing.site_meta(podcast),
            jsonld=sharing.script_json(sharing.series_jsonld(podcast)) if number == 1 else None,
        )
    return pages


def redirect_pages(env: jinja2.Environment, podcast: Podcast, built: list[BuiltEpisode], site: dict) -> dict[str, str]:
    """A page at every old address of a renamed episode (its page and its embed player), pointing to the new one."""
    current = {item.episode.meta.guid: item.episode.slug for item in built}
    taken = set(current.values())
    pages = {}
    for guid, entry in identity.load_record(podcast.root).items():
        if guid not in current:
            continue
        for old in entry.slugs:
            if old == current[guid] or old in taken:
                continue
            for address in (paths.episode_page, paths.embed_page):
                name = address(old) + "index.html"
                target = address(current[guid])
                pages[name] = env.get_template("redirect.html").render(
                    site=site, root=relative_root(name), target=relative_root(name) + target,
                    page_url=paths.absolute(podcast.config.base_url, target),
                )
    return pages


def template_problem(exc: jinja2.TemplateError, root: Path) -> Problem:
    """One line for a template that fails: its file (as the user names it), its line, what is wrong."""
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    trace = exc.__traceback__
    while trace is not None:  # jinja2 puts the template's own lines in the traceback
        if trace.tb_frame.f_code.co_filename.endswith((".html", ".json", ".xml", ".txt")):
            filename, line = trace.tb_frame.f_code.co_filename, trace.tb_lineno
        trace = trace.tb_next
    shown = "templates"
    if filename:
        path = Path(filename)
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else f"templates/{path.name} (built in)"
    where = f"{shown}: line {line}" if line else shown
    message = str(exc.message if getattr(exc, "message", None) else exc).strip().rstrip(".")
    if isinstance(exc, SecurityError):
        message += " (templates may only show values, not run code)"
    return Problem(where, message)


def render_pages(podcast: Podcast, built: list[BuiltEpisode], notes_html: Callable[[str], str] = notes.to_html) -> dict[str, str]:
    """{site path: text} for every page: index pages, search page, episode, transcript and embed pages, oEmbed files, redirects.

    `notes_html(markdown)` renders show notes (the build passes the feed's, which keeps them across builds).
    A template that fails (or tries to run code, in the sandbox) is one line: see template_problem."""
    try:
        return _render_pages(podcast, built, notes_html)
    except jinja2.TemplateError as exc:
        raise PortevoixError(template_problem(exc, podcast.root)) from None


def _render_pages(podcast: Podcast, built: list[BuiltEpisode], notes_html: Callable[[str], str]) -> dict[str, str]:
    env = environment(podcast)
    language = page_language(podcast)
    env.globals["t"] = SimpleNamespace(**LABELS[language])  # t.copy_button, never a dict method
    site = site_context(podcast, language)
    episodes = [episode_context(item, podcast, language, notes_html) for item in built]
    pages = index_pages(env, podcast, site, episodes)
    for item, context in zip(built, episodes):
        slug = item.episode.slug
        common = {"site": site, "episode": context, "meta": context["meta"]}
        name = context["page"] + "index.html"
        pages[name] = env.get_template("episode.html").render(
            **common, root=relative_root(name), page_url=context["url"], jsonld=context["jsonld"]
        )
        if item.episode.transcript:
            name = paths.transcript_page(slug) + "index.html"
            pages[name] = env.get_template("transcript.html").render(
                **common, root=relative_root(name), page_url=folder_url(podcast.config.base_url, name), jsonld=None,
                turns=transcript_turns(item, language), text_file=paths.transcript_file(slug, "txt"),
                chapter_marks=context["chapter_marks"],
            )
        name = paths.embed_page(slug) + "index.html"
        pages[name] = env.get_template("embed.html").render(**common, root=relative_root(name), page_url=context["url"], jsonld=None)
        pages[paths.oembed_file(slug)] = sharing.oembed(podcast, item, context["cover_2x"])
    name = paths.search_page(language) + "index.html"
    pages[name] = env.get_template("search.html").render(
        site={**site, "policy": SEARCH_POLICY}, root=relative_root(name), page_url=folder_url(podcast.config.base_url, name),
        meta=sharing.site_meta(podcast), jsonld=None, bundle=paths.SEARCH_BUNDLE,
    )
    pages.update(redirect_pages(env, podcast, built, site))
    return pages


def page_images(podcast: Podcast, built: list[BuiltEpisode]) -> dict[str, bytes]:
    """Small resized copies of the episodes' own covers, for their pages."""
    found = {}
    for item in built:
        if item.episode.cover:
            for size in images.PAGE_SIZES:
                found[paths.episode_cover_file(item.episode.slug, size)] = images.page_cover(item.episode.cover, size)
    return found
