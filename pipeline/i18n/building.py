"""The words of check and build: their own lines, what check warns about, what the analysis of a recording
found, faults while writing the site, the podcast's identity, missing tools."""

from __future__ import annotations

BUILDING: dict[str, dict[str, str]] = {
    # What check and build print (pipeline/cli.py, pipeline/build.py).
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
    # What check warns about (pipeline/source/unfinished.py).
    "warning": {"en": "warning: {problem}", "fr": "attention : {problem}"},
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
    "audio_published_off": {
        "en": "the published {format} file measures {lufs} LUFS and {peak} dBTP after {tries} tries, off the target "
        "({target} LUFS, ceiling {ceiling} dBTP): listen to its loudest passages, and set audio_declip: true if the recording clipped",
        "fr": "le fichier {format} publié mesure {lufs} LUFS et {peak} dBTP après {tries} essais, hors de la cible "
        "({target} LUFS, plafond {ceiling} dBTP) : écoutez ses passages les plus forts, et mettez audio_declip: true si l'enregistrement a saturé",
    },
    "audio_not_analysed": {
        "en": "note: the audio of {count} recording(s) ({first}…) is not analysed yet, or not with the current settings: "
        "'portevoix build' measures it, then check says what it found (clipping, hum, voices left apart)",
        "fr": "note : l'audio de {count} enregistrement(s) ({first}…) n'est pas encore analysé, ou pas avec les réglages "
        "actuels : 'portevoix build' le mesure, puis check dit ce qu'il a trouvé (saturation, ronflement, voix écartées)",
    },
    # Writing the site: the folder's lock (pipeline/build.py), faults of the disk (pipeline/cli.py), the output folder
    # (pipeline/site/writer.py).
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
    # The tools a build needs: ffmpeg, Pagefind.
    "tool_missing": {
        "en": "{name} not found: install ffmpeg, which brings it (Debian, Ubuntu: sudo apt install ffmpeg; Fedora: sudo dnf install ffmpeg-free; macOS: brew install ffmpeg)",
        "fr": "{name} introuvable : installez ffmpeg, qui le fournit (Debian, Ubuntu : sudo apt install ffmpeg ; Fedora : sudo dnf install ffmpeg-free ; macOS : brew install ffmpeg)",
    },
    "pagefind_missing": {
        "en": "the search indexer (Pagefind) is not installed: run 'make venv', or pip install pagefind-bin",
        "fr": "l'indexeur de la recherche (Pagefind) n'est pas installé : lancez 'make venv', ou pip install pagefind-bin",
    },
    "pagefind_failed": {
        "en": "the search index could not be built ({reason}); the previous site is still in place",
        "fr": "l'index de la recherche n'a pas pu être construit ({reason}) ; le site précédent reste en place",
    },
}
