"""The words of the other commands: new, init, transcribe, serve, import, stats."""

from __future__ import annotations

COMMANDS: dict[str, dict[str, str]] = {
    # portevoix new (pipeline/source/new.py).
    "new_done": {
        "en": "created {path}: fill in the summary, speakers and chapters, then run 'portevoix check'",
        "fr": "{path} créé : complétez le résumé, les intervenants et les chapitres, puis lancez 'portevoix check'",
    },
    "new_no_podcast": {
        "en": "not found in {root}: this is not a podcast folder; create one with 'portevoix init', or name one with -C",
        "fr": "introuvable dans {root} : ce n'est pas un dossier de podcast ; créez-en un avec 'portevoix init', ou indiquez-le avec -C",
    },
    # portevoix init (pipeline/source/init.py).
    "init_intro": {
        "en": "A new podcast folder. Answer these few questions (everything can be changed later in podcast.yaml).",
        "fr": "Un nouveau dossier de podcast. Répondez à ces quelques questions (tout se change ensuite dans podcast.yaml).",
    },
    "init_prompt": {"en": "{question}{default}: ", "fr": "{question}{default} : "},
    "init_ask_title": {"en": "Title of the podcast", "fr": "Titre du podcast"},
    "init_ask_author": {"en": "Name of the collective that makes it", "fr": "Nom du collectif qui le fait"},
    "init_ask_email": {
        "en": "Owner's e-mail (podcast directories write to it to verify the podcast is yours)",
        "fr": "E-mail du propriétaire (les annuaires de podcasts y écrivent pour vérifier qu'il est à vous)",
    },
    "init_ask_language": {"en": "Language of the episodes (fr, en…)", "fr": "Langue des épisodes (fr, en…)"},
    "init_ask_base_url": {
        "en": "Public address where the site will be published (https://…)",
        "fr": "Adresse publique où le site sera publié (https://…)",
    },
    "init_categories": {
        "en": "Apple Podcasts category: a number below, or any category of Apple's list (e.g. Arts > Books):",
        "fr": "Catégorie Apple Podcasts : un numéro ci-dessous, ou toute catégorie de la liste d'Apple (par exemple Arts > Books) :",
    },
    "init_ask_category": {"en": "Category", "fr": "Catégorie"},
    "init_ask_cover": {
        "en": "The collective's square cover image, if it has one (a file; Enter: one is made from the title)",
        "fr": "Image de couverture carrée du collectif, s'il en a une (un fichier ; Entrée : elle est faite à partir du titre)",
    },
    "init_again": {"en": "  {problem}; try again", "fr": "  {problem} ; recommencez"},
    "init_empty": {"en": "an answer is needed", "fr": "une réponse est nécessaire"},
    "init_no_answer": {
        "en": "no answer to read (input closed); to answer with flags instead, run: portevoix init DIR --yes --title T --author A --email E --base-url URL",
        "fr": "aucune réponse à lire (entrée fermée) ; pour répondre par des options, lancez : portevoix init DOSSIER --yes --title T --author A --email E --base-url URL",
    },
    "init_flag_missing": {"en": "{flag} is needed with --yes", "fr": "{flag} est nécessaire avec --yes"},
    "init_cover_missing": {"en": "{path}: file not found", "fr": "{path} : fichier introuvable"},
    "init_exists": {
        "en": "already exists: this folder is already a podcast; nothing was changed (run 'portevoix check' in it)",
        "fr": "existe déjà : ce dossier est déjà un podcast ; rien n'a été changé (lancez 'portevoix check' dedans)",
    },
    "init_not_a_folder": {"en": "exists and is not a folder", "fr": "existe et n'est pas un dossier"},
    "init_cover_exists": {
        "en": "already exists; move it away or give it as --cover",
        "fr": "existe déjà ; déplacez-la ou donnez-la avec --cover",
    },
    "init_done": {
        "en": "created the podcast folder {folder}: {files}",
        "fr": "dossier du podcast {folder} créé : {files}",
    },
    "init_cover_generated": {
        "en": "{cover} was made from the title: replace it with the collective's own square image (1400 to 3000 px) when you have one",
        "fr": "{cover} a été faite à partir du titre : remplacez-la par l'image carrée du collectif (1400 à 3000 px) quand vous l'aurez",
    },
    "init_next": {
        "en": "next: cd {folder} ; portevoix new \"Title of the debate\" --audio recording.wav",
        "fr": "ensuite : cd {folder} ; portevoix new \"Titre du débat\" --audio enregistrement.wav",
    },
    # portevoix transcribe (pipeline/transcribe/, pipeline/source/transcripts.py).
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
    "model_english_only": {
        "en": 'the model "{model}" only knows English, and the recordings are in "{language}": choose a multilingual model (base, small, medium…), or set transcription: language: en',
        "fr": "le modèle « {model} » ne connaît que l'anglais, et les enregistrements sont en « {language} » : choisissez un modèle multilingue (base, small, medium…), ou mettez transcription: language: en",
    },
    "model_unavailable": {
        "en": 'the model "{model}" is not on this machine and cannot be downloaded (no internet?): run portevoix transcribe once online (it is kept in {folder}), or set model: to a folder holding a faster-whisper model',
        "fr": "le modèle « {model} » n'est pas sur cette machine et ne peut pas être téléchargé (pas d'internet ?) : lancez portevoix transcribe une fois en ligne (il est gardé dans {folder}), ou mettez dans model: le dossier d'un modèle faster-whisper",
    },
    # portevoix serve.
    "serve_no_site": {
        "en": "no site built yet; run 'portevoix build' first",
        "fr": "aucun site construit pour l'instant ; lancez d'abord 'portevoix build'",
    },
    "serving": {
        "en": "serving {site} on {url} (Ctrl-C to stop)",
        "fr": "{site} servi sur {url} (Ctrl-C pour arrêter)",
    },
    "interrupted": {"en": "interrupted", "fr": "interrompu"},
    # portevoix import
    "import_done": {
        "en": "{created} episodes imported into {root}, {kept} already there, {warnings} warnings",
        "fr": "{created} épisode(s) importé(s) dans {root}, {kept} déjà présent(s), {warnings} avertissement(s)",
    },
    "import_next": {
        "en": "check {config} (base_url: where portevoix will publish), then run 'portevoix check' and 'portevoix build'",
        "fr": "vérifiez {config} (base_url : l'adresse où portevoix publiera), puis lancez 'portevoix check' et 'portevoix build'",
    },
    # portevoix stats (pipeline/stats/).
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
    "stats_unknown_format": {
        "en": "no line in a known format (nginx or Apache combined, S3 access log): is it an access log? Nothing of it was counted",
        "fr": "aucune ligne dans un format connu (combined de nginx ou d'Apache, journal d'accès S3) : est-ce un journal d'accès ? Rien n'en a été compté",
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
}
