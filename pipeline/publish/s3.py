"""An S3-compatible target (AWS, Scaleway, OVH, Garage, MinIO…), through boto3.

Objects cannot be switched together, so order does the work: media first,
checked (size and MD5 by the storage itself), then pages, then the feed object
last. Media carries a long, immutable Cache-Control; the feed and pages a short
one. Only objects a previous publish put there can be deleted, and never media
that the published feed still references.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import mimetypes
import os
import socket
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import PortevoixError
from pipeline.i18n import say
from pipeline import failpoints
from pipeline.paths import FEED
from pipeline.publish.plan import MEDIA, Manifest, Plan, group_of, manifest_json, parse_manifest, site_files
from pipeline.publish.targets import Endpoint, Target, TargetSettings, register
from pipeline.site.serve import EXTRA_TYPES
from pipeline.source.fields import Boolean, Text, shown

log = logging.getLogger(__name__)

STATE_PREFIX = ".portevoix/"
MANIFEST_KEY = STATE_PREFIX + "manifest.json"
LOCK_KEY = STATE_PREFIX + "lock.json"
LOCK_STALE_AFTER = dt.timedelta(hours=1)
CACHE_MEDIA = "public, max-age=31536000, immutable"
CACHE_SHORT = "public, max-age=300"


def content_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    kind = EXTRA_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/rss+xml", "application/json", "application/javascript"):
        kind += "; charset=utf-8"
    return kind


def cache_control(name: str) -> str:
    return CACHE_MEDIA if group_of(name) == MEDIA else CACHE_SHORT


class HoldingReader:
    """A file being uploaded that stops half-way when a fault test asks to hold at `feed`."""

    def __init__(self, handle, size: int):
        self.handle, self.half, self.read_so_far = handle, size // 2, 0

    def read(self, amount: int = -1) -> bytes:
        if self.read_so_far >= self.half:
            failpoints.reach("feed")
        if amount is None or amount < 0 or self.read_so_far + amount > self.half > self.read_so_far:
            amount = self.half - self.read_so_far
        data = self.handle.read(amount)
        self.read_so_far += len(data)
        return data

    def __getattr__(self, name):
        return getattr(self.handle, name)


CORS_RULE = {
    "ID": "portevoix-players",
    "AllowedOrigins": ["*"],
    "AllowedMethods": ["GET", "HEAD"],
    "AllowedHeaders": ["Range"],
    "ExposeHeaders": ["Content-Length", "Content-Range", "Accept-Ranges"],
    "MaxAgeSeconds": 86400,
}


@register
class S3Settings(TargetSettings):
    kind = "s3"
    needs = ("bucket",)
    rollback_refused = "publish_s3_no_rollback"

    bucket = Text(doc="s3: the bucket's name.")
    prefix = Text(default="", doc="s3: folder inside the bucket, e.g. podcast/ (default: the bucket's root).")
    endpoint_url = Endpoint(doc="s3: the storage's API address, for providers other than AWS (e.g. https://s3.fr-par.scw.cloud).")
    region = Text(doc="s3: the bucket's region (default: from your AWS settings).")
    profile = Text(doc="s3: a named profile of ~/.aws/credentials (default: the standard AWS variables).")
    public_read = Boolean(default=False, doc="s3: give each object the public-read ACL (for providers where bucket policies do not make a bucket public).")

    def check(self, errors: list[tuple[str, str]], prefix: str) -> None:
        if self.prefix:
            parts = self.prefix.strip("/").split("/")
            if any(part in ("", ".", "..") for part in parts):
                errors.append((prefix + "prefix", say("publish_s3_prefix", prefix=shown(self.prefix))))
            else:
                self.prefix = "/".join(parts) + "/"

    def log_prefix(self) -> str | None:
        return "/" + (self.prefix or "")

    def open(self, site: Path) -> Target:
        return S3Target(self, site)


class S3Target:
    def __init__(self, target: S3Settings, site: Path):
        self.target = target
        self.site = site
        self.prefix = target.prefix or ""
        self.where = f"{target.name} (s3://{target.bucket}/{self.prefix})"
        self.release_id = ""
        self._client = None
        self.previous_keys: set[str] = set()

    @property
    def client(self):
        if self._client is None:
            import boto3
            from botocore.config import Config

            try:
                session = boto3.Session(profile_name=self.target.profile, region_name=self.target.region)
            except Exception as exc:  # botocore.exceptions.ProfileNotFound
                raise PortevoixError(say("publish_where", where=self.where, problem=exc)) from None
            config = Config(connect_timeout=15, read_timeout=120, retries={"max_attempts": 3, "mode": "standard"})
            self._client = session.client("s3", endpoint_url=self.target.endpoint_url, config=config)
        return self._client

    @contextmanager
    def errors(self):
        """Turn what boto3 raises into one line that says what to fix."""
        from botocore import exceptions as bx

        try:
            yield
        except bx.NoCredentialsError:
            raise PortevoixError(say("publish_s3_no_credentials", where=self.where)) from None
        except bx.EndpointConnectionError:
            raise PortevoixError(say("publish_s3_unreachable", where=self.where, endpoint=self.target.endpoint_url or "AWS")) from None
        except bx.ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in ("NoSuchBucket",):
                raise PortevoixError(say("publish_s3_no_bucket", where=self.where, bucket=self.target.bucket)) from None
            if code in ("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "403"):
                raise PortevoixError(say("publish_s3_refused", where=self.where, code=code, bucket=self.target.bucket)) from None
            raise PortevoixError(say("publish_s3_answered", where=self.where, code=code or say("publish_s3_an_error"),
                                     message=exc.response.get("Error", {}).get("Message", exc))) from None
        except bx.BotoCoreError as exc:
            raise PortevoixError(say("publish_where", where=self.where, problem=exc)) from None

    def key(self, name: str) -> str:
        return self.prefix + name

    def get(self, key: str) -> bytes | None:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.target.bucket, Key=key)["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise

    # -- reading ----------------------------------------------------------
    def read_state(self) -> tuple[Manifest, bytes | None]:
        with self.errors():
            self.client.head_bucket(Bucket=self.target.bucket)
            stored = parse_manifest((self.get(self.key(MANIFEST_KEY)) or b"{}").decode())
            self.previous_keys = set(stored)
            # What is really there counts, not only what the manifest says (an interrupted run sent more).
            present = {}
            paginator = self.client.get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=self.target.bucket, Prefix=self.prefix):
                for item in page.get("Contents", []):
                    present[item["Key"][len(self.prefix):]] = (item["Size"], item["ETag"].strip('"'))
            manifest = {}
            site_names = {p.relative_to(self.site).as_posix() for p in site_files(self.site)}
            for name in site_names | set(stored):
                if name in present:
                    size, etag = present[name]
                    known = stored.get(name)
                    manifest[name] = known if known and known.size == size and known.md5 == etag else _from_listing(size, etag)
            feed = self.get(self.key(FEED))
        return manifest, feed

    # -- locking ----------------------------------------------------------
    @contextmanager
    def lock(self):
        """A lock object: refused while another publish holds it (unless stale), removed at the end."""
        me = {"host": socket.gethostname(), "pid": os.getpid(), "since": dt.datetime.now(dt.timezone.utc).isoformat()}
        with self.errors():
            held = self.get(self.key(LOCK_KEY))
            if held and not self._stale(held):
                raise PortevoixError(say("publish_busy_s3", where=self.where, lock=LOCK_KEY))
            self.client.put_object(Bucket=self.target.bucket, Key=self.key(LOCK_KEY), Body=json.dumps(me).encode(),
                                   ContentType="application/json", CacheControl="no-store")
        try:
            yield
        finally:
            with self.errors():
                self.client.delete_object(Bucket=self.target.bucket, Key=self.key(LOCK_KEY))

    @staticmethod
    def _stale(held: bytes) -> bool:
        try:
            owner = json.loads(held)
            since = dt.datetime.fromisoformat(owner["since"])
        except (ValueError, KeyError, TypeError):
            return True
        if owner.get("host") == socket.gethostname():
            try:
                os.kill(int(owner["pid"]), 0)
            except (ProcessLookupError, ValueError):
                return True  # its publish died on this machine
            except PermissionError:
                return False
        return dt.datetime.now(dt.timezone.utc) - since > LOCK_STALE_AFTER

    # -- sending ----------------------------------------------------------
    def begin(self, plan: Plan) -> None:
        self.release_id = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        self.allow_players()

    def allow_players(self) -> None:
        """Let browser players on other sites read chapters and transcripts: a CORS rule on the bucket.

        The bucket's own rules are kept; ours is added only when none already lets any origin GET.
        A storage that refuses (no right to change the bucket's settings) gets a warning saying what to do.
        """
        from botocore.exceptions import ClientError

        bucket = self.target.bucket
        try:
            rules = self.client.get_bucket_cors(Bucket=bucket).get("CORSRules", [])
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "NoSuchCORSConfiguration":
                log.warning("%s", say("publish_s3_cors_unreadable", where=self.where, code=exc.response.get("Error", {}).get("Code"),
                                      advice=say("publish_s3_cors_advice")))
                return
            rules = []
        if any("*" in r.get("AllowedOrigins", []) and "GET" in r.get("AllowedMethods", []) for r in rules):
            return
        try:
            self.client.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [*rules, CORS_RULE]})
            log.info("%s: CORS rule added for browser players", self.where)
        except ClientError as exc:
            log.warning("%s", say("publish_s3_cors_refused", where=self.where, code=exc.response.get("Error", {}).get("Code"),
                                  advice=say("publish_s3_cors_advice")))

    def send(self, plan: Plan, names: list[str]) -> None:
        changed = set(plan.changed())
        with self.errors():
            for name in names:
                if name not in changed:
                    continue
                entry = plan.manifest[name]
                path = self.site / name
                with path.open("rb") as handle:
                    body = HoldingReader(handle, entry.size) if name == FEED and failpoints.holding("feed") else handle
                    log.info("sending %s (%d bytes)", name, entry.size)
                    extra = {"ACL": "public-read"} if self.target.public_read else {}
                    self.client.put_object(
                        **extra,
                        Bucket=self.target.bucket, Key=self.key(name), Body=body,
                        ContentType=content_type(name), CacheControl=cache_control(name),
                        ContentMD5=base64.b64encode(bytes.fromhex(entry.md5)).decode(),
                        Metadata={"sha256": entry.sha256},
                    )

    def verify(self, plan: Plan, names: list[str]) -> None:
        with self.errors():
            for name in names:
                entry = plan.manifest[name]
                head = self.client.head_object(Bucket=self.target.bucket, Key=self.key(name))
                if head["ContentLength"] != entry.size or head["ETag"].strip('"') != entry.md5:
                    raise PortevoixError(say("publish_s3_damaged", where=self.where, name=name))

    def finish(self, plan: Plan) -> None:
        """After the feed: record what is published, then delete what we published before and nothing references."""
        stored = dict(plan.manifest)
        stored.update({name: plan.previous[name] for name in plan.retained})
        with self.errors():
            self.client.put_object(Bucket=self.target.bucket, Key=self.key(MANIFEST_KEY), Body=manifest_json(stored).encode(),
                                   ContentType="application/json", CacheControl="no-store")
            for name in plan.removed:
                if name in self.previous_keys:
                    log.info("deleting %s", name)
                    self.client.delete_object(Bucket=self.target.bucket, Key=self.key(name))

    def rollback(self) -> str:
        raise PortevoixError(say("publish_where", where=self.where, problem=self.target.rollback_refusal()))

    def describe_release(self) -> str:
        return say("publish_s3_in_place")


def _from_listing(size: int, etag: str):
    from pipeline.publish.plan import Entry

    return Entry(size, "", etag)
