"""Every command behaves sensibly in every git state a person can be in."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
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


def test_git_dir_and_git_work_tree_are_honoured(tmp_path: Path) -> None:
    """The repository kept apart from its work tree, named by GIT_DIR and GIT_WORK_TREE (relative, from a subfolder)."""
    store, work = tmp_path / "store.git", tmp_path / "work"
    git(tmp_path, "init", "-q", "--bare", str(store))
    (work / "applications").mkdir(parents=True)
    env = {**os.environ, "GIT_DIR": str(store), "GIT_WORK_TREE": str(work)}

    def commit(status: str, date: str) -> None:
        (work / "applications" / REDDIT.name).write_text(with_status(status, "2026-08-02"), encoding="utf-8")
        subprocess.run(["git", "add", "-A"], cwd=work, env=env, check=True)
        dated = {**env, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        subprocess.run(["git", "commit", "-q", "--no-verify", "-m", status], cwd=work, env=dated, check=True)

    commit("PENDING", "2026-08-01T09:00:00+00:00")
    commit("APPLIED", "2026-08-03T09:00:00+00:00")
    relative = {**os.environ, "GIT_DIR": "../../store.git", "GIT_WORK_TREE": ".."}

    def jobtrail(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "jobtrail", *argv],
            cwd=work / "applications",
            env=relative,
            capture_output=True,
            text=True,
        )

    done = jobtrail("history", "--json")
    assert done.returncode == 0, done.stderr
    [entry] = json.loads(done.stdout)["applications"]
    assert [(change["status"], change["date"]) for change in entry["history"]] == [
        ("PENDING", "2026-08-01"),
        ("APPLIED", "2026-08-02"),
    ]
    assert jobtrail("index").returncode == 0
    assert "APPLIED" in (work / "INDEX.md").read_text(encoding="utf-8")
    assert jobtrail("index", "--check").returncode == 0
    assert not (work / ".git").exists()


def test_a_partial_clone_offline_leaves_out_what_it_cannot_fetch_and_says_so(repo: Repo, tmp_path: Path) -> None:
    repo.git("config", "uploadpack.allowFilter", "true")
    repo.commit("pending", date="2026-08-01T09:00:00+00:00")
    repo.write(REDDIT.name, with_status("APPLIED", "2026-08-02"))
    repo.commit("applied", date="2026-08-03T09:00:00+00:00")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--filter=blob:none", f"file://{repo.root}", str(clone))
    shutil.move(repo.root, tmp_path / "gone")  # offline: the promisor remote is unreachable

    done = subprocess.run(
        [sys.executable, "-m", "jobtrail", "history", "--json"], cwd=clone, capture_output=True, text=True
    )

    assert done.returncode == 0, done.stderr
    assert "not in this partial clone" in done.stderr and "damaged" not in done.stderr, done.stderr
    [entry] = json.loads(done.stdout)["applications"]
    assert entry["status"] == "APPLIED"
    assert [change["status"] for change in entry["history"]] == ["APPLIED"]
    index = subprocess.run([sys.executable, "-m", "jobtrail", "index"], cwd=clone, capture_output=True, text=True)
    assert index.returncode == 0, index.stderr
