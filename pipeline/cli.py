"""The command line: thin, it parses arguments and calls one function per command.

Expected errors are printed one per line, without a traceback (unless --debug),
and the exit status is 1.
"""

from __future__ import annotations

import argparse
import errno
import datetime as dt
import gc
import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from pipeline import __version__
from pipeline.errors import PortevoixError, Problem
from pipeline.i18n import ARGPARSE_FR, language, say, words

log = logging.getLogger("pipeline")


def cmd_init(args: argparse.Namespace) -> int:
    from pipeline.source.answers import COVER_FILE
    from pipeline.source.init import init_podcast

    folder = (args.root / args.folder).resolve() if args.folder else args.root
    given = {key: getattr(args, key) for key in ("title", "author", "email", "language", "base_url", "category", "cover")}
    written = init_podcast(folder, given, interactive=not args.yes)
    shown = os.path.relpath(folder) if folder.is_relative_to(Path.cwd()) else str(folder)
    print(say("init_done", folder=shown, files=", ".join(written)))
    if COVER_FILE in written and not args.cover:
        print(say("init_cover_generated", cover=COVER_FILE))
    print(say("init_next", folder=shown))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from pipeline.source.new import new_episode

    folder = new_episode(args.root, args.title, Path(args.audio).expanduser(), args.date)
    print(say("new_done", path=f"{folder.relative_to(args.root)}/episode.md"))
    return 0


COLLECT_EVERY = 20_000
"""Objects allocated between two runs of Python's cycle collector in `build` and `check` (Python's default: 700)."""


def collect_rarely() -> None:
    """For a command that reads a whole archive into objects kept to its end: the modules loaded so far are set
    aside from the cycle collector (gc.freeze) and it runs less often. With Python's defaults, an episode added at
    N = 1,000 spent ~0.1 s of its 1.7 s in collections that found little: the episodes, pages' keys and feed items
    are freed by their reference counts, not by the collector. Cycles are still collected (gc.collect at the end of
    a generation's count), so memory stays bounded."""
    gc.freeze()
    gc.set_threshold(COLLECT_EVERY, 10, 10)


def cmd_check(args: argparse.Namespace) -> int:
    from pipeline.source.load import load_podcast

    from pipeline.audio.cache import CACHE_DIR
    from pipeline.audio.identity_cache import IdentityCache
    from pipeline.build import OUTPUT_DIR
    from pipeline.feed.checks import check_site, sri_sha256
    from pipeline.identity import give_podcast_guid, identity_check, moves_warning
    from pipeline.source.unfinished import unfinished

    collect_rarely()
    known = IdentityCache(args.root / CACHE_DIR)  # what is known of unchanged recordings and media: not read again
    try:
        podcast = load_podcast(args.root, known)
        give_podcast_guid(podcast)
        refusals, changes, moves = identity_check(podcast, known=known)
        if moves:
            print(moves_warning(moves), file=sys.stderr)
        for change in changes:
            print(say("warning", problem=f"{change} (the build needs --allow-enclosure-change)"), file=sys.stderr)
        # The feed as last built, with the files it points to.
        problems = refusals + check_site(
            args.root / OUTPUT_DIR, podcast.config.base_url, shown=OUTPUT_DIR + "/", sri_of=lambda p: known.fact(p, "sri", lambda: sri_sha256(p))
        )
    finally:
        known.save(prune=False)  # what the build knows (its tagged media) is kept: check does not look at it
    if problems:
        raise PortevoixError(*problems)
    # Once nothing is wrong: what is surely unfinished (warned, not refused).
    for warning in unfinished(podcast):
        print(say("warning", problem=warning), file=sys.stderr)
    # What the last build's analysis found in each recording (from the audio cache: no recording is read).
    from pipeline.audio import cached_notes
    from pipeline.media.formats import chosen
    from pipeline.source.episodes import episode_edits

    edits_of = lambda episode: episode_edits(podcast.root, podcast.config, episode)  # noqa: E731
    lines, missing = cached_notes(podcast.root, podcast.episodes, chosen(podcast.config.formats), edits_of, known)
    for recording, line in lines:
        print(say("warning", problem=Problem(recording.relative_to(podcast.root).as_posix(), line)), file=sys.stderr)
    if missing:
        first = missing[0].relative_to(podcast.root).as_posix()
        print(say("audio_not_analysed", count=len(missing), first=first), file=sys.stderr)
    print(say("check_ok", count=len(podcast.episodes)))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from pipeline import build_stamp

    output = (Path(args.output) if args.output else args.root / "site").resolve()
    now = build_stamp.snapshot(args.root.resolve(), output, {})
    if not (args.report or args.full) and build_stamp.up_to_date(args.root.resolve(), output, {}, now):
        # Asked before loading the build's stages, which takes longer than the answer; asked again under the build lock
        # (with the same snapshot of the inputs: taken before the build reads any of them).
        print(say("build_up_to_date", output=output))
        return 0
    from pipeline.build import build

    collect_rarely()
    result = build(args.root, Path(args.output).resolve() if args.output else None, allow_enclosure_change=args.allow_enclosure_change, jobs=args.jobs,
                   full=args.report or args.full, inputs=now)
    for line in result.transcribed:
        print(line)
    if result.up_to_date:
        print(say("build_up_to_date", output=result.output))
    else:
        print(say("build_done", count=len(result.built), processed=result.processed, output=result.output))
    if args.report:
        from pipeline.site.report import summary_line, svg_name

        for item in result.built:
            print(summary_line(item.episode.slug, item.audio))
            for warning in item.audio.warnings:
                print(f"  warning: {item.episode.slug}: {warning}")
            print(f"  picture: {result.output / svg_name(item.episode.slug)}")
    print(say("build_preview", command=f"portevoix serve{' -C ' + str(args.root) if args.root != Path.cwd() else ''}"))
    return 0


