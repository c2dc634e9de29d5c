#!/usr/bin/env python3
"""Generate the bundled demo content of portevoix: two synthetic debate recordings.

The demo imitates what an activist collective records at a public debate: a
host, one or two guests, a question from the audience, a single microphone on
the table and a noisy room.  Nothing here is a real recording.

How an episode is built:

1. Every sentence of the script below is spoken by ``espeak-ng`` with the
   French voice, pitch and speed of its speaker.
2. ``sox`` resamples each sentence to 48 kHz and applies the speaker's
   "acoustics": close to the microphone (dry), mid-room, far away (low-pass and
   a little reverb) or in the audience (narrower band, more reverb).
3. Each sentence gets the speaker's level (RMS, dBFS, with a small
   deterministic jitter).  Speakers differ by more than 10 dB on purpose.
4. Sentences are laid out on a timeline with short pauses inside a turn and
   longer ones between turns; turns that open a chapter start on a whole
   second so that the chapter times are exact.  The recording starts and ends
   with several seconds of room noise only.
5. Continuous room noise (seeded pink noise from ffmpeg's ``anoisesrc``, band
   limited like ventilation) is mixed under the speech.
6. ``ffmpeg`` encodes the mix (Opus in Ogg, or MP3) with bit-exact flags, and a
   WebVTT transcript is written with one cue per sentence and ``<v Name>``
   voice tags.  The chapter start times are printed; they are copied by hand
   into each ``episode.md``.

A podcast cover (``cover.jpg``) is drawn with Pillow.

Requirements: Python 3.11, Pillow, and the ``espeak-ng``, ``sox`` and
``ffmpeg`` commands.  Output is deterministic for a given set of tool versions.

Usage (from the repository root):

    python3 tools/make_demo_recordings.py [--out DIR] [--cover FILE]
"""

from __future__ import annotations

import argparse
import math
import random
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_RATE = 48_000
NOISE_LEVEL_DB = -53.0

# sox effects applied after resampling, per acoustic situation.  The padding
# before a reverb leaves room for its tail.
ACOUSTICS = {
    "near": ["highpass", "70"],
    "mid": ["highpass", "90", "lowpass", "7000",
            "pad", "0", "0.3", "reverb", "20", "50", "40", "100", "5", "-8"],
    "far": ["highpass", "120", "lowpass", "3500",
            "pad", "0", "0.6", "reverb", "45", "60", "70", "100", "15", "-3"],
    "audience": ["highpass", "200", "lowpass", "3000",
                 "pad", "0", "0.9", "reverb", "75", "50", "100", "100", "30", "0"],
}


@dataclass(frozen=True)
class Speaker:
    name: str
    voice: str      # espeak-ng voice, e.g. "fr+m3"
    pitch: int      # espeak-ng pitch, 0..99
    speed: int      # words per minute
    acoustics: str  # key of ACOUSTICS
    level_db: float  # target RMS level of each sentence, dBFS


@dataclass(frozen=True)
class Turn:
    speaker: Speaker
    sentences: tuple[str, ...]
    chapter: str | None = None


@dataclass(frozen=True)
class Episode:
    slug: str
    recording: str
    encoder_args: tuple[str, ...]
    lead_in: float   # seconds of room noise before the first word
    lead_out: float  # seconds of room noise after the last word
    seed: int
    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class Placed:
    """A rendered sentence and where it sits in the episode (in samples)."""
    path: Path
    speaker: Speaker
    text: str
    start: int
    length: int
    gain: float
    chapter: str | None  # set on the first sentence of a chapter's turn


# --- Episode 1 ---------------------------------------------------------------

CLAIRE = Speaker("Claire Vernay", "fr+f2", 55, 165, "mid", -25.0)
NADIA = Speaker("Nadia Benali", "fr+f4", 48, 160, "near", -21.0)
MATHIEU = Speaker("Mathieu Roussel", "fr+m3", 40, 150, "far", -34.0)
JOSIANE = Speaker("Josiane Marcou", "fr+f5", 62, 155, "audience", -39.0)

