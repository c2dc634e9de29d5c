"""Reading the YAML a user wrote: plain values, clear errors with line numbers.

Dates are left as text (the fields parse them, so that "2024-02-30" is an error
message and not a crash), duplicate keys are refused, and files that are not
UTF-8 are reported as such. What would crash or stall a parser is refused with
one line: files over `MAX_BYTES`, keys that are lists or mappings, merge keys
(`<<:`), and numbers with more than `MAX_DIGITS` digits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pipeline.i18n import say


MAX_BYTES = 1_000_000
"""The largest podcast.yaml or episode.md read (show notes included): far more than any real one."""
MAX_DIGITS = 30
"""The longest number read as a number (Python refuses to read very long ones, and no field needs them)."""


def _mapping_without_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise yaml.constructor.ConstructorError(None, None, "merge keys (<<:) are not read here: write the fields out", key_node.start_mark)
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(None, None, "a key must be a word, not a list or a mapping", key_node.start_mark)
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice (first on line {seen[key] + getattr(loader, 'first_line', 1)})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node)


def _bounded_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    if sum(c.isdigit() for c in str(node.value)) > MAX_DIGITS:
        raise yaml.constructor.ConstructorError(None, None, f"a number of more than {MAX_DIGITS} digits (write it between quotes if it is text)", node.start_mark)
    return loader.construct_yaml_int(node)


def _plain(base: Any) -> Any:
    """`base` (a SafeLoader) without implicit timestamps, refusing duplicate keys."""
    loader: Any = type(f"Plain{base.__name__}", (base,), {"__doc__": _plain.__doc__})
    loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)
    loader.add_constructor("tag:yaml.org,2002:int", _bounded_int)
    return loader


PurePlainLoader = _plain(yaml.SafeLoader)
PlainLoader = _plain(getattr(yaml, "CSafeLoader", yaml.SafeLoader))
"""libyaml's parser when PyYAML was built with it (several times faster), with the same values and
the same line numbers in messages as the pure-Python one (tests/test_yaml_loading.py compares them)."""


class YamlError(ValueError):
    """The YAML text cannot be read; the message names the line."""


def _load(text: str, first_line: int, loader_class: Any) -> Any:
    loader = loader_class(text)
    loader.first_line = first_line  # for the duplicate-key message
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def parse_yaml(text: str, first_line: int = 1, loader_class: Any = PlainLoader) -> Any:
    """Parse YAML text; `first_line` is the file line the text starts on, for messages.

    A text the fast parser refuses is read again by the pure-Python one, whose messages are
    the ones users get (libyaml words a few of them differently, and names another line)."""
    try:
        try:
            return _load(text, first_line, loader_class)
        except (yaml.YAMLError, RecursionError):
            if loader_class is PurePlainLoader:
                raise
            return _load(text, first_line, PurePlainLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = say("line", line=mark.line + first_line) if mark else ""
        what = exc.problem or exc.context or "not valid YAML"
        if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            # "while scanning a quoted scalar" on line 2, "found unexpected end of stream" on line 5: the mistake is on line 2.
            line = say("line", line=exc.context_mark.line + first_line)
            what = f"{exc.context} starting on this line, {what} on line {exc.problem_mark.line + first_line}"
        raise YamlError(line + say("yaml_syntax", what=what)) from None
    except yaml.YAMLError as exc:
        raise YamlError(say("yaml_syntax", what=str(exc).splitlines()[0])) from None
    except RecursionError:
        raise YamlError(say("yaml_syntax", what="nested too deeply")) from None


def read_text(path: Path) -> str:
    """Read a text file the user wrote, with a clear error when it is not UTF-8 or far too large."""
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise YamlError(say("too_large", limit="1 MB"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlError(say("line", line=line) + say("not_utf8")) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
