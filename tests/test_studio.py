"""`portevoix studio` against the real server (a subprocess on a free port, requests sent with http.client).

Security: no token, a wrong Host, a POST from another origin or without its CSRF token are refused;
an upload named ../../x lands in the episode folder; no address reaches a file outside the podcast
folder. Forms: a save keeps the comments written by hand, a wrong date is refused with check's words
next to its field, then corrected.
"""

from __future__ import annotations


import yaml
from markupsafe import escape

from support.studio import DEMO_EPISODE, field_block, podcast, server, studio  # noqa: F401 (podcast, server: fixtures)

EPISODE = f"/episodes/{DEMO_EPISODE}"


def test_without_the_token_every_page_is_refused(podcast):
    with studio(podcast) as fresh:
        for path in ("/", "/settings", EPISODE, "/studio.css", "/file/cover.jpg", "/create", "/build", "/publish", "/site/",
                     "/notes-preview.js"):
            assert fresh.request("GET", path).status == 403, path
        assert fresh.request("GET", "/?token=not-the-token").status == 403
        assert fresh.request("GET", "/", headers={"Cookie": f"portevoix_studio_{fresh.port}=guess"}).status == 403
        for path in ("/settings", "/create", "/build", "/publish", "/settings/cover", "/settings/targets/x/test", f"{EPISODE}/notes-preview"):
            assert fresh.post_form(path, {"title": "x"}).status == 403, path


def test_the_token_becomes_a_strict_httponly_cookie_for_127_0_0_1_only(podcast):
    with studio(podcast) as fresh:
        set_cookie = fresh.log_in()
        attributes = {part.strip().split("=")[0].lower() for part in set_cookie.split(";")[1:]}
        assert {"httponly", "samesite", "path"} <= attributes and "domain" not in attributes
        assert "samesite=strict" in set_cookie.lower()
        answer = fresh.request("GET", "/")
        assert answer.status == 200 and DEMO_EPISODE in answer.body


def test_a_wrong_host_is_refused_even_with_the_cookie(server):
    assert server.request("GET", "/").status == 200
    for host in (f"evil.example:{server.port}", "127.0.0.1", f"127.0.0.1:{server.port + 1}", f"127.0.0.1.evil.example:{server.port}"):
        answer = server.request("GET", "/", host=host)
        assert answer.status == 403, host
        assert "127.0.0.1" in answer.body
    assert server.request("GET", "/", host=f"localhost:{server.port}").status == 200


def test_a_post_from_another_origin_or_without_its_csrf_token_is_refused(server, podcast):
    before = (podcast / "podcast.yaml").read_bytes()
    csrf = server.csrf()
    assert server.post_form("/settings", {"csrf": csrf, "title": "Pris"}, origin="http://evil.example").status == 403
    assert server.post_form("/settings", {"csrf": csrf, "title": "Pris"}, origin="null").status == 403
    assert server.post_form("/settings", {"csrf": csrf, "title": "Pris"}, origin=None).status == 403
    assert server.post_form("/settings", {"title": "Pris"}).status == 403
    assert server.post_form("/settings", {"csrf": "forged", "title": "Pris"}).status == 403
    assert (podcast / "podcast.yaml").read_bytes() == before


