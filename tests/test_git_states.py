"""Every command behaves sensibly in every git state a person can be in."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REDDIT, Repo, diverge, git, with_status

NAME = REDDIT.name


def no_commits(repo: Repo) -> Path:
    return repo.root


def detached_head(repo: Repo) -> Path:
    first = repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED"))
    repo.commit("applied", date="2026-08-02T09:00:00+00:00")
    repo.git("checkout", "-q", "--detach", first)
    return repo.root


def rebase_in_progress(repo: Repo) -> Path:
    diverge(repo)
    repo.git("checkout", "-q", "side")
    with pytest.raises(subprocess.CalledProcessError):
        repo.git("rebase", "main")
    return repo.root


def merge_in_progress(repo: Repo) -> Path:
    diverge(repo)
    with pytest.raises(subprocess.CalledProcessError):
        repo.git("merge", "side")
    return repo.root


def index_lock_present(repo: Repo) -> Path:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED"))
    (repo.root / ".git" / "index.lock").write_text("")
    return repo.root


def shallow_clone(repo: Repo) -> Path:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED"))
    repo.commit("applied", date="2026-08-02T09:00:00+00:00")
    clone = repo.root.parent / "shallow"
    git(repo.root.parent, "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone))
    return clone


def quoted_file_name(repo: Repo) -> Path:
    os.rename(repo.applications / NAME, repo.applications / "société-générale-ingénieur.md")
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    return repo.root


def path_with_spaces(repo: Repo) -> Path:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    spaced = repo.root.parent / "my job search"
    shutil.move(repo.root, spaced)
    return spaced


STATES: list[Callable[[Repo], Path]] = [
    no_commits,
    detached_head,
    rebase_in_progress,
    merge_in_progress,
    index_lock_present,
    shallow_clone,
    quoted_file_name,
    path_with_spaces,
]
COMMANDS = [
    ("check",),
    ("history",),
    ("history", "--json"),
    ("list",),
    ("list", "--json"),
    ("stats",),
    ("stats", "--json"),
    ("export", "--format", "csv"),
    ("export", "--format", "json"),
    ("export", "--format", "ics"),
    ("index", "--check"),
    ("index",),
]


@pytest.mark.parametrize("state", STATES, ids=lambda state: state.__name__)
def test_every_command_in_every_git_state(repo: Repo, run_cli, state: Callable[[Repo], Path]) -> None:
    root = state(repo)
    for command in COMMANDS:
        result = run_cli(root, *command)
        assert result.status in (0, 1), (command, result.err)
        assert "Traceback" not in result.err and "unexpected error" not in result.err, (command, result.err)
        if command[-1] == "--json" or command[-1] == "json":
            json.loads(result.out)
    history = json.loads(run_cli(root, "history", "--json").out)
    assert [app["status"] for app in history["applications"]], history
