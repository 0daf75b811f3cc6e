"""Whatever is in .git/jobtrail/, `jobtrail history` answers as a cold run does: no crash, hang or unbounded read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Repo, with_status
from jobtrail.historycache import MAX_CACHE_BYTES, encode_part

PARTS = ("state", "retained", "base", "blobs")


def history_json(root: Path) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "jobtrail", "history", "--json"], cwd=root, capture_output=True, text=True, timeout=60
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def walked(repo: Repo) -> tuple[Repo, str]:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write("reddit-senior-machine-learning-engineer-safety.md", with_status("APPLIED"))
    repo.commit("applied", date="2026-08-02T09:00:00+00:00")
    status, cold, _ = history_json(repo.root)
    assert status == 0 and all((repo.root / ".git" / "jobtrail" / f"history-{part}.json").exists() for part in PARTS)
    return repo, cold


def _mutations(data: dict[str, Any]) -> list[Any]:
    """The same JSON with one value of the wrong shape, for every key (the fingerprint stays right)."""
    wrong: list[Any] = [[], None, 7, "x", {"version": data.get("version")}]
    for key, value in data.items():
        if key in ("version", "fingerprint"):
            continue
        for replacement in (
            [],
            {},
            7,
            "x",
            None,
            [[1, 2, 3, 4, 5]],
            {"a": [1]},
            [-1],
            {"p": ["b", None, 99, "d", "o"]},
        ):
            if type(replacement) is not type(value) or replacement:  # an empty table of the right type is no error
                wrong.append({**data, key: replacement})
        if isinstance(value, dict) and value:
            first = next(iter(value))
            wrong.append({**data, key: {**value, first: [None, 5, -1, [], {}]}})
        if isinstance(value, list) and value:
            wrong.append({**data, key: [[None, 5, -1, [], {}], *value[1:]]})
    return wrong


@pytest.mark.parametrize("part", PARTS)
def test_a_cache_part_of_the_wrong_shape_is_ignored(walked: tuple[Repo, str], part: str) -> None:
    repo, cold = walked
    path = repo.root / ".git" / "jobtrail" / f"history-{part}.json"
    original = json.loads(path.read_bytes().partition(b"\n")[2])
    for wrong in _mutations(original):
        for other in PARTS:  # the parts that matter to the run are read: make every run read this one
            if other != part:
                (repo.root / ".git" / "jobtrail" / f"history-{other}.json").unlink(missing_ok=True)
        path.write_bytes(encode_part(wrong))  # a checksum that matches: only the shape is wrong

        status, out, err = history_json(repo.root)

        assert (status, out) == (0, cold), (wrong, err)
        assert "Traceback" not in err


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _huge(path: Path) -> None:
    with open(path, "wb") as handle:
        handle.truncate(MAX_CACHE_BYTES + 1)  # sparse: no disk space used


def _folder(path: Path) -> None:
    path.mkdir()


def _not_json(path: Path) -> None:
    path.write_bytes(b"\xff{" * 1000)


def _deep(path: Path) -> None:
    path.write_text("[" * 100_000 + "]" * 100_000)


@pytest.mark.parametrize("make", [_fifo, _dev_zero, _huge, _folder, _not_json, _deep])
def test_a_cache_file_that_is_not_a_cache_file_is_ignored(
    walked: tuple[Repo, str], make: Callable[[Path], None]
) -> None:
    repo, cold = walked
    for part in PARTS:
        path = repo.root / ".git" / "jobtrail" / f"history-{part}.json"
        path.unlink()
        make(path)

    status, out, err = history_json(repo.root)

    assert (status, out) == (0, cold), err
    assert "Traceback" not in err


def test_a_torn_or_edited_cache_file_is_ignored(walked: tuple[Repo, str]) -> None:
    repo, cold = walked
    state = repo.root / ".git" / "jobtrail" / "history-state.json"
    data = state.read_bytes()
    for broken in (data[: len(data) // 2], data.replace(b'"APPLIED"', b'"PENDING"'), b"{}", b""):
        state.write_bytes(broken)
        assert history_json(repo.root)[:2] == (0, cold)


def test_a_state_entry_with_a_date_that_is_not_a_date_is_ignored(walked: tuple[Repo, str]) -> None:
    repo, cold = walked
    state = repo.root / ".git" / "jobtrail" / "history-state.json"
    data = json.loads(state.read_bytes().partition(b"\n")[2])
    row = next(iter(data["entries"].values()))
    for index, value in enumerate(row):
        if isinstance(value, str) and value[:4].isdigit() and value[4:5] == "-":  # each date in the row
            broken = [*row[:index], "2026-13-45", *row[index + 1 :]]
            state.write_bytes(encode_part({**data, "entries": {**data["entries"], "x": broken}}))

            assert history_json(repo.root)[:2] == (0, cold)


def test_a_new_commit_rewrites_the_small_retained_part_not_the_base(walked: tuple[Repo, str]) -> None:
    repo, _ = walked
    folder = repo.root / ".git" / "jobtrail"
    for day, status in enumerate(["SCREENING", "INTERVIEWING"], start=3):
        base = (folder / "history-base.json").read_bytes()
        repo.write("reddit-senior-machine-learning-engineer-safety.md", with_status(status))
        repo.commit(status, date=f"2026-08-0{day}T09:00:00+00:00")

        status_code, cached, _ = history_json(repo.root)

        assert (folder / "history-base.json").read_bytes() == base
        for part in PARTS:
            (folder / f"history-{part}.json").unlink()
        assert (status_code, cached) == history_json(repo.root)[:2]
        assert status in cached
