"""The source stage: reading and validating the podcast folder (podcast.yaml, episodes, transcripts, notes).

Nothing here writes to `site/`; `new` creates an episode folder on request.
"""
