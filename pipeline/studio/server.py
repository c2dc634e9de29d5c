"""Running the studio: Werkzeug's threaded server on 127.0.0.1 only, on a free port or the one asked."""

from __future__ import annotations

import logging
import webbrowser
from pathlib import Path

from werkzeug.serving import make_server

from pipeline.i18n import say
from pipeline.studio.app import create_app
from pipeline.studio.guard import Guard

log = logging.getLogger(__name__)
HOST = "127.0.0.1"


def run_studio(root: Path, port: int = 0, open_browser: bool = True) -> None:
    """Serve the studio for `root` until interrupted; prints its address (with the token) first."""
    guard = Guard()
    server = make_server(HOST, port, None, threaded=True)  # type: ignore[arg-type]  # the app needs the port
    guard.port = server.port
    server.app = create_app(root, guard)
    address = f"http://{HOST}:{guard.port}/?token={guard.token}"
    print(say("studio_serving", url=address, root=root), flush=True)
    if open_browser:
        webbrowser.open(address)
    try:
        server.serve_forever()
    finally:
        server.server_close()