NUMERISATION = Episode(
    slug="2024-03-20-numerisation-massive",
    recording="enregistrement.ogg",
    encoder_args=("-ar", "48000", "-c:a", "libopus", "-b:a", "48k"),
    lead_in=5.0,
    lead_out=6.0,
    seed=2024_03_20,
    turns=(
        Turn(CLAIRE, (
            "Bonsoir à toutes et à tous, et merci d'être venus si nombreux.",
            "Nous sommes le collectif Halte au contrôle numérique, et nous "
            "sommes heureux d'être accueillis ce soir à l'École des Mines de "
            "Saint-Étienne.",
            "Le débat de ce soir s'intitule : numérisation massive, des "
            "impacts sociaux impensés.",
            "Pour en parler, nous recevons Nadia Benali, qui accompagne depuis "
            "dix ans des personnes dans leurs démarches administratives, et "
            "Mathieu Roussel, sociologue du travail.",
            "Nadia, on commence avec toi. Qu'est-ce que tu vois, concrètement, "
            "au guichet ?",
        ), chapter="Ouverture"),
        Turn(NADIA, (
            "Ce que je vois d'abord, c'est qu'il n'y a presque plus de guichet.",
            "Pour une demande de prime d'activité, pour un titre de séjour, "
            "pour une inscription à France Travail, tout passe désormais par "
            "un site internet.",
            "Or une partie de la population n'a pas d'ordinateur, pas "
            "d'imprimante, ou ne se sent pas à l'aise avec ces outils.",
            "Ce sont souvent des personnes âgées, des personnes précaires, des "
            "personnes qui lisent mal le français.",
            "Quand le site plante, ou quand un mot de passe est perdu, il n'y "
            "a plus personne à qui parler.",
            "Résultat, des gens renoncent à des droits qui leur sont pourtant "
            "dus. On appelle cela le non-recours.",
            "Le Défenseur des droits l'a d'ailleurs souligné à plusieurs "
            "reprises dans ses rapports.",
        ), chapter="La dématérialisation vue du guichet"),
        Turn(CLAIRE, (
            "Merci Nadia. Mathieu, toi, tu travailles sur l'autre versant, "
            "celui des salariés.",
        )),
        Turn(MATHIEU, (
            "Oui, et je voudrais d'abord dire que les deux sujets sont liés.",
            "Derrière chaque guichet fermé, il y a aussi des agents dont le "
            "métier a changé.",
            "On leur demande de traiter des flux, de suivre des indicateurs, "
            "de renvoyer les usagers vers une plateforme.",
            "Dans les entrepôts et les centres d'appel, le logiciel mesure "
            "chaque geste, chaque pause, chaque minute d'inactivité.",
            "Ce contrôle permanent produit de la fatigue, de la perte de sens, "
            "et beaucoup d'isolement.",
            "On présente souvent tout cela comme un progrès neutre et "
            "inévitable, alors que ce sont des choix politiques.",
            "Et ces choix peuvent être discutés, voire refusés.",
        ), chapter="Le travail sous surveillance"),
        Turn(CLAIRE, (
            "C'est justement la question que nous voulons poser ce soir. "
            "Nadia, est-ce qu'il existe des alternatives ?",
        )),
        Turn(NADIA, (
            "Bien sûr. La première, c'est de garantir qu'il existe toujours "
            "une autre voie que le numérique : un guichet, un téléphone, un "
            "courrier.",
            "Ce n'est pas de la nostalgie, c'est une question d'égalité devant "
            "le service public.",
            "La deuxième, c'est de donner des moyens aux lieux d'accueil, au "
            "lieu de compter sur des bénévoles épuisés.",
        ), chapter="Quelles alternatives ?"),
        Turn(CLAIRE, (
            "Nous allons prendre une question de la salle. Oui, madame, au "
            "fond.",
        )),
        Turn(JOSIANE, (
            "Bonsoir. Je voulais savoir comment on peut agir localement, ici, "
            "à Saint-Étienne ?",
        ), chapter="Question de la salle"),
        Turn(MATHIEU, (
            "Merci pour la question.",
            "Je crois qu'il faut d'abord se regrouper, recueillir des "
            "témoignages, et les porter ensemble auprès des administrations "
            "et des élus.",
            "Un collectif comme celui-ci sert exactement à cela.",
        )),
        Turn(CLAIRE, (
            "Merci à Nadia Benali et à Mathieu Roussel, merci à l'École des "
            "Mines pour l'accueil, et merci à vous toutes et tous.",
            "Le débat continue autour d'un verre. Bonne soirée.",
        ), chapter="Conclusion"),
    ),
)

