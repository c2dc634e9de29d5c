"""The most common problems in a podcast folder: podcast.yaml and episode.md fields, files, recordings."""

from __future__ import annotations

PROBLEMS: dict[str, dict[str, str]] = {
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
    # What an episode.md says that does not hold together (pipeline/source/episode_meta.py, episodes.py).
    "not_after_previous_chapter": {"en": "is not after the previous chapter's start", "fr": "ne vient pas après le début du chapitre précédent"},
    "not_after_previous_turn": {"en": "is not after the previous turn's start", "fr": "ne vient pas après le début de la prise de parole précédente"},
    "not_a_speaker": {"en": '"{name}" is not one of the speakers ({names})', "fr": '"{name}" n\'est pas l\'un des intervenants ({names})'},
    "cut_end_before_start": {"en": "is not after its start", "fr": "ne vient pas après son début"},
    "cuts_overlap": {
        "en": "two ranges overlap ({first} and {second}): join them into one",
        "fr": "deux passages se chevauchent ({first} et {second}) : réunissez-les en un seul",
    },
    "transcript_status_alone": {
        "en": "is set but there is no transcript: field (name the file, or remove this line)",
        "fr": "est indiqué mais il n'y a pas de champ transcript: (nommez le fichier, ou retirez cette ligne)",
    },
    "guid_spaces": {"en": "must not contain spaces", "fr": "ne doit pas contenir d'espaces"},
    "cuts_leave_nothing": {
        "en": "leave nothing of the recording ({duration}): shorten or remove one",
        "fr": "ne laissent rien de l'enregistrement ({duration}) : raccourcissez-en ou retirez-en un",
    },
    "after_the_end": {
        "en": "starts at {start}, after the end of the recording ({duration})",
        "fr": "commence à {start}, après la fin de l'enregistrement ({duration})",
    },
    "no_episode_file": {
        "en": "has no {file} (create one with 'portevoix new')",
        "fr": "n'a pas de {file} (créez-en un avec 'portevoix new')",
    },
    "empty_slug": {
        "en": "the folder name gives an empty address: rename the folder with letters or digits",
        "fr": "le nom du dossier donne une adresse vide : renommez le dossier avec des lettres ou des chiffres",
    },
    "same_slug": {
        "en": 'the folder gives the same address "{slug}" as {other}/',
        "fr": 'le dossier donne la même adresse "{slug}" que {other}/',
    },
    "same_guid": {
        "en": "is the same as in {other}: each episode needs its own (run 'portevoix new')",
        "fr": "est le même que dans {other} : chaque épisode a besoin du sien (lancez 'portevoix new')",
    },
}
