"""`portevoix check`: every problem at once, one line each, naming file and field."""

from __future__ import annotations


from support.cli import run_cli
from support.files import tree_digest
from support.podcasts import CONFIG, GOOD, add_episodes, make_podcast


def test_three_broken_episodes_give_three_lines_and_leave_site_untouched(tmp_path):
    root = make_podcast(tmp_path / "podcast", {"2024-03-20-bon": GOOD.format(guid="a1")})
    assert run_cli(root, "build").returncode == 0
    site_before = tree_digest(root / "site")
    add_episodes(
        root,
        {
            "2024-03-20-numerisation": GOOD.format(guid="b2").replace("2024-03-20T18:30:00+01:00", '"20/03/2024"'),
            "2024-03-21-sans-titre": GOOD.format(guid="c3").replace('title: "Un bon épisode"\n', ""),
            "2024-03-22-chapitre": GOOD.format(guid="d4").replace("---\nDes", 'chapters:\n  - {start: "00:10:00", title: Fin}\n---\nDes'),
        },
    )

    result = run_cli(root, "check")
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert lines[0] == 'episodes/2024-03-20-numerisation/episode.md: date: "20/03/2024" is not a date (write 2024-03-20 or 2024-03-20T18:30:00+01:00)'
    assert lines[1] == "episodes/2024-03-21-sans-titre/episode.md: title: is missing (title of the episode)"
    assert lines[2] == "episodes/2024-03-22-chapitre/episode.md: chapters[1].start: starts at 00:10:00, after the end of the recording (00:00:02)"
    assert len(lines) == 3

    assert run_cli(root, "build").returncode == 1
    assert tree_digest(root / "site") == site_before


def test_a_misspelt_key_gets_a_suggestion(tmp_path):
    root = make_podcast(tmp_path / "podcast", {"2024-03-22-faute": GOOD.format(guid="d4").replace("title:", "titel:")})
    result = run_cli(root, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "episodes/2024-03-22-faute/episode.md: titel: unknown key (did you mean title?)",
        "episodes/2024-03-22-faute/episode.md: title: is missing (title of the episode)",
    ]


def test_a_good_podcast_checks_clean(tmp_path):
    root = make_podcast(tmp_path / "podcast", {"2024-03-20-bon": GOOD.format(guid="a1")})
    result = run_cli(root, "check")
    assert result.returncode == 0, result.stderr
    assert "1 episodes, no problem found" in result.stdout


def test_config_problems_name_the_config_file(tmp_path):
    root = make_podcast(tmp_path / "podcast", {})
    (root / "podcast.yaml").write_text(CONFIG.replace("https://podcast", "http://podcast") + "languge: fr\n", encoding="utf-8")
    result = run_cli(root, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "podcast.yaml: languge: unknown key (did you mean language?)",
        'podcast.yaml: base_url: "http://podcast.example.org/" is not an https:// address',
    ]


def test_not_a_podcast_folder(tmp_path):
    result = run_cli(tmp_path, "check")
    assert result.returncode == 1
    assert result.stderr.startswith("podcast.yaml: not found in")
    assert "Traceback" not in result.stderr


def test_times_in_check_messages_carry_over_at_the_minute_and_the_hour(tmp_path):
    """A time just under a minute or an hour is quoted as episode.md would write it (00:01:00, never 00:00:60.0)."""
    cuts = ('cuts:\n  - {start: "00:00:30", end: 59.9996}\n  - {start: "00:00:59.96", end: "00:01:10"}\n'
            '  - {start: 3599.96, end: "01:00:30"}\n  - {start: "00:59:59.9996", end: "01:01:00"}\n---\nDes')
    root = make_podcast(tmp_path / "podcast", {"2024-03-22-coupes": GOOD.format(guid="d4").replace("---\nDes", cuts)})
    result = run_cli(root, "check")
    assert result.returncode == 1
    where = "episodes/2024-03-22-coupes/episode.md: "
    assert result.stderr.splitlines() == [
        where + "cuts: two ranges overlap (00:00:30-00:01:00 and 00:00:59.960-00:01:10): join them into one",
        where + "cuts: two ranges overlap (00:59:59.960-01:00:30 and 01:00:00-01:01:00): join them into one",
        where + "cuts[1].start: starts at 00:00:30, after the end of the recording (00:00:02)",
        where + "cuts[2].start: starts at 00:00:59.960, after the end of the recording (00:00:02)",
        where + "cuts[3].start: starts at 00:59:59.960, after the end of the recording (00:00:02)",
        where + "cuts[4].start: starts at 01:00:00, after the end of the recording (00:00:02)",
    ]



def test_check_says_what_does_not_hold_together_in_french(tmp_path, monkeypatch):
    cuts = 'cuts:\n  - {start: "00:00:30", end: 59.9996}\n  - {start: "00:00:59.96", end: "00:01:10"}\n---\nDes'
    chapter = 'chapters:\n  - {start: "00:10:00", title: Fin}\n---\nDes'
    root = make_podcast(tmp_path / "podcast", {"2024-03-22-coupes": GOOD.format(guid="d4").replace("---\nDes", cuts),
                                               "2024-03-23-chapitre": GOOD.format(guid="d5").replace("---\nDes", chapter)})
    monkeypatch.setenv("LANGUAGE", "fr")
    result = run_cli(root, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    cut, late = "episodes/2024-03-22-coupes/episode.md: ", "episodes/2024-03-23-chapitre/episode.md: "
    assert result.stderr.splitlines() == [
        cut + "cuts: deux passages se chevauchent (00:00:30-00:01:00 et 00:00:59.960-00:01:10) : réunissez-les en un seul",
        cut + "cuts[1].start: commence à 00:00:30, après la fin de l'enregistrement (00:00:02)",
        cut + "cuts[2].start: commence à 00:00:59.960, après la fin de l'enregistrement (00:00:02)",
        late + "chapters[1].start: commence à 00:10:00, après la fin de l'enregistrement (00:00:02)",
    ]
