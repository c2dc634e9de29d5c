"""Shared fixtures: real podcast folders, real ffmpeg, the real command line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support.browser import browser, close_shared_browser  # noqa: F401 - fixture: one chromium for every browser test
from support.publish import moto, sites, sshd  # noqa: F401 - session fixtures, registered here to be made once
from support.cli import run_cli
from support.podcasts import copy_demo
from support.wheel import installed_wheel  # noqa: F401 - session fixture (test_wheel, test_install)


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory) -> Path:
    """The demo podcast, copied and built once for the whole session."""
    root = copy_demo(tmp_path_factory.mktemp("demo"))
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    return root


def pytest_sessionfinish(session, exitstatus):
    close_shared_browser()


@pytest.fixture(autouse=True)
def _no_proxy_for_loopback(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    yield


os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
# The tests read portevoix's English lines: a French machine must not change them.
# Tests of the French lines set their own locale variables.
os.environ["LANG"] = "C.UTF-8"
for _variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_variable, None)
