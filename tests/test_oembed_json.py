"""The oEmbed files are written value by value (site/sharing.py flat_json): byte for byte what json.dumps(indent=2) writes."""

from __future__ import annotations

import json

from pipeline.site.sharing import flat_json


def test_flat_json_is_the_indented_json_of_the_same_values():
    values = [
        {"version": "1.0", "type": "rich", "title": "L'école « ouverte » \"citée\"", "width": 560, "height": 154},
        {"title": "tab\tnewline\nsep\u2028nul\x00 <script>&</script> 😀", "ratio": 0.5, "none": None, "yes": True},
        {"one": "seul"}, {"ratio": float("inf"), "moins": -0.0},
        {},
        {"nested": {"a": 1}, "list": [1, 2]},  # not flat: json's own output
    ]
    for data in values:
        assert flat_json(data) == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        assert json.loads(flat_json(data)) == data
