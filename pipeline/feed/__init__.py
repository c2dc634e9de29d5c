"""The feed stage: the RSS feed (feedgen, iTunes, Podcasting 2.0), its sidecar files and its checks."""