def upload(server, name: str, data: bytes, csrf: str):
    boundary = "studioboundary42"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return server.request("POST", f"{EPISODE}/files", body=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": f"http://127.0.0.1:{server.port}"})


def test_an_upload_named_dot_dot_lands_inside_the_episode_folder(server, podcast):
    csrf = server.csrf(EPISODE)
    answer = upload(server, "../../x.txt", b"uploaded", csrf)
    assert answer.status == 303
    assert (podcast / "episodes" / DEMO_EPISODE / "x.txt").read_bytes() == b"uploaded"
    assert not (podcast / "x.txt").exists() and not (podcast.parent / "x.txt").exists()
    assert upload(server, "..\\..\\..\\y.txt", b"again", csrf).status == 303
    assert (podcast / "episodes" / DEMO_EPISODE / "y.txt").read_bytes() == b"again"
    assert upload(server, "../..", b"nothing", csrf).status == 400
    assert upload(server, "x.txt", b"other", csrf).status == 409  # never replaces a file
    assert (podcast / "episodes" / DEMO_EPISODE / "x.txt").read_bytes() == b"uploaded"
    assert not any(p.name.endswith(".upload") for p in (podcast / "episodes" / DEMO_EPISODE).iterdir())


def test_no_address_reaches_a_file_outside_the_podcast_folder(server, podcast):
    outside = podcast.parent / "secret.png"
    outside.write_bytes(b"\x89PNG secret")
    (podcast / "link.png").symlink_to(outside)
    assert server.request("GET", "/file/cover.jpg").status == 200
    for path in ("/file/../secret.png", "/file/..%2Fsecret.png", "/file/%2e%2e/secret.png", "/file/link.png",
                 f"/file/{outside}", "/file//etc/hostname", "/episodes/..%2F..%2Fetc", "/episodes/..", "/file/podcast.yaml"):
        answer = server.request("GET", path)
        assert answer.status in (404, 400), path
        assert "secret" not in answer.body
    # A file name written into a form that leaves the folder is refused by the loader, next to its field.
    csrf = server.csrf(EPISODE)
    assert server.post_form(EPISODE, {"csrf": csrf, "recording": "../../../secret.png"}).status == 422
    assert "secret.png" not in (podcast / "episodes" / DEMO_EPISODE / "episode.md").read_text(encoding="utf-8")


def test_a_save_keeps_the_comments_and_order_written_by_hand(server, podcast):
    path = podcast / "episodes" / DEMO_EPISODE / "episode.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("season: 1\n", "# Saison des formations syndicales, écrite à la main.\nseason: 1  # pas 2\n")
    path.write_text(text, encoding="utf-8")
    answer = server.post_form(EPISODE, {"csrf": server.csrf(EPISODE), "title": "Construire la riposte", "episode": "3",
                                        "notes": "Nouvelles notes."})
    assert answer.status == 303, answer.body[:2000]
    saved = path.read_text(encoding="utf-8")
    assert "# Saison des formations syndicales, écrite à la main.\nseason: 1  # pas 2\n" in saved
    front = yaml.safe_load(saved.split("---")[1])
    assert front["title"] == "Construire la riposte" and front["episode"] == 3
    assert list(front)[:4] == ["title", "date", "recording", "guid"]
    assert saved.rstrip().endswith("---\nNouvelles notes.") or saved.rstrip().endswith("Nouvelles notes.")
    # Every line the form did not change is as it was written (quotes included).
    changed = {"title", "episode"}
    for line in text.split("---")[1].splitlines():
        if line and line.split(":")[0] not in changed:
            assert line in saved, line


def test_a_wrong_date_is_shown_next_to_its_field_then_corrected(server, podcast):
    path = podcast / "episodes" / DEMO_EPISODE / "episode.md"
    before = path.read_bytes()
    answer = server.post_form(EPISODE, {"csrf": server.csrf(EPISODE), "date": "2017-02-30"})
    assert answer.status == 422
    block = field_block(answer.body, "f-date")
    assert "2017-02-30" in block and "not a real date" in block.lower(), block
    assert 'aria-invalid="true"' in block
    assert path.read_bytes() == before  # nothing saved
    answer = server.post_form(EPISODE, {"csrf": server.csrf(EPISODE), "date": "2017-10-04"})
    assert answer.status == 303
    assert yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])["date"].isoformat() == "2017-10-04"
    page = server.request("GET", EPISODE)
    assert "problems" not in field_block(page.body, "f-date")


def test_settings_form_has_every_podcast_yaml_field_with_its_doc(server):
    from pipeline.source.config import PodcastConfig

    body = server.request("GET", "/settings").body
    for name, spec in PodcastConfig.fields.items():
        if name == "publish":
            continue
        assert f'name="{name}"' in body or f'name="{name}.' in body or f'name="{name}[1].' in body, name
        assert str(escape(spec.doc)) in body, name


def test_a_wrong_setting_is_refused_with_its_message_and_the_file_kept(server, podcast):
    before = (podcast / "podcast.yaml").read_bytes()
    answer = server.post_form("/settings", {"csrf": server.csrf(), "base_url": "http://example.org/", "owner.email": "nobody"})
    assert answer.status == 422
    assert "https://" in field_block(answer.body, "f-base_url")
    assert "e-mail" in field_block(answer.body, "f-owner-email")
    assert (podcast / "podcast.yaml").read_bytes() == before


def test_pages_speak_french_when_the_locale_is_french(podcast):
    with studio(podcast, language="fr") as french:
        french.log_in()
        body = french.request("GET", EPISODE).body
        assert 'lang="fr"' in body and "Enregistrer" in body and "Épisodes" in body


def schema_docs(schema, top: bool = True) -> dict[str, str]:
    """Every field doc of a schema and of the schemas inside it, by path (venue.name, speakers[].role)."""
    from pipeline.source.fields import Field, ListOf, Nested

    found = {}
    for key, spec in schema.fields.items():
        found[key] = spec.doc
        inner = spec.schema if isinstance(spec, Nested) else spec.item if isinstance(spec, ListOf) and not isinstance(spec.item, Field) else None
        if inner is not None:
            found.update({f"{key}{'.' if isinstance(spec, Nested) else '[].'}{path}": doc for path, doc in schema_docs(inner, False).items()})
    return found