# --- Episode 2 ---------------------------------------------------------------

SYLVIE = Speaker("Sylvie Marchand", "fr+f3", 50, 165, "far", -33.0)
KARIM = Speaker("Karim Haddad", "fr+m7", 45, 160, "near", -21.0)
ELODIE = Speaker("Élodie Garnier", "fr+f2", 58, 170, "mid", -24.0)
PATRICK = Speaker("Patrick Morin", "fr+m1", 35, 150, "audience", -39.0)

RIPOSTE = Episode(
    slug="2017-10-03-construire-la-riposte",
    recording="enregistrement.mp3",
    encoder_args=("-ar", "44100", "-c:a", "libmp3lame", "-b:a", "64k"),
    lead_in=6.0,
    lead_out=5.0,
    seed=2017_10_03,
    turns=(
        Turn(SYLVIE, (
            "Bonjour à tous, on va reprendre.",
            "Bienvenue à cette journée de formation syndicale, ici à la Bourse "
            "du travail de Bobigny.",
            "Le thème de la journée, c'est : construire la riposte au tout "
            "numérique.",
            "Ce matin, nous allons entendre Karim Haddad, agent des finances "
            "publiques et militant syndical, puis Élodie Garnier, juriste en "
            "droit du travail.",
            "Karim, à toi.",
        ), chapter="Ouverture"),
        Turn(KARIM, (
            "Merci Sylvie.",
            "Dans mon service, en cinq ans, nous avons perdu près d'un tiers "
            "des effectifs.",
            "Dans le même temps, l'accueil physique a été fermé trois jours "
            "sur cinq, au nom de la modernisation.",
            "Les usagers sont renvoyés vers un espace en ligne.",
            "Au téléphone, plus personne ne répond, et les rendez-vous en "
            "ligne sont complets pour plusieurs semaines.",
            "Ceux qui n'y arrivent pas reviennent quand même, mais plus tard, "
            "plus inquiets, et parfois en colère.",
            "Les collègues se retrouvent à rattraper les erreurs de la "
            "machine, sans que ce travail soit reconnu.",
            "Ce n'est pas le numérique en soi que nous contestons.",
            "C'est son usage pour supprimer des postes et éloigner le service "
            "public des gens.",
        ), chapter="Témoignage : un service public qui ferme ses guichets"),
        Turn(SYLVIE, (
            "Merci Karim. Élodie, sur le plan du droit, qu'est-ce que les "
            "équipes syndicales peuvent faire ?",
        )),
        Turn(ELODIE, (
            "Il y a plusieurs leviers.",
            "D'abord, l'introduction d'une nouvelle technologie doit faire "
            "l'objet d'une consultation du comité d'entreprise et du CHSCT.",
            "Ensuite, tout dispositif de contrôle de l'activité des salariés "
            "doit être proportionné, et les salariés doivent en être informés "
            "au préalable.",
            "Enfin, les risques psychosociaux liés à ces outils doivent "
            "figurer dans l'évaluation des risques.",
            "Et le règlement européen sur la protection des données, qui "
            "s'appliquera en mai prochain, va renforcer ces obligations.",
            "Avec les ordonnances qui viennent d'être publiées, ces instances "
            "vont fusionner, et il faudra rester très vigilants.",
            "Ce sont des points d'appui concrets, mais ils ne remplacent pas "
            "la mobilisation collective.",
        ), chapter="Les points d'appui juridiques"),
        Turn(SYLVIE, (
            "On a le temps pour une question. Oui, au fond de la salle.",
        )),
        Turn(PATRICK, (
            "Oui, bonjour. Concrètement, comment on mobilise les collègues "
            "qui pensent que c'est perdu d'avance ?",
        ), chapter="Question de la salle"),
        Turn(KARIM, (
            "C'est la vraie question.",
            "Chez nous, on a commencé par une enquête toute simple auprès des "
            "collègues et des usagers.",
            "Les résultats ont montré que le problème était partagé, et la "
            "direction a dû rouvrir l'accueil un jour de plus par semaine.",
            "Ce n'est pas une grande victoire, mais cela redonne confiance.",
        )),
        Turn(ELODIE, (
            "Je voudrais ajouter une chose.",
            "Quand un projet important modifie les conditions de travail, le "
            "CHSCT peut demander une expertise, financée par l'employeur.",
            "C'est un moyen d'obtenir des informations précises, et de gagner "
            "du temps pour s'organiser.",
        )),
        Turn(SYLVIE, (
            "Merci à Karim et à Élodie.",
            "On fait une pause d'un quart d'heure, et on reprend avec les "
            "ateliers.",
        ), chapter="Clôture de la matinée"),
    ),
)

