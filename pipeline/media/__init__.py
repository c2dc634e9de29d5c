"""The media stage: what is published beside the pages — tagged audio files and cover images."""
