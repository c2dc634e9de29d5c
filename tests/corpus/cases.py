"""The corpus: each kind of broken (or merely unusual) podcast folder, and exactly what portevoix says.

A case is a small description: which files of the good podcast change (see
folders.py), and the lines `portevoix check` must print on stderr, in order.
An empty `lines` means the folder must be accepted (emoji, right-to-left text,
CMYK covers: these work). `<folder>` stands for the podcast folder's path.
CORPUS.md is generated from this list (python tests/corpus/table.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus.folders import CONFIG, EPISODE, EPISODE_DIR, GUID, RECORDING, Made, front

E = EPISODE


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    """What is wrong, as a user would describe it."""
    files: dict[str, object]
    lines: list[str]
    """What portevoix check prints on stderr, in order (empty: the folder is fine)."""
    needs_non_root: bool = False
    """File permissions mean nothing to root: such a case is run as an unprivileged user."""


SECOND = "episodes/2024-03-21-suite"
BOMB = '''\
---
a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
title: *g
date: 2024-03-20T18:30:00+01:00
recording: enregistrement.wav
guid: {GUID}
---
'''.replace("{GUID}", GUID)

CASES: list[Case] = [
    # --- YAML that cannot be read
    Case("yaml-unclosed-quote", "a quote left open in the episode's fields",
         {E: front(title='"Débat à la Bourse du travail')}, [
             "episodes/2024-03-20-debat/episode.md: line 2: YAML syntax error: while scanning a quoted scalar starting on this line, found unexpected end of stream on line 5",
         ]),
    Case("yaml-tab-indent", "podcast.yaml indented with a tab",
         {"podcast.yaml": CONFIG + "owner:\n\tname: Collectif\n"}, [
             "podcast.yaml: line 7: YAML syntax error: found character '\\t' that cannot start any token",
         ]),
    Case("yaml-duplicate-key", "the same key written twice",
         {E: front(title='"Premier titre"', summary='"Un résumé."').replace("summary:", "title:")}, [
             "episodes/2024-03-20-debat/episode.md: line 6: YAML syntax error: the key 'title' appears twice (first on line 2)",
         ]),
    Case("no-front-matter", "episode.md without the '---' lines",
         {E: "title: Débat\n\nDes notes.\n"}, [
             "episodes/2024-03-20-debat/episode.md: line 1: the file must start with a line '---', then the episode's fields, then '---'",
         ]),
    Case("front-matter-not-closed", "the fields are never closed by '---'",
         {E: front().replace("---\nDes notes.", "Des notes.")}, [
             "episodes/2024-03-20-debat/episode.md: the fields are not closed by a line '---' before the show notes",
         ]),
    Case("config-is-a-list", "podcast.yaml is a list, not 'key: value' lines",
         {"podcast.yaml": "- title: Débats\n- author: Collectif\n"}, [
             "podcast.yaml: must be a mapping of 'key: value' lines",
         ]),
    Case("config-missing", "no podcast.yaml at all (not a podcast folder)",
         {"podcast.yaml": None}, [
             "podcast.yaml: not found in <folder> (is this a podcast folder? use -C to name one)",
         ]),
    Case("yaml-alias-bomb", "a YAML 'billion laughs' bomb in the title",
         {E: BOMB}, [
             "episodes/2024-03-20-debat/episode.md: a: unknown key",
             "episodes/2024-03-20-debat/episode.md: b: unknown key",
             "episodes/2024-03-20-debat/episode.md: c: unknown key",
             "episodes/2024-03-20-debat/episode.md: d: unknown key",
             "episodes/2024-03-20-debat/episode.md: e: unknown key",
             "episodes/2024-03-20-debat/episode.md: f: unknown key",
             "episodes/2024-03-20-debat/episode.md: g: unknown key",
             "episodes/2024-03-20-debat/episode.md: title: \"[[[[[[[...], [...], [...], [...], [...], [...], ...], [[...…\" is not text (write it between quotes)",
         ]),
    Case("yaml-unhashable-key", "a list used as a key",
         {E: front().replace("title:", "[a, b]: 1\ntitle:")}, [
             "episodes/2024-03-20-debat/episode.md: line 2: YAML syntax error: a key must be a word, not a list or a mapping",
         ]),
    Case("yaml-merge-key", "a YAML merge key (<<:) in the episode's fields",
         {E: front().replace("title:", "base: &d {explicit: false}\n<<: *d\ntitle:")}, [
             "episodes/2024-03-20-debat/episode.md: line 3: YAML syntax error: merge keys (<<:) are not read here: write the fields out",
         ]),
    Case("yaml-huge-integer", "a season written with 5000 digits",
         {E: front(season="9" * 5000)}, [
             "episodes/2024-03-20-debat/episode.md: line 6: YAML syntax error: a number of more than 30 digits (write it between quotes if it is text)",
         ]),
    Case("episode-too-large", "an episode.md of 2 MB (a document saved under that name)",
         {E: front(notes="Des notes très longues.\n" * 90_000)}, [
             "episodes/2024-03-20-debat/episode.md: is larger than 1 MB: this is not a file portevoix reads (was a recording or a document saved under this name?)",
         ]),
    Case("config-too-large", "a podcast.yaml of 2 MB",
         {"podcast.yaml": CONFIG + "# " + "x" * 2_000_000 + "\n"}, [
             "podcast.yaml: is larger than 1 MB: this is not a file portevoix reads (was a recording or a document saved under this name?)",
         ]),
    Case("published-conflict", "published.json left in conflict by a git merge",
         {"published.json": '{"episodes": {\n<<<<<<< HEAD\n  "a": {"slugs": ["x"], "enclosures": []}\n=======\n  "a": {"slugs": ["y"], "enclosures": []}\n>>>>>>> autre\n}}\n'}, [
             "published.json: holds git conflict markers (<<<<<<<, =======, >>>>>>>): resolve the conflict, keeping the slugs and enclosures of both sides, then run the command again",
         ]),
    Case("published-invalid-json", "published.json cut short",
         {"published.json": '{"episodes": {"a": {"slugs": ["x"]'}, [
             "published.json: line 1: is not valid JSON (Expecting ',' delimiter): fix it, or take it back from git",
         ]),
    Case("published-slug-dot-dot", "an old slug '..' in published.json (it would overwrite the home page)",
         {"published.json": '{"episodes": {"%s": {"slugs": ["..", "2024-03-20-debat"], "enclosures": []}}}\n' % GUID}, [
             f'published.json: episodes.{GUID}.slugs: ".." is not an episode address (lowercase letters, digits and -): fix it, or take the file back from git',
         ]),
    # --- fields missing, mistyped or misspelt
    Case("missing-title", "an episode without a title",
         {E: front(title=None)}, [
             "episodes/2024-03-20-debat/episode.md: title: is missing (title of the episode)",
         ]),
    Case("missing-config-fields", "podcast.yaml without author and owner",
         {"podcast.yaml": CONFIG.replace('author: "Collectif"\n', "").replace('owner: {name: "Collectif", email: "contact@example.org"}\n', "")}, [
             "podcast.yaml: author: is missing (who makes it: the collective's name)",
             "podcast.yaml: owner: is missing (owner name and e-mail (name:, email:))",
         ]),
    Case("mistyped-fields", "a season in words, explicit as 'maybe', a list as the title",
         {E: front(season='"un"', explicit="peut-être", title="[Débat, Bourse]")}, [
             "episodes/2024-03-20-debat/episode.md: title: \"['Débat', 'Bourse']\" is not text (write it between quotes)",
             "episodes/2024-03-20-debat/episode.md: season: \"un\" is not a whole number",
             "episodes/2024-03-20-debat/episode.md: explicit: \"peut-être\" is not true or false",
         ]),
    Case("misspelt-key", "'titel' instead of 'title'",
         {E: front().replace("title:", "titel:")}, [
             "episodes/2024-03-20-debat/episode.md: titel: unknown key (did you mean title?)",
             "episodes/2024-03-20-debat/episode.md: title: is missing (title of the episode)",
         ]),
    Case("misspelt-config-key", "'languge' in podcast.yaml",
         {"podcast.yaml": CONFIG + "languge: fr\n"}, [
             "podcast.yaml: languge: unknown key (did you mean language?)",
         ]),
    Case("http-base-url", "a base_url that is not https",
         {"podcast.yaml": CONFIG.replace("https://debats", "http://debats")}, [
             "podcast.yaml: base_url: \"http://debats.example.org/\" is not an https:// address",
         ]),
    Case("bad-email-and-timezone", "an owner e-mail without @ and an unknown timezone",
         {"podcast.yaml": CONFIG.replace("contact@example.org", "contact.example.org") + "timezone: Europe/Lyon\n"}, [
             "podcast.yaml: owner.email: \"contact.example.org\" is not an e-mail address",
             "podcast.yaml: timezone: \"Europe/Lyon\" is not a timezone (write e.g. Europe/Paris)",
         ]),
    # --- dates
    Case("impossible-date", "the 30th of February",
         {E: front(date="2024-02-30")}, [
             "episodes/2024-03-20-debat/episode.md: date: \"2024-02-30\" is not a real date",
         ]),
    Case("impossible-datetime", "month 13, with a time",
         {E: front(date="2024-13-01T18:30:00+01:00")}, [
             "episodes/2024-03-20-debat/episode.md: date: \"2024-13-01T18:30:00+01:00\" is not a real date",
         ]),
    Case("date-without-timezone", "a date and time without its offset",
         {E: front(date="2024-03-20T18:30:00")}, [
             "episodes/2024-03-20-debat/episode.md: date: \"2024-03-20T18:30:00\" has no timezone (write it with its offset, e.g. 2024-03-20T18:30:00+01:00)",
         ]),
    Case("date-french-order", "a date written 20/03/2024",
         {E: front(date='"20/03/2024"')}, [
             "episodes/2024-03-20-debat/episode.md: date: \"20/03/2024\" is not a date (write 2024-03-20 or 2024-03-20T18:30:00+01:00)",
         ]),
    # --- several episodes
    Case("duplicate-slugs", "two folders that give the same web address",
         {"episodes/2024-03-20-Débat/episode.md": front(guid="0b8e2a4c-aaaa-4000-8000-000000000002"),
          "episodes/2024-03-20-Débat/enregistrement.wav": Made("material", "tone.wav")}, [
             "episodes/2024-03-20-debat/episode.md: the folder gives the same address \"2024-03-20-debat\" as episodes/2024-03-20-Débat/",
         ]),
    Case("duplicate-guids", "a second episode with the first one's GUID",
         {f"{SECOND}/episode.md": front(title='"La suite"'),
          f"{SECOND}/enregistrement.wav": Made("material", "tone.wav")}, [
             "episodes/2024-03-21-suite/episode.md: guid: is the same as in episodes/2024-03-20-debat/episode.md: each episode needs its own (run 'portevoix new')",
         ]),
    Case("empty-slug", "an episode folder named only with punctuation",
         {"episodes/!!!/episode.md": front(guid="0b8e2a4c-aaaa-4000-8000-000000000003")}, [
             "episodes/!!!/episode.md: the folder name gives an empty address: rename the folder with letters or digits",
         ]),
    Case("folder-without-episode", "an episode folder without episode.md",
         {f"{SECOND}/enregistrement.wav": Made("material", "tone.wav")}, [
             "episodes/2024-03-21-suite: has no episode.md (create one with 'portevoix new')",
         ]),
    Case("every-problem-at-once", "three broken episodes: all their problems in one run",
         {E: front(date='"hier"'),
          f"{SECOND}/episode.md": front(title=None, guid="0b8e2a4c-aaaa-4000-8000-000000000004", recording="absent.wav"),
          "episodes/2024-03-22-fin/episode.md": front(guid="0b8e2a4c-aaaa-4000-8000-000000000005", season="0"),
          "episodes/2024-03-22-fin/enregistrement.wav": Made("material", "tone.wav")}, [
             "episodes/2024-03-20-debat/episode.md: date: \"hier\" is not a date (write 2024-03-20 or 2024-03-20T18:30:00+01:00)",
             "episodes/2024-03-21-suite/episode.md: title: is missing (title of the episode)",
             "episodes/2024-03-21-suite/episode.md: recording: \"absent.wav\" not found in episodes/2024-03-21-suite/",
             "episodes/2024-03-22-fin/episode.md: season: 0 is less than 1",
         ]),
    # --- chapters and speakers
    Case("chapters-out-of-order", "a chapter that starts before the previous one",
         {E: front(chapters='\n  - {start: "00:00:04", title: Deux}\n  - {start: "00:00:02", title: Un}')}, [
             "episodes/2024-03-20-debat/episode.md: chapters[2].start: is not after the previous chapter's start",
         ]),
    Case("chapter-past-the-end", "a chapter after the end of the recording",
         {E: front(chapters='\n  - {start: "00:00:00", title: Début}\n  - {start: "00:12:30", title: Fin}')}, [
             "episodes/2024-03-20-debat/episode.md: chapters[2].start: starts at 00:12:30, after the end of the recording (00:00:06)",
         ]),
    Case("chapter-bad-time", "a chapter time written 12h30",
         {E: front(chapters='\n  - {start: "12h30", title: Début}')}, [
             "episodes/2024-03-20-debat/episode.md: chapters[1].start: \"12h30\" is not a time in the recording (write 00:12:30)",
         ]),
    Case("speaker-without-name", "a speaker with a role but no name",
         {E: front(speakers="\n  - {name: Claire Vernay, role: host}\n  - {role: guest}")}, [
             "episodes/2024-03-20-debat/episode.md: speakers[2].name: is missing (name of the speaker)",
         ]),
    Case("speaker-javascript-url", "a speaker link that is a javascript: URL, and an unknown role",
         {E: front(speakers='\n  - {name: Claire, role: hostess, url: "javascript:alert(1)"}')}, [
             "episodes/2024-03-20-debat/episode.md: speakers[1].role: \"hostess\" is not one of host, co-host, guest, moderator, speaker, panelist, audience, producer, editor, sound engineer (did you mean host?)",
             "episodes/2024-03-20-debat/episode.md: speakers[1].url: \"javascript:alert(1)\" is not an https:// address",
         ]),
    Case("config-unreadable", "a podcast.yaml nobody may read (permissions)",
         {"podcast.yaml": Made("unreadable")}, [
             "podcast.yaml: cannot be read (permission denied): check the file's permissions",
         ], needs_non_root=True),
    Case("episode-unreadable", "an episode.md nobody may read (permissions)",
         {E: Made("unreadable")}, [
             "episodes/2024-03-20-debat/episode.md: cannot be read (permission denied): check the file's permissions",
         ], needs_non_root=True),
    # --- recordings
    Case("recording-missing", "the recording named in episode.md is not there",
         {RECORDING: None}, [
             "episodes/2024-03-20-debat/episode.md: recording: \"enregistrement.wav\" not found in episodes/2024-03-20-debat/",
         ]),
    Case("recording-unreadable", "a recording nobody may read (permissions)",
         {RECORDING: Made("unreadable")}, [
             "episodes/2024-03-20-debat/episode.md: recording: \"enregistrement.wav\": cannot be read (permission denied): check the file's permissions",
         ], needs_non_root=True),
    Case("recording-empty", "a zero-length recording (copy interrupted at once)",
         {RECORDING: b""}, [
             "episodes/2024-03-20-debat/episode.md: recording: \"enregistrement.wav\": the file is empty (0 bytes): copy the recording again",
         ]),
    Case("recording-corrupt", "a recording full of random bytes",
         {RECORDING: Made("material", "random.bin")}, [
             "episodes/2024-03-20-debat/episode.md: recording: \"enregistrement.wav\": is not an audio file ffmpeg can read (corrupt, or not a recording)",
         ]),
    Case("recording-truncated-mp3", "an MP3 whose copy stopped halfway",
         {f"{EPISODE_DIR}/enregistrement.mp3": Made("material", "truncated.mp3"), E: front(recording="enregistrement.mp3")}, [
             "episodes/2024-03-20-debat/episode.md: recording: \"enregistrement.mp3\": is cut short: it should last 0:06 but the sound stops at 0:03 (copy it again from the recorder)",
         ]),
    Case("recording-truncated-wav", "a WAV whose copy stopped halfway",
         {RECORDING: Made("material", "truncated.wav")}, [
             "episodes/2024-03-20-debat/episode.md: recording: \"enregistrement.wav\": is cut short: it should last 0:06 but the sound stops at 0:03 (copy it again from the recorder)",
         ]),
    Case("recording-silent", "a recording with no sound (microphone unplugged)",
         {RECORDING: Made("material", "silent.wav")}, [
             "episodes/2024-03-20-debat/episode.md: recording: \"enregistrement.wav\": no sound found: the recording is silent (check the microphone input)",
         ]),
    Case("recording-text-as-mp3", "a text file renamed .mp3",
         {f"{EPISODE_DIR}/enregistrement.mp3": "Compte rendu de la réunion\n", E: front(recording="enregistrement.mp3")}, [
             "episodes/2024-03-20-debat/episode.md: recording: \"enregistrement.mp3\": is a text file, not a recording (was a file renamed?)",
         ]),
    Case("recording-hls-as-mp3", "an HLS playlist named .mp3 that points to a recording elsewhere",
         {f"{EPISODE_DIR}/enregistrement.mp3": Made("playlist", "hls"), E: front(recording="enregistrement.mp3")}, [
             "episodes/2024-03-20-debat/episode.md: recording: \"enregistrement.mp3\": is a playlist or a streaming manifest (it points to other files), not a recording: name the audio file itself",
         ]),
    Case("recording-ffconcat-as-wav", "an ffconcat list with binary bytes, named .wav",
         {RECORDING: Made("playlist", "ffconcat binary")}, [
             "episodes/2024-03-20-debat/episode.md: recording: \"enregistrement.wav\": is a playlist or a streaming manifest (it points to other files), not a recording: name the audio file itself",
         ]),
    Case("recording-dash-binary", "a DASH manifest after 2 KiB of binary bytes, named .wav",
         {RECORDING: Made("playlist", "dash binary")}, [
             "episodes/2024-03-20-debat/episode.md: recording: \"enregistrement.wav\": is a playlist or a streaming manifest (it points to other files), not a recording: name the audio file itself",
         ]),
    Case("recording-fifo", "the recording is a named pipe (FIFO), not a file",
         {RECORDING: Made("fifo")}, [
             "episodes/2024-03-20-debat/episode.md: recording: \"enregistrement.wav\" is a named pipe (FIFO), not a regular file: put the file itself in the folder",
         ]),
    Case("static-link-out", "templates/static/ holds a link to a file elsewhere on the machine",
         {"templates/static/style.css": Made("symlink", "/etc/passwd")}, [
             "templates/static/style.css: is a link leading out of templates/static/: copy the file itself there",
         ]),
    Case("static-loop-and-fifo", "templates/static/ holds two links pointing at each other and a named pipe",
         {"templates/static/a.css": Made("symlink", "b.css"), "templates/static/b.css": Made("symlink", "a.css"),
          "templates/static/pipe.js": Made("fifo")}, [
             "templates/static/a.css: is a link that leads nowhere (or in a loop): remove it",
             "templates/static/b.css: is a link that leads nowhere (or in a loop): remove it",
             "templates/static/pipe.js: is a named pipe, a device or a socket, not a regular file: remove it",
         ]),
    Case("recording-picture-as-mp3", "a picture renamed .mp3",
         {f"{EPISODE_DIR}/enregistrement.mp3": Made("material", "picture.png"), E: front(recording="enregistrement.mp3")}, [
             "episodes/2024-03-20-debat/episode.md: recording: \"enregistrement.mp3\": contains no sound track (a picture or a document renamed?)",
         ]),
    Case("recording-is-a-folder", "the recording's name is a folder",
         {RECORDING: None, f"{EPISODE_DIR}/enregistrement.wav/": Made("folder")}, [
             "episodes/2024-03-20-debat/episode.md: recording: \"enregistrement.wav\" is a folder, not a file",
         ]),
    # --- paths leaving the folder
    Case("recording-path-traversal", "a recording path climbing out: ../../etc/passwd",
         {E: front(recording="../../etc/passwd")}, [
             "episodes/2024-03-20-debat/episode.md: recording: \"../../etc/passwd\" must be a file inside this folder (no absolute path, no ..)",
         ]),
    Case("recording-absolute-path", "an absolute recording path",
         {E: front(recording="/etc/passwd")}, [
             "episodes/2024-03-20-debat/episode.md: recording: \"/etc/passwd\" must be a file inside this folder (no absolute path, no ..)",
         ]),
    Case("recording-symlink-out", "a recording that is a link to a file outside the podcast",
         {RECORDING: Made("link-out", "ailleurs.wav")}, [
             "episodes/2024-03-20-debat/episode.md: recording: \"enregistrement.wav\" leaves the episode folder (a link pointing elsewhere?)",
         ]),
    Case("episode-folder-symlink-out", "an episode folder that is a link to a folder outside the podcast",
         {"episodes/2024-04-01-lien": Made("link-out", "episode-ailleurs/")}, [
             "episodes/2024-04-01-lien/episode.md: \"2024-04-01-lien\" leaves the podcast folder (a link pointing elsewhere?)",
         ]),
    Case("transcript-path-traversal", "a transcript path with ..",
         {E: front(transcript="../../../home/user/.ssh/id_rsa")}, [
             "episodes/2024-03-20-debat/episode.md: transcript: \"../../../home/user/.ssh/id_rsa\" must be a file inside this folder (no absolute path, no ..)",
         ]),
    Case("cover-path-traversal", "a podcast cover outside the folder",
         {"podcast.yaml": CONFIG + "cover: ../cover.jpg\n"}, [
             "podcast.yaml: cover: \"../cover.jpg\" must be a file inside this folder (no absolute path, no ..)",
         ]),
    Case("cover-symlink-out", "a podcast cover that is a link leaving the folder",
         {"podcast.yaml": CONFIG + "cover: couverture.jpg\n", "couverture.jpg": Made("link-out", "couverture.jpg")}, [
             "podcast.yaml: cover: \"couverture.jpg\" leaves the podcast folder (a link pointing elsewhere?)",
         ]),
    # --- covers
    Case("cover-huge-pixels", "a 4000x4000 px PNG cover of a few kilobytes",
         {"cover.png": Made("png", "huge"), "podcast.yaml": CONFIG + "cover: cover.png\n"}, [
             "podcast.yaml: cover: \"cover.png\" is 4000x4000 px; a cover must be at most 3000x3000 (resize it to 3000x3000 or less)",
         ]),
    Case("cover-ztxt-bomb", "a PNG cover with a text chunk that inflates to 100 MB",
         {"cover.png": Made("png", "ztxt"), "podcast.yaml": CONFIG + "cover: cover.png\n"}, [
             "podcast.yaml: cover: \"cover.png\" has a damaged or oversized part (Decompressed data too large for PngImagePlugin.MAX_TEXT_CHUNK): save it again as a plain JPEG or PNG",
         ]),
    Case("cover-too-small", "a 600x600 podcast cover",
         {"cover.jpg": Made("image", "600x600 RGB")}, [
             "podcast.yaml: cover: \"cover.jpg\" is 600x600 px; podcast apps need at least 1400x1400",
         ]),
    Case("cover-not-square", "an episode cover of 1600x1400",
         {f"{EPISODE_DIR}/couverture.jpg": Made("image", "1600x1400 RGB"), E: front(cover="couverture.jpg")}, [
             "episodes/2024-03-20-debat/episode.md: cover: \"couverture.jpg\" is 1600x1400 px; a cover must be square (crop it to 1400x1400)",
         ]),
    Case("cover-not-an-image", "a text file named cover.jpg",
         {"cover.jpg": "pas une image\n"}, [
             "podcast.yaml: cover: \"cover.jpg\" is not an image Pillow can read (use a JPEG or PNG file)",
         ]),
    Case("cover-cmyk", "a CMYK cover (made for print): converted to RGB, accepted",
         {"cover.jpg": Made("image", "1400x1400 CMYK")}, []),
    # --- transcripts
    Case("transcript-no-header", "a .vtt transcript without its WEBVTT first line",
         {f"{EPISODE_DIR}/transcript.vtt": "00:00:01.000 --> 00:00:03.000\nBonjour.\n", E: front(transcript="transcript.vtt")}, [
             "episodes/2024-03-20-debat/episode.md: transcript: \"transcript.vtt\": line 1: a WebVTT file must start with WEBVTT",
         ]),
    Case("transcript-bad-timing", "a cue timing written with a single arrow",
         {f"{EPISODE_DIR}/transcript.vtt": "WEBVTT\n\n00:00:01.000 -> 00:00:03.000\nBonjour.\n\n00:00:04.000 --> 00:00:03.000\nFin.\n", E: front(transcript="transcript.vtt")}, [
             "episodes/2024-03-20-debat/episode.md: transcript: \"transcript.vtt\": line 3: the timing is not start --> end (write 00:01:02.500 --> 00:01:05.000)",
         ]),
    Case("transcript-backwards-cue", "a cue that ends before it starts",
         {f"{EPISODE_DIR}/transcript.srt": "1\n00:00:04,000 --> 00:00:03,000\nFin.\n", E: front(transcript="transcript.srt")}, [
             "episodes/2024-03-20-debat/episode.md: transcript: \"transcript.srt\": line 2: the cue ends before it starts",
         ]),
    Case("transcript-not-utf8", "a transcript saved as Latin-1",
         {f"{EPISODE_DIR}/transcript.vtt": "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nÀ bientôt.\n".encode("latin-1"), E: front(transcript="transcript.vtt")}, [
             "episodes/2024-03-20-debat/episode.md: transcript: \"transcript.vtt\": the text is not UTF-8 (save it as UTF-8)",
         ]),
    Case("transcript-unreadable", "a transcript nobody may read (permissions)",
         {f"{EPISODE_DIR}/transcript.vtt": Made("unreadable", "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nBonjour.\n"),
          E: front(transcript="transcript.vtt")}, [
             "episodes/2024-03-20-debat/episode.md: transcript: \"transcript.vtt\": cannot be read (permission denied): check the file's permissions",
         ], needs_non_root=True),
    Case("transcript-wrong-kind", "a transcript in a .docx file",
         {f"{EPISODE_DIR}/transcript.docx": b"PK\x03\x04", E: front(transcript="transcript.docx")}, [
             "episodes/2024-03-20-debat/episode.md: transcript: \"transcript.docx\": must be a WebVTT (.vtt) or SubRip (.srt) file",
         ]),
    # --- text
    Case("episode-not-utf8", "episode.md saved as Latin-1",
         {E: front(title='"Débat à Saint-Étienne"').encode("latin-1")}, [
             "episodes/2024-03-20-debat/episode.md: line 2: the text is not UTF-8 (save the file as UTF-8 in your editor)",
         ]),
    Case("config-not-utf8", "podcast.yaml saved as Windows-1252",
         {"podcast.yaml": (CONFIG + "license: « CC BY-SA »\n").encode("cp1252")}, [
             "podcast.yaml: line 1: the text is not UTF-8 (save the file as UTF-8 in your editor)",
         ]),
    Case("title-10000-characters", "a title of 10,000 characters (a pasted article)",
         {E: front(title='"' + "Débat " * 1666 + 'fin!"')}, [
             "episodes/2024-03-20-debat/episode.md: title: is 10000 characters long; keep it under 255",
         ]),
    Case("control-character-in-title", "an invisible control character (bell) in a title",
         {E: front(title='"Débat\\a à la Bourse"')}, [
             "episodes/2024-03-20-debat/episode.md: title: contains an invisible control character (0x07): retype it",
         ]),
    Case("lone-surrogate-in-title", "a broken UTF-16 escape in a title",
         {E: front(title='"Débat \\ud800"')}, [
             "episodes/2024-03-20-debat/episode.md: title: contains an invisible control character (0xd800): retype it",
         ]),
    Case("control-character-in-notes", "a control character pasted into the show notes",
         {E: front(notes="Des notes.\n\nUn texte\x0bcollé depuis un traitement de texte.\n")}, [
             "episodes/2024-03-20-debat/episode.md: notes: line 9: contains an invisible control character (0x0b): retype it",
         ]),
    Case("bidi-override-in-title", "a right-to-left override hiding what a title says",
         {E: front(title='"Compte rendu \u202egpj.exe"')}, [
             "episodes/2024-03-20-debat/episode.md: title: contains an invisible formatting character (U+202E RIGHT-TO-LEFT OVERRIDE): retype the text without it",
         ]),
    Case("zero-width-in-speaker", "a zero-width space and a line separator in speakers' names",
         {E: front(speakers='\n  - {name: "Claire\u200bVernay", role: host}\n  - {name: "Ali\u2028Ben", role: guest}')}, [
             "episodes/2024-03-20-debat/episode.md: speakers[1].name: contains an invisible formatting character (U+200B ZERO WIDTH SPACE): retype the text without it",
             "episodes/2024-03-20-debat/episode.md: speakers[2].name: contains an invisible formatting character (U+2028 LINE SEPARATOR): retype the text without it",
         ]),
    Case("isolate-in-chapter-title", "a bidi isolate in a chapter title",
         {E: front(chapters='\n  - {start: "00:00:00", title: "D\u2067ébut"}')}, [
             "episodes/2024-03-20-debat/episode.md: chapters[1].title: contains an invisible formatting character (U+2067 RIGHT-TO-LEFT ISOLATE): retype the text without it",
         ]),
    Case("transcript-control-characters", "a transcript with a right-to-left override in a cue",
         {f"{EPISODE_DIR}/transcription.vtt": "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nBonjour \u202eà tous\n",
          E: front(transcript="transcription.vtt")}, [
             "episodes/2024-03-20-debat/episode.md: transcript: \"transcription.vtt\": line 4: contains an invisible control character (0x202e): retype it",
         ]),
    Case("emoji-and-right-to-left", "emoji and Arabic and Hebrew text everywhere: accepted",
         {E: front(title='"🎙️ نقاش عام — דיון ציבורי 🇫🇷"', summary='"Résumé 🎧 مرحبا שלום"',
                   speakers='\n  - {name: "سارة 👩‍🔧", role: host}\n  - {name: "דוד", role: guest}', notes="Notes 😀 — مرحبا\n")}, []),
    Case("crlf-and-bom", "Windows line endings and a byte-order mark: accepted",
         {E: "\ufeff" + front().replace("\n", "\r\n"), "podcast.yaml": CONFIG.replace("\n", "\r\n")}, []),
    Case("hostile-but-valid-text", "<script>, quotes, & and ]]> in titles and notes: accepted (escaped when published)",
         {E: front(title="\"<script>alert('x')</script> & ]]> \\\"q\\\"\"",
                   notes="<script>window.__pwned=1</script> [lien](javascript:alert(1)) ]]>\n")}, []),
]
