"""Shared by the publish tests: a tiny podcast in two versions, real servers on loopback, a reader.

- `sites`: a podcast built twice (v1: episodes A and B; v2: A edited, B removed, C added).
- `sshd`: Debian's OpenSSH server, unprivileged config in a temporary folder, on a free high port.
- `moto`: moto's standalone S3 server, as a subprocess.
- `read_site`: what a podcast app and a browser see: the feed, every enclosure, every media link of the pages.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from pathlib import Path

import pytest

from support.cli import REPO, run_cli
from support.files import tree_digest
from support.podcasts import CONFIG, GOOD, make_podcast, add_episodes
from support.net import free_port

BASE_URL = "https://podcast.example.org/"
SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


def wait_for_port(port: int, process: subprocess.Popen, what: str, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited: {log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on port {port}")


# -- the podcast, twice ------------------------------------------------------
@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> dict[str, Path]:
    """{"v1": podcast folder, "v2": podcast folder}, each with its built site/."""
    base = tmp_path_factory.mktemp("publish-podcast")
    guids = {slug: str(uuid.uuid4()) for slug in ("a", "b", "c")}
    v1 = make_podcast(base / "v1", {
        "2024-03-20-a": GOOD.format(guid=guids["a"]),
        "2024-03-21-b": GOOD.format(guid=guids["b"]).replace("Un bon épisode", "Deuxième débat").replace("2024-03-20T", "2024-03-21T"),
    })
    result = run_cli(v1, "build")
    assert result.returncode == 0, result.stderr
    v2 = base / "v2"
    shutil.copytree(v1, v2, symlinks=True, ignore=shutil.ignore_patterns("site"))
    shutil.rmtree(v2 / "episodes" / "2024-03-21-b")
    page = v2 / "episodes" / "2024-03-20-a" / "episode.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Des notes.", "Des notes, corrigées."), encoding="utf-8")
    add_episodes(v2, {"2024-03-22-c": GOOD.format(guid=guids["c"]).replace("Un bon épisode", "Troisième débat").replace("2024-03-20T", "2024-03-22T")})
    result = run_cli(v2, "build")
    assert result.returncode == 0, result.stderr
    return {"v1": v1, "v2": v2}


def podcast_folder(tmp_path: Path, publish_yaml: str) -> Path:
    """A podcast folder for one test: config with its publish section; its site/ is set by use_site."""
    folder = tmp_path / "podcast"
    folder.mkdir(parents=True)
    (folder / "podcast.yaml").write_text(CONFIG + publish_yaml, encoding="utf-8")
    shutil.copy2(REPO / "cover.jpg", folder / "cover.jpg")
    return folder


def use_site(folder: Path, sites: dict[str, Path], version: str) -> None:
    """Put the built site of `version` in place, as `portevoix build` would have."""
    if (folder / "site").exists():
        shutil.rmtree(folder / "site")
    shutil.copytree(sites[version] / "site", folder / "site")


def publish(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run_cli(folder, "publish", *args, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    return result


@contextmanager
def publish_held_at(folder: Path, point: str, *args: str):
    """A publish started and held at `point` (its locks taken) for the block; then SIGKILLed with its rsync/ssh."""
    env = {**os.environ, "PORTEVOIX_TEST_HOOK": f"hold@{point}"}
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "-C", str(folder), "publish", *args], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    seen = []
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line:
                break
            seen.append(line)
            if f"holding at {point}" in line:
                yield process
                return
        raise AssertionError(f"publish never reached {point}: {''.join(seen)}")
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def publish_killed_at(folder: Path, point: str, *args: str) -> None:
    """Start a publish, wait until it reaches `point`, then SIGKILL it (and the rsync/ssh it started)."""
    with publish_held_at(folder, point, *args):
        pass


# -- what a reader sees -----------------------------------------------------
def fetch(url: str, method: str = "GET") -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), b""


def read_site(reach: str) -> bytes | None:
    """Fetch the feed at `reach` (what base_url maps to), then every enclosure it announces and every
    media link of the episode pages; assert each is there, enclosures with the announced length.
    Returns the feed (None when there is none yet)."""
    status, _, feed = fetch(reach + "feed.xml")
    if status == 404:
        return None
    assert status == 200
    root = ET.fromstring(feed)
    items = root.findall("./channel/item")
    assert items
    for item in items:
        enclosure = item.find("enclosure")
        url = enclosure.get("url").replace(BASE_URL, reach)
        status, headers, body = fetch(url)
        assert status == 200, url
        assert len(body) == int(enclosure.get("length")), f"{url}: {len(body)} bytes, feed says {enclosure.get('length')}"
        page_url = item.findtext("link").replace(BASE_URL, reach)
        status, _, page = fetch(page_url + "index.html" if page_url.endswith("/") else page_url)
        assert status == 200, page_url
        for link in re.findall(r'(?:src|href)="([^"]+\.(?:mp3|opus|vtt|srt|json|jpg))"', page.decode()):
            target = urllib.request.urljoin(page_url, link).replace(BASE_URL, reach)
            status, _, _ = fetch(target, "HEAD")
            assert status == 200, f"{page_url} links to {target}, which is missing"
    return feed


def enclosure_names(feed: bytes) -> set[str]:
    return {e.get("url").removeprefix(BASE_URL) for e in ET.fromstring(feed).iter("enclosure")}


def still_announced(sites: dict[str, Path]) -> set[str]:
    """Media the v1 feed announces that v2 no longer holds: a publish of v2 must keep them."""
    feed = (sites["v1"] / "site/feed.xml").read_text(encoding="utf-8")
    announced = set(re.findall(re.escape(BASE_URL) + r'(media/[^"<\s]+)', feed))
    return {m for m in announced if not (sites["v2"] / "site" / m).exists()}


def serve_folder(folder: Path):
    """A tiny HTTP server (portevoix's own, with byte ranges) on `folder`, e.g. a target's current link."""
    from pipeline.site.serve import make_server

    server = make_server(folder, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture()
def web_root():
    """Serve a folder on loopback for the test: call with the folder, get its http://127.0.0.1:PORT/ address."""
    servers = []

    def start(folder: Path) -> str:
        server = serve_folder(folder)
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def target_snapshot(folder: Path) -> dict[str, str]:
    """Every file (with its content digest) and every link (with its target) below a target folder."""
    links = {p.relative_to(folder).as_posix(): "-> " + os.readlink(p) for p in folder.rglob("*") if p.is_symlink()}
    files = {k: v for k, v in tree_digest(folder).items() if not any(k.startswith(l + "/") for l in links)}
    dirs = {p.relative_to(folder).as_posix(): "dir" for p in folder.rglob("*") if p.is_dir() and not p.is_symlink()}
    return {**files, **links, **dirs}


# -- an OpenSSH server --------------------------------------------------------
@pytest.fixture(scope="session")
def sshd(tmp_path_factory):
    """sshd on 127.0.0.1:<free port>, its own config, host key and authorized key; yields a dict of settings."""
    if not os.path.exists(SSHD):
        pytest.fail("sshd is missing: run 'make test-deps' (Debian package openssh-server)")
    folder = tmp_path_factory.mktemp("sshd")
    for name in ("host_key", "user_key", "stranger_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(folder / name)], check=True)
    shutil.copy(folder / "user_key.pub", folder / "authorized_keys")
    port = free_port()
    (folder / "sshd_config").write_text(f"""\
Port {port}
ListenAddress 127.0.0.1
HostKey {folder}/host_key
AuthorizedKeysFile {folder}/authorized_keys
PidFile {folder}/sshd.pid
StrictModes no
UsePAM no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
LogLevel ERROR
""")
    if os.getuid() == 0:
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # privilege separation folder, needed when run as root
    host_key = (folder / "host_key.pub").read_text().split()
    (folder / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key[0]} {host_key[1]}\n")
    # The server's log goes to a file: a pipe nobody reads fills up and blocks the server.
    log = folder / "sshd.log"
    with log.open("w") as log_file:
        process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(folder / "sshd_config")], stderr=log_file)
    try:
        wait_for_port(port, process, "sshd", log)
        yield {"port": port, "user": getpass.getuser(), "key": folder / "user_key", "stranger": folder / "stranger_key",
               "known_hosts": folder / "known_hosts"}
    finally:
        process.terminate()
        process.wait(timeout=10)