EPISODES = (NUMERISATION, RIPOSTE)


# --- Audio -------------------------------------------------------------------

def run(*cmd: str) -> str:
    """Run a command, fail loudly, return its stderr (where sox prints stats)."""
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return done.stderr


def render_sentence(text: str, speaker: Speaker, path: Path) -> None:
    """Speak one sentence with espeak-ng, then resample and place it in the room."""
    raw = path.with_suffix(".raw.wav")
    run("espeak-ng", "-v", speaker.voice, "-p", str(speaker.pitch),
        "-s", str(speaker.speed), "-w", str(raw), text)
    run("sox", str(raw), "-r", str(SAMPLE_RATE), "-e", "floating-point",
        "-b", "32", str(path), *ACOUSTICS[speaker.acoustics])


def sample_count(path: Path) -> int:
    return int(subprocess.check_output(["soxi", "-s", str(path)], text=True))


def rms_db(path: Path) -> float:
    stats = run("sox", str(path), "-n", "stats")
    return float(re.search(r"RMS lev dB\s+(-?[\d.]+)", stats).group(1))


def seconds(s: float) -> int:
    return round(s * SAMPLE_RATE)


def lay_out(episode: Episode, workdir: Path) -> list[Placed]:
    """Render every sentence and give it a start time and a gain."""
    rng = random.Random(episode.seed)
    placed: list[Placed] = []
    cursor = seconds(episode.lead_in)
    for t, turn in enumerate(episode.turns):
        if t > 0:
            cursor += seconds(rng.uniform(0.8, 1.4))
        if turn.chapter:
            cursor = math.ceil(cursor / SAMPLE_RATE) * SAMPLE_RATE
        for s, text in enumerate(turn.sentences):
            if s > 0:
                cursor += seconds(rng.uniform(0.3, 0.7))
            path = workdir / f"t{t:02d}s{s:02d}.wav"
            render_sentence(text, turn.speaker, path)
            level = turn.speaker.level_db + rng.uniform(-1.0, 1.0)
            gain = 10 ** ((level - rms_db(path)) / 20)
            length = sample_count(path)
            chapter = turn.chapter if s == 0 else None
            placed.append(Placed(path, turn.speaker, text, cursor, length, gain,
                                 chapter))
            cursor += length
    return placed


def mix_speech(placed: list[Placed], total: int, out: Path) -> None:
    """Concatenate the sentences with their gains, inserting the pauses."""
    inputs: list[str] = []
    pads: list[str] = []
    input_pos = 0
    previous_end = 0
    for p in placed:
        inputs += ["-v", f"{p.gain:.6f}", str(p.path)]
        pads.append(f"{p.start - previous_end}s@{input_pos}s")
        input_pos += p.length
        previous_end = p.start + p.length
    run("sox", *inputs, str(out), "pad", *pads,
        "pad", "0", f"{total - previous_end}s")


def room_noise(total: int, seed: int, out: Path) -> None:
    """Seeded pink noise, band-limited like ventilation, `total` samples long."""
    run("ffmpeg", "-v", "error", "-y", "-f", "lavfi",
        "-i", f"anoisesrc=r={SAMPLE_RATE}:c=pink:a=0.5:seed={seed}",
        "-af", f"highpass=f=60,lowpass=f=1800,atrim=end_sample={total}",
        "-c:a", "pcm_f32le", str(out))


def encode(mix: Path, episode: Episode, out: Path) -> None:
    run("ffmpeg", "-v", "error", "-y", "-i", str(mix), "-ac", "1",
        *episode.encoder_args, "-map_metadata", "-1",
        "-fflags", "+bitexact", "-flags:a", "+bitexact", str(out))


def total_length(episode: Episode, placed: list[Placed]) -> int:
    last = placed[-1]
    return last.start + last.length + seconds(episode.lead_out)


