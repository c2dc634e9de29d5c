"""`portevoix publish` to S3-compatible storage: moto's standalone server on loopback, reached over HTTP."""

from __future__ import annotations

import pytest

from pipeline.publish.plan import site_files

from support.publish import (  # noqa: F401 - fixtures
    bucket_snapshot, fetch, new_bucket, podcast_folder, publish, publish_killed_at, read_site, s3_client, s3_env, s3_yaml, still_announced, use_site,
)


@pytest.fixture()
def bucket(moto, s3_env):
    return new_bucket(moto)


@pytest.fixture()
def folder(tmp_path, moto, bucket):
    return podcast_folder(tmp_path, s3_yaml(moto, bucket))


def reach(moto: str, bucket: str) -> str:
    return f"{moto}/{bucket}/site/"


def test_publish_to_s3_with_types_caching_and_retention(folder, sites, moto, bucket):
    use_site(folder, sites, "v1")
    result = publish(folder, "--check")
    assert result.returncode == 0, result.stderr
    assert "2 enclosures answer" in result.stdout
    assert read_site(reach(moto, bucket)) == (sites["v1"] / "site/feed.xml").read_bytes()

    client = s3_client(moto)
    head = client.head_object(Bucket=bucket, Key="site/media/2024-03-20-a.mp3")
    assert head["ContentType"] == "audio/mpeg"
    assert head["CacheControl"] == "public, max-age=31536000, immutable"
    head = client.head_object(Bucket=bucket, Key="site/feed.xml")
    assert head["ContentType"].startswith("application/rss+xml") and "max-age=300" in head["CacheControl"]
    head = client.head_object(Bucket=bucket, Key="site/index.html")
    assert head["ContentType"].startswith("text/html") and "max-age=300" in head["CacheControl"]

    use_site(folder, sites, "v2")
    before = bucket_snapshot(moto, bucket)
    result = publish(folder)
    assert result.returncode == 0, result.stderr
    after = bucket_snapshot(moto, bucket)
    assert after["site/media/2024-03-20-a.mp3"] == before["site/media/2024-03-20-a.mp3"]
    assert read_site(reach(moto, bucket)) == (sites["v2"] / "site/feed.xml").read_bytes()
    # B left the site: its page goes, but the audio the v1 feed announced stays for the apps that have it.
    assert "site/episodes/2024-03-21-b/index.html" not in after
    for name in still_announced(sites):
        assert "site/" + name in after
    # Nothing of someone else's in the bucket is ever touched.
    client.put_object(Bucket=bucket, Key="site/theirs.txt", Body=b"not ours")
    use_site(folder, sites, "v1")
    assert publish(folder).returncode == 0
    assert "site/theirs.txt" in bucket_snapshot(moto, bucket)


def test_dry_run_leaves_the_bucket_identical(folder, sites, moto, bucket):
    use_site(folder, sites, "v1")
    assert publish(folder).returncode == 0
    use_site(folder, sites, "v2")
    before = bucket_snapshot(moto, bucket)
    contents = {k: s3_client(moto).get_object(Bucket=bucket, Key=k)["Body"].read() for k in before}
    result = publish(folder, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "media/2024-03-22-c.mp3" in result.stdout
    assert bucket_snapshot(moto, bucket) == before
    assert {k: s3_client(moto).get_object(Bucket=bucket, Key=k)["Body"].read() for k in before} == contents


@pytest.mark.parametrize("point", ["media", "pages", "feed"])
def test_killed_publish_to_s3_is_consistent_then_converges(point, folder, sites, moto, bucket):
    use_site(folder, sites, "v1")
    assert publish(folder).returncode == 0
    use_site(folder, sites, "v2")
    publish_killed_at(folder, point)
    assert read_site(reach(moto, bucket)) == (sites["v1"] / "site/feed.xml").read_bytes()

    result = publish(folder)
    assert result.returncode == 0, result.stderr
    assert read_site(reach(moto, bucket)) == (sites["v2"] / "site/feed.xml").read_bytes()
    objects = bucket_snapshot(moto, bucket)
    for path in site_files(folder / "site"):
        name = "site/" + path.relative_to(folder / "site").as_posix()
        status, _, body = fetch(f"{moto}/{bucket}/{name}")
        assert status == 200 and body == path.read_bytes(), name
    assert "site/.portevoix/lock.json" not in objects


def test_wrong_bucket_is_one_line(tmp_path, sites, moto, s3_env, monkeypatch):
    folder = podcast_folder(tmp_path, s3_yaml(moto, "no-such-bucket"))
    use_site(folder, sites, "v1")
    result = publish(folder)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "portevoix: cdn (s3://no-such-bucket/site/): bucket no-such-bucket does not exist there: check bucket: in podcast.yaml"
    ]
    monkeypatch.setenv("LANGUAGE", "fr")  # the same refusal, in French
    result = publish(folder)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "portevoix: cdn (s3://no-such-bucket/site/) : le bucket no-such-bucket n'y existe pas : vérifiez bucket: dans podcast.yaml"
    ]


def test_missing_credentials_is_one_line(folder, sites, moto, bucket, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    use_site(folder, sites, "v1")
    before = bucket_snapshot(moto, bucket)
    result = publish(folder)
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "no S3 credentials" in result.stderr
    assert bucket_snapshot(moto, bucket) == before


def test_publish_sets_a_cors_rule_for_players_and_keeps_the_buckets_own(folder, sites, moto, bucket):
    client = s3_client(moto)
    theirs = {"AllowedOrigins": ["https://partner.example.net"], "AllowedMethods": ["PUT"], "AllowedHeaders": ["*"]}
    client.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [theirs]})
    use_site(folder, sites, "v1")
    assert publish(folder, "--dry-run").returncode == 0
    assert client.get_bucket_cors(Bucket=bucket)["CORSRules"] == [theirs]  # a dry run changes nothing
    assert publish(folder).returncode == 0
    rules = client.get_bucket_cors(Bucket=bucket)["CORSRules"]
    assert rules[0] == theirs
    ours = rules[1]
    assert ours["AllowedOrigins"] == ["*"] and set(ours["AllowedMethods"]) == {"GET", "HEAD"}
    assert publish(folder).returncode == 0
    assert len(client.get_bucket_cors(Bucket=bucket)["CORSRules"]) == 2  # added once