def ssh_yaml(sshd: dict, path: Path, *, key: Path | None = None, port: int | None = None, extra: str = "") -> str:
    return f"""\
publish:
  vps:
    type: ssh
    host: 127.0.0.1
    port: {port or sshd['port']}
    user: {sshd['user']}
    identity_file: {key or sshd['key']}
    known_hosts: {sshd['known_hosts']}
    path: {path}
    keep: 3
{extra}"""


# -- an S3 server -------------------------------------------------------------
@pytest.fixture(scope="session")
def moto(tmp_path_factory):
    port = free_port()
    binary = Path(sys.executable).parent / "moto_server"
    # moto logs every request: to a file, since a pipe nobody reads fills up and blocks the server.
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with log.open("w") as log_file:
        process = subprocess.Popen([str(binary), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                                   stderr=log_file)
    try:
        wait_for_port(port, process, "moto_server", log)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture()
def s3_env(monkeypatch):
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")


def s3_client(endpoint: str):
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def new_bucket(endpoint: str) -> str:
    name = f"podcast-{uuid.uuid4().hex[:12]}"
    client = s3_client(endpoint)
    client.create_bucket(Bucket=name)
    # A website bucket: anyone may read (listeners fetch without credentials), only the publisher writes.
    client.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{name}/*"}]}))
    return name


def s3_yaml(endpoint: str, bucket: str, prefix: str = "site/") -> str:
    return f"""\
publish:
  cdn:
    type: s3
    bucket: {bucket}
    prefix: {prefix}
    endpoint_url: {endpoint}
    region: us-east-1
    public_read: true
    check_url: {endpoint}/{bucket}/{prefix}
"""


def bucket_snapshot(endpoint: str, bucket: str) -> dict[str, tuple]:
    client = s3_client(endpoint)
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            found[item["Key"]] = (item["Size"], item["ETag"])
    return found
