"""The media stage: what is published beside the pages — tagged audio files and cover images.

`formats.py` (the formats table), `tags.py`, `tagged.py`, `images.py`, and `built.py` (`BuiltEpisode`: an episode
with its processed audio and its media, what the feed and the pages are rendered from)."""
