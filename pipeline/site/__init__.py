"""The site stage: HTML pages, sharing metadata, the loudness report, the one writer of `site/`, the preview server."""
