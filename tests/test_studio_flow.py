"""The studio's creation, settings, build, preview and publish pages, against the real server (http.client).

A folder without podcast.yaml gets init's questions with init's checks; the settings speak in labels
with the field docs as help; the cover is replaced only by a right image, and a too-large one is
refused before being stored; each publish target is tested with publish's own code; the built site
is previewed under /site/ and nothing outside site/ is served.
"""

from __future__ import annotations

import io
import re
import time

import yaml
from PIL import Image

from support.studio import DEMO_EPISODE, Studio, podcast, server, studio  # noqa: F401 (podcast, server: fixtures)
from support.studio import field_block

ORIGIN = "http://127.0.0.1:{port}"


def multipart(server, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]], headers: dict | None = None):
    boundary = "flowboundary42"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    for key, (name, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{name}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    sent = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": ORIGIN.format(port=server.port), **(headers or {})}
    return server.request("POST", path, body=body, headers=sent)


def image(width: int, height: int, kind: str = "JPEG", colour=(20, 60, 140)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, kind)
    return out.getvalue()


def test_an_empty_folder_gets_init_s_questions_with_init_s_checks(tmp_path):
    root = tmp_path / "nouveau"
    root.mkdir()
    with studio(root) as running:
        running.log_in()
        first = running.request("GET", "/")
        assert first.status == 302 and first.headers["Location"].endswith("/create")
        page = running.request("GET", "/create").body
        for key in ("title", "author", "email", "language", "base_url", "category", "cover"):
            assert f'id="f-{key}"' in page, key
        csrf = running.csrf("/create")
        wrong = {"csrf": csrf, "title": "Débats du Forez", "author": "Collectif du Forez", "email": "pas-une-adresse",
                 "language": "klingon", "base_url": "http://debats.example.net", "category": "Cuisine"}
        answer = multipart(running, "/create", wrong, {"cover": ("../../petite.jpg", image(600, 400))})
        assert answer.status == 422
        for key in ("email", "language", "base_url", "category"):
            assert 'aria-invalid="true"' in field_block(answer.body, f"f-{key}"), key
        assert "e-mail" in field_block(answer.body, "f-email")
        assert not (root / "podcast.yaml").exists()
        right = {**wrong, "email": "contact@forez.example", "language": "fr", "base_url": "debats.example.net", "category": "news > politics"}
        answer = multipart(running, "/create", right, {"cover": ("../../petite.jpg", image(600, 400))})
        assert answer.status == 422 and "square" in field_block(answer.body, "f-cover")
        assert not (root / "podcast.yaml").exists() and not (tmp_path / "petite.jpg").exists()
        answer = multipart(running, "/create", right, {"cover": ("../../Couverture.JPG", image(1400, 1400))})
        assert answer.status == 303 and answer.headers["Location"].endswith("/settings?created=1")
        config = yaml.safe_load((root / "podcast.yaml").read_text(encoding="utf-8"))
        assert config["base_url"] == "https://debats.example.net/"  # init's normalisation
        assert config["categories"] == ["News > Politics"] and config["owner"]["email"] == "contact@forez.example"
        assert Image.open(root / config["cover"]).size == (1400, 1400)
        assert (root / "episodes").is_dir() and (root / ".gitignore").is_file()
        assert not any((root / ".cache" / "portevoix" / "studio-uploads").iterdir())
        settings = running.request("GET", "/settings?created=1")
        assert settings.status == 200 and "podcast folder is created" in settings.body
        assert running.request("GET", "/create").status == 302  # only once
    (tmp_path / "vide").mkdir()
    with studio(tmp_path / "vide") as empty:
        empty.log_in()
        for path in ("/", "/settings", "/new", "/build", "/publish"):
            answer = empty.request("GET", path)
            assert answer.status == 302 and answer.headers["Location"] in ("/", "/create"), path


def label_of(body: str, html_id: str) -> str:
    match = re.search(rf'<label for="{html_id}">(.*?)</label>', body, re.S)
    assert match, html_id
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_settings_are_labelled_in_words_with_the_field_docs_as_help(server, podcast):
    from pipeline.source.init import FIELD_NOTES

    body = server.request("GET", "/settings").body
    assert label_of(body, "f-base_url").startswith("Public address of the site")
    assert label_of(body, "f-owner-email").startswith("E-mail") and label_of(body, "f-audio_preset") == "Loudness preset"
    assert "<legend>Owner</legend>" in body and "<legend>Hosts</legend>" in body
    for key in ("title", "base_url", "episodes_per_page", "cover_alt"):
        assert label_of(body, f"f-{key}").split(" (")[0] != key, key
    with studio(podcast, language="fr") as french:
        french.log_in()
        body = french.request("GET", "/settings").body
        assert label_of(body, "f-base_url").startswith("Adresse publique du site")
        assert "<legend>Propriétaire</legend>" in body
        help_text = re.search(r'id="f-base_url-help">(.*?)</p>', body, re.S).group(1)
        assert help_text.strip() == FIELD_NOTES["base_url"]["fr"].replace("'", "&#39;")


def test_the_cover_is_replaced_only_by_a_right_image(server, podcast):
    before = (podcast / "cover.jpg").read_bytes()
    csrf = server.csrf()
    wrong = multipart(server, "/settings/cover", {"csrf": csrf}, {"cover": ("../../large.jpg", image(1600, 900))})
    assert wrong.status == 422 and "square" in wrong.body and 'role="alert"' in wrong.body
    assert multipart(server, "/settings/cover", {"csrf": csrf}, {"cover": ("cover.gif", b"GIF89a")}).status == 422
    fake = multipart(server, "/settings/cover", {"csrf": csrf}, {"cover": ("x.jpg", b"not an image at all")})
    assert fake.status == 422
    assert (podcast / "cover.jpg").read_bytes() == before
    assert multipart(server, "/settings/cover", {"csrf": "forged"}, {"cover": ("c.jpg", image(1400, 1400))}).status == 403
    new = image(1500, 1500, colour=(200, 30, 30))
    answer = multipart(server, "/settings/cover", {"csrf": csrf}, {"cover": ("../../nouvelle.jpg", new)})
    assert answer.status == 303
    assert (podcast / "cover.jpg").read_bytes() == new and not (podcast.parent / "nouvelle.jpg").exists()
    assert not any(p.name.endswith(".upload") for p in podcast.iterdir())
    shown = server.request("GET", "/settings?cover=1")
    assert "Cover replaced." in shown.body and 'src="/file/cover.jpg"' in shown.body
    # A PNG goes beside it, and podcast.yaml's cover: follows with its comments kept.
    text = (podcast / "podcast.yaml").read_text(encoding="utf-8")
    assert multipart(server, "/settings/cover", {"csrf": csrf}, {"cover": ("c.png", image(1400, 1400, "PNG"))}).status == 303
    config = (podcast / "podcast.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(config)["cover"] == "cover.png" and (podcast / "cover.jpg").read_bytes() == new
    assert [line for line in text.splitlines() if line.lstrip().startswith("#")] == [line for line in config.splitlines() if line.lstrip().startswith("#")]


def test_a_too_large_upload_is_refused_before_anything_is_stored(server, podcast):
    """The request announces more than the limit: refused with a message, its body never read."""
    from pipeline.studio.creating import COVER_LIMIT

    episode = podcast / "episodes" / DEMO_EPISODE
    before = {p.name for p in episode.iterdir()}, (podcast / "cover.png").read_bytes() if (podcast / "cover.png").exists() else None
    csrf = server.csrf()
    for path, limit in (("/settings/cover", COVER_LIMIT), (f"/episodes/{DEMO_EPISODE}/files", 4 * 1024**3)):
        answer = multipart(server, path, {"csrf": csrf}, {"file": ("x.wav", b"RIFF" * 10), "cover": ("c.jpg", b"x")},
                           headers={"Content-Length": str(limit + 1)})
        assert answer.status == 413, path
        assert f"larger than {limit / 1024**2:.0f} MB" in answer.body
    assert ({p.name for p in episode.iterdir()}, (podcast / "cover.png").read_bytes() if (podcast / "cover.png").exists() else None) == before
    uploads = podcast / ".cache" / "portevoix" / "studio-uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


def test_each_publish_target_is_listed_and_its_connection_tested_as_publish_reads_it(server, podcast, tmp_path):
    from support.publish import free_port

    good, a_file = tmp_path / "web", tmp_path / "a-file"
    a_file.write_text("not a folder")
    closed = free_port()
    original = (podcast / "podcast.yaml").read_text(encoding="utf-8")
    (podcast / "podcast.yaml").write_text(original + f"""
publish:
  dossier:
    type: local
    path: {good}
  fichier:
    type: local
    path: {a_file}
  dedans:
    type: local
    path: {podcast / "site"}
  serveur:
    type: ssh
    host: 127.0.0.1
    port: {closed}
    path: /srv/debats
  stockage:
    type: s3
    bucket: debats
    endpoint_url: http://127.0.0.1:{closed}
""", encoding="utf-8")
    try:
        body = server.request("GET", "/settings").body
        for name in ("dossier", "fichier", "serveur", "stockage"):
            assert f'action="/settings/targets/{name}/test"' in body, name
        assert f"<code>127.0.0.1:{closed}:/srv/debats</code>" in body and "S3 storage" in body
        csrf = server.csrf()
        ok = server.post_form("/settings/targets/dossier/test", {"csrf": csrf})
        assert ok.status == 200 and "The connection works." in ok.body and "nothing has been published there yet" in ok.body
        assert not good.exists()  # a test sends nothing
        expected = {"fichier": "is not a folder", "dedans": "publish to a folder outside the podcast folder",
                    "serveur": "connection refused", "stockage": "no S3 credentials"}
        for name, words in expected.items():
            answer = server.post_form(f"/settings/targets/{name}/test", {"csrf": csrf})
            assert answer.status == 422 and words in answer.body, (name, answer.body[-1500:])
            assert "Traceback" not in answer.body
        assert server.post_form("/settings/targets/nowhere/test", {"csrf": csrf}).status == 404
        assert server.post_form("/settings/targets/dossier/test", {"csrf": csrf}, origin="http://evil.example").status == 403
    finally:
        (podcast / "podcast.yaml").write_text(original, encoding="utf-8")


def follow(server, path: str, deadline_s: float = 240) -> str:
    """The page of a background job, once it has finished (it reloads itself while the job runs)."""
    deadline = time.monotonic() + deadline_s
    while True:
        page = server.request("GET", path).body
        if 'http-equiv="refresh"' not in page:
            return page
        assert time.monotonic() < deadline, page
        time.sleep(0.3)


def test_build_report_preview_then_publish_after_its_plan_with_the_check(tmp_path):
    """Build (with --report) in the background, preview under /site/ only, publish to a local folder
    after its dry-run plan, every tab following it, and the live copy checked by publish --check."""
    from support.sound import make_tone
    from pipeline.source.new import new_episode
    from support.publish import serve_folder
    from support.studio import REPO

    root, web = tmp_path / "petit", tmp_path / "web"
    root.mkdir()
    for name in ("podcast.yaml", "cover.jpg"):
        (root / name).write_bytes((REPO / name).read_bytes())
    (root / "episodes").mkdir()
    slug = new_episode(root, "Essai", make_tone(tmp_path / "essai.wav", seconds=2.0)).name
    served = serve_folder(web / "current")
    with (root / "podcast.yaml").open("a", encoding="utf-8") as config:
        config.write(f"publish:\n  dossier:\n    type: local\n    path: {web}\n    check_url: http://127.0.0.1:{served.server_port}/\n")
    try:
        with studio(root) as running:
            running.log_in()
            assert "/publish" in running.request("GET", "/publish").body and "no site built yet" in running.request("GET", "/publish").body
            assert running.post_form("/build", {"csrf": running.csrf("/build")}).status == 303
            page = follow(running, "/build")
            assert "The build is finished." in page and "site written to" in page
            report = page.split('id="report"')[1]
            assert f"<code>{slug}</code>" in report and "Integrated" in report and "LUFS" in report
            assert f'src="/site/episodes/{slug}/loudness.svg"' in report
            picture = running.request("GET", f"/site/episodes/{slug}/loudness.svg")
            assert picture.status == 200 and picture.headers["Content-Type"].startswith("image/svg+xml")
            # The preview: the built site, and nothing outside it.
            index = running.request("GET", "/site/")
            assert index.status == 200 and index.body == (root / "site" / "index.html").read_text(encoding="utf-8")
            assert running.request("GET", f"/site/episodes/{slug}").status == 301
            (root / "site" / "dehors.html").symlink_to(root / "podcast.yaml")
            for path in ("/site/../podcast.yaml", "/site/..%2Fpodcast.yaml", "/site/%2e%2e/podcast.yaml", "/site/dehors.html",
                         f"/site/{root}/podcast.yaml", "/site//etc/hostname", "/site/%2e%2e/%2e%2e/etc/hostname"):
                answer = running.request("GET", path)
                assert answer.status in (400, 404), path
                assert "base_url" not in answer.body, path
            (root / "site" / "dehors.html").unlink()
            # The plan first: every file of the site, in three groups, nothing sent.
            plan = running.request("GET", "/publish").body
            files = [p for p in (root / "site").rglob("*") if p.is_file() and p.name != ".portevoix-site"]
            total = re.search(r"<tfoot><tr><th[^>]*>In all</th><td>(\d+)</td>", plan)
            assert total and int(total.group(1)) == len(files), plan
            assert "feed.xml" in plan and not web.exists()
            # Confirmed: in the background; another tab (its own cookie, its own connection) follows it.
            assert running.post_form("/publish", {"csrf": running.csrf("/publish"), "target": "dossier"}).status == 303
            other = Studio(running.url, running.port, running.token)  # a second tab: the same studio, logged in again
            other.log_in()
            seen = other.request("GET", "/publish").body
            assert "Publishing…" in seen or "Published" in seen
            page = follow(other, "/publish")
            assert "Published, and the live site checked" in page, page
            assert "checked http://127.0.0.1" in page and "enclosures answer" in page
            assert (web / "current" / "feed.xml").read_bytes() == (root / "site" / "feed.xml").read_bytes()
            again = running.request("GET", "/publish").body
            assert re.search(r"<tfoot><tr><th[^>]*>In all</th><td>0</td>", again)
            assert "already holds this site: nothing to send" in again
            # One build or publish at a time: while a build from a terminal holds the folder, both are refused.
            from pipeline.folderlock import podcast_folder_locked

            current = (web / "current").resolve()
            with podcast_folder_locked(root):
                assert running.post_form("/publish", {"csrf": running.csrf(), "target": "dossier"}).status == 303
                page = follow(running, "/publish")
                assert "The publish stopped" in page and "a build is running in this folder" in page, page
                assert running.post_form("/build", {"csrf": running.csrf("/build")}).status == 303
                page = follow(running, "/build")
                assert "The build stopped" in page, page
            assert (web / "current").resolve() == current
    finally:
        served.shutdown()
        served.server_close()



def test_the_french_studio_publishes_and_reads_what_the_publish_said_in_french(tmp_path, sites):
    """The studio in French runs publish in French: a publish checked, one whose check fails, one refused,
    each read back from the publish's own French lines (the page's verdict and its check lines)."""
    from html import unescape

    from pipeline.folderlock import podcast_folder_locked
    from support.publish import podcast_folder, serve_folder, use_site

    web = tmp_path / "web"
    served = serve_folder(web / "current")
    root = podcast_folder(tmp_path, f"publish:\n  dossier:\n    type: local\n    path: {web}\n"
                                    f"    check_url: http://127.0.0.1:{served.server_port}/\n")
    use_site(root, sites, "v1")
    try:
        with studio(root, "fr") as running:
            running.log_in()
            plan = running.request("GET", "/publish").body
            assert "En tout" in plan and re.search(r"<td>\d+,\d [kM]o</td>", plan), plan
            assert running.post_form("/publish", {"csrf": running.csrf("/publish"), "target": "dossier"}).status == 303
            page = unescape(follow(running, "/publish"))
            assert "Publié, et le site en ligne vérifié : le flux et chaque fichier répondent." in page, page
            assert f"publié vers dossier (dossier {web}) : version " in page
            assert f"http://127.0.0.1:{served.server_port}/feed.xml vérifié : 2 fichier(s) audio répondent" in page
            assert "Traceback" not in page

            # The live site stops answering: published, but its check fails, and says why in French.
            served.shutdown()
            served.server_close()
            use_site(root, sites, "v2")
            assert running.post_form("/publish", {"csrf": running.csrf("/publish"), "target": "dossier"}).status == 303
            page = unescape(follow(running, "/publish"))
            assert "Publié, mais la vérification du site en ligne a trouvé des problèmes" in page, page
            check = page.split('id="check"')[1]
            assert f"http://127.0.0.1:{served.server_port}/feed.xml : impossible de récupérer le flux (" in check

            # A build holds the folder: the publish is refused, in French.
            with podcast_folder_locked(root):
                assert running.post_form("/publish", {"csrf": running.csrf("/publish"), "target": "dossier"}).status == 303
                page = unescape(follow(running, "/publish"))
            assert "La publication s'est arrêtée : la version précédente est toujours en ligne." in page, page
            assert f"{root} : une construction est en cours dans ce dossier ; publiez quand elle sera finie" in page
            assert "Traceback" not in page

            # The settings page's connection test speaks publish's French too.
            a_file = tmp_path / "afile"
            a_file.write_text("x", encoding="utf-8")
            config = root / "podcast.yaml"
            config.write_text(config.read_text(encoding="utf-8").replace(f"path: {web}", f"path: {a_file}/www"), encoding="utf-8")
            answer = running.post_form("/settings/targets/dossier/test", {"csrf": running.csrf()})
            assert answer.status == 422 and f"{a_file} n'est pas un dossier" in unescape(answer.body), answer.body[-1500:]
    finally:
        served.shutdown()
        served.server_close()

def test_the_notes_preview_is_the_site_s_rendering_and_safe(server, podcast):
    from pipeline.source.notes import to_html

    episode = podcast / "episodes" / DEMO_EPISODE / "episode.md"
    before = episode.read_bytes()
    page = server.request("GET", f"/episodes/{DEMO_EPISODE}").body
    assert f'formaction="/episodes/{DEMO_EPISODE}/notes-preview"' in page and 'src="/notes-preview.js"' in page
    notes = "Un **débat** sur [le site](https://example.org/).\n\n<script>alert(1)</script>\n\n[piège](javascript:alert(1))\n"
    answer = server.post_form(f"/episodes/{DEMO_EPISODE}/notes-preview", {"csrf": server.csrf(f"/episodes/{DEMO_EPISODE}"), "notes": notes})
    assert answer.status == 200
    rendered = re.search(r'<div class="notes-preview" id="rendered">(.*?)</div>', answer.body, re.S).group(1)
    assert rendered == to_html(notes)  # the renderer of the episode pages and the feed
    assert "<strong>débat</strong>" in rendered and '<a href="https://example.org/">le site</a>' in rendered
    assert "<script" not in rendered and "&lt;script&gt;" in rendered and "javascript:" not in rendered.replace("[piège](javascript:alert(1))", "")
    assert episode.read_bytes() == before  # a preview saves nothing
    assert server.post_form(f"/episodes/{DEMO_EPISODE}/notes-preview", {"notes": "x"}).status == 403
    script = server.request("GET", "/notes-preview.js")
    assert script.status == 200 and script.headers["Content-Type"].startswith("text/javascript")
