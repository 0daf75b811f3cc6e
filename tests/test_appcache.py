"""The watcher's cache: unchanged files are not read again, changed ones always are, output never differs."""

from __future__ import annotations

import os

import pytest

import jobtrail.appcache as appcache
from conftest import Repo, reddit_text
from jobtrail.appcache import ApplicationCache
from jobtrail.config import load_config
from jobtrail.generated import regenerate
from jobtrail.model import Application
from jobtrail.repository import repository_at

NAME = "reddit-senior-machine-learning-engineer-safety.md"


def load(cache: ApplicationCache, repo: Repo) -> Application:
    return cache.load(str(repo.applications / NAME), f"applications/{NAME}", load_config(str(repo.root)))


def test_a_settled_unchanged_file_is_read_once(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    # A file's change time cannot be set back: make "settled" reach to now instead.
    monkeypatch.setattr(appcache, "SETTLED_NS", -(10**18))
    cache = ApplicationCache()
    first = load(cache, repo)
    assert load(cache, repo) is first
    assert cache.reads == 1


def test_a_just_written_file_is_read_every_time(repo: Repo) -> None:
    cache = ApplicationCache()
    load(cache, repo)
    load(cache, repo)
    assert cache.reads == 2  # modified less than a second ago: the stamps may not show the next change


def test_a_change_of_the_same_size_and_modification_time_is_seen(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(appcache, "SETTLED_NS", -(10**18))
    path = repo.applications / NAME
    cache = ApplicationCache()
    assert load(cache, repo).status == "PENDING"
    stamp = path.stat()
    path.write_bytes(path.read_bytes().replace(b"\nPENDING", b"\nAPPLIED"))  # the same size
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # the same modification time
    assert load(cache, repo).status == "APPLIED"  # the change time moved


def test_regenerating_with_the_cache_writes_what_without_it_would(repo: Repo) -> None:
    cache = ApplicationCache()
    repo.commit("Reddit")
    text = reddit_text()
    for number in range(5):
        repo.write(f"acme-{number}.md", text.replace("Reddit\n", f"Acme {number}\n", 1))
    regenerate(repository_at(str(repo.root)), cache=cache)
    steps = [
        lambda: repo.write("acme-1.md", text.replace("### Application\nPENDING", "### Application\nAPPLIED")),
        lambda: (repo.applications / "acme-2.md").unlink(),
        lambda: repo.write("acme-3.md", "---\n[\n---\n" + text),
        lambda: os.rename(repo.applications / "acme-4.md", repo.applications / "acme-four.md"),
        lambda: repo.commit("More"),
    ]
    for step in steps:
        step()
        regenerate(repository_at(str(repo.root)), cache=cache)
        cached = {name: (repo.root / name).read_bytes() for name in ("INDEX.md", "HISTORY.md")}
        assert regenerate(repository_at(str(repo.root)), check=True).stale == ()
        assert cached == {name: (repo.root / name).read_bytes() for name in ("INDEX.md", "HISTORY.md")}


def test_the_cache_forgets_deleted_files(repo: Repo) -> None:
    cache = ApplicationCache()
    repo.write("acme.md", reddit_text().replace("Reddit\n", "Acme\n", 1))
    regenerate(repository_at(str(repo.root)), cache=cache)
    (repo.applications / "acme.md").unlink()
    regenerate(repository_at(str(repo.root)), cache=cache)
    assert all("acme.md" not in key[1] for key in cache._apps)
