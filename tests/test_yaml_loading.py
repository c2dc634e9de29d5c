"""YAML is read with libyaml's parser (fast) and says exactly what the pure-Python parser says."""

from __future__ import annotations

import pytest

from pipeline.source import yamlio

TEXTS = [
    'title: "Débat"\ndate: 2024-03-20T18:30:00+01:00\nchapters:\n  - {start: "00:01:00", title: Suite}\n',
    "title: a\nsummary: b\ntitle: c\n",
    'title: "pas fini\nsummary: b\nguid: c\n',
    "a: [1, 2\nb: 3\n",
    "speakers:\n  - name: x\n - name: y\n",
    "a: 1\n\tb: 2\n",
    "date: 2024-02-30\nnumber: 0x1F\nflag: yes\nempty:\n",
    "a: &x 1\nb: *y\n",
    "- une liste\n- au lieu d'un dictionnaire\n",
]


def outcome(text: str, loader: type):
    try:
        return "value", yamlio.parse_yaml(text, 2, loader_class=loader)
    except yamlio.YamlError as exc:
        return "error", str(exc)


def test_the_fast_parser_is_used_when_pyyaml_has_it():
    import yaml

    assert yaml.__with_libyaml__, "PyYAML without libyaml: reading a large archive is several times slower"
    assert issubclass(yamlio.PlainLoader, yaml.CSafeLoader)


@pytest.mark.parametrize("text", TEXTS)
def test_same_values_and_same_lines_as_the_pure_python_parser(text):
    assert outcome(text, yamlio.PlainLoader) == outcome(text, yamlio.PurePlainLoader)


def test_a_duplicate_key_names_both_lines():
    assert outcome(TEXTS[1], yamlio.PlainLoader) == ("error", "line 4: YAML syntax error: the key 'title' appears twice (first on line 2)")
