"""The tool's own words in English and French, chosen from the user's locale.

French is chosen when the first of LANGUAGE, LC_ALL, LC_MESSAGES, LANG that is
set starts with "fr" (the order gettext uses); English otherwise. Messages are
declared once in `MESSAGES`, by key, with their `{placeholders}`; code calls
`say(key, **values)`. Only what users read is here: the command line's own
lines and the most common problems.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
LANGUAGES = ("en", "fr")

MESSAGES: dict[str, dict[str, str]] = {
    # The command line's own lines.
    "check_ok": {
        "en": "{count} episodes, no problem found",
        "fr": "{count} épisode(s), aucun problème trouvé",
    },
    "build_done": {
        "en": "{count} episodes, {processed} recordings processed, site written to {output}",
        "fr": "{count} épisode(s), {processed} enregistrement(s) traité(s), site écrit dans {output}",
    },
    "build_preview": {
        "en": "preview it with: {command}",
        "fr": "pour le voir : {command}",
    },
    "new_done": {
        "en": "created {path}: fill in the summary, speakers and chapters, then run 'portevoix check'",
        "fr": "{path} créé : complétez le résumé, les intervenants et les chapitres, puis lancez 'portevoix check'",
    },
    "transcript_written": {
        "en": "{path}: draft transcript written, {cues} cues{cached}; read and correct it, then set transcript_status: reviewed in {episode}",
        "fr": "{path} : brouillon de transcription écrit, {cues} sous-titres{cached} ; relisez-le et corrigez-le, puis mettez transcript_status: reviewed dans {episode}",
    },
    "transcript_kept_human": {
        "en": "{path}: has a transcript written by people, kept as it is",
        "fr": "{path} : a une transcription écrite par des personnes, gardée telle quelle",
    },
    "transcript_kept_draft": {
        "en": "{path}: has a draft transcript already, kept (--force to make it again)",
        "fr": "{path} : a déjà un brouillon de transcription, gardé (--force pour le refaire)",
    },
    "transcript_is_human": {
        "en": '"{name}" is written or reviewed by people (transcript_status is not draft): portevoix never replaces it',
        "fr": "« {name} » est écrite ou relue par des personnes (transcript_status n'est pas draft) : portevoix ne la remplace jamais",
    },
    "transcript_file_unnamed": {
        "en": "{name} is already in the episode folder but episode.md does not name it: add 'transcript: {name}' or move the file away",
        "fr": "{name} est déjà dans le dossier de l'épisode mais episode.md ne le nomme pas : ajoutez 'transcript: {name}' ou déplacez le fichier",
    },
    "transcript_no_speech": {
        "en": "{path}: no speech found in the audio, no transcript written",
        "fr": "{path} : aucune parole trouvée dans l'audio, aucune transcription écrite",
    },
    "transcript_note": {
        "en": "Automatic transcript (speech recognition, model {model}), not yet reviewed: correct it, then set transcript_status: reviewed in episode.md. Times are times in the recording.",
        "fr": "Transcription automatique (reconnaissance de la parole, modèle {model}), pas encore relue : corrigez-la, puis mettez transcript_status: reviewed dans episode.md. Les temps sont ceux de l'enregistrement.",
    },
    "unknown_episode": {
        "en": 'no episode "{slug}" (episodes: {known})',
        "fr": "pas d'épisode « {slug} » (épisodes : {known})",
    },
    "transcribe_needs_package": {
        "en": "speech recognition needs faster-whisper, which is not installed: run  pip install 'portevoix[transcribe]'  (or make venv)",
        "fr": "la reconnaissance de la parole a besoin de faster-whisper, qui n'est pas installé : lancez  pip install 'portevoix[transcribe]'  (ou make venv)",
    },
    "model_folder_missing": {
        "en": "no speech recognition model in {folder} (no model.bin): copy a faster-whisper model folder there, or write a model name (tiny, base, small…) to download it once online",
        "fr": "aucun modèle de reconnaissance de la parole dans {folder} (pas de model.bin) : copiez-y le dossier d'un modèle faster-whisper, ou écrivez un nom de modèle (tiny, base, small…) pour le télécharger une fois en ligne",
    },
    "model_unloadable": {
        "en": "the model in {model} cannot be loaded ({reason}): copy the model folder again, or choose another model",
        "fr": "le modèle de {model} ne se charge pas ({reason}) : copiez à nouveau le dossier du modèle, ou choisissez-en un autre",
    },
    "model_unavailable": {
        "en": 'the model "{model}" is not on this machine and cannot be downloaded (no internet?): run portevoix transcribe once online (it is kept in {folder}), or set model: to a folder holding a faster-whisper model',
        "fr": "le modèle « {model} » n'est pas sur cette machine et ne peut pas être téléchargé (pas d'internet ?) : lancez portevoix transcribe une fois en ligne (il est gardé dans {folder}), ou mettez dans model: le dossier d'un modèle faster-whisper",
    },
    "serve_no_site": {
        "en": "no site built yet; run 'portevoix build' first",
        "fr": "aucun site construit pour l'instant ; lancez d'abord 'portevoix build'",
    },
    "serving": {
        "en": "serving {site} on {url} (Ctrl-C to stop)",
        "fr": "{site} servi sur {url} (Ctrl-C pour arrêter)",
    },
    "interrupted": {"en": "interrupted", "fr": "interrompu"},
    "build_locked": {
        "en": "another build or publish is running in this folder; wait for it to finish, then run the command again",
        "fr": "une autre construction ou publication est en cours dans ce dossier ; attendez qu'elle finisse, puis relancez la commande",
    },
    "fault_no_space": {
        "en": "no space left on this disk: free some space, then run the command again (the previous site is as it was)",
        "fr": "plus de place sur ce disque : libérez de la place, puis relancez la commande (le site précédent est intact)",
    },
    "fault_read_only": {
        "en": "this folder is read-only: copy the podcast folder somewhere you may write, or make it writable",
        "fr": "ce dossier est en lecture seule : copiez le dossier du podcast là où vous pouvez écrire, ou rendez-le modifiable",
    },
    "fault_denied": {
        "en": "permission denied: check the folder's permissions, then run the command again",
        "fr": "permission refusée : vérifiez les droits du dossier, puis relancez la commande",
    },
    "fault_vanished": {
        "en": "disappeared while the command ran (was .cache/ or a folder deleted meanwhile?): run the command again",
        "fr": "a disparu pendant la commande (.cache/ ou un dossier supprimé entre-temps ?) : relancez la commande",
    },
    "output_foreign": {
        "en": "{output}: holds files portevoix did not write (no {marker} file); choose a new or empty folder, nothing was changed",
        "fr": "{output} : contient des fichiers que portevoix n'a pas écrits (pas de fichier {marker}) ; choisissez un dossier nouveau ou vide, rien n'a été modifié",
    },
    "output_not_folder": {
        "en": "{output}: is a file, not a folder; choose another output folder",
        "fr": "{output} : est un fichier, pas un dossier ; choisissez un autre dossier de sortie",
    },
    # portevoix import
    "import_done": {
        "en": "{created} episodes imported into {root}, {kept} already there, {warnings} warnings",
        "fr": "{created} épisode(s) importé(s) dans {root}, {kept} déjà présent(s), {warnings} avertissement(s)",
    },
    "import_next": {
        "en": "check {config} (base_url: where portevoix will publish), then run 'portevoix check' and 'portevoix build'",
        "fr": "vérifiez {config} (base_url : l'adresse où portevoix publiera), puis lancez 'portevoix check' et 'portevoix build'",
    },
    "stats_done": {
        "en": "{files} log files, {lines} lines read, {requests} media requests: {downloads} downloads; report: {report}",
        "fr": "{files} journal(aux), {lines} lignes lues, {requests} requêtes de médias : {downloads} téléchargement(s) ; rapport : {report}",
    },
    "stats_provisional": {
        "en": "the figures of {dates} are provisional (the day is not over); the next run counts it again whole",
        "fr": "les chiffres du {dates} sont provisoires (la journée n'est pas finie) ; le prochain passage la recompte entière",
    },
    "stats_csv": {"en": "CSV written to {path}", "fr": "CSV écrit dans {path}"},
    "stats_need_logs": {
        "en": "name the access log files to count, e.g. portevoix stats /var/log/nginx/access.log*",
        "fr": "indiquez les journaux d'accès à compter, par exemple portevoix stats /var/log/nginx/access.log*",
    },
    "stats_no_log": {"en": "no such log file or folder", "fr": "ce journal ou ce dossier n'existe pas"},
    "stats_unreadable_log": {
        "en": "cannot be read as a log ({reason}); nothing was counted or written, fix or leave out this file",
        "fr": "illisible comme journal ({reason}) ; rien n'a été compté ni écrit, réparez ou retirez ce fichier",
    },
    "stats_no_episode": {"en": 'no episode "{slug}" in episodes/', "fr": "aucun épisode « {slug} » dans episodes/"},
    "stats_state_broken": {
        "en": "cannot be read ({reason}); delete it to count the logs again from the start",
        "fr": "illisible ({reason}) ; supprimez-le pour recompter les journaux depuis le début",
    },
    "stats_state_timezone": {
        "en": "was counted with the timezone {was}, podcast.yaml now says {now}: delete it to count the logs again",
        "fr": "a été compté avec le fuseau {was}, podcast.yaml indique maintenant {now} : supprimez-le pour recompter les journaux",
    },
    "agents_offline": {
        "en": "cannot download the user-agents list ({reason}): offline? The list of {date} stays in use",
        "fr": "impossible de télécharger la liste des user agents ({reason}) : hors ligne ? La liste du {date} reste utilisée",
    },
    "agents_invalid": {
        "en": "the downloaded user-agents list is not valid ({reason}); the previous one stays in use",
        "fr": "la liste des user agents téléchargée n'est pas valide ({reason}) ; la précédente reste utilisée",
    },
    "agents_refreshed": {
        "en": "user-agents list of {date} downloaded from {source} into {path}",
        "fr": "liste des user agents du {date} téléchargée depuis {source} dans {path}",
    },
    # The most common problems.
    "missing": {"en": "is missing ({what})", "fr": "manque (champ obligatoire)"},
    "unknown_key": {"en": "unknown key", "fr": "clé inconnue"},
    "did_you_mean": {"en": " (did you mean {word}?)", "fr": " (vouliez-vous dire {word} ?)"},
    "config_not_found": {
        "en": "not found in {root} (is this a podcast folder? use -C to name one)",
        "fr": "introuvable dans {root} (est-ce bien le dossier du podcast ? indiquez-le avec -C)",
    },
    "file_not_found": {"en": '"{name}" not found in {folder}', "fr": '"{name}" introuvable dans {folder}'},
    "leaves_folder": {
        "en": '"{name}" leaves the {folder} (a link pointing elsewhere?)',
        "fr": '"{name}" sort du {folder} (un lien qui pointe ailleurs ?)',
    },
    "episode_folder": {"en": "episode folder", "fr": "dossier de l'épisode"},
    "podcast_folder": {"en": "podcast folder", "fr": "dossier du podcast"},
    "too_large": {
        "en": "is larger than {limit}: this is not a file portevoix reads (was a recording or a document saved under this name?)",
        "fr": "dépasse {limit} : ce n'est pas un fichier que portevoix lit (un enregistrement ou un document enregistré sous ce nom ?)",
    },
    "yaml_syntax": {"en": "YAML syntax error: {what}", "fr": "erreur de syntaxe YAML : {what}"},
    "line": {"en": "line {line}: ", "fr": "ligne {line} : "},
    "not_utf8": {
        "en": "the text is not UTF-8 (save the file as UTF-8 in your editor)",
        "fr": "le texte n'est pas en UTF-8 (enregistrez le fichier en UTF-8 dans votre éditeur)",
    },
    "not_a_date": {
        "en": "{value} is not a date (write 2024-03-20 or 2024-03-20T18:30:00+01:00)",
        "fr": "{value} n'est pas une date (écrivez 2024-03-20 ou 2024-03-20T18:30:00+01:00)",
    },
    "not_a_real_date": {"en": "{value} is not a real date", "fr": "{value} n'est pas une date qui existe"},
    "no_timezone": {
        "en": "{value} has no timezone (write it with its offset, e.g. {example})",
        "fr": "{value} n'a pas de fuseau horaire (ajoutez son décalage, par exemple {example})",
    },
    "too_long": {
        "en": "is {length} characters long; keep it under {limit}",
        "fr": "fait {length} caractères ; restez sous {limit}",
    },
    "format_character": {
        "en": "contains an invisible formatting character ({code} {name}): retype the text without it",
        "fr": "contient un caractère de mise en forme invisible ({code} {name}) : retapez le texte sans lui",
    },
    "control_character": {
        "en": "contains an invisible control character ({code}): retype it",
        "fr": "contient un caractère de contrôle invisible ({code}) : retapez-le",
    },
    "recording_empty": {
        "en": "the file is empty (0 bytes): copy the recording again",
        "fr": "le fichier est vide (0 octet) : copiez à nouveau l'enregistrement",
    },
    "unreadable": {
        "en": "cannot be read ({reason}): check the file's permissions",
        "fr": "ne peut pas être lu ({reason}) : vérifiez les droits du fichier",
    },
    "recording_text": {
        "en": "is a text file, not a recording (was a file renamed?)",
        "fr": "est un fichier texte, pas un enregistrement (un fichier renommé ?)",
    },
    "recording_not_audio": {
        "en": "is not an audio file ffmpeg can read (corrupt, or not a recording)",
        "fr": "n'est pas un fichier audio lisible par ffmpeg (abîmé, ou pas un enregistrement)",
    },
    "recording_no_audio": {
        "en": "contains no sound track (a picture or a document renamed?)",
        "fr": "ne contient pas de piste sonore (une image ou un document renommé ?)",
    },
    "recording_playlist": {
        "en": "is a playlist or a streaming manifest (it points to other files), not a recording: name the audio file itself",
        "fr": "est une liste de lecture ou un manifeste (il renvoie à d'autres fichiers), pas un enregistrement : indiquez le fichier audio lui-même",
    },
    "recording_container": {
        "en": "is not in an audio format portevoix reads (WAV, FLAC, MP3, Ogg, Opus, M4A, AAC…): export the recording in one of them",
        "fr": "n'est pas dans un format audio que portevoix lit (WAV, FLAC, MP3, Ogg, Opus, M4A, AAC…) : exportez l'enregistrement dans l'un d'eux",
    },
    "not_a_regular_file": {
        "en": '"{name}" is a {kind}, not a regular file: put the file itself in the folder',
        "fr": '"{name}" est un {kind}, pas un fichier ordinaire : placez le fichier lui-même dans le dossier',
    },
    "kind_fifo": {"en": "named pipe (FIFO)", "fr": "tube nommé (FIFO)"},
    "kind_device": {"en": "device", "fr": "périphérique"},
    "kind_socket": {"en": "socket", "fr": "socket"},
    "is_a_folder": {"en": '"{name}" is a folder, not a file', "fr": '"{name}" est un dossier, pas un fichier'},
    "recording_truncated": {
        "en": "is cut short: it should last {expected} but the sound stops at {actual} (copy it again from the recorder)",
        "fr": "est tronqué : il devrait durer {expected} mais le son s'arrête à {actual} (copiez-le à nouveau depuis l'enregistreur)",
    },
    "recording_silent": {
        "en": "no sound found: the recording is silent (check the microphone input)",
        "fr": "aucun son : l'enregistrement est muet (vérifiez l'entrée du micro)",
    },
    "recording_corrupt": {
        "en": "is damaged: ffmpeg cannot decode it at {at} (copy it again from the recorder)",
        "fr": "est abîmé : ffmpeg ne peut pas le décoder à {at} (copiez-le à nouveau depuis l'enregistreur)",
    },
}


def language(environ: Mapping[str, str] | None = None) -> str:
    """ "fr" or "en", from the first locale variable that is set (as gettext reads them)."""
    if environ is None:
        environ = os.environ
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            first = value.split(":")[0]
            return "fr" if first.lower().startswith("fr") else "en"
    return "en"


def say(key: str, **values: object) -> str:
    """The message `key` in the user's language, with its placeholders filled."""
    texts = MESSAGES[key]
    return texts.get(language(), texts["en"]).format(**values)


def unreadable(exc: OSError) -> str:
    """Why a file could not be read, in the user's words."""
    return say("unreadable", reason=(exc.strerror or str(exc)).lower())
