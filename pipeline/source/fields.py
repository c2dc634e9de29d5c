"""Typed, documented fields for the YAML files a user writes.

`podcast.yaml` and each episode's front matter are declared as a `Schema`
subclass: one `Field` per key, with its type, its default and a docstring.
Validation never stops at the first mistake: every problem is collected with
the key it concerns, and unknown keys get a near-miss suggestion.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import reprlib
import unicodedata
from pathlib import PurePosixPath
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, overload
from urllib.parse import SplitResult, urlsplit

from pipeline.i18n import say, unreadable
from pipeline.source.yamlio import YamlError

if TYPE_CHECKING:
    from typing import Self

    from pipeline.errors import ProblemCollector

MISSING = object()
T = TypeVar("T")
S = TypeVar("S", bound="Schema")


class FieldError(ValueError):
    """A value is wrong; the message says what to write instead."""


def shown(value: Any, limit: int = 60) -> str:
    """A value quoted for an error message, cut when long."""
    text = value if isinstance(value, str) else reprlib.repr(value)  # bounded, even for aliased YAML bombs
    text = "".join(c if c.isprintable() else "\ufffd" for c in text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f'"{text}"'


class Field(Generic[T]):
    """One key of a YAML mapping. Subclasses convert and check the value.

    `T` is the type a schema instance holds for the key once validated (None when an optional key is
    absent: the type checker is not told). Schema instances store their values in their own __dict__,
    so the descriptor below exists only for the type checker.
    """

    kind = "value"

    if TYPE_CHECKING:

        @overload
        def __get__(self, instance: None, owner: type) -> Self: ...
        @overload
        def __get__(self, instance: object, owner: type) -> T: ...
        def __get__(self, instance: object, owner: type) -> Self | T: ...

    def __init__(self, *, default: Any = MISSING, required: bool = False, doc: str = ""):
        self.default = default
        self.required = required
        self.doc = doc
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def convert(self, value: Any) -> Any:
        return value

    def resolve(self, value: Any, errors: list[tuple[str, str]], prefix: str) -> Any:
        """Convert `value`, appending (field, message) to `errors` when it is wrong."""
        try:
            return self.convert(value)
        except FieldError as exc:
            errors.append((prefix + self.name, str(exc)))
            return None


class Text(Field[str]):
    kind = "text"

    def __init__(self, *, max_length: int | None = None, single_line: bool = True, **kw: Any):
        super().__init__(**kw)
        self.max_length = max_length
        self.single_line = single_line

    def convert(self, value: Any) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise FieldError(f"{shown(value)} is not text (write it between quotes)")
        value = value.strip()
        if self.required and not value:
            raise FieldError("is empty")
        bad = first_invisible(value)
        if bad is not None:
            raise FieldError(say("control_character", code=f"{ord(bad):#04x}"))
        if self.single_line and "\n" in value:
            raise FieldError("must be on one line")
        hidden = first_hidden(value) if self.single_line else None
        if hidden is not None:
            raise FieldError(say("format_character", code=f"U+{ord(hidden):04X}", name=unicodedata.name(hidden, "format character")))
        if self.max_length and len(value) > self.max_length:
            raise FieldError(say("too_long", length=len(value), limit=self.max_length))
        return value


INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""The characters that no page, feed or tag can carry: the controls (Unicode category Cc: U+0000–U+001F and
U+007F–U+009F) but newline and tab, the lone surrogates (Cs) and the non-characters U+FFFE and U+FFFF (none is
allowed in XML). One search of the text: a 2-hour transcript's 263 KB, looked at character by character, were
about 14 ms of every build."""


def first_invisible(text: str) -> str | None:
    """The first character of `text` that no page, feed or tag can carry (see INVISIBLE). None when clean."""
    found = INVISIBLE.search(text)
    return found.group() if found else None


BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embeddings, overrides and isolates: they reorder what is shown (refused everywhere, transcripts included)."""
ALLOWED_FORMAT = frozenset("\u200c\u200d")
"""Zero-width non-joiner and joiner: they are part of the text (Persian, Indic scripts, emoji such as 👩‍🔧)."""


def first_hidden(text: str) -> str | None:
    """The first invisible formatting character of a one-line value: bidi overrides and isolates (which make a
    title read differently from what it says), zero-width characters, other format characters (category Cf) and
    line or paragraph separators. None when clean."""
    for char in text:
        if (unicodedata.category(char) in ("Cf", "Zl", "Zp")) and char not in ALLOWED_FORMAT:
            return char
    return None


class Choice(Field[str]):
    kind = "choice"

    def __init__(self, choices: Collection[str], **kw: Any):
        super().__init__(**kw)
        self.choices = choices

    def convert(self, value: Any) -> str:
        if value not in self.choices:
            hint = near_miss(str(value), self.choices)
            raise FieldError(f"{shown(value)} is not one of {', '.join(self.choices)}{hint}")
        return value


class OffChoice(Choice):
    """A choice that includes "off"; YAML reads a bare `off` as false, which means off too."""

    def convert(self, value: Any) -> str:
        return super().convert("off" if value is False else value)


class Boolean(Field[bool]):
    kind = "true or false"

    def convert(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise FieldError(f"{shown(value)} is not true or false")
        return value


class Integer(Field[int]):
    kind = "whole number"

    def __init__(self, *, minimum: int | None = None, **kw: Any):
        super().__init__(**kw)
        self.minimum = minimum

    def convert(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError(f"{shown(value)} is not a whole number")
        if self.minimum is not None and value < self.minimum:
            raise FieldError(f"{value} is less than {self.minimum}")
        return value


class Url(Field[str]):
    kind = "https URL"

    def convert(self, value: Any) -> str:
        if not isinstance(value, str):
            raise FieldError(f"{shown(value)} is not a URL")
        value = value.strip()
        self.check_address(value, urlsplit(value))
        if any(c.isspace() or unicodedata.category(c) in ("Cc", "Cs") for c in value):
            raise FieldError(f"{shown(value)} contains spaces or control characters")
        return value

    def check_address(self, value: str, parts: SplitResult) -> None:  # https only; publish's Endpoint takes more
        if parts.scheme != "https" or not parts.netloc:
            raise FieldError(f"{shown(value)} is not an https:// address")


class Email(Field[str]):
    kind = "e-mail address"
    pattern = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")

    def convert(self, value: Any) -> str:
        if not isinstance(value, str) or not self.pattern.match(value.strip()):
            raise FieldError(f"{shown(value)} is not an e-mail address")
        return value.strip()


class RelativePath(Field[str]):
    """A file name relative to the folder of the YAML file, never leaving it."""

    kind = "file name"

    def convert(self, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise FieldError(f"{shown(value)} is not a file name")
        value = value.strip()
        path = PurePosixPath(value)
        if path.is_absolute() or value.startswith("~") or ".." in path.parts or "\\" in value:
            raise FieldError(f"{shown(value)} must be a file inside this folder (no absolute path, no ..)")
        return value


class DateTime(Field[dt.date | dt.datetime]):
    """A date (2024-03-20) or a date and time with its offset (2024-03-20T18:30:00+01:00)."""

    kind = "date"

    def convert(self, value: Any) -> dt.date | dt.datetime:
        if isinstance(value, dt.datetime):
            value = value.isoformat()
        elif isinstance(value, dt.date):
            return value
        text = str(value).strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                raise FieldError(say("not_a_real_date", value=shown(text))) from None
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?", text):
                raise FieldError(say("not_a_real_date", value=shown(text))) from None
            raise FieldError(say("not_a_date", value=shown(text))) from None
        if parsed.tzinfo is None:
            raise FieldError(say("no_timezone", value=shown(text), example=f"{text}+01:00"))
        return parsed


class Timestamp(Field[float]):
    """A moment in a recording: 1:02:03, 02:03, 02:03.5 or a number of seconds."""

    kind = "time in the recording"

    def convert(self, value: Any) -> float:
        seconds = parse_timestamp(value)
        if seconds is None:
            raise FieldError(f"{shown(value)} is not a time in the recording (write 00:12:30)")
        return seconds


def parse_timestamp(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if value >= 0 else None
    if not isinstance(value, str):
        return None
    match = re.fullmatch(r"(?:(\d+):)?([0-5]?\d):([0-5]\d(?:[.,]\d+)?)", value.strip())
    if not match:
        return None
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds.replace(",", "."))


class Nested(Field[S]):
    """A mapping validated by another schema."""

    kind = "mapping"

    def __init__(self, schema: type[S], **kw: Any):
        super().__init__(**kw)
        self.schema = schema

    def resolve(self, value: Any, errors: list[tuple[str, str]], prefix: str) -> Any:
        return self.schema.from_mapping(value, errors, prefix + self.name + ".")


class ListOf(Field[list[Any]]):
    """A list whose items are scalars checked by a field, or mappings checked by a schema."""

    kind = "list"

    def __init__(self, item: Field[Any] | type[Schema], **kw: Any):
        kw.setdefault("default", [])
        super().__init__(**kw)
        self.item = item

    def resolve(self, value: Any, errors: list[tuple[str, str]], prefix: str) -> Any:
        if value is None:
            return []
        if not isinstance(value, list):
            errors.append((prefix + self.name, "must be a list (one item per line, starting with '- ')"))
            return []
        items = []
        for index, entry in enumerate(value, start=1):
            where = f"{prefix}{self.name}[{index}]"
            if isinstance(self.item, Field):
                try:
                    items.append(self.item.convert(entry))
                except FieldError as exc:
                    errors.append((where, str(exc)))
            else:
                items.append(self.item.from_mapping(entry, errors, where + "."))
        return items


def near_miss(word: str, candidates: Any) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return say("did_you_mean", word=close[0]) if close else ""


def shown_key(key: Any) -> str:
    """A key as the user wrote it, safe to print on one line and cut when long."""
    text = "".join(c if c.isprintable() else "\ufffd" for c in str(key))
    return text if len(text) <= 40 else text[:39] + "…"


class Schema:
    """A YAML mapping declared as fields. Subclasses list their `Field`s as class attributes."""

    fields: ClassVar[dict[str, Field[Any]]] = {}

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls.fields = {}
        for klass in reversed(cls.__mro__):
            for name, value in vars(klass).items():
                if isinstance(value, Field):
                    cls.fields[name] = value

    def __init__(self, **values: Any):
        for name in self.fields:
            setattr(self, name, values.get(name))

    @classmethod
    def from_mapping(cls, data: Any, errors: list[tuple[str, str]], prefix: str = "") -> Self | None:
        """Build an instance from a parsed YAML mapping, appending every problem to `errors`."""
        if data is None:
            data = {}
        if not isinstance(data, dict):
            errors.append((prefix.rstrip("."), "must be a mapping of 'key: value' lines"))
            return None
        values: dict[str, Any] = {}
        for key in data:
            if str(key) not in cls.fields:
                errors.append((prefix + shown_key(key), say("unknown_key") + near_miss(str(key), cls.fields)))
        for name, field in cls.fields.items():
            raw = data.get(name)
            if raw is None or raw == "":
                if field.required:
                    errors.append((prefix + name, say("missing", what=field.doc.split(".")[0].lower())))
                    values[name] = None
                else:
                    default = field.default
                    values[name] = list(default) if isinstance(default, list) else (None if default is MISSING else default)
                continue
            values[name] = field.resolve(raw, errors, prefix)
        instance = cls(**values)
        instance.validate(errors, prefix)
        return instance

    def validate(self, errors: list[tuple[str, str]], prefix: str) -> None:
        """Checks across fields; subclasses append (field, message) pairs."""


def load_fields(schema: type[Schema], shown: str, read: Callable[[], Any], problems: ProblemCollector) -> tuple[Any, list]:
    """Validate with `schema` what `read()` parses from a file the user wrote.

    Every problem goes to `problems` under the file's name `shown`. Returns the instance (None when the
    file cannot be read or is not a mapping) and the (field, message) errors found in it.
    """
    try:
        data = read()
    except YamlError as exc:
        problems.add(shown, str(exc))
        return None, []
    except OSError as exc:
        problems.add(shown, unreadable(exc))
        return None, []
    errors: list[tuple[str, str]] = []
    instance = schema.from_mapping(data, errors)
    for field_name, message in errors:
        problems.add(shown, message, field_name)
    return instance, errors
