"""Debian's nginx on 127.0.0.1, a free port, its configuration, prefix and logs in a temporary folder."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from .net import free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

CONFIG = r"""
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
{user}
events {{ worker_connections 64; }}
http {{
  types {{ text/html html; text/css css; audio/mpeg mp3; audio/ogg opus; image/jpeg jpg; image/svg+xml svg;
          application/json json; application/rss+xml xml; text/vtt vtt; }}
  default_type application/octet-stream;
  access_log {tmp}/access.log combined;
  # For the test's own eyes only: the Range header each client sent (stats reads the combined log above).
  log_format ranges '$http_range|$status|$body_bytes_sent|$http_user_agent';
  access_log {tmp}/ranges.log ranges;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {site};
    index index.html;
    # The browser's file, slow enough that its first request is still running when it seeks.
    location ~ \.opus$ {{ limit_rate 300k; }}
  }}
}}
"""


@contextmanager
def nginx(site: Path, tmp: Path, template: str = CONFIG, **values: str):
    """nginx in the foreground serving `site` with the configuration `template`; yields (base URL, its access log)."""
    port = free_port()
    config = tmp / "nginx.conf"
    # Workers run as the user starting the test (root in CI reads the temporary folder, which is private).
    user = "user root;" if os.geteuid() == 0 else ""
    config.write_text(template.format(tmp=tmp, port=port, site=site, user=user, **values), encoding="utf-8")
    process = subprocess.Popen([NGINX, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(config)], stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(base, timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"nginx did not start: {process.stderr.read() if process.poll() is not None else ''}") from None
                time.sleep(0.1)
        yield base, tmp / "access.log", tmp / "ranges.log"
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
