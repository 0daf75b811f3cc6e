"""After a commit the post-commit hook makes the work tree copies of INDEX.md and HISTORY.md the committed ones."""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import Repo, application
from jobtrail import render, settle

BOUND = 8000  # bytes: each application is under it, each generated file of 100 applications over it


def commit(repo: Repo, message: str) -> None:
    """`git add -A` and `git commit` through the real hooks."""
    repo.git("add", "-A")
    done = subprocess.run(
        ["git", "commit", "-m", message], cwd=repo.root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert done.returncode == 0, done.stdout


def stat_size(repo: Repo, name: str) -> int:
    """The size git recorded for ``name``'s index entry (0 until git has read the file's stat)."""
    debug = repo.git("ls-files", "--debug", "--", name)
    return int(debug.split("size: ")[1].split()[0])


def test_generated_files_larger_than_the_applications_size_bound_are_settled(
    hooked: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`max_file_bytes` bounds an application, not a generated file: at 50,000 applications INDEX.md and
    HISTORY.md are 7 and 13 MB, and the hook read them as too large, left the work tree copies behind and
    staged those old copies again (the next `git status` showed INDEX.md changed)."""
    monkeypatch.setenv("PRE_COMMIT_COLOR", "never")
    (hooked.root / "jobtrail.toml").write_text(f"max_file_bytes = {BOUND}\n", encoding="utf-8")
    for number in range(100):
        hooked.write(f"company-{number:02d}-engineer.md", application(f"Company{number:02d}", "Engineer", "PENDING"))
    commit(hooked, "a hundred applications")
    hooked.write("company-07-engineer.md", application("Company07", "Staff Engineer", "PENDING"))
    commit(hooked, "company 07: staff")

    assert hooked.git("status", "--porcelain") == ""
    for name in settle.GENERATED:
        committed = subprocess.run(
            ["git", "show", f"HEAD:{name}"], cwd=hooked.root, capture_output=True, check=True
        ).stdout
        assert len(committed) > BOUND
        assert (hooked.root / name).read_bytes() == committed
        # git has the work tree copy's stat: `git status` does not read the file again.
        assert stat_size(hooked, name) == os.path.getsize(hooked.root / name)
    assert b"Staff Engineer" in (hooked.root / "INDEX.md").read_bytes()
    assert hooked.git("ls-files", "-v", "--", *settle.GENERATED).split() == ["H", "HISTORY.md", "H", "INDEX.md"]


def test_the_generated_file_names_are_the_renderers() -> None:
    """settle names the files itself (the post-commit hook does not import the renderer)."""
    assert settle.GENERATED == (render.INDEX_FILE, render.HISTORY_FILE)
