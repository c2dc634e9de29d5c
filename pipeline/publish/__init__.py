"""`portevoix publish`: the built site goes out together — media, then pages, then the feed.

One module per responsibility:

- `targets.py`: the `Target` protocol and the registry of kinds of target, each of which owns its settings schema
  (adding a target is one new module and one line there);
- `settings.py`: the `publish:` section of podcast.yaml (named targets, each read by its kind's schema);
- `plan.py`: what the site holds, what changed since the last publish, in which order it travels;
- `release.py`: release folders and an atomic symlink switch, over a shell; the kinds `local.py` and `ssh.py` use it;
- `s3.py`: the kind `s3`, S3-compatible object storage (boto3);
- `verify.py`: the optional check of the live site (feed, HEAD of each enclosure);
- `lock.py`: one publish at a time; the named points where fault tests stop a publish are in `pipeline/failpoints.py`;
- `steps.py`: the publish itself, as named steps.
"""
