"""The pages of one episode: its page, its transcript page, its embed player and oEmbed file.

Each is rendered from a context (`episode_context`: what the episode page shows, every value written out) that
names exactly what the page depends on; the page memo keys a page by it (see pages.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pipeline import paths
from pipeline.errors import PortevoixError, Problem
from pipeline.feed.sidecar_memo import SidecarFiles
from pipeline.feed.sidecars import is_draft, transcript_files
from pipeline.media import images
from pipeline.media.built import BuiltEpisode
from pipeline.site import sharing
from pipeline.site.words import LABELS, ROLES, human_date, when
from pipeline.textfmt import PLAYER, clock, human_duration, human_size, iso_duration
from pipeline.source import notes, transcripts
from pipeline.source.cues import DRAFT_NOTICE
from pipeline.source.load import Podcast
from pipeline.source.transcripts import TranscriptError


def covers(item: BuiltEpisode) -> tuple[str, str]:
    """Site paths of the small covers (1x, 2x) shown for an episode: its own, otherwise the podcast's."""
    small, large = images.PAGE_SIZES
    if item.episode.cover:
        return paths.episode_cover_file(item.episode.slug, small), paths.episode_cover_file(item.episode.slug, large)
    return paths.page_cover_file(small), paths.page_cover_file(large)


def media_link(item: BuiltEpisode, seconds: float) -> dict:
    """A moment of the published audio: the main file (MP3) with a media fragment (plays there without JavaScript)."""
    return {"start": f"{seconds:.3f}", "href": f"{item.main.name}#t={int(seconds)}", "clock": clock(seconds, PLAYER), "iso": iso_duration(seconds)}


def transcript_turns(item: BuiltEpisode, language: str) -> list[dict]:
    """The transcript's cues grouped by speaker turn, with times in the published audio."""
    path = item.episode.transcript
    assert path is not None, "only episodes with a transcript have turns"
    try:
        cues = transcripts.read(path)
    except TranscriptError as exc:
        raise PortevoixError(Problem(path.relative_to(item.episode.folder.parent.parent).as_posix(), str(exc))) from None
    turns: list[dict] = []
    anchored: set[int] = set()
    for cue in cues:
        if not cue.text:
            continue
        if not turns or cue.speaker != turns[-1]["speaker"]:
            turns.append({"speaker": cue.speaker, "cues": []})
        start = item.published_time(cue.start)
        # `#t=43` scrolls to the first cue of second 43 even without JavaScript (the script also seeks there).
        anchor = f"t={int(start)}" if int(start) not in anchored else None
        anchored.add(int(start))
        end = max(start, item.published_time(cue.end))
        turns[-1]["cues"].append({**media_link(item, start), "end": f"{end:.3f}", "anchor": anchor, "text": cue.text})
    return turns


TRANSCRIPT_DOWNLOADS = (("vtt", "text/vtt"), ("srt", "application/x-subrip"), ("txt", "text/plain"))


def transcript_downloads(item: BuiltEpisode, language: str, sidecars: Mapping[str, bytes] | None = None) -> list[dict]:
    """The transcript files beside the media (WebVTT, SubRip, plain text), with their real sizes.

    `sidecars`: the files the feed step made ({site path: bytes}); made here when not given."""
    files = sidecars if sidecars is not None else transcript_files(item, language)
    labels = LABELS[language]
    found = []
    for extension, mime in TRANSCRIPT_DOWNLOADS:
        name = paths.transcript_file(item.episode.slug, extension)
        if name in files:
            size = files.size(name) if isinstance(files, SidecarFiles) else len(files[name])  # its bytes made only if needed
            found.append({"label": labels[f"transcript_{extension}"], "href": name, "mime": mime, "size": human_size(size, language)})
    return found


def soundbite_clips(item: BuiltEpisode, language: str) -> list[dict]:
    """The soundbites as clips to share: where each is in the episode, and its files (small formats first)."""
    found = []
    for clip in item.clips:
        files = []
        for fmt, _ in item.offered:
            if fmt.name in clip.files:
                name = paths.clip_file(item.episode.slug, clip.number, fmt.extension)
                size = human_size(clip.sizes[fmt.name], language)
                files.append({"label": fmt.label, "href": name, "type": fmt.content_type, "mime": fmt.mime, "size": size})
        found.append({**media_link(item, clip.start), "title": clip.title, "seconds": round(clip.duration), "files": files})
    return found


def episode_context(
    item: BuiltEpisode, podcast: Podcast, language: str, notes_html: Callable[[str], str] = notes.to_html,
    sidecars: Mapping[str, bytes] | None = None,
) -> dict:
    """Everything an episode's pages show, written out (dates, sizes, durations, links), in the podcast's language."""
    episode, meta = item.episode, item.episode.meta
    base = podcast.config.base_url
    cover, cover_2x = covers(item)
    embed_url = paths.absolute(base, paths.embed_page(episode.slug))
    return {
        "slug": episode.slug,
        "title": meta.title,
        "date": human_date(episode.published.astimezone(podcast.config.tz), language),
        "when": when(episode, podcast, language),
        "iso_date": episode.published.isoformat(),
        "summary": meta.summary,
        "notes_html": notes_html(episode.notes),
        "venue": meta.venue,
        "speakers": [{"name": s.name, "url": s.url, "role": ROLES[language].get(s.role, s.role)} for s in meta.speakers],
        "chapters": [{**media_link(item, item.published_time(c.start)), "title": c.title, "url": c.url} for c in meta.chapters],
        "duration": human_duration(item.audio.duration),
        "seconds": f"{item.audio.duration:.3f}",
        "clock": clock(item.audio.duration, PLAYER),
        "clips": soundbite_clips(item, language),
        "chapter_marks": [[round(item.published_time(c.start), 3), c.title] for c in meta.chapters],
        "iso_duration": iso_duration(item.audio.duration),
        "page": item.page,
        "url": paths.absolute(base, item.page),
        "cover": cover,
        "cover_2x": cover_2x,
        "mp3": item.main.name,
        "sources": [{"href": media.name, "type": fmt.content_type} for fmt, media in item.offered],
        "downloads": [
            {"label": fmt.label, "href": media.name, "mime": media.mime, "size": human_size(media.size, language)}
            for fmt, media in item.offered
        ] + transcript_downloads(item, language, sidecars),
        "transcript_draft": DRAFT_NOTICE.get(language, DRAFT_NOTICE["en"]) if is_draft(item) else None,
        "license": meta.license or podcast.config.license,
        "discussion": meta.discussion,
        "transcript_page": paths.transcript_page(episode.slug) if episode.transcript else None,
        "embed_page": paths.embed_page(episode.slug),
        "embed_url": embed_url,
        "embed_snippet": sharing.embed_snippet(embed_url, meta.title, sharing.embed_height(item)),
        "oembed_url": paths.absolute(base, paths.oembed_file(episode.slug)),
        "meta": sharing.episode_meta(podcast, item, cover_2x),
        "jsonld": sharing.script_json(sharing.episode_jsonld(podcast, item, cover_2x)),
    }
