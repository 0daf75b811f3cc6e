"""Configuration: values a person may write, and the clear errors for the rest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import Repo, reddit_text

REDDIT = reddit_text()
NAME = "reddit-senior-machine-learning-engineer-safety.md"


@pytest.mark.parametrize("folder", ["", ".", "./"])
def test_the_top_of_the_repository_is_not_an_applications_folder(repo: Repo, run_cli, folder: str) -> None:
    (repo.root / "jobtrail.toml").write_text(f'applications = "{folder}"\n', encoding="utf-8")

    result = run_cli(repo.root, "history")

    assert result.status == 1 and "`applications` must name a folder below the top" in result.err


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("quiet_days = 99999999999999999999", "`quiet_days` must be a whole number of days from 0 to 36,500"),
        ("quiet_days = -1", "`quiet_days` must be a whole number of days from 0 to 36,500"),
        ("follow_up_days = {APPLIED = 99999999999999999}", "`follow_up_days` must map statuses to whole numbers"),
        ("max_file_bytes = 99999999999999999999", "`max_file_bytes` must be a whole number of bytes from 0 to"),
        ("max_file_bytes = 1e3", "`max_file_bytes` must be a whole number of bytes"),
    ],
)
def test_numbers_out_of_range_are_a_clear_error(repo: Repo, run_cli, setting: str, message: str) -> None:
    (repo.root / "jobtrail.toml").write_text(setting + "\n", encoding="utf-8")
    repo.write(NAME, REDDIT.replace("### Application\nPENDING", "### Application\nAPPLIED"))

    for command in ("check", "index"):
        result = run_cli(repo.root, command)
        assert result.status == 1 and message in result.err, (command, result.err)


@pytest.mark.parametrize("status", ["APPLIED\\n", "APPLIED\\r\\n", "APPLIED ", "\\u200bAPPLIED"])
def test_a_status_word_with_a_trailing_newline_or_hidden_character_is_refused(repo: Repo, run_cli, status: str) -> None:
    """A newline after a configured status broke INDEX.md's Mermaid block (`$` matched before it)."""
    (repo.root / "jobtrail.toml").write_text(f'active = ["PENDING", "{status}"]\n', encoding="utf-8")

    for command in ("check", "index"):
        result = run_cli(repo.root, command)
        assert result.status == 1, (command, result.err)
        assert "`active` must be a non-empty list of upper-case status words" in result.err
    assert not (repo.root / "INDEX.md").exists()


@pytest.mark.parametrize("linked", ["applications", "template.md"])
def test_a_symlink_out_of_the_repository_for_the_applications_or_the_template_is_refused(
    repo: Repo, run_cli, tmp_path: Path, linked: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    private = outside / "private.md"
    private.write_text(reddit_text().replace("Reddit\n", "Private\n", 1), encoding="utf-8")
    if linked == "applications":
        shutil.move(str(repo.applications / NAME), outside / NAME)
        repo.applications.rmdir()
        repo.applications.symlink_to(outside, target_is_directory=True)
    else:
        (repo.root / "template.md").symlink_to(private)
    before = sorted((path.name, path.read_bytes()) for path in outside.iterdir())

    for argv in (["new", "Acme", "Engineer"], ["status", "reddit", "APPLIED"], ["check"], ["index"]):
        result = run_cli(repo.root, *argv)
        assert result.status == 1, (argv, result.err)
        assert f"{linked}: the " in result.err and "symbolic link out of the repository" in result.err, result.err

    assert sorted((path.name, path.read_bytes()) for path in outside.iterdir()) == before
    assert not (repo.root / "INDEX.md").exists()
