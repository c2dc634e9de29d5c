"""The command line: thin, it parses arguments and calls one function per command.

Expected errors are printed one per line, without a traceback (unless --debug),
and the exit status is 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.errors import PortevoixError

log = logging.getLogger("pipeline")


def cmd_new(args: argparse.Namespace) -> int:
    from pipeline.new import new_episode

    folder = new_episode(args.root, args.title, Path(args.audio).expanduser(), args.date)
    print(f"created {folder.relative_to(args.root)}/episode.md: fill in the summary, speakers and chapters, then run 'portevoix check'")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from pipeline.load import load_podcast

    podcast = load_podcast(args.root)
    print(f"{len(podcast.episodes)} episodes, no problem found")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from pipeline.build import build

    result = build(args.root, Path(args.output).resolve() if args.output else None)
    print(f"{len(result.built)} episodes, {result.processed} recordings processed, site written to {result.output}")
    if args.report:
        from pipeline.report import summary_line, svg_name

        for item in result.built:
            print(summary_line(item.episode.slug, item.audio))
            print(f"  picture: {result.output / svg_name(item.episode.slug)}")
    print(f"preview it with: portevoix serve{' -C ' + str(args.root) if args.root != Path.cwd() else ''}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from pipeline.build import OUTPUT_DIR
    from pipeline.serve import make_server

    site = args.root / OUTPUT_DIR
    if not (site / "index.html").is_file():
        raise PortevoixError(f"{site}: no site built yet; run 'portevoix build' first")
    server = make_server(site, args.host, args.port)
    print(f"serving {site} on http://{args.host}:{server.server_port}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(prog="portevoix", description="Publish recorded debates as a podcast and web pages.")
    main_parser.add_argument("-C", dest="root", type=Path, default=Path.cwd(), help="podcast folder (default: current folder)")
    main_parser.add_argument("-v", "--verbose", action="store_true", help="say what is being done")
    main_parser.add_argument("--debug", action="store_true", help="show tracebacks and debug messages")
    main_parser.add_argument("--version", action="version", version=f"portevoix {__version__}")
    commands = main_parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    new = commands.add_parser("new", help="create an episode folder from a recording")
    new.add_argument("title", help="title of the episode")
    new.add_argument("--audio", required=True, help="the recording (copied, never modified)")
    new.add_argument("--date", type=dt.date.fromisoformat, help="date of the recording, YYYY-MM-DD (default: today)")
    new.set_defaults(run=cmd_new)

    check = commands.add_parser("check", help="validate podcast.yaml and every episode")
    check.set_defaults(run=cmd_check)

    build = commands.add_parser("build", help="build site/: audio, feed and pages")
    build.add_argument("--output", help="output folder (default: site/ in the podcast folder)")
    build.add_argument("--report", action="store_true", help="print each episode's loudness before and after processing")
    build.set_defaults(run=cmd_build)

    serve = commands.add_parser("serve", help="preview site/ on this computer (with seeking)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=cmd_serve)
    return main_parser


def main(argv: list[str] | None = None) -> int:
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
        print("interrupted", file=sys.stderr)
        return 130