def studio_docs() -> list[str]:
    """The docs the studio shows as help: every field of episode.md, podcast.yaml's but those init explains."""
    from pipeline.source.config import PodcastConfig
    from pipeline.source.episode_meta import EpisodeMeta
    from pipeline.source.init import FIELD_NOTES

    podcast = {path: doc for path, doc in schema_docs(PodcastConfig).items()
               if not path.startswith("publish") and not FIELD_NOTES.get(path, {}).get("fr")}
    return sorted(set(schema_docs(EpisodeMeta).values()) | set(podcast.values()))


def test_every_field_doc_the_studio_shows_has_its_french():
    from pipeline.i18n import FIELD_DOCS_FR

    docs = studio_docs()
    assert [doc for doc in docs if not FIELD_DOCS_FR.get(doc)] == [], "give the new field docs their French in FIELD_DOCS_FR (pipeline/i18n/fields.py)"
    assert sorted(set(FIELD_DOCS_FR) - set(docs)) == [], "FIELD_DOCS_FR holds docs no field has any more"


def test_the_french_studio_shows_the_field_help_in_french(podcast):
    import re

    with studio(podcast, language="fr") as french:
        french.log_in()
        pages = french.request("GET", EPISODE).body + french.request("GET", "/settings").body
    helps = re.findall(r'<p class="help" id="f-[^"]*-help">(.*?)</p>', pages, re.S)
    assert len(helps) > 60
    english = [doc for doc in studio_docs() if str(escape(doc)) in pages]
    assert english == []
    assert "Nom du lieu où le débat a été enregistré." in field_block(pages, "f-venue-name")
    assert "Titre de l&#39;épisode." in field_block(pages, "f-title")
    assert "Où le passage retiré commence dans l&#39;enregistrement, par exemple 00:41:10." in pages
    assert "Nom de la personne ou du collectif à qui appartient le podcast." in field_block(pages, "f-owner-name")


def upload_new(server, fields: dict[str, str], file_name: str | None, data: bytes = b""):
    boundary = "studionew42"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    if file_name is not None:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="recording"; filename="{file_name}"\r\n'
                     f"Content-Type: audio/wav\r\n\r\n".encode() + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return server.request("POST", "/new", body=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": f"http://127.0.0.1:{server.port}"})


def test_a_new_episode_from_an_uploaded_recording_is_made_as_portevoix_new_makes_it(server, podcast, tmp_path):
    from support.sound import make_tone

    recording = make_tone(tmp_path / "soir.wav", seconds=2.0)
    csrf = server.csrf("/new")
    answer = upload_new(server, {"csrf": csrf, "title": "Débat du soir", "date": "2026-11-30", "path": ""}, "../../soir.wav",
                        recording.read_bytes())
    assert answer.status == 303, answer.body[:3000]
    assert answer.headers["Location"].endswith("/episodes/2026-11-30-debat-du-soir?saved=1")
    folder = podcast / "episodes" / "2026-11-30-debat-du-soir"
    assert (folder / "enregistrement.wav").read_bytes() == recording.read_bytes()
    front = yaml.safe_load((folder / "episode.md").read_text(encoding="utf-8").split("---")[1])
    assert front["title"] == "Débat du soir" and front["recording"] == "enregistrement.wav"
    assert not any((podcast / ".cache" / "portevoix" / "studio-uploads").iterdir())  # the upload was a copy, removed
    page = server.request("GET", "/episodes/2026-11-30-debat-du-soir")
    assert page.status == 200 and "Débat du soir" in page.body


def test_a_new_episode_refuses_a_path_outside_the_folder_and_a_wrong_date(server, podcast, tmp_path):
    outside = tmp_path / "dehors.wav"
    outside.write_bytes(b"RIFF")
    before = sorted(p.name for p in (podcast / "episodes").iterdir())
    csrf = server.csrf("/new")
    for path in (str(outside), "../dehors.wav", f"../../{tmp_path.name}/dehors.wav"):
        answer = upload_new(server, {"csrf": csrf, "title": "Dehors", "date": "2026-11-30", "path": path}, None)
        assert answer.status == 422
        assert "not a file inside the podcast folder" in field_block(answer.body, "f-path")
    answer = upload_new(server, {"csrf": csrf, "title": "Dehors", "date": "30/11/2026", "path": "cover.jpg"}, None)
    assert answer.status == 422 and "not a date" in field_block(answer.body, "f-date")
    assert sorted(p.name for p in (podcast / "episodes").iterdir()) == before
