"""The answers `portevoix init` (and the studio's "create a podcast") needs: asked, or given as flags.

Asked in the user's language, each re-asked until it is right, or given with `--yes`; both go through
`answer_problem`, which uses the same field checks as `podcast.yaml`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PortevoixError, Problem
from pipeline.i18n import language, say
from pipeline.media.images import cover_problems
from pipeline.source.config import Owner, PodcastConfig, apple_categories, apple_category_problem, language_problem
from pipeline.source.fields import FieldError

COVER_FILE = "cover.jpg"
SUGGESTED_CATEGORIES = (
    "Society & Culture",
    "News > Politics",
    "Government",
    "Education",
    "Society & Culture > Documentary",
    "News > News Commentary",
)
"""The Apple categories offered first: what collectives recording public debates usually choose."""


@dataclass
class Answers:
    """What `init` needs to know; everything else in podcast.yaml starts at its default."""

    title: str
    author: str
    email: str
    language: str
    base_url: str
    category: str = "Society & Culture"
    cover: Path | None = None
    """The collective's own cover; None: generate one."""


def canonical_category(text: str) -> str:
    """ "news > politics" -> "News > Politics": the spelling of Apple's list, when it is on it."""
    parent, _, child = (part.strip() for part in text.partition(">"))
    known = apple_categories()
    parent = next((name for name in known if name.lower() == parent.lower()), parent)
    if child:
        child = next((name for name in known.get(parent, []) if name.lower() == child.lower()), child)
        return f"{parent} > {child}"
    return parent


def normalised(key: str, value: str) -> str:
    """The answer as it will be written: trimmed, https:// added to a bare host name, a category in Apple's spelling."""
    value = value.strip()
    if key == "base_url":
        if value and "://" not in value:
            value = "https://" + value
        if value and not value.endswith("/"):
            value += "/"
    elif key == "category":
        value = canonical_category(value)
    elif key == "language":
        value = value.lower()
    return value


def answer_problem(key: str, value: str) -> str | None:
    """Why `value` is not a right answer for `key` (None when it is): the checks podcast.yaml gets."""
    if key == "category":
        return apple_category_problem(value)
    if key == "language":
        return language_problem(value) if value else say("init_empty")
    field = Owner.fields["email"] if key == "email" else PodcastConfig.fields[key]
    if not value:
        return say("init_empty")
    try:
        field.convert(value)
    except FieldError as exc:
        return str(exc)
    return None


def cover_problem(path: Path) -> str | None:
    if not path.is_file():
        return say("init_cover_missing", path=path)
    problems = cover_problems(path)
    return f"{path}: {'; '.join(problems)}" if problems else None


# The questions, in order: (answer, message key of the question).
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("title", "init_ask_title"),
    ("author", "init_ask_author"),
    ("email", "init_ask_email"),
    ("language", "init_ask_language"),
    ("base_url", "init_ask_base_url"),
    ("category", "init_ask_category"),
)


def ask_answers(given: dict[str, str | None], ask: Callable[[str], str] = input, tell: Callable[[str], None] = print) -> Answers:
    """Ask, one by one, what `given` does not hold yet; a wrong answer is explained and asked again."""
    values: dict[str, str] = {}
    tell(say("init_intro"))
    defaults = {"language": language(), "category": SUGGESTED_CATEGORIES[0]}
    for key, question in QUESTIONS:
        if given.get(key):
            values[key] = normalised(key, given[key] or "")
            continue
        if key == "category":
            tell(say("init_categories"))
            for number, name in enumerate(SUGGESTED_CATEGORIES, start=1):
                tell(f"  {number}. {name}")
        default = defaults.get(key, "")
        while True:
            raw = _ask(ask, say("init_prompt", question=say(question), default=f" [{default}]" if default else ""))
            if key == "category" and raw.isdigit() and 1 <= int(raw) <= len(SUGGESTED_CATEGORIES):
                raw = SUGGESTED_CATEGORIES[int(raw) - 1]
            value = normalised(key, raw or default)
            problem = answer_problem(key, value)
            if problem is None:
                values[key] = value
                break
            tell(say("init_again", problem=problem))
    cover = None
    if given.get("cover"):
        cover = Path(given["cover"] or "").expanduser()
    else:
        while True:
            raw = _ask(ask, say("init_prompt", question=say("init_ask_cover"), default=""))
            if not raw:
                break
            candidate = Path(raw).expanduser()
            problem = cover_problem(candidate)
            if problem is None:
                cover = candidate
                break
            tell(say("init_again", problem=problem))
    return Answers(cover=cover, **values)


def _ask(ask: Callable[[str], str], prompt: str) -> str:
    try:
        return ask(prompt).strip()
    except EOFError:
        raise PortevoixError(Problem("init", say("init_no_answer"))) from None


def given_answers(given: dict[str, str | None]) -> Answers:
    """The answers of `init --yes`: every required flag, each checked; all problems at once."""
    problems: list[Problem] = []
    values: dict[str, str] = {}
    defaults = {"language": language(), "category": SUGGESTED_CATEGORIES[0]}
    for key, _ in QUESTIONS:
        raw = given.get(key) or defaults.get(key)
        if not raw:
            problems.append(Problem("init", say("init_flag_missing", flag="--" + key.replace("_", "-"))))
            continue
        value = normalised(key, raw)
        problem = answer_problem(key, value)
        if problem:
            problems.append(Problem("init", f"--{key.replace('_', '-')}: {problem}"))
        values[key] = value
    cover_name = given.get("cover")
    cover = Path(cover_name).expanduser() if cover_name else None
    if cover is not None:
        problem = cover_problem(cover)
        if problem:
            problems.append(Problem("init", f"--cover: {problem}"))
    if problems:
        raise PortevoixError(*problems)
    return Answers(cover=cover, **values)
