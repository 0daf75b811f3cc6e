"""`jobtrail index`'s cache by file stamp: unchanged files are not read again, output never differs."""

from __future__ import annotations

import datetime
import os

import pytest

import jobtrail.appcache as appcache
from conftest import Repo, application, git
from jobtrail.config import load_config
from jobtrail.generated import regenerate, render_repository
from jobtrail.repository import repository_at
from jobtrail.stampcache import FILE_NAME, StampCache

DAY = datetime.date(2026, 11, 30)
FILES = 20  # enough new entries for the cache to be written (BlobCache.save's threshold)


def _many(repo: Repo) -> None:
    for number in range(FILES):
        repo.write(f"company-{number:02d}.md", application(f"Company {number:02d}", "Engineer", "PENDING"))
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "-m", "applications")


def _loaded(repo: Repo) -> StampCache:
    repository = repository_at(str(repo.root))
    cache = StampCache(repository.git_dir, repository.config)
    render_repository(repository, DAY, cache)
    cache.save()
    return cache


def test_settled_unchanged_files_are_not_read_again(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(appcache, "SETTLED_NS", -(10**18))  # a change time cannot be set back
    _many(repo)
    assert _loaded(repo).reads == FILES + 1
    assert _loaded(repo).reads == 0


def test_just_written_files_are_read_every_time(repo: Repo) -> None:
    _many(repo)
    _loaded(repo)
    assert _loaded(repo).reads == FILES + 1  # written less than a second ago: never stored


def test_a_changed_file_is_read_again_and_shown(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(appcache, "SETTLED_NS", -(10**18))
    _many(repo)
    repository = repository_at(str(repo.root))
    regenerate(repository, today=DAY)
    repo.write("company-03.md", application("Renamed Corp", "Engineer", "PENDING"))
    regenerate(repository, today=DAY)
    assert "Renamed Corp" in (repo.root / "INDEX.md").read_text(encoding="utf-8")


def test_the_output_is_the_same_from_the_cache_and_problems_are_kept(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(appcache, "SETTLED_NS", -(10**18))
    _many(repo)
    repo.write("broken.md", "# no sections at all\n")
    repository = repository_at(str(repo.root))
    cold = regenerate(repository, today=DAY, check=True)
    assert os.path.exists(os.path.join(repository.git_dir, "jobtrail", FILE_NAME))
    uncached = render_repository(repository, DAY)
    cached = render_repository(repository, DAY, StampCache(repository.git_dir, load_config(str(repo.root))))
    assert cached.files == uncached.files
    assert cached.problems == uncached.problems == cold.problem_list
    assert any(problem.path == "applications/broken.md" for problem in cached.problems)
