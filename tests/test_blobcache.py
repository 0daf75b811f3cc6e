"""The pre-commit hook's cache of parsed applications by blob id: same answers, never a crash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT, REDDIT, Repo, reddit_text, with_status
from jobtrail.blobcache import BlobCache, fingerprint, slim
from jobtrail.config import load_config
from jobtrail.parse import parse_bytes
from jobtrail.reasons import reasons_in


def test_slim_keeps_what_rendering_and_the_cross_file_rules_read() -> None:
    text = with_status("REJECTED", "2026-11-20").replace(
        "## Notes\n", "## Notes\n- 2026-11-24 REJECTED: went with an internal candidate\n"
    )
    full = parse_bytes("applications/x.md", text.encode())
    small = slim(full)

    assert small.lines == () and len(repr(small)) < len(repr(full)) / 2
    for read in (
        lambda app: app.company,
        lambda app: app.position,
        lambda app: app.status,
        lambda app: app.text("Application Date"),
        lambda app: app.text("Job URL"),
        lambda app: dict(app.front_matter),
        lambda app: app.problems,
        reasons_in,
    ):
        assert read(small) == read(full)


def test_the_fingerprint_is_the_same_in_every_process() -> None:
    """A set's order changes with each process's hash seed: the cache must not be thrown away every commit."""
    script = f"from jobtrail.blobcache import fingerprint; from jobtrail.config import load_config; print(fingerprint(load_config({str(PROJECT)!r})))"
    prints = {
        subprocess.run(
            [sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(prints) == 1
    assert fingerprint(load_config(str(PROJECT))) + "\n" in prints


@pytest.mark.parametrize("damage", ["garbage", "other-shape", "wrong-records", "symlink", "fifo", "folder"])
def test_a_damaged_cache_is_ignored_and_rebuilt(tmp_path: Path, damage: str) -> None:
    git_dir = tmp_path / "git"
    (git_dir / "jobtrail").mkdir(parents=True)
    path = git_dir / "jobtrail" / "applications.pickle"
    if damage == "garbage":
        path.write_bytes(b"\x80\x05not a pickle at all")
    elif damage == "other-shape":
        import pickle

        path.write_bytes(pickle.dumps({"version": 1, "fingerprint": "f", "apps": [1, 2], "problems": None}))
    elif damage == "wrong-records":
        import pickle

        path.write_bytes(pickle.dumps({"version": 1, "fingerprint": "f", "apps": {("a", "b"): 5}, "problems": {}}))
    elif damage == "symlink":
        path.symlink_to("/dev/zero")
    elif damage == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()

    cache = BlobCache.load(str(git_dir), "f")

    assert cache.apps == {} and cache.problems == {}
    cache.put(("applications/x.md", "0" * 40), parse_bytes("applications/x.md", REDDIT.read_bytes()))
    cache.save({("applications/x.md", "0" * 40)})  # replaced if it can be, else left: never an error


def test_commits_with_a_warm_cache_carry_the_same_files_as_a_cold_one(repo: Repo, tmp_path: Path) -> None:
    """The hook with the cache (second run) stages exactly what it staged without it (first run)."""
    for number in range(20):  # enough new versions for the cache to be written
        repo.write(f"company-{number}-engineer.md", reddit_text().replace("Reddit\n", f"Company {number}\n", 1))
    repo.commit("start", date="2026-11-20T09:00:00+00:00")
    repo.write(REDDIT.name, reddit_text().replace("Reddit\n", "Reddit Inc\n", 1))
    repo.git("add", "-A")

    def staged() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "jobtrail", "index", "--hook", "pre-commit"], cwd=repo.root, capture_output=True
        )
        assert done.returncode == 0, done.stderr
        return repo.git("ls-files", "-s", "INDEX.md", "HISTORY.md")

    cold = staged()
    assert (Path(repo.git("rev-parse", "--absolute-git-dir").strip()) / "jobtrail" / "applications.pickle").exists()
    assert staged() == cold
