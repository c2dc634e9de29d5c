"""The studio for tests: `portevoix studio` as a subprocess on a free port, and a small podcast folder.

`studio(root)` yields a `Studio`: its base address, its token and helpers that send raw requests
(any Host, Origin or cookie) with http.client, so that the security rules are tested against the real
server as a browser on another site would reach it.
"""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from support.cli import REPO

DEMO_EPISODE = "2017-10-03-construire-la-riposte"


def small_podcast(folder: Path) -> Path:
    """A podcast folder: the demo's podcast.yaml and cover, and one demo episode (1.5 MB of MP3)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "podcast.yaml", folder / "podcast.yaml")
    shutil.copy(REPO / "cover.jpg", folder / "cover.jpg")
    shutil.copytree(REPO / "episodes" / DEMO_EPISODE, folder / "episodes" / DEMO_EPISODE)
    return folder


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str


@dataclass
class Studio:
    url: str
    port: int
    token: str
    cookie: str = ""

    def request(self, method: str, path: str, *, host: str | None = None, headers: dict[str, str] | None = None,
                body: bytes | str | None = None, cookie: bool = True) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": host or f"127.0.0.1:{self.port}", **(headers or {})}
        if cookie and self.cookie:
            sent["Cookie"] = self.cookie
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        answer = Answer(response.status, response.headers, response.read().decode("utf-8", "replace"))
        connection.close()
        return answer

    def log_in(self) -> str:
        """Open the first address (with the token) as the browser does; keeps the cookie it sets."""
        answer = self.request("GET", f"/?token={self.token}", cookie=False)
        assert answer.status == 303, answer.status
        set_cookie = answer.headers["Set-Cookie"]
        self.cookie = set_cookie.split(";")[0]
        return set_cookie

    def csrf(self, path: str = "/settings") -> str:
        match = re.search(r'name="csrf" value="([^"]+)"', self.request("GET", path).body)
        assert match
        return match.group(1)

    def post_form(self, path: str, fields: dict[str, str], origin: str | None = "same", **kw) -> Answer:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if origin == "same":
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        elif origin:
            headers["Origin"] = origin
        return self.request("POST", path, headers=headers, body=urlencode(fields), **kw)


@contextmanager
def studio(root: Path, language: str = "en"):
    """`portevoix -C root studio --no-browser --port 0`, stopped at the end."""
    env = {"PATH": "/usr/bin:/bin", "LANG": "fr_FR.UTF-8" if language == "fr" else "C.UTF-8", "HOME": str(root)}
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "-C", str(root), "studio", "--no-browser", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
    try:
        line = process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]+))", line)
        assert match, f"studio did not start: {line!r} {process.stderr.read() if process.poll() is not None else ''}"
        yield Studio(url=match.group(1), port=int(match.group(2)), token=match.group(3))
    finally:
        process.terminate()
        process.wait(timeout=10)


def field_block(body: str, html_id: str) -> str:
    """The <div class="field"> of one control: its label, control, help and problems."""
    match = re.search(rf'<div class="field[^"]*">\s*<label for="{html_id}">.*?</div>', body, re.S)
    assert match, html_id
    return match.group(0)


@pytest.fixture(scope="module")
def podcast(tmp_path_factory):
    """A small podcast folder for one test module (import this fixture and `server` into it)."""
    return small_podcast(tmp_path_factory.mktemp("studio") / "podcast")


@pytest.fixture(scope="module")
def server(podcast):
    """The studio on that folder, logged in."""
    with studio(podcast) as running:
        running.log_in()
        yield running
