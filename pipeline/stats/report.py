"""The private report (stats/index.html) and the CSV: pure renderers, counts in, text out.

The page is self-contained: inline CSS and SVG charts (each bar carries its figure
in a <title>), no script, no font, no address from elsewhere; it is meant to be opened
from the disk, not published.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

TEMPLATE = Path(__file__).with_name("report.html")
TOP_APPS = 10
CHART_WIDTH, CHART_HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 36

LABELS: dict[str, dict[str, Any]] = {
    "fr": {
        "title": "Statistiques d'écoute",
        "private": "Page privée : elle n'est pas publiée avec le site.",
        "total": "{total} téléchargement(s) du {first} au {last}",
        "none": "Aucun téléchargement compté pour l'instant.",
        "episodes": "Par épisode",
        "episode": "Épisode",
        "downloads": "Téléchargements",
        "last30": "30 derniers jours",
        "over_time": "Téléchargements au fil du temps",
        "per": {"day": "par jour", "week": "par semaine", "month": "par mois"},
        "apps": "Applications",
        "others": "autres",
        "unknown": "non identifiée",
        "provisional": "Les chiffres du {dates} sont provisoires : la journée n'est pas finie, elle sera recomptée entière.",
        "what_not": "Ce que ces chiffres ne sont pas",
        "not_listens": "Un téléchargement n'est pas une écoute : une application peut télécharger un épisode que personne n'écoutera, et une personne peut écouter à plusieurs un seul téléchargement.",
        "not_rehosts": "Les écoutes sur Spotify, YouTube ou les autres plateformes qui hébergent elles-mêmes une copie de l'audio ne passent pas par ce serveur : elles ne sont pas dans ces journaux.",
        "how": "Comment c'est compté",
        "rules": "Règles de l'IAB (Podcast Measurement Guidelines v2.1) : requêtes GET seulement ; les sondes (HEAD, plages bytes=0-1) et les robots de la liste OPAWG ne comptent pas ; les requêtes d'un même client (adresse et application) pour un épisode dans une journée sont additionnées et comptent pour un téléchargement dès qu'elles dépassent environ une minute d'audio, jamais plus d'un par jour.",
        "privacy": "Rien de personnel n'est gardé : l'adresse n'est mêlée qu'à une clé tirée au hasard chaque jour et jamais écrite (IPv6 réduite à son /64) ; seuls des totaux sont écrits.",
        "agents": "Liste des applications et des robots : {agents}.",
        "excluded": "Non comptés",
        "reasons": {
            "bot": "requêtes de robots",
            "head": "requêtes HEAD",
            "probe": "sondes bytes=0-1",
            "not_get": "autres méthodes",
            "status": "réponses d'erreur",
            "no_agent": "requêtes sans application (user agent vide)",
            "short": "écoutes de moins d'une minute (client, épisode, jour)",
            "late": "requêtes arrivées après la clôture de leur journée",
        },
    },
    "en": {
        "title": "Listening statistics",
        "private": "Private page: it is not published with the site.",
        "total": "{total} downloads from {first} to {last}",
        "none": "No download counted yet.",
        "episodes": "By episode",
        "episode": "Episode",
        "downloads": "Downloads",
        "last30": "Last 30 days",
        "over_time": "Downloads over time",
        "per": {"day": "per day", "week": "per week", "month": "per month"},
        "apps": "Apps",
        "others": "others",
        "unknown": "not identified",
        "provisional": "The figures of {dates} are provisional: the day is not over, it will be counted again whole.",
        "what_not": "What these numbers are not",
        "not_listens": "A download is not a listen: an app may download an episode nobody will hear, and several people may listen to one download.",
        "not_rehosts": "Listens in Spotify, YouTube or other platforms that host their own copy of the audio do not reach this server: they are not in these logs.",
        "how": "How it is counted",
        "rules": "IAB rules (Podcast Measurement Guidelines v2.1): GET requests only; probes (HEAD, bytes=0-1 ranges) and the bots of the OPAWG list do not count; the requests of one client (address and app) for one episode in one day are summed and make one download once they pass about one minute of audio, never more than one a day.",
        "privacy": "Nothing personal is kept: an address is only combined with a key drawn at random each day and never written (IPv6 cut to its /64); only totals are written.",
        "agents": "List of apps and bots: {agents}.",
        "excluded": "Not counted",
        "reasons": {
            "bot": "requests from bots",
            "head": "HEAD requests",
            "probe": "bytes=0-1 probes",
            "not_get": "other methods",
            "status": "error answers",
            "no_agent": "requests without a user agent",
            "short": "listens under one minute (client, episode, day)",
            "late": "requests that came after their day was closed",
        },
    },
}


@dataclass(frozen=True)
class Row:
    date: dt.date
    episode: str
    app: str
    downloads: int


def rows_of(counts: Counter, since: dt.date | None = None, episode: str | None = None) -> list[Row]:
    """(date, episode, app) → n as sorted rows, kept to `since` and `episode` when given."""
    return [
        Row(date, slug, app, n)
        for (date, slug, app), n in sorted(counts.items())
        if n and (since is None or date >= since) and (episode is None or slug == episode)
    ]


def render_csv(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "episode", "app", "downloads"])
    for row in rows:
        writer.writerow([row.date.isoformat(), row.episode, row.app, row.downloads])
    return out.getvalue()


def bucket_of(span_days: int) -> str:
    return "day" if span_days <= 92 else "week" if span_days <= 2 * 366 else "month"


def bucket_start(date: dt.date, bucket: str) -> dt.date:
    if bucket == "week":
        return date - dt.timedelta(days=date.weekday())
    if bucket == "month":
        return date.replace(day=1)
    return date


def next_bucket(date: dt.date, bucket: str) -> dt.date:
    if bucket == "month":
        return (date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return date + dt.timedelta(days=7 if bucket == "week" else 1)


def nice_step(top: int) -> int:
    """A round gridline step (1, 2, 5, 10, 20, 50…) giving at most 6 lines up to `top`."""
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if top / step <= 6:
                return step
        magnitude *= 10


def time_chart(rows: list[Row], bucket: str, label: str) -> str:
    """An SVG bar chart of downloads per day, week or month (no script; each bar has its figure in <title>)."""
    if not rows:
        return ""
    totals: Counter = Counter()
    for row in rows:
        totals[bucket_start(row.date, bucket)] += row.downloads
    first, last = min(totals), max(totals)
    buckets = []
    current = first
    while current <= last:
        buckets.append(current)
        current = next_bucket(current, bucket)
    top = max(totals.values())
    step = nice_step(top)
    top = ((top + step - 1) // step) * step
    inner_w, inner_h = CHART_WIDTH - LEFT - RIGHT, CHART_HEIGHT - TOP - BOTTOM
    slot = inner_w / len(buckets)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" role="img" aria-label="{escape(label)}">'
    ]
    for value in range(0, top + 1, step):
        y = TOP + inner_h - inner_h * value / top
        parts.append(f'<line x1="{LEFT}" x2="{CHART_WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>')
    every = max(1, len(buckets) // 8)
    for index, start in enumerate(buckets):
        value = totals.get(start, 0)
        height = inner_h * value / top
        x = LEFT + index * slot
        parts.append(
            f'<rect x="{x + slot * 0.1:.1f}" y="{TOP + inner_h - height:.1f}" width="{max(slot * 0.8, 1):.1f}" height="{height:.1f}">'
            f"<title>{start.isoformat()} : {value}</title></rect>"
        )
        if index % every == 0:
            parts.append(f'<text x="{x + slot / 2:.1f}" y="{CHART_HEIGHT - BOTTOM + 16}" text-anchor="middle">{start.isoformat()}</text>')
    parts.append("</svg>")
    return "".join(parts)


def apps_chart(rows: list[Row], others: str, unknown: str, label: str) -> str:
    """Horizontal bars: the most common apps, then the rest together."""
    totals: Counter = Counter()
    for row in rows:
        totals[row.app] += row.downloads
    if not totals:
        return ""
    ranked = totals.most_common()
    shown = ranked[:TOP_APPS]
    rest = sum(n for _, n in ranked[TOP_APPS:])
    if rest:
        shown.append((others, rest))
    bar_h, gap, name_w = 22, 6, 220
    height = len(shown) * (bar_h + gap) + gap
    top = max(n for _, n in shown)
    inner_w = CHART_WIDTH - name_w - 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {height}" role="img" aria-label="{escape(label)}">']
    for index, (name, value) in enumerate(shown):
        y = gap + index * (bar_h + gap)
        width = max(inner_w * value / top, 1)
        shown_name = unknown if name == "?" else name
        parts.append(f'<text x="{name_w - 8}" y="{y + bar_h * 0.7:.1f}" text-anchor="end">{escape(shown_name)}</text>')
        parts.append(f'<rect x="{name_w}" y="{y}" width="{width:.1f}" height="{bar_h}"><title>{escape(shown_name)} : {value}</title></rect>')
        parts.append(f'<text x="{name_w + width + 6:.1f}" y="{y + bar_h * 0.7:.1f}">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_report(
    rows: list[Row],
    titles: dict[str, str],
    excluded: Counter,
    provisional: list[dt.date],
    agents: str,
    podcast_title: str,
    language: str,
) -> str:
    """The report page, in the podcast's language (French or English)."""
    words = LABELS["fr" if language.lower().startswith("fr") else "en"]
    per_episode: Counter = Counter()
    for row in rows:
        per_episode[row.episode] += row.downloads
    last = max((row.date for row in rows), default=None)
    recent: Counter = Counter()
    if last is not None:
        for row in rows:
            if row.date > last - dt.timedelta(days=30):
                recent[row.episode] += row.downloads
    first = min((row.date for row in rows), default=None)
    span = (last - first).days + 1 if first and last else 0
    bucket = bucket_of(span)
    over_time = f"{words['over_time']} ({words['per'][bucket]})"
    environment = Environment(loader=FileSystemLoader(TEMPLATE.parent), autoescape=select_autoescape(["html"]))
    return environment.get_template(TEMPLATE.name).render(
        words=words,
        lang="fr" if words is LABELS["fr"] else "en",
        podcast_title=podcast_title,
        total=sum(per_episode.values()),
        first=first,
        last=last,
        episodes=[(slug, titles.get(slug, slug), n, recent[slug]) for slug, n in per_episode.most_common()],
        over_time=over_time,
        time_svg=Markup(time_chart(rows, bucket, over_time)),
        apps_svg=Markup(apps_chart(rows, words["others"], words["unknown"], words["apps"])),
        excluded=[(words["reasons"][reason], n) for reason, n in sorted(excluded.items(), key=lambda item: -item[1]) if n and reason in words["reasons"]],
        provisional=", ".join(d.isoformat() for d in provisional),
        agents=agents,
    )
