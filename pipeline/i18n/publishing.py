"""The words of publish: `portevoix publish`, its --dry-run plan, --rollback and --check (pipeline/publish/),
what the targets of podcast.yaml are refused for, and what a local folder, an SSH server or an S3 bucket answered."""

from __future__ import annotations

PUBLISHING: dict[str, dict[str, str]] = {
    # What publish prints (pipeline/publish/steps.py, plan.py; pipeline/cli.py).
    "publish_where": {"en": "{where}: {problem}", "fr": "{where} : {problem}"},
    "publish_no_site": {
        "en": "{site}: no site built yet; run 'portevoix build' first",
        "fr": "{site} : aucun site construit pour l'instant ; lancez d'abord 'portevoix build'",
    },
    "publish_dry_run": {
        "en": "dry run: nothing sent, nothing changed",
        "fr": "essai à blanc : rien n'a été envoyé, rien n'a changé",
    },
    "publish_unchanged": {
        "en": "{where} already holds this site: nothing to send",
        "fr": "{where} a déjà ce site : rien à envoyer",
    },
    "publish_done": {
        "en": "published to {where}: {release}, {count} files sent ({size}), {unchanged} unchanged",
        "fr": "publié vers {where} : {release}, {count} fichier(s) envoyé(s) ({size}), {unchanged} inchangé(s)",
    },
    "publish_checked": {
        "en": "checked {url}: {count} enclosures answer with the right length and type, with byte ranges",
        "fr": "{url} vérifié : {count} fichier(s) audio répondent avec la bonne longueur et le bon type, et les plages d'octets",
    },
    "publish_plan_head": {"en": "publish {count} files to {where}", "fr": "publier {count} fichier(s) vers {where}"},
    "publish_plan_group": {
        "en": "  {group}: {count} to send ({size}), {unchanged} unchanged",
        "fr": "  {group} : {count} à envoyer ({size}), {unchanged} inchangé(s)",
    },
    "publish_group_media": {"en": "media", "fr": "médias"},
    "publish_group_pages": {"en": "pages", "fr": "pages"},
    "publish_group_feed": {"en": "feed", "fr": "flux"},
    "publish_file_new": {"en": "new", "fr": "nouveau"},
    "publish_file_changed": {"en": "changed", "fr": "modifié"},
    "publish_plan_keep": {
        "en": "  keep {name}: the published feed still references it",
        "fr": "  garder {name} : le flux publié y renvoie encore",
    },
    "publish_plan_remove": {
        "en": "  remove {name}: no longer in the site",
        "fr": "  retirer {name} : n'est plus dans le site",
    },
    "publish_plan_total": {
        "en": "  total: {count} files, {size} to send; feed last",
        "fr": "  total : {count} fichier(s), {size} à envoyer ; le flux en dernier",
    },
    # The publish: section of podcast.yaml (pipeline/publish/settings.py, targets.py, release.py, local.py, s3.py).
    "publish_no_target": {
        "en": "no target declared; add one (see the README, Publishing)",
        "fr": "aucune cible déclarée ; ajoutez-en une (voir le README, Publishing)",
    },
    "publish_several_targets": {
        "en": "several targets ({names}); choose one with --target NAME",
        "fr": "plusieurs cibles ({names}) ; choisissez-en une avec --target NOM",
    },
    "publish_unknown_target": {
        "en": "no target named {name}{hint}; known: {names}",
        "fr": "aucune cible nommée {name}{hint} ; cibles connues : {names}",
    },
    "publish_targets_mapping": {
        "en": "must be a mapping of target names (e.g. 'vps:') to their settings",
        "fr": "doit associer des noms de cibles (par exemple 'vps:') à leurs réglages",
    },
    "publish_target_name": {
        "en": "a target name is letters, digits, - and _ only",
        "fr": "un nom de cible ne contient que des lettres, des chiffres, - et _",
    },
    "publish_needed": {
        "en": "is missing (a {kind} target needs it)",
        "fr": "manque (une cible {kind} en a besoin)",
    },
    "publish_not_used": {"en": "is not used by a {kind} target", "fr": "ne sert pas à une cible {kind}"},
    "publish_not_http": {"en": "{value} is not an http(s):// address", "fr": "{value} n'est pas une adresse http(s)://"},
    "publish_needs_https": {
        "en": "{value} must use https:// (plain http only for 127.0.0.1)",
        "fr": "{value} doit utiliser https:// (http simple seulement pour 127.0.0.1)",
    },
    "publish_path_absolute": {
        "en": "{path} must be an absolute folder (starting with /)",
        "fr": "{path} doit être un dossier absolu (commençant par /)",
    },
    "publish_path_root": {"en": "cannot be the root folder /", "fr": "ne peut pas être le dossier racine /"},
    "publish_inside_podcast": {
        "en": "{path} is the podcast folder or inside it (its site/ or its cache): publish to a folder outside the podcast folder",
        "fr": "{path} est le dossier du podcast ou se trouve dedans (son site/ ou son cache) : publiez dans un dossier hors du dossier du podcast",
    },
    "publish_s3_prefix": {
        "en": "{prefix} has an empty, '.' or '..' part (write it like podcast/ or media/podcast/)",
        "fr": "{prefix} a une partie vide, '.' ou '..' (écrivez-le comme podcast/ ou media/podcast/)",
    },
    # Locks (pipeline/publish/lock.py, s3.py).
    "publish_busy": {
        "en": "{where}: another publish to this target is running; wait for it to finish",
        "fr": "{where} : une autre publication vers cette cible est en cours ; attendez qu'elle soit finie",
    },
    "publish_busy_s3": {
        "en": "{where}: another publish to this target is running (lock {lock}); wait for it to finish",
        "fr": "{where} : une autre publication vers cette cible est en cours (verrou {lock}) ; attendez qu'elle soit finie",
    },
    "publish_build_running": {
        "en": "{root}: a build is running in this folder; publish when it has finished",
        "fr": "{root} : une construction est en cours dans ce dossier ; publiez quand elle sera finie",
    },
    "publish_lock_no_answer": {
        "en": "{where}: no answer from the target in {seconds} s while taking the publish lock (is it reachable?)",
        "fr": "{where} : pas de réponse de la cible en {seconds} s pour prendre le verrou de publication (est-elle joignable ?)",
    },
    "publish_lock_failed": {
        "en": "could not take the publish lock (status {status})",
        "fr": "impossible de prendre le verrou de publication (code {status})",
    },
    # A local folder or an SSH server (pipeline/publish/release.py, shell.py, local.py, ssh.py; the studio's connection test).
    "publish_local_where": {"en": "{name} (folder {path})", "fr": "{name} (dossier {path})"},
    "publish_not_a_folder": {"en": "{path} is not a folder", "fr": "{path} n'est pas un dossier"},
    "publish_current_not_link": {
        "en": "{path} is a folder, not a link made by portevoix publish: move it away first",
        "fr": "{path} est un dossier, pas un lien fait par portevoix publish : déplacez-le d'abord",
    },
    "publish_damaged": {
        "en": "{where}: {name} arrived damaged (size or checksum differs); publish again to resend it (nothing was switched)",
        "fr": "{where} : {name} est arrivé abîmé (taille ou somme de contrôle différente) ; publiez à nouveau pour le renvoyer (rien n'a été basculé)",
    },
    "publish_release": {"en": "release {release}", "fr": "version {release}"},
    "publish_nothing_to_roll_back": {
        "en": "{where}: nothing published yet, nothing to roll back",
        "fr": "{where} : rien n'a encore été publié, rien à annuler",
    },
    "publish_no_older_release": {
        "en": "{where}: no release older than {current} is kept; cannot roll back",
        "fr": "{where} : aucune version plus ancienne que {current} n'est gardée ; impossible de revenir en arrière",
    },
    "publish_release_incomplete": {
        "en": "{where}: release {release} is incomplete ({count} files missing or changed, e.g. {first}); not rolled back, {current} still serves",
        "fr": "{where} : la version {release} est incomplète ({count} fichier(s) manquant(s) ou modifié(s), par exemple {first}) ; pas de retour en arrière, {current} reste en ligne",
    },
    "publish_its_manifest": {"en": "its manifest", "fr": "son manifeste"},
    "publish_rolled_back": {
        "en": "{where}: rolled back from release {current} to {release}",
        "fr": "{where} : retour en arrière de la version {current} à la version {release}",
    },
    "publish_no_space": {
        "en": "no space left on the target: free some space there, then publish again (nothing was switched)",
        "fr": "plus de place sur la cible : libérez-y de l'espace, puis publiez à nouveau (rien n'a été basculé)",
    },
    "publish_no_rsync": {
        "en": "rsync is missing on the target: install it there (apt install rsync)",
        "fr": "rsync manque sur la cible : installez-le (apt install rsync)",
    },
    "publish_denied": {
        "en": "permission denied on the target: the account cannot write to {path}",
        "fr": "permission refusée sur la cible : le compte ne peut pas écrire dans {path}",
    },
    "publish_no_answer": {"en": "{where}: no answer after {seconds} s", "fr": "{where} : pas de réponse après {seconds} s"},
    "publish_command_failed": {"en": "a command failed (status {status})", "fr": "une commande a échoué (code {status})"},
    "publish_rsync_no_answer": {
        "en": "{where}: rsync got no answer for {seconds} s (nothing was switched)",
        "fr": "{where} : rsync n'a pas eu de réponse pendant {seconds} s (rien n'a été basculé)",
    },
    "publish_rsync_failed": {"en": "rsync failed (status {status})", "fr": "rsync a échoué (code {status})"},
    "publish_ssh_unknown_host": {
        "en": "host {host} not found: check host: in podcast.yaml",
        "fr": "machine {host} introuvable : vérifiez host: dans podcast.yaml",
    },
    "publish_ssh_refused": {
        "en": "cannot connect to {host} port {port}: connection refused (is the SSH server running, is the port right?)",
        "fr": "impossible de se connecter à {host} port {port} : connexion refusée (le serveur SSH tourne-t-il, le port est-il le bon ?)",
    },
    "publish_ssh_unreachable": {
        "en": "{host} port {port} is unreachable (network down, firewall, or wrong address)",
        "fr": "{host} port {port} est injoignable (réseau coupé, pare-feu ou mauvaise adresse)",
    },
    "publish_ssh_key_refused": {
        "en": "the server refused the SSH key for {login}: add your public key to its authorized_keys, load it with ssh-add, or name it with identity_file:",
        "fr": "le serveur a refusé la clé SSH de {login} : ajoutez votre clé publique à son authorized_keys, chargez-la avec ssh-add, ou indiquez-la avec identity_file:",
    },
    "publish_ssh_host_key": {
        "en": "the host key of {host} does not match known_hosts: make sure this is the right server before going on",
        "fr": "la clé de la machine {host} ne correspond pas à known_hosts : assurez-vous que c'est le bon serveur avant de continuer",
    },
    # An S3 bucket (pipeline/publish/s3.py).
    "publish_s3_no_rollback": {
        "en": "--rollback works with local and ssh targets only (S3 has no release folders)",
        "fr": "--rollback ne marche qu'avec les cibles local et ssh (S3 n'a pas de dossiers de versions)",
    },
    "publish_s3_no_credentials": {
        "en": "{where}: no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or profile: in podcast.yaml",
        "fr": "{where} : pas d'identifiants S3 : définissez AWS_ACCESS_KEY_ID et AWS_SECRET_ACCESS_KEY, ou profile: dans podcast.yaml",
    },
    "publish_s3_unreachable": {
        "en": "{where}: cannot reach {endpoint}: check endpoint_url and the network",
        "fr": "{where} : impossible de joindre {endpoint} : vérifiez endpoint_url et le réseau",
    },
    "publish_s3_no_bucket": {
        "en": "{where}: bucket {bucket} does not exist there: check bucket: in podcast.yaml",
        "fr": "{where} : le bucket {bucket} n'y existe pas : vérifiez bucket: dans podcast.yaml",
    },
    "publish_s3_refused": {
        "en": "{where}: access refused ({code}): check the credentials and their rights on bucket {bucket}",
        "fr": "{where} : accès refusé ({code}) : vérifiez les identifiants et leurs droits sur le bucket {bucket}",
    },
    "publish_s3_answered": {
        "en": "{where}: the storage answered {code}: {message}",
        "fr": "{where} : le stockage a répondu {code} : {message}",
    },
    "publish_s3_an_error": {"en": "an error", "fr": "une erreur"},
    "publish_s3_damaged": {
        "en": "{where}: {name} arrived damaged (size or checksum differs); publish again",
        "fr": "{where} : {name} est arrivé abîmé (taille ou somme de contrôle différente) ; publiez à nouveau",
    },
    "publish_s3_in_place": {"en": "objects in place", "fr": "objets en place"},
    "publish_s3_cors_unreadable": {
        "en": "{where}: cannot read the bucket's CORS rules ({code}); {advice}",
        "fr": "{where} : impossible de lire les règles CORS du bucket ({code}) ; {advice}",
    },
    "publish_s3_cors_refused": {
        "en": "{where}: the storage refused the CORS rule ({code}); {advice}",
        "fr": "{where} : le stockage a refusé la règle CORS ({code}) ; {advice}",
    },
    "publish_s3_cors_advice": {
        "en": "browser players on other sites cannot read the chapters and transcripts: allow GET from any origin in the bucket's CORS settings",
        "fr": "les lecteurs des autres sites ne peuvent pas lire les chapitres et les transcriptions : autorisez GET depuis toute origine dans les réglages CORS du bucket",
    },
    # The check of the live site (pipeline/publish/verify.py).
    "publish_check_no_feed": {
        "en": "{url}: cannot fetch the feed ({reason})",
        "fr": "{url} : impossible de récupérer le flux ({reason})",
    },
    "publish_check_bad_xml": {"en": "{url}: not valid XML ({error})", "fr": "{url} : XML non valide ({error})"},
    "publish_check_outside": {
        "en": "{url}: not under {base}: not fetched (the feed should only point into the site)",
        "fr": "{url} : pas sous {base} : non récupéré (le flux ne doit pointer que dans le site)",
    },
    "publish_check_empty_address": {"en": "(empty address)", "fr": "(adresse vide)"},
    "publish_check_status": {"en": "{url}: answers {status}, not 200", "fr": "{url} : répond {status}, pas 200"},
    "publish_check_unreachable": {"en": "{url}: unreachable ({reason})", "fr": "{url} : injoignable ({reason})"},
    "publish_check_length": {
        "en": "{url}: length {length}, the feed announces {announced}",
        "fr": "{url} : longueur {length}, le flux annonce {announced}",
    },
    "publish_check_type": {
        "en": "{url}: content type {served}, the feed announces {announced}",
        "fr": "{url} : type de contenu {served}, le flux annonce {announced}",
    },
    "publish_check_type_missing": {"en": "missing", "fr": "absent"},
    "publish_check_an_image": {"en": "an image", "fr": "une image"},
    "publish_check_no_cors": {
        "en": "{url}: no 'Access-Control-Allow-Origin' header: browser players on other sites cannot read it (see the README's web server lines)",
        "fr": "{url} : pas d'en-tête 'Access-Control-Allow-Origin' : les lecteurs des autres sites ne peuvent pas le lire (voir les lignes du README pour le serveur web)",
    },
    "publish_check_no_ranges": {
        "en": "{url}: no 'Accept-Ranges: bytes' (Apple Podcasts needs byte ranges for seeking)",
        "fr": "{url} : pas de 'Accept-Ranges: bytes' (Apple Podcasts a besoin des plages d'octets pour se déplacer dans l'écoute)",
    },
    "publish_check_redirected": {
        "en": "redirected to {url}, outside the site: not followed",
        "fr": "redirigé vers {url}, hors du site : non suivi",
    },
}
