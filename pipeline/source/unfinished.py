"""What is surely unfinished in a podcast folder: `check` warns about it, and does not refuse it.

A podcast made with `init` and `new` is valid from the start, so that it can be built and looked
at at once; these are the traces of that start that should not be published as they are.
"""

from __future__ import annotations

from pipeline.source.config import CONFIG_FILE
from pipeline.errors import Problem
from pipeline.i18n import say
from pipeline.media.images import is_generated_cover
from pipeline.source.new import PLACEHOLDER_NOTES

EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")
EXAMPLE_SUFFIXES = (".example", ".test", ".invalid", ".localhost")
"""Domains reserved for examples and tests (RFC 2606): no mail ever reaches them."""


def is_example_address(email: str) -> bool:
    domain = email.rpartition("@")[2].lower().rstrip(".")
    return domain in EXAMPLE_DOMAINS or domain.endswith(tuple("." + d for d in EXAMPLE_DOMAINS)) or domain.endswith(EXAMPLE_SUFFIXES)


def unfinished(podcast) -> list[Problem]:
    """The warnings: the generated cover, an example owner e-mail, placeholder notes, empty summaries."""
    warnings: list[Problem] = []
    config = podcast.config
    if is_generated_cover(podcast.root / config.cover):
        warnings.append(Problem(CONFIG_FILE, say("unfinished_cover", cover=config.cover), "cover"))
    if config.owner is not None and is_example_address(config.owner.email):
        warnings.append(Problem(CONFIG_FILE, say("unfinished_email", email=config.owner.email), "owner.email"))
    for episode in reversed(podcast.episodes):  # oldest first, as the folders are listed
        shown = episode.source_file.relative_to(podcast.root).as_posix()
        if any(text in episode.notes for text in PLACEHOLDER_NOTES.values()):
            warnings.append(Problem(shown, say("unfinished_notes"), "notes"))
        if not episode.meta.summary:
            warnings.append(Problem(shown, say("unfinished_summary"), "summary"))
    return warnings
