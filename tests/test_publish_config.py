"""The `publish:` section of podcast.yaml: every mistake reported at once, one line each; no target chosen by guess."""

from __future__ import annotations

from publish_support import podcast_folder, publish


def test_every_mistake_in_the_targets_is_reported_at_once(tmp_path):
    folder = podcast_folder(tmp_path, """\
publish:
  vps:
    type: ssh
    path: relative/folder
    bucket: oops
  cdn:
    type: s4
  web:
    type: local
    path: /srv/www
    endpoint_url: http://example.org/
    kepe: 3
""")
    result = publish(folder, "--target", "web")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "podcast.yaml: publish.vps.host: is missing (a ssh target needs it)",
        "podcast.yaml: publish.vps.bucket: is not used by a ssh target",
        'podcast.yaml: publish.vps.path: "relative/folder" must be an absolute folder (starting with /)',
        'podcast.yaml: publish.cdn.type: "s4" is not one of local, ssh, s3',
        "podcast.yaml: publish.web.kepe: unknown key (did you mean keep?)",
        'podcast.yaml: publish.web.endpoint_url: "http://example.org/" must use https:// (plain http only for 127.0.0.1)',
    ]


def test_target_must_be_named_when_there_are_several(tmp_path):
    folder = podcast_folder(tmp_path, "publish:\n  a: {type: local, path: /srv/a}\n  b: {type: local, path: /srv/b}\n")
    (folder / "site").mkdir()
    result = publish(folder)
    assert result.returncode == 1
    assert result.stderr.strip() == "podcast.yaml: publish: several targets (a, b); choose one with --target NAME"
    result = publish(folder, "--target", "c")
    assert result.stderr.strip() == 'podcast.yaml: publish: no target named "c"; known: a, b'


def test_publishing_needs_a_built_site(tmp_path):
    folder = podcast_folder(tmp_path, f"publish:\n  web: {{type: local, path: {tmp_path / 'www'}}}\n")
    result = publish(folder)
    assert result.returncode == 1
    assert result.stderr.strip() == f"portevoix: {folder / 'site'}: no site built yet; run 'portevoix build' first"
    assert not (tmp_path / "www").exists()
