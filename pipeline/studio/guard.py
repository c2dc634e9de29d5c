"""What keeps the studio to the person who started it (every web page they visit can reach 127.0.0.1).

- The server listens on 127.0.0.1 only (pipeline/studio/server.py).
- A random token in the first address; it is exchanged for an HttpOnly, SameSite=Strict cookie bound
  to 127.0.0.1 (no Domain), and every request without that cookie is refused.
- The Host header must name 127.0.0.1 or localhost on the studio's port: a hostile site that makes its
  own name resolve to 127.0.0.1 (DNS rebinding) sends its own name, and is refused.
- Every POST must come from the studio's own origin (Origin header) and carry the CSRF token of its form.
- Names of uploaded files are reduced to one safe file name; files the browser names are looked up only
  inside the podcast folder, links resolved.
"""

from __future__ import annotations

import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

View = TypeVar("View", bound=Callable[..., Any])

COOKIE = "portevoix_studio_{port}"
"""One cookie per port: cookies are not told apart by port, and two studios may run at once."""


@dataclass
class Guard:
    port: int = 0
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    @property
    def cookie(self) -> str:
        return COOKIE.format(port=self.port)

    def host_allowed(self, host: str | None) -> bool:
        return host in (f"127.0.0.1:{self.port}", f"localhost:{self.port}")

    def origin_allowed(self, origin: str | None, host: str) -> bool:
        return origin == f"http://{host}"

    def token_matches(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(str(given), self.token)

    def csrf_matches(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(str(given), self.csrf)


def safe_file_name(name: str) -> str:
    """One file name from what a browser sent: the last path part, letters, digits, '.', '-', '_'.

    "../../x.wav" -> "x.wav", "C:\\Users\\me\\débat.mp3" -> "debat.mp3"; "" when nothing is left."""
    last = re.split(r"[\\/]", name)[-1]
    ascii_name = unicodedata.normalize("NFKD", last).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip(".-_")
    return cleaned[:120]


def inside_folder(root: Path, relative: str) -> Path | None:
    """`root/relative` when it stays inside `root` (links resolved), else None."""
    if not relative or "\x00" in relative or relative.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", relative):
        return None
    candidate = (root / relative).resolve()
    return candidate if candidate.is_relative_to(root.resolve()) else None


def upload_limit(size: int) -> Callable[[View], View]:
    """Mark a view as taking at most `size` bytes: a larger request is refused (413) before its body is
    read, so before anything of it is stored (the app applies it before the CSRF check reads the form)."""

    def mark(view: View) -> View:
        view.upload_limit = size  # type: ignore[attr-defined]
        return view

    return mark
