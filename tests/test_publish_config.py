"""The `publish:` section of podcast.yaml: every mistake reported at once, one line each; no target chosen by guess."""

from __future__ import annotations

from support.publish import podcast_folder, publish


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


def test_a_target_path_that_is_the_root_or_inside_the_podcast_is_refused(tmp_path):
    folder = podcast_folder(tmp_path, "")
    config = (folder / "podcast.yaml").read_text(encoding="utf-8")
    (folder / "site").mkdir()
    before = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
    for path in ("/.", "/tmp/..", "//", f"{folder}", f"{folder}/site", f"{folder}/site/../.cache/out", f"{tmp_path}/./{folder.name}/"):
        (folder / "podcast.yaml").write_text(config + f"publish:\n  web: {{type: local, path: \"{path}\"}}\n", encoding="utf-8")
        result = publish(folder)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        if path in ("/.", "/tmp/..", "//"):
            assert result.stderr.strip() == "podcast.yaml: publish.web.path: cannot be the root folder /", path
        else:
            assert result.stderr.strip().startswith("podcast.yaml: publish.web.path: "), path
            assert result.stderr.strip().endswith(
                "is the podcast folder or inside it (its site/ or its cache): publish to a folder outside the podcast folder"), path
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == before


def test_an_s3_prefix_with_dot_parts_is_refused(tmp_path):
    folder = podcast_folder(tmp_path, "publish:\n  a: {type: s3, bucket: b, prefix: \"podcast/../autre\"}\n"
                                      "  b: {type: s3, bucket: b, prefix: \"./podcast\"}\n  c: {type: s3, bucket: b, prefix: \"x//y\"}\n")
    result = publish(folder, "--target", "a")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f'podcast.yaml: publish.{name}.prefix: "{prefix}" has an empty, \'.\' or \'..\' part (write it like podcast/ or media/podcast/)'
        for name, prefix in (("a", "podcast/../autre"), ("b", "./podcast"), ("c", "x//y"))
    ]
