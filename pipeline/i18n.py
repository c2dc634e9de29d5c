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
    "audio_progress": {
        "en": "audio of {count} recording(s)",
        "fr": "audio de {count} enregistrement(s)",
    },
    "check_ok": {
        "en": "{count} episodes, no problem found",
        "fr": "{count} épisode(s), aucun problème trouvé",
    },
    "build_up_to_date": {
        "en": "nothing changed since the last build: {output} is up to date",
        "fr": "rien n'a changé depuis la dernière construction : {output} est à jour",
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
    "new_no_podcast": {
        "en": "not found in {root}: this is not a podcast folder; create one with 'portevoix init', or name one with -C",
        "fr": "introuvable dans {root} : ce n'est pas un dossier de podcast ; créez-en un avec 'portevoix init', ou indiquez-le avec -C",
    },
    # portevoix studio (pipeline/studio/, templates/studio/).
    "studio_serving": {
        "en": "studio of {root} open at {url} (only on this computer; Ctrl+C to stop)",
        "fr": "studio de {root} ouvert à l'adresse {url} (sur cet ordinateur seulement ; Ctrl+C pour l'arrêter)",
    },
    "studio_name": {"en": "portevoix studio", "fr": "studio portevoix"},
    "studio_no_token": {
        "en": "Refused: open the address that 'portevoix studio' printed (it holds the key of this studio).",
        "fr": "Refusé : ouvrez l'adresse affichée par 'portevoix studio' (elle contient la clé de ce studio).",
    },
    "studio_wrong_host": {
        "en": "Refused: the studio answers only at 127.0.0.1 or localhost.",
        "fr": "Refusé : le studio ne répond qu'à 127.0.0.1 ou localhost.",
    },
    "studio_wrong_origin": {
        "en": "Refused: this change did not come from a studio page. Reload the page and try again.",
        "fr": "Refusé : cette modification ne vient pas d'une page du studio. Rechargez la page et recommencez.",
    },
    "studio_too_large": {"en": "Refused: the file is larger than {size}.", "fr": "Refusé : le fichier dépasse {size}."},
    "studio_not_found": {"en": "Nothing here: go back to the list of episodes.", "fr": "Rien ici : revenez à la liste des épisodes."},
    "studio_no_file": {"en": "Choose a file first (its name needs letters or digits).", "fr": "Choisissez d'abord un fichier (son nom doit contenir des lettres ou des chiffres)."},
    "studio_file_exists": {"en": "{name} is already in the episode folder: rename the file first.", "fr": "{name} est déjà dans le dossier de l'épisode : renommez d'abord le fichier."},
    "studio_config_first": {"en": "podcast.yaml has problems: correct the podcast settings first.", "fr": "podcast.yaml a des problèmes : corrigez d'abord les réglages du podcast."},
    "studio_episodes": {"en": "Episodes", "fr": "Épisodes"},
    "studio_no_episodes": {"en": "No episode yet.", "fr": "Pas encore d'épisode."},
    "studio_settings": {"en": "Podcast settings", "fr": "Réglages du podcast"},
    "studio_settings_problems": {"en": "{count} problem(s) in the podcast settings.", "fr": "{count} problème(s) dans les réglages du podcast."},
    "studio_skip": {"en": "Skip to the content", "fr": "Aller au contenu"},
    "studio_save": {"en": "Save", "fr": "Enregistrer"},
    "studio_saved": {"en": "Saved.", "fr": "Enregistré."},
    "studio_not_saved": {
        "en": "Not saved: correct the fields marked below, then save again.",
        "fr": "Rien n'est enregistré : corrigez les champs signalés ci-dessous, puis enregistrez à nouveau.",
    },
    "studio_check_says": {"en": "'portevoix check' finds {count} problem(s) here:", "fr": "'portevoix check' trouve ici {count} problème(s) :"},
    "studio_new": {"en": "New episode", "fr": "Nouvel épisode"},
    "studio_new_help": {
        "en": "The episode folder is created as 'portevoix new' does: the recording is copied (never modified), episode.md is written.",
        "fr": "Le dossier de l'épisode est créé comme le fait 'portevoix new' : l'enregistrement est copié (jamais modifié), episode.md est écrit.",
    },
    "studio_title": {"en": "Title", "fr": "Titre"},
    "studio_title_lower": {"en": "the title of the episode", "fr": "le titre de l'épisode"},
    "studio_date": {"en": "Date of the recording", "fr": "Date de l'enregistrement"},
    "studio_date_help": {"en": "YYYY-MM-DD, e.g. 2024-03-20.", "fr": "AAAA-MM-JJ, par exemple 2024-03-20."},
    "studio_recording": {"en": "The recording (from this computer)", "fr": "L'enregistrement (depuis cet ordinateur)"},
    "studio_path": {"en": "Or a recording already in the podcast folder", "fr": "Ou un enregistrement déjà dans le dossier du podcast"},
    "studio_path_help": {"en": "Its path inside the podcast folder, e.g. recordings/debat.wav.", "fr": "Son chemin dans le dossier du podcast, par exemple enregistrements/debat.wav."},
    "studio_path_inside": {
        "en": "\"{path}\" is not a file inside the podcast folder (upload the recording instead)",
        "fr": "\"{path}\" n'est pas un fichier du dossier du podcast (envoyez plutôt l'enregistrement)",
    },
    "studio_create": {"en": "Create the episode", "fr": "Créer l'épisode"},
    "studio_build": {"en": "Build the site", "fr": "Construire le site"},
    "studio_build_help": {
        "en": "Audio, feed and pages are written to site/, as 'portevoix build' does. It goes on if you close this page.",
        "fr": "L'audio, le flux et les pages sont écrits dans site/, comme le fait 'portevoix build'. Cela continue si vous fermez cette page.",
    },
    "studio_build_running": {"en": "Building… this page follows it.", "fr": "Construction en cours… cette page la suit."},
    "studio_build_ok": {"en": "The build is finished.", "fr": "La construction est terminée."},
    "studio_build_failed": {"en": "The build stopped: read the lines below, correct, then build again.", "fr": "La construction s'est arrêtée : lisez les lignes ci-dessous, corrigez, puis reconstruisez."},
    "studio_build_lines": {"en": "What the build says", "fr": "Ce que dit la construction"},
    "studio_problem": {"en": "Problem:", "fr": "Problème :"},
    "studio_other_problems": {"en": "Other problems in this file", "fr": "Autres problèmes dans ce fichier"},
    "studio_notes": {"en": "Show notes (Markdown)", "fr": "Notes de l'épisode (Markdown)"},
    "studio_notes_help": {"en": "The text of the episode page, below its title.", "fr": "Le texte de la page de l'épisode, sous son titre."},
    "studio_lines_help": {"en": "One per line.", "fr": "Un par ligne."},
    "studio_new_item": {"en": "new", "fr": "nouveau"},
    "studio_new_item_help": {"en": "Fill in to add one; empty every field of an item to remove it.", "fr": "Remplissez pour en ajouter un ; videz tous les champs d'un élément pour le retirer."},
    "studio_unset": {"en": "(as by default)", "fr": "(par défaut)"},
    "studio_files": {"en": "Files of the episode", "fr": "Fichiers de l'épisode"},
    "studio_upload": {"en": "Add a file (cover, transcript, recording)", "fr": "Ajouter un fichier (couverture, transcription, enregistrement)"},
    "studio_upload_button": {"en": "Add the file", "fr": "Ajouter le fichier"},
    "studio_uploaded": {"en": "{name} added to the episode folder.", "fr": "{name} ajouté au dossier de l'épisode."},
    "studio_cover": {"en": "Cover", "fr": "Couverture"},
    "studio_targets": {"en": "Publish targets", "fr": "Cibles de publication"},
    "studio_no_targets": {"en": "No publish target yet.", "fr": "Pas encore de cible de publication."},
    "studio_broken": {"en": "{file} cannot be read: correct it in a text editor, then reload.", "fr": "{file} est illisible : corrigez-le dans un éditeur de texte, puis rechargez."},
    "studio_back": {"en": "Back to the episodes", "fr": "Retour aux épisodes"},
    "studio_required": {"en": "required", "fr": "obligatoire"},
    # The studio's waveform editor (pipeline/studio/waveform.py, templates/studio/waveform.html).
    # The studio's transcript page (pipeline/studio/review.py, templates/studio/transcript.html).
    "studio_tr_link": {"en": "Transcript: transcribe and review", "fr": "Transcription : transcrire et relire"},
    "studio_tr_title": {"en": "Transcript: {title}", "fr": "Transcription : {title}"},
    "studio_tr_help": {
        "en": "Speech recognition writes a draft on this computer (nothing is sent anywhere). Then read it cue by cue while listening, correct the words and the speakers, and mark it reviewed.",
        "fr": "La reconnaissance de la parole écrit un brouillon sur cet ordinateur (rien n'est envoyé nulle part). Relisez-le ensuite réplique par réplique en écoutant, corrigez les mots et les intervenants, puis marquez-le relu.",
    },
    "studio_tr_none": {"en": "This episode has no transcript yet.", "fr": "Cet épisode n'a pas encore de transcription."},
    "studio_tr_start": {"en": "Transcribe the recording", "fr": "Transcrire l'enregistrement"},
    "studio_tr_again": {"en": "Make the draft again (corrections made to it are lost)", "fr": "Refaire le brouillon (les corrections qui y ont été faites sont perdues)"},
    "studio_tr_running": {"en": "Transcribing… this page follows it.", "fr": "Transcription en cours… cette page la suit."},
    "studio_tr_ok": {"en": "The transcription is finished.", "fr": "La transcription est terminée."},
    "studio_tr_failed": {"en": "The transcription stopped: read the lines below.", "fr": "La transcription s'est arrêtée : lisez les lignes ci-dessous."},
    "studio_tr_lines": {"en": "What the transcription says", "fr": "Ce que dit la transcription"},
    "studio_tr_other": {"en": "Another episode is being transcribed ({slug}): wait until it is finished.", "fr": "Un autre épisode est en cours de transcription ({slug}) : attendez qu'elle soit terminée."},
    "studio_tr_missing": {
        "en": "The transcript named in episode.md ({name}) is not a file of the episode folder.",
        "fr": "La transcription nommée dans episode.md ({name}) n'est pas un fichier du dossier de l'épisode.",
    },
    "studio_tr_changed": {
        "en": "The transcript changed on disk since this page was opened: nothing was saved; reload the page, then correct again.",
        "fr": "La transcription a changé sur le disque depuis l'ouverture de cette page : rien n'a été enregistré ; rechargez la page, puis corrigez à nouveau.",
    },
    "studio_tr_empty": {"en": "Every cue is empty: nothing was saved.", "fr": "Toutes les répliques sont vides : rien n'a été enregistré."},
    "studio_tr_status_draft": {
        "en": "Draft: written by speech recognition, not yet reviewed by a person (the pages and the feed say so).",
        "fr": "Brouillon : écrit par la reconnaissance de la parole, pas encore relu par une personne (les pages et le flux le disent).",
    },
    "studio_tr_status_reviewed": {"en": "Reviewed by a person.", "fr": "Relue par une personne."},
    "studio_tr_status_human": {"en": "Written by people (episode.md has no transcript_status).", "fr": "Écrite par des personnes (episode.md n'a pas de transcript_status)."},
    "studio_tr_cues": {"en": "Cues ({count})", "fr": "Répliques ({count})"},
    "studio_tr_cue": {"en": "Cue {n}, {start} to {end}", "fr": "Réplique {n}, de {start} à {end}"},
    "studio_tr_text": {"en": "Text", "fr": "Texte"},
    "studio_tr_speaker": {"en": "Speaker", "fr": "Intervenant"},
    "studio_tr_play": {"en": "Play this cue", "fr": "Écouter cette réplique"},
    "studio_tr_reviewed": {"en": "This transcript has been reviewed by a person", "fr": "Cette transcription a été relue par une personne"},
    "studio_tr_reviewed_help": {
        "en": "Sets transcript_status: reviewed in episode.md: the pages and the feed no longer call it automatic, and 'portevoix transcribe' never replaces it.",
        "fr": "Met transcript_status: reviewed dans episode.md : les pages et le flux ne la disent plus automatique, et 'portevoix transcribe' ne la remplace jamais.",
    },
    "studio_wf_link": {"en": "Chapters, cuts and trim on the waveform", "fr": "Chapitres, coupes et début/fin sur la forme d'onde"},
    "studio_back_to_episode": {"en": "Back to the episode's form", "fr": "Retour au formulaire de l'épisode"},
    "studio_wf_title": {"en": "Waveform: {title}", "fr": "Forme d'onde : {title}"},
    "studio_wf_help": {
        "en": "Listen, then place the chapters, the cuts (ranges left out of the published audio), the soundbites and the trim points. Every marker is also a row of time fields below; Save writes them to episode.md.",
        "fr": "Écoutez, puis placez les chapitres, les coupes (passages retirés de l'audio publié), les extraits et le début et la fin. Chaque repère est aussi une ligne de champs ci-dessous ; Enregistrer les écrit dans episode.md.",
    },
    "studio_wf_no_script": {
        "en": "Without JavaScript the waveform is not drawn: listen with the player and type the times below.",
        "fr": "Sans JavaScript, la forme d'onde n'est pas dessinée : écoutez avec le lecteur et tapez les temps ci-dessous.",
    },
    "studio_no_recording": {
        "en": "The recording named in episode.md is not a file of the episode folder: correct its recording: field.",
        "fr": "L'enregistrement nommé dans episode.md n'est pas un fichier du dossier de l'épisode : corrigez son champ recording:.",
    },
    "studio_wf_listen": {"en": "Listen and place", "fr": "Écouter et placer"},
    "studio_wf_lasts": {"en": "The recording lasts {duration}.", "fr": "L'enregistrement dure {duration}."},
    "studio_wf_waveform": {"en": "Waveform of the recording", "fr": "Forme d'onde de l'enregistrement"},
    "studio_wf_overview": {"en": "The whole recording", "fr": "Tout l'enregistrement"},
    "studio_wf_playhead": {"en": "Playhead", "fr": "Tête de lecture"},
    "studio_wf_play": {"en": "Play / pause", "fr": "Lecture / pause"},
    "studio_wf_back": {"en": "Back 5 s", "fr": "Reculer de 5 s"},
    "studio_wf_forward": {"en": "Forward 5 s", "fr": "Avancer de 5 s"},
    "studio_wf_zoom_in": {"en": "Zoom in", "fr": "Zoomer"},
    "studio_wf_zoom_out": {"en": "Zoom out", "fr": "Dézoomer"},
    "studio_wf_keys": {
        "en": "On the waveform: the left and right arrows move the playhead by 1 s (10 s with Shift), Space plays or pauses, Home and End go to the start and the end.",
        "fr": "Sur la forme d'onde : les flèches gauche et droite déplacent la tête de lecture d'1 s (10 s avec Maj), Espace lance ou arrête la lecture, Début et Fin vont au début et à la fin.",
    },
    "studio_wf_mode": {"en": "A click or a drag on the waveform", "fr": "Un clic ou un glisser sur la forme d'onde"},
    "studio_wf_mode_seek": {"en": "moves the playhead", "fr": "déplace la tête de lecture"},
    "studio_wf_mode_chapter": {"en": "places a chapter (click)", "fr": "place un chapitre (clic)"},
    "studio_wf_mode_cut": {"en": "marks a cut (drag)", "fr": "marque une coupe (glisser)"},
    "studio_wf_mode_soundbite": {"en": "marks a soundbite (drag)", "fr": "marque un extrait (glisser)"},
    "studio_wf_add_chapter": {"en": "Add a chapter at the playhead", "fr": "Ajouter un chapitre à la tête de lecture"},
    "studio_wf_add_cut": {"en": "Add a cut at the playhead", "fr": "Ajouter une coupe à la tête de lecture"},
    "studio_wf_add_soundbite": {"en": "Add a soundbite at the playhead", "fr": "Ajouter un extrait à la tête de lecture"},
    "studio_wf_trim": {"en": "Start and end of the published audio", "fr": "Début et fin de l'audio publié"},
    "studio_wf_trim_help": {
        "en": "What comes before the start or after the end is left out (written in episode.md as cuts from 00:00:00 and up to the end). Empty: the whole recording (less the dead air the build trims).",
        "fr": "Ce qui précède le début ou suit la fin est retiré (écrit dans episode.md comme des coupes depuis 00:00:00 et jusqu'à la fin). Vide : tout l'enregistrement (moins les blancs que la construction retire).",
    },
    "studio_wf_trim_start": {"en": "The published audio starts at", "fr": "L'audio publié commence à"},
    "studio_wf_trim_end": {"en": "It ends at", "fr": "Il finit à"},
    "studio_wf_chapters": {"en": "Chapters", "fr": "Chapitres"},
    "studio_wf_chapter": {"en": "Chapter {n}", "fr": "Chapitre {n}"},
    "studio_wf_cuts": {"en": "Cuts", "fr": "Coupes"},
    "studio_wf_cut": {"en": "Cut {n}", "fr": "Coupe {n}"},
    "studio_wf_soundbites": {"en": "Soundbites", "fr": "Extraits"},
    "studio_wf_soundbite": {"en": "Soundbite {n}", "fr": "Extrait {n}"},
    "studio_wf_new": {"en": "new", "fr": "nouveau"},
    "studio_wf_none": {"en": "None yet: add one with the buttons above, or on the waveform.", "fr": "Aucun pour l'instant : ajoutez-en avec les boutons ci-dessus, ou sur la forme d'onde."},
    "studio_wf_start": {"en": "Start", "fr": "Début"},
    "studio_wf_end": {"en": "End", "fr": "Fin"},
    "studio_wf_name": {"en": "Title", "fr": "Titre"},
    "studio_wf_duration": {"en": "Duration (seconds)", "fr": "Durée (secondes)"},
    "studio_wf_times_help": {
        "en": "Times as 00:12:30 or 00:12:30.5, or a number of seconds. Empty every field of a row to remove it.",
        "fr": "Temps sous la forme 00:12:30 ou 00:12:30.5, ou un nombre de secondes. Videz tous les champs d'une ligne pour la retirer.",
    },
    "studio_wf_set_start": {"en": "Start at the playhead", "fr": "Début à la tête de lecture"},
    "studio_wf_set_end": {"en": "End at the playhead", "fr": "Fin à la tête de lecture"},
    "studio_wf_set_here": {"en": "Set at the playhead", "fr": "Placer à la tête de lecture"},
    "studio_wf_play_from": {"en": "Play from here", "fr": "Écouter d'ici"},
    "studio_wf_remove": {"en": "Remove", "fr": "Retirer"},
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
    # What check warns about (pipeline/source/unfinished.py).
    "warning": {"en": "warning: {problem}", "fr": "attention : {problem}"},
    # What the analysis of a recording found (pipeline/audio/notices.py): build --report and check.
    "audio_clipped": {
        "en": "clipping in the recording at {times}: the input level was too high there; set audio_declip: true to repair it",
        "fr": "saturation dans l'enregistrement à {times} : le niveau d'entrée était trop fort ; mettez audio_declip: true pour la réparer",
    },
    "audio_clipped_repaired": {
        "en": "clipping in the recording at {times}: the input level was too high there; repaired (audio_declip)",
        "fr": "saturation dans l'enregistrement à {times} : le niveau d'entrée était trop fort ; réparée (audio_declip)",
    },
    "audio_noise": {
        "en": "room noise {lu} LU under the speech: reduced ({strength}; audio_denoise: off|light|medium)",
        "fr": "bruit de salle {lu} LU sous la parole : réduit ({strength} ; audio_denoise: off|light|medium)",
    },
    "audio_hum": {
        "en": "{hz} Hz mains hum found ({db} dB over the sound beside it): removed with notches at {notches} Hz",
        "fr": "ronflement secteur à {hz} Hz trouvé ({db} dB au-dessus du son voisin) : retiré par des filtres coupe-bande à {notches} Hz",
    },
    "audio_rumble": {
        "en": "low rumble found (handling noise, traffic, ventilation): removed with a high-pass filter",
        "fr": "grondement grave trouvé (manipulation du micro, circulation, ventilation) : retiré par un filtre passe-haut",
    },
    "audio_mostly_silent": {
        "en": "the recording is mostly silence: sound in {sound} of its {total} minutes (check the microphone input, or cut the silent part)",
        "fr": "l'enregistrement est surtout du silence : du son dans {sound} de ses {total} minutes (vérifiez l'entrée du micro, ou coupez la partie muette)",
    },
    "audio_voice_under": {
        "en": "a voice at {start}-{end} stays {lu} LU under the others: {advice}",
        "fr": "une voix à {start}-{end} reste {lu} LU sous les autres : {advice}",
    },
    "audio_voice_over": {
        "en": "a voice at {start}-{end} stays {lu} LU over the others: {advice}",
        "fr": "une voix à {start}-{end} reste {lu} LU au-dessus des autres : {advice}",
    },
    "audio_advice_try_strong": {"en": "try audio_leveler: strong", "fr": "essayez audio_leveler: strong"},
    "audio_advice_check_microphone": {
        "en": "more than the strong leveler may change; check that microphone",
        "fr": "plus que le niveleur fort ne peut corriger ; vérifiez ce micro",
    },
    "audio_not_analysed": {
        "en": "note: the audio of {count} recording(s) ({first}…) is not analysed yet, or not with the current settings: "
        "'portevoix build' measures it, then check says what it found (clipping, hum, voices left apart)",
        "fr": "note : l'audio de {count} enregistrement(s) ({first}…) n'est pas encore analysé, ou pas avec les réglages "
        "actuels : 'portevoix build' le mesure, puis check dit ce qu'il a trouvé (saturation, ronflement, voix écartées)",
    },
    "unfinished_cover": {
        "en": '"{cover}" is still the cover made by \'portevoix init\': replace it with the collective\'s own square image (1400 to 3000 px)',
        "fr": '"{cover}" est toujours la couverture faite par \'portevoix init\' : remplacez-la par l\'image carrée du collectif (1400 à 3000 px)',
    },
    "unfinished_email": {
        "en": '"{email}" is an example address, no mail reaches it: directories write to the owner to verify the podcast is yours; write a real one',
        "fr": '"{email}" est une adresse d\'exemple, aucun courrier n\'y arrive : les annuaires écrivent au propriétaire pour vérifier que le podcast est à vous ; écrivez-en une vraie',
    },
    "unfinished_notes": {
        "en": "still the placeholder written by 'portevoix new': write the show notes",
        "fr": "toujours le texte provisoire écrit par 'portevoix new' : écrivez les notes de l'épisode",
    },
    "unfinished_summary": {
        "en": "is empty: apps show it under the title; write one or two sentences",
        "fr": "est vide : les applications l'affichent sous le titre ; écrivez une ou deux phrases",
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
    "model_english_only": {
        "en": 'the model "{model}" only knows English, and the recordings are in "{language}": choose a multilingual model (base, small, medium…), or set transcription: language: en',
        "fr": "le modèle « {model} » ne connaît que l'anglais, et les enregistrements sont en « {language} » : choisissez un modèle multilingue (base, small, medium…), ou mettez transcription: language: en",
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
    # The podcast's identity (pipeline/identity.py).
    "podcast_guid_announced": {
        "en": 'an earlier build announced the podcast as "{guid}"; apps and directories know it by that guid: put back guid: "{guid}"',
        "fr": 'une construction précédente a annoncé le podcast sous "{guid}" ; les applications et les annuaires le connaissent ainsi : remettez guid: "{guid}"',
    },
    "podcast_guid_elsewhere": {
        "en": 'an earlier build of this folder announced the podcast as "{guid}" at {earlier}; if the podcast moved from there to {feed}, put back guid: "{guid}" and set new_feed_url: "{feed}"; if this folder is a copy of another podcast, delete {state} and {record}',
        "fr": 'une construction précédente de ce dossier a annoncé le podcast sous "{guid}" à {earlier} ; si le podcast a déménagé de là vers {feed}, remettez guid: "{guid}" et ajoutez new_feed_url: "{feed}" ; si ce dossier est la copie d\'un autre podcast, supprimez {state} et {record}',
    },
    "podcast_guid_not_moved": {
        "en": '"{guid}" was announced at {earlier}, not at {feed}; if the podcast moved, set new_feed_url: "{feed}" (and redirect the old address to it); if this folder is a copy of another podcast, write guid: "{derived}" and delete {state} and {record}',
        "fr": '"{guid}" a été annoncé à {earlier}, pas à {feed} ; si le podcast a déménagé, ajoutez new_feed_url: "{feed}" (et redirigez l\'ancienne adresse vers elle) ; si ce dossier est la copie d\'un autre podcast, écrivez guid: "{derived}" et supprimez {state} et {record}',
    },
    "podcast_guid_foreign": {
        "en": '"{guid}" is not the guid of this podcast: it belongs to another feed address (copied from another podcast.yaml?) and no build of this folder announced it; write guid: "{derived}", or delete the line and the first build writes it',
        "fr": '"{guid}" n\'est pas le guid de ce podcast : il appartient à une autre adresse de flux (copié d\'un autre podcast.yaml ?) et aucune construction de ce dossier ne l\'a annoncé ; écrivez guid: "{derived}", ou supprimez la ligne et la première construction l\'écrira',
    },
    "episode_guid_announced": {
        "en": 'an earlier build announced this episode as "{guid}"; a new guid makes every podcast app download it again as a new episode: put back guid: {guid}',
        "fr": 'une construction précédente a annoncé cet épisode sous "{guid}" ; un nouveau guid le fait retélécharger comme un nouvel épisode par toutes les applications : remettez guid: {guid}',
    },
    "tool_missing": {
        "en": "{name} not found: install ffmpeg, which brings it (Debian, Ubuntu: sudo apt install ffmpeg; Fedora: sudo dnf install ffmpeg-free; macOS: brew install ffmpeg)",
        "fr": "{name} introuvable : installez ffmpeg, qui le fournit (Debian, Ubuntu : sudo apt install ffmpeg ; Fedora : sudo dnf install ffmpeg-free ; macOS : brew install ffmpeg)",
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
    "pagefind_missing": {
        "en": "the search indexer (Pagefind) is not installed: run 'make venv', or pip install pagefind-bin",
        "fr": "l'indexeur de la recherche (Pagefind) n'est pas installé : lancez 'make venv', ou pip install pagefind-bin",
    },
    "pagefind_failed": {
        "en": "the search index could not be built ({reason}); the previous site is still in place",
        "fr": "l'index de la recherche n'a pas pu être construit ({reason}) ; le site précédent reste en place",
    },
    "recording_corrupt": {
        "en": "is damaged: ffmpeg cannot decode it at {at} (copy it again from the recorder)",
        "fr": "est abîmé : ffmpeg ne peut pas le décoder à {at} (copiez-le à nouveau depuis l'enregistreur)",
    },
}


# The studio's pages for creating the podcast, its cover, targets, build report, preview and publish
# (pipeline/studio/creating.py, cover.py, targets.py, preview.py, publishing.py).
MESSAGES.update({
    "studio_create_podcast": {"en": "Create the podcast", "fr": "Créer le podcast"},
    "studio_create_intro": {
        "en": "This folder is not a podcast folder yet. Answer these few questions, as 'portevoix init' asks them; everything can be changed afterwards in the settings.",
        "fr": "Ce dossier n'est pas encore un dossier de podcast. Répondez à ces quelques questions, celles de 'portevoix init' ; tout se change ensuite dans les réglages.",
    },
    "studio_not_created": {"en": "Nothing created yet: correct the answers marked below.", "fr": "Rien n'est encore créé : corrigez les réponses signalées ci-dessous."},
    "studio_create_podcast_button": {"en": "Create the podcast folder", "fr": "Créer le dossier du podcast"},
    "studio_cover_made": {"en": "Optional: without one, a cover is made from the title.", "fr": "Facultatif : sans elle, une couverture est faite à partir du titre."},
    "studio_cover_kind": {"en": "a cover is a JPEG or PNG image (.jpg, .jpeg or .png)", "fr": "une couverture est une image JPEG ou PNG (.jpg, .jpeg ou .png)"},
    "studio_podcast_created": {
        "en": "The podcast folder is created. Complete its settings below, then add an episode.",
        "fr": "Le dossier du podcast est créé. Complétez ses réglages ci-dessous, puis ajoutez un épisode.",
    },
    "studio_cover_now": {"en": "The cover as it is now", "fr": "La couverture actuelle"},
    "studio_cover_replaced": {"en": "Cover replaced.", "fr": "Couverture remplacée."},
    "studio_cover_upload": {"en": "Replace the cover", "fr": "Remplacer la couverture"},
    "studio_cover_upload_help": {
        "en": "A square JPEG or PNG image, 1400 to 3000 px, {size} at most. The old cover stays until the new one is found right.",
        "fr": "Une image carrée JPEG ou PNG, de 1400 à 3000 px, {size} au plus. L'ancienne couverture reste tant que la nouvelle n'est pas jugée bonne.",
    },
    "studio_cover_button": {"en": "Send the cover", "fr": "Envoyer la couverture"},
    "studio_cover_not_replaced": {"en": "The cover was not replaced", "fr": "La couverture n'a pas été remplacée"},
    "studio_back_settings": {"en": "Back to the settings", "fr": "Retour aux réglages"},
    "studio_target_local": {"en": "a folder on this computer", "fr": "un dossier de cet ordinateur"},
    "studio_target_ssh": {"en": "a server, over SSH", "fr": "un serveur, par SSH"},
    "studio_target_s3": {"en": "S3 storage", "fr": "un stockage S3"},
    "studio_test_connection": {"en": "Test the connection", "fr": "Tester la connexion"},
    "studio_test_connection_of": {"en": "Test the connection to {name}", "fr": "Tester la connexion à {name}"},
    "studio_test_again": {"en": "Test again", "fr": "Tester à nouveau"},
    "studio_targets_help": {
        "en": "Targets are written in podcast.yaml, under publish: (see Publishing in the README). The test reads the target as a publish does, and sends nothing.",
        "fr": "Les cibles s'écrivent dans podcast.yaml, sous publish: (voir Publishing dans le README). Le test lit la cible comme le fait une publication, et n'envoie rien.",
    },
    "studio_target_ok": {"en": "The connection works.", "fr": "La connexion fonctionne."},
    "studio_target_wrong": {"en": "The connection does not work:", "fr": "La connexion ne fonctionne pas :"},
    "studio_target_fix": {
        "en": "Correct this target in podcast.yaml (its settings: type, {fields}), then test again.",
        "fr": "Corrigez cette cible dans podcast.yaml (ses réglages : type, {fields}), puis testez à nouveau.",
    },
    "studio_target_empty": {"en": "{where} is reachable; nothing has been published there yet.", "fr": "{where} est joignable ; rien n'y est encore publié."},
    "studio_target_holds": {
        "en": "{where} is reachable and holds the last publish: {count} files (feed: {feed}).",
        "fr": "{where} est joignable et contient la dernière publication : {count} fichiers (flux : {feed}).",
    },
    "studio_yes": {"en": "yes", "fr": "oui"},
    "studio_no": {"en": "no", "fr": "non"},
    "studio_notes_preview": {"en": "Preview the notes", "fr": "Aperçu des notes"},
    "studio_notes_preview_help": {
        "en": "As the episode page will show them (nothing is saved yet).",
        "fr": "Telles que la page de l'épisode les montrera (rien n'est encore enregistré).",
    },
    "studio_back_episode": {"en": "Back to the episode", "fr": "Retour à l'épisode"},
    "studio_preview_site": {"en": "Preview the site", "fr": "Voir le site"},
    "studio_publish": {"en": "Publish", "fr": "Publier"},
    "studio_report": {"en": "Loudness report", "fr": "Rapport de sonie"},
    "studio_report_help": {
        "en": "As 'portevoix build --report' prints it: each episode's loudness before and after processing, and what to look at.",
        "fr": "Comme l'affiche 'portevoix build --report' : la sonie de chaque épisode avant et après traitement, et ce qu'il faut vérifier.",
    },
    "studio_warnings": {"en": "Warnings", "fr": "Avertissements"},
    "studio_warning": {"en": "Warning:", "fr": "Attention :"},
    "studio_no_warning": {"en": "No warning.", "fr": "Aucun avertissement."},
    "studio_loudness_picture": {"en": "Loudness of {slug} over time, before and after", "fr": "Sonie de {slug} au fil du temps, avant et après"},
    "studio_publish_running_elsewhere": {"en": "A publish is running: build when it has finished.", "fr": "Une publication est en cours : construisez quand elle sera finie."},
    "studio_publish_help": {
        "en": "The plan comes first: what goes where, nothing sent. Publishing sends media, then pages, then the feed, last; it goes on if you close this page.",
        "fr": "Le plan d'abord : ce qui part où, sans rien envoyer. La publication envoie les médias, puis les pages, puis le flux en dernier ; elle continue si vous fermez cette page.",
    },
    "studio_publish_progress": {"en": "The last publish", "fr": "La dernière publication"},
    "studio_publish_running": {"en": "Publishing… this page follows it.", "fr": "Publication en cours… cette page la suit."},
    "studio_publish_ok": {"en": "Published, and the live site checked: the feed and every file answer.", "fr": "Publié, et le site en ligne vérifié : le flux et chaque fichier répondent."},
    "studio_publish_check_failed": {
        "en": "Published, but the check of the live site found problems (below): the site may not be served at its address yet.",
        "fr": "Publié, mais la vérification du site en ligne a trouvé des problèmes (ci-dessous) : le site n'est peut-être pas encore servi à son adresse.",
    },
    "studio_publish_failed": {
        "en": "The publish stopped: the previous version is still online. Read the lines below, correct, then publish again.",
        "fr": "La publication s'est arrêtée : la version précédente est toujours en ligne. Lisez les lignes ci-dessous, corrigez, puis publiez à nouveau.",
    },
    "studio_publish_check": {"en": "The check of the live site", "fr": "La vérification du site en ligne"},
    "studio_publish_lines": {"en": "What the publish says", "fr": "Ce que dit la publication"},
    "studio_publish_wait_build": {"en": "A build is running: publish when it has finished.", "fr": "Une construction est en cours : publiez quand elle sera finie."},
    "studio_publish_target": {"en": "Where to publish", "fr": "Où publier"},
    "studio_publish_show_plan": {"en": "Show the plan", "fr": "Voir le plan"},
    "studio_publish_cannot": {"en": "Nothing can be published yet:", "fr": "Rien ne peut encore être publié :"},
    "studio_publish_plan": {"en": "The plan for {where}", "fr": "Le plan pour {where}"},
    "studio_publish_plan_caption": {
        "en": "Sent in this order: media, pages, then the feed. Nothing is sent until you confirm.",
        "fr": "Envoyés dans cet ordre : médias, pages, puis le flux. Rien n'est envoyé avant votre confirmation.",
    },
    "studio_publish_group": {"en": "Files", "fr": "Fichiers"},
    "studio_publish_to_send": {"en": "To send", "fr": "À envoyer"},
    "studio_publish_bytes": {"en": "Size to send", "fr": "Taille à envoyer"},
    "studio_publish_unchanged": {"en": "Already there", "fr": "Déjà en place"},
    "studio_publish_total": {"en": "In all", "fr": "En tout"},
    "studio_group_media": {"en": "Media (audio, images, chapters, transcripts)", "fr": "Médias (audio, images, chapitres, transcriptions)"},
    "studio_group_pages": {"en": "Pages", "fr": "Pages"},
    "studio_group_feed": {"en": "Feed", "fr": "Flux"},
    "studio_publish_files": {"en": "The {count} files to send", "fr": "Les {count} fichiers à envoyer"},
    "studio_publish_new": {"en": "new", "fr": "nouveau"},
    "studio_publish_changed": {"en": "changed", "fr": "modifié"},
    "studio_publish_retained": {
        "en": "{count} media files are kept there: the published feed still points to them.",
        "fr": "{count} fichiers médias y restent : le flux publié les annonce encore.",
    },
    "studio_publish_removed": {"en": "{count} files no longer in the site will be removed there.", "fr": "{count} fichiers qui ne sont plus dans le site y seront retirés."},
    "studio_more_settings": {
        "en": "More settings: audio, jingles, feed, pages, transcription…",
        "fr": "Autres réglages : audio, jingles, flux, pages, transcription…",
    },
    "studio_publish_nothing": {
        "en": "{where} already holds this site: nothing to send. Change an episode and build again first.",
        "fr": "{where} contient déjà ce site : rien à envoyer. Modifiez d'abord un épisode et reconstruisez.",
    },
    "studio_publish_confirm": {"en": "Publish to {where} now", "fr": "Publier sur {where} maintenant"},
})


FIELD_LABELS: dict[str, dict[str, str]] = {
    # The studio's names of podcast.yaml and episode.md fields, by key (a key means the same wherever it is).
    "title": {"en": "Title", "fr": "Titre"},
    "description": {"en": "Description", "fr": "Description"},
    "author": {"en": "Author", "fr": "Auteur"},
    "owner": {"en": "Owner", "fr": "Propriétaire"},
    "name": {"en": "Name", "fr": "Nom"},
    "email": {"en": "E-mail", "fr": "E-mail"},
    "language": {"en": "Language", "fr": "Langue"},
    "base_url": {"en": "Public address of the site", "fr": "Adresse publique du site"},
    "categories": {"en": "Categories", "fr": "Catégories"},
    "explicit": {"en": "Explicit content", "fr": "Contenu explicite"},
    "cover": {"en": "Cover image", "fr": "Image de couverture"},
    "license": {"en": "Licence", "fr": "Licence"},
    "timezone": {"en": "Timezone", "fr": "Fuseau horaire"},
    "audio_preset": {"en": "Loudness preset", "fr": "Réglage de sonie"},
    "audio_leveler": {"en": "Speech leveler", "fr": "Nivellement de la parole"},
    "audio_denoise": {"en": "Noise reduction", "fr": "Réduction du bruit"},
    "audio_declip": {"en": "Repair clipping", "fr": "Réparer la saturation"},
    "intro": {"en": "Opening jingle", "fr": "Jingle d'ouverture"},
    "outro": {"en": "Closing jingle", "fr": "Jingle de fin"},
    "type": {"en": "Order of the episodes", "fr": "Ordre des épisodes"},
    "episodes_per_page": {"en": "Episodes per page", "fr": "Épisodes par page"},
    "guid": {"en": "Permanent identifier (guid)", "fr": "Identifiant permanent (guid)"},
    "new_feed_url": {"en": "New feed address", "fr": "Nouvelle adresse du flux"},
    "locked": {"en": "Locked against imports", "fr": "Verrouillé contre l'import"},
    "medium": {"en": "Kind of content", "fr": "Type de contenu"},
    "license_url": {"en": "Address of the licence", "fr": "Adresse de la licence"},
    "hosts": {"en": "Hosts", "fr": "Animateurs et animatrices"},
    "role": {"en": "Role", "fr": "Rôle"},
    "group": {"en": "Group", "fr": "Groupe"},
    "url": {"en": "Web address", "fr": "Adresse web"},
    "img": {"en": "Address of a picture", "fr": "Adresse d'une photo"},
    "funding": {"en": "Support links", "fr": "Liens de soutien"},
    "text": {"en": "Text", "fr": "Texte"},
    "location": {"en": "Location", "fr": "Lieu"},
    "geo": {"en": "Coordinates", "fr": "Coordonnées"},
    "osm": {"en": "OpenStreetMap identifier", "fr": "Identifiant OpenStreetMap"},
    "country": {"en": "Country", "fr": "Pays"},
    "feed_limit": {"en": "Episodes in the feed", "fr": "Épisodes dans le flux"},
    "formats": {"en": "Audio formats", "fr": "Formats audio"},
    "apple_verify": {"en": "Apple verification code", "fr": "Code de vérification Apple"},
    "fediverse": {"en": "Fediverse account", "fr": "Compte sur le fédivers"},
    "podroll": {"en": "Recommended podcasts", "fr": "Podcasts recommandés"},
    "feed_url": {"en": "Feed address", "fr": "Adresse du flux"},
    "update_frequency": {"en": "Publishing rhythm", "fr": "Rythme de publication"},
    "rrule": {"en": "Rule (iCalendar)", "fr": "Règle (iCalendar)"},
    "complete": {"en": "Series complete", "fr": "Série terminée"},
    "cover_alt": {"en": "What the cover shows", "fr": "Ce que montre la couverture"},
    "transcription": {"en": "Automatic transcription", "fr": "Transcription automatique"},
    "model": {"en": "Model", "fr": "Modèle"},
    "auto": {"en": "Automatic", "fr": "Automatique"},
    "device": {"en": "Processor", "fr": "Processeur"},
    "publish": {"en": "Publish targets", "fr": "Cibles de publication"},
    "date": {"en": "Date", "fr": "Date"},
    "recording": {"en": "Recording", "fr": "Enregistrement"},
    "summary": {"en": "Summary", "fr": "Résumé"},
    "venue": {"en": "Venue", "fr": "Lieu"},
    "address": {"en": "Postal address", "fr": "Adresse postale"},
    "speakers": {"en": "Speakers", "fr": "Intervenants"},
    "chapters": {"en": "Chapters", "fr": "Chapitres"},
    "start": {"en": "Start", "fr": "Début"},
    "speaker": {"en": "Speaker", "fr": "Intervenant"},
    "soundbites": {"en": "Soundbites", "fr": "Extraits"},
    "duration": {"en": "Duration (seconds)", "fr": "Durée (secondes)"},
    "season": {"en": "Season", "fr": "Saison"},
    "episode": {"en": "Episode number", "fr": "Numéro d'épisode"},
    "episode_type": {"en": "Kind of episode", "fr": "Type d'épisode"},
    "transcript": {"en": "Transcript file", "fr": "Fichier de transcription"},
    "transcript_status": {"en": "Transcript status", "fr": "État de la transcription"},
    "turns": {"en": "Speaker turns", "fr": "Tours de parole"},
    "cuts": {"en": "Cuts", "fr": "Coupes"},
    "end": {"en": "End", "fr": "Fin"},
    "discussion": {"en": "Discussion address", "fr": "Adresse de la discussion"},
}


def field_label(key: str) -> str:
    """What the studio calls the field `key` (its YAML key itself when it has no name yet)."""
    texts = FIELD_LABELS.get(key)
    return texts.get(language(), texts["en"]) if texts else key


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


# The command line's help, and argparse's own words, in French (English is the source text).
HELP_FR: dict[str, str] = {
    'Publish recorded debates as a podcast and web pages.': 'Publier des débats enregistrés en podcast et en pages web.',
    'do every step even when nothing changed since the last build': 'faire chaque étape même si rien n’a changé depuis la dernière construction',
    'recordings processed at once (default: one per core, as memory allows)': 'enregistrements traités à la fois (par défaut : un par cœur, selon la mémoire)',
    'podcast folder (default: current folder)': 'dossier du podcast (par défaut : le dossier courant)',
    'say what is being done': 'dire ce qui est fait',
    'show tracebacks and debug messages': "montrer les traces d'erreur et les messages de débogage",
    'create a new podcast folder: podcast.yaml, a cover, episodes/': 'créer un nouveau dossier de podcast : podcast.yaml, une couverture, episodes/',
    'the folder to create (default: the current folder)': 'le dossier à créer (par défaut : le dossier courant)',
    'ask nothing: take the answers from the flags below': 'ne rien demander : prendre les réponses des options ci-dessous',
    'title of the podcast': 'titre du podcast',
    'name of the collective that makes it': 'nom du collectif qui le fait',
    "owner's e-mail address (directories use it to verify ownership)": "e-mail du propriétaire (les annuaires s'en servent pour vérifier qu'il est à vous)",
    'public https address where the site will be published': 'adresse publique https où le site sera publié',
    'language of the episodes, e.g. fr (default: yours)': 'langue des épisodes, par exemple fr (par défaut : la vôtre)',
    'Apple Podcasts category (default: Society & Culture)': 'catégorie Apple Podcasts (par défaut : Society & Culture)',
    "the collective's square cover image (default: one made from the title)": "l'image de couverture carrée du collectif (par défaut : une faite à partir du titre)",
    'create an episode folder from a recording': "créer le dossier d'un épisode à partir d'un enregistrement",
    'title of the episode': "titre de l'épisode",
    'the recording (copied, never modified)': "l'enregistrement (copié, jamais modifié)",
    'date of the recording, YYYY-MM-DD (default: today)': "date de l'enregistrement, AAAA-MM-JJ (par défaut : aujourd'hui)",
    'validate podcast.yaml and every episode': 'vérifier podcast.yaml et chaque épisode',
    'build site/: audio, feed and pages': 'construire site/ : audio, flux et pages',
    'output folder (default: site/ in the podcast folder)': 'dossier de sortie (par défaut : site/ dans le dossier du podcast)',
    "publish even though an episode's audio address changes (renamed episode, moved site)": "publier même si l'adresse audio d'un épisode change (épisode renommé, site déplacé)",
    "print each episode's loudness before and after processing": 'afficher la sonie de chaque épisode avant et après traitement',
    'preview site/ on this computer (with seeking)': "prévisualiser site/ sur cet ordinateur (avec déplacement dans l'audio)",
    'send site/ to a target of podcast.yaml: media, then pages, then the feed': 'envoyer site/ vers une cible de podcast.yaml : médias, puis pages, puis le flux',
    'name of the target in podcast.yaml (needed when there are several)': 'nom de la cible dans podcast.yaml (nécessaire quand il y en a plusieurs)',
    'print what would be sent where, change nothing': 'afficher ce qui serait envoyé où, sans rien changer',
    'go back to the previous release (local and ssh targets)': 'revenir à la version précédente (cibles local et ssh)',
    'only check the live site, publish nothing': 'seulement vérifier le site en ligne, ne rien publier',
    'after publishing, fetch the feed and HEAD every enclosure': 'après la publication, lire le flux et interroger chaque fichier audio (HEAD)',
    'address to listen on (default: 127.0.0.1)': "adresse d'écoute (par défaut : 127.0.0.1)",
    'port to listen on (default: 8000)': "port d'écoute (par défaut : 8000)",
    'show the version and exit': 'afficher la version et quitter',
    'open the studio: the podcast folder in the browser, on this computer only': "ouvrir le studio : le dossier du podcast dans le navigateur, sur cet ordinateur seulement",
    'port to listen on (default: a free one)': "port d'écoute (par défaut : un port libre)",
    'print the address, do not open the browser': "afficher l'adresse sans ouvrir le navigateur",
    'write a draft transcript of episodes by speech recognition, on this computer': 'écrire un brouillon de transcription des épisodes par reconnaissance de la parole, sur cet ordinateur',
    'episodes to transcribe (default: all that have no transcript)': "épisodes à transcrire (par défaut : tous ceux qui n'ont pas de transcription)",
    'make a draft again (never replaces a transcript people wrote or reviewed)': 'refaire le brouillon (ne remplace jamais une transcription écrite ou relue par des personnes)',
    'create episode folders from an existing podcast feed (GUIDs kept)': "créer les dossiers des épisodes à partir du flux d'un podcast existant (GUID gardés)",
    'the feed: an https address or a file on this computer': 'le flux : une adresse https ou un fichier de cet ordinateur',
    "folder holding the episodes' audio files already (matched by file name or GUID)": 'dossier qui contient déjà les fichiers audio des épisodes (reconnus par nom de fichier ou GUID)',
    "the owner's e-mail, needed to import a locked feed (podcast:locked)": "l'e-mail du propriétaire, nécessaire pour importer un flux verrouillé (podcast:locked)",
    "the https address where portevoix will publish (default: the old site's address)": "l'adresse https où portevoix publiera (par défaut : celle de l'ancien site)",
    "count downloads from the web server's access logs (nothing personal kept); private report in stats/": "compter les téléchargements dans les journaux d'accès du serveur web (rien de personnel n'est gardé) ; rapport privé dans stats/",
    'access logs: nginx or Apache combined, plain or .gz, rotated sets; S3 access logs (a folder of them)': "journaux d'accès : nginx ou Apache (combined), en clair ou .gz, avec leurs rotations ; journaux d'accès S3 (un dossier)",
    'also write one row per date,episode,app,downloads': 'écrire aussi une ligne par date,épisode,application,téléchargements',
    'report from this day on, YYYY-MM-DD': 'rapport à partir de ce jour, AAAA-MM-JJ',
    'report this episode only (its folder name)': 'rapport sur cet épisode seulement (le nom de son dossier)',
    'folder of the report and its state (default: stats/ in the podcast folder)': 'dossier du rapport et de son état (par défaut : stats/ dans le dossier du podcast)',
    'download the newest OPAWG list of podcast apps and bots first': "télécharger d'abord la liste OPAWG la plus récente des applications et des robots",
}
ARGPARSE_FR: dict[str, str] = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "the following arguments are required: %s": "ces arguments sont obligatoires : %s",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (choisissez parmi %(choices)s)",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s) : %(value)r",
    "expected one argument": "une valeur est attendue",
    "expected at most one argument": "une valeur au plus est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "not allowed with argument %s": "impossible avec l'argument %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
}


def words(text: str) -> str:
    """A help text of the command line in the user's language."""
    return HELP_FR.get(text, text) if language() == "fr" else text

