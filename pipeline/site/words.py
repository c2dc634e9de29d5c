"""The words and numbers of the pages: labels in the podcast's language, dates, times, durations, sizes.

Templates only lay out what the page modules prepare: dates are formatted, sizes and durations written out, here.
"""

from __future__ import annotations

import datetime as dt

from pipeline.source.episodes import Episode
from pipeline.source.load import Podcast
from pipeline.textfmt import NBSP

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
