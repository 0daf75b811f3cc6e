"""The real pre-commit framework: this repository's own config, and another repository using the hooks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import PROJECT, Repo, git, reddit_text

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
BROKEN = (
    reddit_text().replace("### Application\nPENDING", "### Application\nAPPLID").replace("Reddit\n", "Broken Co\n", 1)
)


def pre_commit(cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run([*PRE_COMMIT, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_this_repositorys_config_passes_on_a_clean_clone_and_catches_a_broken_file(
    tmp_path: Path, pre_commit_home: Path
) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(PROJECT), str(clone))

    clean = pre_commit(clone, pre_commit_home, "run", "--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr

    (clone / "applications" / "broken-co.md").write_text(BROKEN)
    git(clone, "add", "applications/broken-co.md")
    broken = pre_commit(clone, pre_commit_home, "run", "jobtrail-index")
    assert broken.returncode == 1
    assert "applications/broken-co.md:14:1: JT401 unknown status `APPLID`" in broken.stdout


def test_application_files_are_kept_byte_for_byte_by_the_hooks(tmp_path: Path, pre_commit_home: Path) -> None:
    """No whitespace or end-of-file fixer may touch applications/ (the Reddit file has both)."""
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(PROJECT), str(clone))
    reddit = clone / "applications" / "reddit-senior-machine-learning-engineer-safety.md"
    before = reddit.read_bytes()
    assert not before.endswith(b"\n") and b"  \n" in before  # what a fixer would "fix"

    pre_commit(clone, pre_commit_home, "run", "--all-files")

    assert reddit.read_bytes() == before


def test_another_repository_uses_the_hooks_through_try_repo(repo: Repo, pre_commit_home: Path) -> None:
    repo.write("broken-co.md", BROKEN)
    repo.commit("applications")

    result = pre_commit(repo.root, pre_commit_home, "try-repo", str(PROJECT), "jobtrail-check", "--all-files")

    assert result.returncode == 1, result.stdout + result.stderr
    assert "applications/broken-co.md:14:1: JT401" in result.stdout
    assert "reddit-senior-machine-learning-engineer-safety.md:" not in result.stdout
