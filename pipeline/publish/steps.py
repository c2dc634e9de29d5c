"""`portevoix publish`, as named steps.

1. Read podcast.yaml and the built site; choose the target (its kind, from `targets.py`, opens it).
2. Lock: one publish at a time (and no build swapping site/ meanwhile).
3. Plan: compare the site with what the target holds; --dry-run stops here.
4. Media (audio, sidecars, images) first, then verify each file sent (size and checksum).
5. Pages, then the feed, last.
6. Switch: the new release goes live (local/ssh), or leftovers are removed (s3).
7. Optionally check the live site: the feed, and a HEAD of every enclosure.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from pipeline import paths
from pipeline.source.config import load_config
from pipeline.errors import PortevoixError, ProblemCollector
from pipeline.i18n import language, say
from pipeline import failpoints
from pipeline.publish.lock import folder_lock
from pipeline.publish.plan import FEED, MEDIA, PAGES, Plan, make_plan
from pipeline.textfmt import human_bytes
from pipeline.publish.settings import choose_target
from pipeline.publish.targets import Target
from pipeline.publish.verify import CheckResult, check_site

log = logging.getLogger(__name__)

SITE_DIR = "site"


@dataclass
class PublishResult:
    lines: list[str]
    check: CheckResult | None = None


def load_settings(root: Path, name: str | None):
    problems = ProblemCollector()
    config = load_config(root, problems)
    problems.raise_if_any()
    assert config is not None
    target = choose_target(config.publish, name)
    refused = target.refuse_place(root)
    if refused:
        raise PortevoixError(refused)
    return config, target


def built_site(root: Path) -> Path:
    site = root / SITE_DIR
    if not (site / paths.FEED).is_file() or not (site / paths.INDEX).is_file():
        raise PortevoixError(say("publish_no_site", site=site))
    return site


def send_in_order(target: Target, plan: Plan) -> None:
    """Media, verified; then pages; then the feed alone."""
    media = plan.group(MEDIA)
    changed_media = plan.changed(MEDIA)
    if failpoints.holding("media") and len(changed_media) > 1:
        target.send(plan, changed_media[:1])  # a fault test stops us with some media sent, not all
        failpoints.reach("media")
    target.send(plan, media)
    target.verify(plan, changed_media)
    failpoints.reach("pages")
    target.send(plan, plan.group(PAGES))
    target.send(plan, plan.group(FEED))


def planned(root: Path, name: str | None) -> tuple[Plan, str]:
    """What a publish of the built site to target `name` would do, and where (`publish --dry-run`, the studio's plan).

    Steps 1 and 3 only: reading the target changes nothing there."""
    config, settings = load_settings(root, name)
    site = built_site(root)
    target = settings.open(site)
    previous, published_feed = target.read_state()
    return make_plan(site, previous, published_feed, config.base_url), target.where


def publish(root: Path, name: str | None = None, *, dry_run: bool = False, rollback: bool = False, check: bool = False) -> PublishResult:
    if dry_run and not rollback:
        plan, where = planned(root, name)
        return PublishResult([say("publish_dry_run"), *plan.describe(where)])
    # 1. Settings and site.
    config, settings = load_settings(root, name)
    if rollback and settings.rollback_refused:
        raise PortevoixError(say("publish_where", where=settings.name, problem=settings.rollback_refusal()))
    site = built_site(root) if not rollback else root / SITE_DIR
    target = settings.open(site)

    # 2. Locks.
    with folder_lock(root, settings.name), target.lock():
        previous, published_feed = target.read_state()
        if rollback:
            return PublishResult([target.rollback()])
        # 3. Plan.
        plan = make_plan(site, previous, published_feed, config.base_url)
        for line in plan.describe(target.where):
            log.info("%s", line)
        if previous and not plan.changed() and not plan.removed:
            return PublishResult([say("publish_unchanged", where=target.where)],
                                 check_site(config.base_url, settings.check_url) if check else None)
        # 4 and 5. Media, verified; pages; feed last.
        target.begin(plan)
        send_in_order(target, plan)
        # 6. Switch / clean up.
        target.finish(plan)
    summary = say("publish_done", where=target.where, release=target.describe_release(), count=len(plan.changed()),
                  size=human_bytes(plan.bytes_to_send(), language()), unchanged=plan.unchanged)
    result = PublishResult([summary])
    # 7. Check the live site.
    if check:
        result.check = check_site(config.base_url, settings.check_url)
    return result


def check_only(root: Path, name: str | None) -> CheckResult:
    config, settings = load_settings(root, name)
    return check_site(config.base_url, settings.check_url)
