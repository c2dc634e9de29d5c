"""`portevoix publish`: the built site goes out together — media, then pages, then the feed.

One module per responsibility:

- `settings.py`: the `publish:` section of podcast.yaml (named targets);
- `plan.py`: what the site holds, what changed since the last publish, in which order it travels;
- `release.py`: release folders and an atomic symlink switch, over a shell (`local.py`, `ssh.py`);
- `s3.py`: S3-compatible object storage (boto3);
- `verify.py`: the optional check of the live site (feed, HEAD of each enclosure);
- `lock.py`: one publish at a time; the named points where fault tests stop a publish are in `pipeline/failpoints.py`;
- `steps.py`: the publish itself, as named steps.
"""