def build_audio(episode: Episode, out: Path, workdir: Path) -> list[Placed]:
    placed = lay_out(episode, workdir)
    total = total_length(episode, placed)
    speech, noise, mix = (workdir / n for n in ("speech.wav", "noise.wav", "mix.wav"))
    mix_speech(placed, total, speech)
    room_noise(total, episode.seed, noise)
    noise_gain = 10 ** ((NOISE_LEVEL_DB - rms_db(noise)) / 20)
    run("sox", "-m", "-v", "1", str(speech), "-v", f"{noise_gain:.6f}", str(noise),
        str(mix))
    encode(mix, episode, out)
    return placed


# --- Transcript and chapters -------------------------------------------------

def timestamp(samples: int) -> str:
    ms = round(samples * 1000 / SAMPLE_RATE)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def write_vtt(placed: list[Placed], out: Path) -> None:
    lines = ["WEBVTT", "",
             "NOTE Démonstration portevoix : voix de synthèse espeak-ng, "
             "générée par tools/make_demo_recordings.py", ""]
    for p in placed:
        lines += [f"{timestamp(p.start)} --> {timestamp(p.start + p.length)}",
                  f"<v {p.speaker.name}>{p.text}", ""]
    out.write_text("\n".join(lines), encoding="utf-8")


def chapters(placed: list[Placed]) -> list[tuple[int, str]]:
    """(start second, title) of each chapter; the first one starts at 0:00,
    with the room noise before the first word."""
    found = [(p.start // SAMPLE_RATE, p.chapter) for p in placed if p.chapter]
    return [(0, found[0][1])] + found[1:]


def report(episode: Episode, placed: list[Placed], out: Path) -> None:
    print(f"{out}  duration {timestamp(total_length(episode, placed))}")
    print("chapters:")
    for start, title in chapters(placed):
        h, rest = divmod(start, 3600)
        print(f'  - start: "{h:02d}:{rest // 60:02d}:{rest % 60:02d}"\n'
              f'    title: "{title}"')


# --- Cover -------------------------------------------------------------------

def draw_cover(out: Path) -> None:
    """A bold, flat megaphone with sound waves; text if DejaVu is installed."""
    size = 1400
    ink, paper, accent = (24, 24, 32), (240, 232, 214), (214, 62, 44)
    img = Image.new("RGB", (size, size), paper)
    d = ImageDraw.Draw(img)
    d.rectangle((0, 980, size, size), fill=ink)
    # megaphone: handle, body (trapezoid) and mouth
    d.rectangle((250, 520, 370, 700), fill=ink)
    d.polygon([(360, 470), (700, 300), (700, 860), (360, 690)], fill=accent)
    d.rectangle((700, 280, 760, 880), fill=ink)
    d.rounded_rectangle((420, 690, 480, 860), radius=20, fill=ink)
    for i, r in enumerate((170, 290, 410)):
        box = (760 - r, 580 - r, 760 + r, 580 + r)
        d.arc(box, start=-50, end=50, fill=ink if i % 2 else accent, width=48)
    font_dir = Path("/usr/share/fonts/truetype/dejavu")
    if font_dir.is_dir():
        big = ImageFont.truetype(str(font_dir / "DejaVuSans-Bold.ttf"), 108)
        small = ImageFont.truetype(str(font_dir / "DejaVuSans.ttf"), 68)
        d.text((110, 1015), "Halte au contrôle", font=big, fill=paper)
        d.text((110, 1140), "numérique", font=big, fill=accent)
        d.text((110, 1280), "— débats", font=small, fill=paper)
    img.save(out, "JPEG", quality=85, optimize=True)


# --- Main --------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "episodes",
                        help="folder receiving the episode folders "
                             "(default: episodes/ in the repository)")
    parser.add_argument("--cover", type=Path, default=REPO_ROOT / "cover.jpg",
                        help="where to write the podcast cover "
                             "(default: cover.jpg in the repository)")
    args = parser.parse_args()

    for episode in EPISODES:
        folder = args.out / episode.slug
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            placed = build_audio(episode, folder / episode.recording, Path(tmp))
        write_vtt(placed, folder / "transcript.vtt")
        report(episode, placed, folder / episode.recording)
    draw_cover(args.cover)
    print(f"{args.cover}  cover")


if __name__ == "__main__":
    main()