def cmd_transcribe(args: argparse.Namespace) -> int:
    from pipeline.progress import Progress
    from pipeline.transcribe import transcribe_podcast

    lines, problems = transcribe_podcast(args.root, args.slugs, force=args.force, progress=Progress)
    print("\n".join(lines))
    if problems:
        raise PortevoixError(*problems)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from pipeline.build import OUTPUT_DIR
    from pipeline.site.serve import make_server

    site = args.root / OUTPUT_DIR
    if not (site / "index.html").is_file():
        raise PortevoixError(Problem(str(site), say("serve_no_site")))
    server = make_server(site, args.host, args.port)
    print(say("serving", site=site, url=f"http://{args.host}:{server.server_port}/"), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def cmd_studio(args: argparse.Namespace) -> int:
    from pipeline.studio.server import run_studio

    run_studio(args.root, port=args.port, open_browser=not args.no_browser)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from pipeline.publish.steps import check_only, publish
    from pipeline.publish.verify import CheckResult

    if args.only_check:
        check: CheckResult | None = check_only(args.root, args.target)
    else:
        outcome = publish(args.root, args.target, dry_run=args.dry_run, rollback=args.rollback, check=args.check)
        print("\n".join(outcome.lines))
        check = outcome.check
    if check is not None:
        for problem in check.problems:
            print(problem, file=sys.stderr)
        if check.problems:
            return 1
        print(say("publish_checked", url=check.feed_url, count=check.enclosures))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from pipeline.importer.steps import import_podcast

    media = Path(args.media).expanduser().resolve() if args.media else None
    result = import_podcast(args.root, args.feed, media_dir=media, owner_email=args.owner_email, base_url=args.base_url)
    print(say("import_done", created=len(result.created), kept=result.kept, warnings=len(result.warnings), root=args.root))
    if result.wrote_config:
        print(say("import_next", config="podcast.yaml"))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from pipeline.stats.agents import refresh_agents
    from pipeline.stats.run import AGENTS_DIR, STATS_DIR, run_stats

    output = Path(args.output).resolve() if args.output else args.root / STATS_DIR
    if args.refresh_agents:
        source = refresh_agents(output / AGENTS_DIR)
        print(say("agents_refreshed", date=source["date"], source=source["source"], path=output / AGENTS_DIR))
        if not args.logs:
            return 0
    if not args.logs:
        raise PortevoixError(Problem("portevoix stats", say("stats_need_logs")))
    result = run_stats(
        args.root, [Path(p).expanduser() for p in args.logs], output, Path(args.csv).resolve() if args.csv else None, args.since, args.episode
    )
    print(say("stats_done", files=result.files, lines=result.lines, requests=result.requests, downloads=result.downloads, report=result.report))
    if result.csv:
        print(say("stats_csv", path=result.csv))
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if result.provisional:
        print(say("stats_provisional", dates=", ".join(d.isoformat() for d in result.provisional)))
    return 0


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(prog="portevoix", description=words("Publish recorded debates as a podcast and web pages."))
    main_parser.add_argument("-C", dest="root", metavar="DIR", type=Path, default=Path.cwd(), help=words("podcast folder (default: current folder)"))
    main_parser.add_argument("-v", "--verbose", action="store_true", help=words("say what is being done"))
    main_parser.add_argument("--debug", action="store_true", help=words("show tracebacks and debug messages"))
    main_parser.add_argument("--version", action="version", version=f"portevoix {__version__}", help=words("show the version and exit"))
    commands = main_parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser("init", help=words("create a new podcast folder: podcast.yaml, a cover, episodes/"))
    init.add_argument("folder", nargs="?", metavar="DIR", help=words("the folder to create (default: the current folder)"))
    init.add_argument("--yes", action="store_true", help=words("ask nothing: take the answers from the flags below"))
    init.add_argument("--title", help=words("title of the podcast"))
    init.add_argument("--author", help=words("name of the collective that makes it"))
    init.add_argument("--email", help=words("owner's e-mail address (directories use it to verify ownership)"))
    init.add_argument("--base-url", dest="base_url", help=words("public https address where the site will be published"))
    init.add_argument("--language", help=words("language of the episodes, e.g. fr (default: yours)"))
    init.add_argument("--category", help=words("Apple Podcasts category (default: Society & Culture)"))
    init.add_argument("--cover", help=words("the collective's square cover image (default: one made from the title)"))
    init.set_defaults(run=cmd_init)

    new = commands.add_parser("new", help=words("create an episode folder from a recording"))
    new.add_argument("title", help=words("title of the episode"))
    new.add_argument("--audio", required=True, help=words("the recording (copied, never modified)"))
    new.add_argument("--date", type=dt.date.fromisoformat, help=words("date of the recording, YYYY-MM-DD (default: today)"))
    new.set_defaults(run=cmd_new)

    check = commands.add_parser("check", help=words("validate podcast.yaml and every episode"))
    check.set_defaults(run=cmd_check)

    build = commands.add_parser("build", help=words("build site/: audio, feed and pages"))
    build.add_argument("--output", help=words("output folder (default: site/ in the podcast folder)"))
    build.add_argument("--allow-enclosure-change", action="store_true", help=words("publish even though an episode's audio address changes (renamed episode, moved site)"))
    build.add_argument("--full", action="store_true", help=words("do every step even when nothing changed since the last build"))
    build.add_argument("--jobs", type=int, metavar="N", help=words("recordings processed at once (default: one per core, as memory allows)"))
    build.add_argument("--report", action="store_true", help=words("print each episode's loudness before and after processing"))
    build.set_defaults(run=cmd_build)

    transcribe = commands.add_parser("transcribe", help=words("write a draft transcript of episodes by speech recognition, on this computer"))
    transcribe.add_argument("slugs", nargs="*", metavar="SLUG", help=words("episodes to transcribe (default: all that have no transcript)"))
    transcribe.add_argument("--force", action="store_true", help=words("make a draft again (never replaces a transcript people wrote or reviewed)"))
    transcribe.set_defaults(run=cmd_transcribe)

    serve = commands.add_parser("serve", help=words("preview site/ on this computer (with seeking)"))
    serve.add_argument("--host", default="127.0.0.1", help=words("address to listen on (default: 127.0.0.1)"))
    serve.add_argument("--port", type=int, default=8000, help=words("port to listen on (default: 8000)"))
    serve.set_defaults(run=cmd_serve)

    studio = commands.add_parser("studio", help=words("open the studio: the podcast folder in the browser, on this computer only"))
    studio.add_argument("--port", type=int, default=0, help=words("port to listen on (default: a free one)"))
    studio.add_argument("--no-browser", action="store_true", help=words("print the address, do not open the browser"))
    studio.set_defaults(run=cmd_studio)

    publish = commands.add_parser("publish", help=words("send site/ to a target of podcast.yaml: media, then pages, then the feed"))
    publish.add_argument("--target", help=words("name of the target in podcast.yaml (needed when there are several)"))
    what = publish.add_mutually_exclusive_group()
    what.add_argument("--dry-run", action="store_true", help=words("print what would be sent where, change nothing"))
    what.add_argument("--rollback", action="store_true", help=words("go back to the previous release (local and ssh targets)"))
    what.add_argument("--only-check", action="store_true", help=words("only check the live site, publish nothing"))
    publish.add_argument("--check", action="store_true", help=words("after publishing, fetch the feed and HEAD every enclosure"))
    publish.set_defaults(run=cmd_publish)

    importing = commands.add_parser("import", help=words("create episode folders from an existing podcast feed (GUIDs kept)"))
    importing.add_argument("feed", help=words("the feed: an https address or a file on this computer"))
    importing.add_argument("--media", help=words("folder holding the episodes' audio files already (matched by file name or GUID)"))
    importing.add_argument("--owner-email", help=words("the owner's e-mail, needed to import a locked feed (podcast:locked)"))
    importing.add_argument("--base-url", help=words("the https address where portevoix will publish (default: the old site's address)"))
    importing.set_defaults(run=cmd_import)

    stats = commands.add_parser("stats", help=words("count downloads from the web server's access logs (nothing personal kept); private report in stats/"))
    stats.add_argument("logs", nargs="*", metavar="LOGFILE", help=words("access logs: nginx or Apache combined, plain or .gz, rotated sets; S3 access logs (a folder of them)"))
    stats.add_argument("--csv", metavar="FILE", help=words("also write one row per date,episode,app,downloads"))
    stats.add_argument("--since", type=dt.date.fromisoformat, help=words("report from this day on, YYYY-MM-DD"))
    stats.add_argument("--episode", metavar="SLUG", help=words("report this episode only (its folder name)"))
    stats.add_argument("--output", help=words("folder of the report and its state (default: stats/ in the podcast folder)"))
    stats.add_argument("--refresh-agents", action="store_true", help=words("download the newest OPAWG list of podcast apps and bots first"))
    stats.set_defaults(run=cmd_stats)
    return main_parser


@contextmanager
def argparse_words():
    """argparse's own words (usage:, options, its errors) in French when the user's locale is French.

    argparse looks each of them up through its module's gettext function when it prints them: it is
    given a French one while the command line is parsed, and its own back afterwards."""
    if language() != "fr":
        yield
        return
    english = argparse._  # type: ignore[attr-defined]
    argparse._ = lambda text: ARGPARSE_FR.get(text) or english(text)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = english  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    with argparse_words():
        args = parser().parse_args(argv)
    args.root = args.root.resolve()
    level = logging.DEBUG if args.debug else logging.INFO if args.verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(message)s", stream=sys.stderr)
    try:
        return args.run(args)
    except PortevoixError as exc:
        if args.debug:
            raise
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(say("interrupted"), file=sys.stderr)
        return 130
    except OSError as exc:
        # The machine's faults (a full disk, a read-only folder, a folder deleted meanwhile): one line, no traceback.
        # Whatever a build had written is in its staging folder, already removed: the previous site is as it was.
        if args.debug:
            raise
        print(system_fault(exc), file=sys.stderr)
        return 1


def system_fault(exc: OSError) -> str:
    """One line for an OSError: the file it concerns, and what to do."""
    where = exc.filename or "portevoix"
    key = {errno.ENOSPC: "fault_no_space", errno.EDQUOT: "fault_no_space", errno.EROFS: "fault_read_only",
           errno.EACCES: "fault_denied", errno.EPERM: "fault_denied", errno.ENOENT: "fault_vanished"}.get(exc.errno or 0)
    if key is None:
        return f"{where}: {exc.strerror or exc}"
    return f"{where}: {say(key)}"
