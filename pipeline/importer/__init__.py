"""The import stage: an existing podcast (its feed, its media) becomes episode folders and podcast.yaml.

`reader.py` reads the feed into plain data, `fetch.py` fetches what it links to,
`notes_html.py` turns HTML show notes into Markdown, `mapping.py` says what the feed's fields become
(podcast.yaml's values, categories, chapters, file names), `steps.py` is `portevoix import`.
"""
