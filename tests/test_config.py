"""Configuration: values a person may write, and the clear errors for the rest."""

from __future__ import annotations

import pytest

from conftest import Repo


@pytest.mark.parametrize("folder", ["", ".", "./"])
def test_the_top_of_the_repository_is_not_an_applications_folder(repo: Repo, run_cli, folder: str) -> None:
    (repo.root / "jobtrail.toml").write_text(f'applications = "{folder}"\n', encoding="utf-8")

    result = run_cli(repo.root, "history")

    assert result.status == 1 and "`applications` must name a folder below the top" in result.err
